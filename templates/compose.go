package templates

import (
	"bytes"
	"sort"
	"strconv"
	"strings"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/validate"
)

// check validates one value of a field and returns its canonical form.
type check func(f *Field, v string, today calendar.Date) (string, error)

func plain(fn func(string) (string, error)) check {
	return func(_ *Field, v string, _ calendar.Date) (string, error) { return fn(v) }
}

var fieldTypes = map[string]check{
	"text": func(f *Field, v string, _ calendar.Date) (string, error) {
		return validate.Text(v, f.MaxLen)
	},
	"name":              plain(validate.Name),
	"date":              plain(validate.Date),
	"past-date":         func(_ *Field, v string, today calendar.Date) (string, error) { return validate.PastDate(v, today) },
	"birth-date":        func(_ *Field, v string, today calendar.Date) (string, error) { return validate.BirthDate(v, today) },
	"snils":             plain(validate.SNILS),
	"inn":               plain(validate.INN),
	"inn-legal":         plain(validate.INNLegal),
	"inn-person":        plain(validate.INNPerson),
	"ogrn":              plain(validate.OGRN),
	"ogrnip":            plain(validate.OGRNIP),
	"kpp":               plain(validate.KPP),
	"oktmo":             plain(validate.OKTMO),
	"cadastral":         plain(validate.Cadastral),
	"cadastral-quarter": plain(validate.CadastralQuarter),
	"passport-series":   plain(validate.PassportSeries),
	"passport-number":   plain(validate.PassportNumber),
	"division-code":     plain(validate.DivisionCode),
	"snils-digits": plain(func(v string) (string, error) {
		c, err := validate.SNILS(v)
		return strings.NewReplacer("-", "", " ", "").Replace(c), err
	}),
	"year": plain(func(v string) (string, error) {
		v = strings.TrimSpace(v)
		if y, err := strconv.Atoi(v); err != nil || len(v) != 4 || y < 1900 || y > 2100 {
			return "", domain.Errorf(domain.EINVALID, "год — четыре цифры, от 1900 до 2100")
		}
		return v, nil
	}),
	"choice": func(f *Field, v string, _ calendar.Date) (string, error) {
		v = strings.TrimSpace(v)
		var labels []string
		for _, o := range f.Options {
			if v == o.Value || v == o.Label {
				return o.Value, nil
			}
			labels = append(labels, "«"+o.Label+"»")
		}
		return "", domain.Errorf(domain.EINVALID, "выберите одно из значений: %s", strings.Join(labels, ", "))
	},
}

// FieldTypes returns the names of the field types, sorted.
func FieldTypes() []string {
	out := make([]string, 0, len(fieldTypes))
	for k := range fieldTypes {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Check validates values against the template's fields, as of today (dates
// of birth and of issue cannot be later). It returns the canonical values of
// the filled fields and every problem: a required field left empty, a value
// that fails its check, a value for a field the template does not have.
// Values are trimmed; an empty value is an unfilled field.
func (t *Template) Check(values map[string]string, today calendar.Date) (map[string]string, validate.Problems) {
	out := make(map[string]string, len(t.Fields)+1)
	var ps validate.Problems
	for i := range t.Fields {
		f := &t.Fields[i]
		v := strings.TrimSpace(values[f.Name])
		if v == "" {
			if f.Required {
				ps = append(ps, validate.Problem{Field: f.Name, Label: f.Label, Message: "не заполнено"})
			}
			continue
		}
		canon, err := fieldTypes[f.Type](f, v, today)
		if err != nil {
			ps = append(ps, validate.Problem{Field: f.Name, Label: f.Label, Message: domain.ErrorMessage(err)})
			continue
		}
		out[f.Name] = canon
	}
	ps = append(ps, t.checkBound(out)...)
	if len(ps) == 0 {
		ps = append(ps, t.checkOneOf(out)...)
	}
	var unknown []string
	for k := range values {
		if t.Field(k) == nil {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		ps = append(ps, validate.Problem{Field: k, Label: k, Message: "в шаблоне «" + t.Title + "» нет такого поля"})
	}
	return out, ps
}

// Compose fills the body with values as of today and returns the business
// XML: one element, the content of MessagePrimaryContent, in UTF-8 without
// an XML declaration. When a value is missing or wrong, or the body fails
// the template's XSD, it returns no XML and every problem found.
func (t *Template) Compose(values map[string]string, today calendar.Date) ([]byte, validate.Problems) {
	if today.IsZero() {
		return nil, validate.Problems{{Message: "не указана дата составления запроса"}}
	}
	canon, ps := t.Check(values, today)
	if len(ps) > 0 {
		return nil, ps
	}
	canon[Today] = today.String()
	canon[RequestID] = t.requestID(canon)
	var b bytes.Buffer
	t.body.render(&b, canon)
	if t.schema != nil {
		for _, msg := range t.schema.Validate(b.Bytes()) {
			ps = append(ps, validate.Problem{Label: "Проверка по схеме XSD", Message: msg})
		}
	} else if _, err := parseXML(b.Bytes()); err != nil { // a defect: values are checked, the body is escaped
		ps = append(ps, validate.Problem{Label: "Тело запроса", Message: "получился неправильный XML: " + err.Error()})
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return b.Bytes(), nil
}

// Examples returns the example value of every field.
// Of a group of which exactly one must be filled, only the first is.
func (t *Template) Examples() map[string]string {
	out := make(map[string]string, len(t.Fields))
	for _, f := range t.Fields {
		out[f.Name] = f.Example
	}
	for _, g := range t.OneOf {
		for _, name := range g.Fields[1:] {
			delete(out, name)
		}
	}
	return out
}

// exampleDay is the "today" a template's examples are checked for: late
// enough that every example date of issue or birth has passed, whenever the
// template was written. Parse reads no clock.
var exampleDay = calendar.MustDate(2099, 12, 31)

// selfTest checks that every example is valid and that the body composed
// from all examples, and from the required ones alone, is well-formed and
// satisfies the schema.
func (t *Template) selfTest() error {
	all := t.Examples()
	if _, ps := t.Check(all, exampleDay); len(ps) > 0 {
		return bad("неверный пример поля: %s", ps[0])
	}
	required := map[string]string{}
	for _, f := range t.Fields {
		if f.Required {
			required[f.Name] = f.Example
		}
	}
	for _, g := range t.OneOf {
		required[g.Fields[0]] = t.Field(g.Fields[0]).Example
	}
	for _, vals := range []map[string]string{all, required} {
		if _, ps := t.Compose(vals, exampleDay); len(ps) > 0 {
			return bad("тело, составленное из примеров, не проходит проверку: %s", ps[0])
		}
	}
	return nil
}
