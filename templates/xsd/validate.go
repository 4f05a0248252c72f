package xsd

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Validate checks the document doc against s and returns every problem it
// finds, in Russian, each naming the element; none means valid.
func (s *Schema) Validate(doc []byte) []string {
	root, err := parse(doc)
	if err != nil {
		return []string{"документ не является правильным XML: " + err.Error()}
	}
	decl := s.globals[root.name]
	if decl == nil {
		return []string{fmt.Sprintf("корневой элемент %s не объявлен в схеме", show(root.name))}
	}
	v := &validator{}
	v.element(root, decl)
	return v.problems
}

type validator struct{ problems []string }

func (v *validator) addf(e *elem, format string, args ...any) {
	v.problems = append(v.problems, fmt.Sprintf("строка %d, элемент %s: ", e.line, e.name.Local)+fmt.Sprintf(format, args...))
}

func show(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return "{" + n.Space + "}" + n.Local
}

func (v *validator) element(e *elem, d *element) {
	if d.simple != nil {
		if len(e.kids) > 0 {
			v.addf(e, "вложенные элементы не допускаются")
		}
		for _, a := range e.attrs {
			v.addf(e, "атрибут %s не объявлен в схеме", a.Name.Local)
		}
		if msg := d.simple.check(e.text); msg != "" {
			v.addf(e, "%s", msg)
		}
		return
	}
	ct := d.complex
	if strings.TrimSpace(e.text) != "" {
		v.addf(e, "текст внутри элемента не допускается")
	}
	for _, a := range e.attrs {
		var decl *attribute
		for _, ad := range ct.attrs {
			if ad.name == a.Name {
				decl = ad
			}
		}
		if decl == nil {
			v.addf(e, "атрибут %s не объявлен в схеме", a.Name.Local)
		} else if msg := decl.typ.check(a.Value); msg != "" {
			v.addf(e, "атрибут %s: %s", a.Name.Local, msg)
		}
	}
	for _, ad := range ct.attrs {
		if !ad.required {
			continue
		}
		if _, ok := e.attr(ad.name.Local); !ok {
			v.addf(e, "нет обязательного атрибута %s", ad.name.Local)
		}
	}
	i := 0
	take := func(p *element) int { // consumes the run of p's elements
		n := 0
		for i < len(e.kids) && e.kids[i].name == p.name && (p.max < 0 || n < p.max) {
			v.element(e.kids[i], p)
			i, n = i+1, n+1
		}
		return n
	}
	if ct.choice {
		var hit *element
		for _, p := range ct.particles {
			if i < len(e.kids) && e.kids[i].name == p.name {
				hit = p
				break
			}
		}
		if hit != nil {
			if take(hit) < hit.min {
				v.addf(e, "элемент %s повторён меньше %d раз", hit.name.Local, hit.min)
			}
		} else if !choiceMayBeEmpty(ct) {
			v.addf(e, "ожидается один из элементов: %s", names(ct.particles))
			return
		}
	} else {
		for _, p := range ct.particles {
			if n := take(p); n < p.min {
				v.addf(e, "не хватает элемента %s", p.name.Local)
				return
			}
		}
	}
	if i < len(e.kids) {
		v.addf(e, "элемент %s здесь не ожидается", show(e.kids[i].name))
	}
}

func choiceMayBeEmpty(ct *complexType) bool {
	for _, p := range ct.particles {
		if p.min == 0 {
			return true
		}
	}
	return len(ct.particles) == 0
}

func names(ps []*element) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.name.Local)
	}
	return strings.Join(out, ", ")
}

var (
	reDate    = regexp.MustCompile(`^([0-9]{4,})-([0-9]{2})-([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?$`)
	reInteger = regexp.MustCompile(`^[+-]?[0-9]+$`)
)

// check returns "" when value is valid for t, or what is wrong.
func (t *simpleType) check(value string) string {
	v := normalize(value, t.base)
	switch t.base {
	case bDate:
		if !validDate(v) {
			return fmt.Sprintf("«%s» не дата вида ГГГГ-ММ-ДД", v)
		}
	case bInteger:
		if !reInteger.MatchString(v) {
			return fmt.Sprintf("«%s» не целое число", v)
		}
	case bBoolean:
		if v != "true" && v != "false" && v != "1" && v != "0" {
			return fmt.Sprintf("«%s» не логическое значение", v)
		}
	}
	n := utf8.RuneCountInString(v)
	for _, l := range t.length {
		if n != l {
			return fmt.Sprintf("длина %d, а должна быть %d", n, l)
		}
	}
	for _, l := range t.minLen {
		if n < l {
			return fmt.Sprintf("длина %d меньше %d", n, l)
		}
	}
	for _, l := range t.maxLen {
		if n > l {
			return fmt.Sprintf("длина %d больше %d", n, l)
		}
	}
	for _, step := range t.patterns {
		ok := false
		for _, re := range step {
			ok = ok || re.MatchString(v)
		}
		if !ok {
			return fmt.Sprintf("«%s» не подходит под образец схемы", v)
		}
	}
	for _, step := range t.enums {
		ok := false
		for _, e := range step {
			ok = ok || e == v
		}
		if !ok {
			return fmt.Sprintf("«%s» нет среди допустимых значений (%s)", v, strings.Join(step, ", "))
		}
	}
	return ""
}

func validDate(v string) bool {
	m := reDate.FindStringSubmatch(v)
	if m == nil {
		return false
	}
	year := m[1]
	if len(year) > 4 && year[0] == '0' || strings.Trim(year, "0") == "" {
		return false
	}
	y := 0
	for _, c := range year[len(year)-4:] { // leap years repeat every 400 years
		y = y*10 + int(c-'0')
	}
	mon, day := atoi2(m[2]), atoi2(m[3])
	if mon < 1 || mon > 12 || day < 1 || day > daysIn(y, mon) {
		return false
	}
	if tz := m[4]; len(tz) == 6 {
		hh, mm := atoi2(tz[1:3]), atoi2(tz[4:6])
		if mm > 59 || hh > 14 || hh == 14 && mm != 0 {
			return false
		}
	}
	return true
}

func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
