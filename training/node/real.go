package node

import (
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"time"

	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/templates/xsd"
	"github.com/mezhved/mezhved/transport"
)

// A provider of a kind of data with a published schema answers as the
// authority does: an instance of the response element of that schema
// (FNSVipULResponse for FNSVipULRequest…), valid against it, with the
// request's person, identifiers and dates carried over and the rest made
// realistic from the element names; a share of answers says «сведения не
// найдены» the way the schema lets the provider say it (ФНС's КодОбр,
// МВД's notFoundRegistration), or refuses with the reasons providers give.

// reNotFound names the branches of a response that say there is no data.
var reNotFound = regexp.MustCompile(`(?i)^(КодОбр|notFound|НеНайд|СведНет|Отказ|ОтвНет)`)

// refusals are the reasons providers give when they refuse a request.
var refusals = []struct{ code, text string }{
	{transport.RejectAccessDenied, "Запрашивающий орган не указан в технологической карте межведомственного взаимодействия для этого вида сведений"},
	{transport.RejectAccessDenied, "Нет согласия субъекта персональных данных на получение сведений"},
	{transport.RejectUnknown, "Недостаточно данных для однозначной идентификации лица: уточните паспортные данные"},
}

// realisticByName gives realistic values of elements and attributes by
// their local names.
var realisticByName = map[string]string{
	"НаимЮЛПолн": "Общество с ограниченной ответственностью «Луговое»", "НаимЮЛСокр": "ООО «Луговое»",
	"НаимОрг": "Общество с ограниченной ответственностью «Луговое»", "НаимНО": "Межрайонная ИФНС России № 21 по Московской области",
	"НаимЗАГС": "Отдел ЗАГС администрации Учебного района Московской области", "НаимРегион": "Московская область",
	"Регион": "50", "КодРегион": "50", "Индекс": "143500", "Город": "Учебный", "НаселПункт": "д. Учебная",
	"Улица": "ул. Луговая", "Дом": "5", "fullAddress": "Московская обл., Учебный р-н, д. Учебная, ул. Луговая, д. 5",
	"regAddressType": "по месту жительства", "Пол": "2", "Гражданство": "643", "КодНО": "5021",
	"НаимВидДок": "Паспорт гражданина Российской Федерации", "ИННЮЛ": "7710000551", "ОГРН": "1157746000015",
	"ОГРНИП": "304500116000157", "КПП": "502101001", "СуммДох": "486200.00", "СумДоход": "486200.00",
}

// answerReal composes the provider's answer to a request of a published
// kind of data; nil content with a code when it refuses.
func (p *provider) answerReal(body []byte, noData bool, rnd *rand.Rand) (*answer, error) {
	sc := p.tmpl.SchemaOf()
	req := requestValues(body)
	respRoot := strings.TrimSuffix(p.tmpl.DataType.Root, "Request") + "Response"
	name := xml.Name{Space: p.tmpl.DataType.Namespace, Local: respRoot}
	notFoundBranch := noData && hasNotFound(sc, name)
	if noData && !notFoundBranch || noData && rnd.IntN(3) == 0 {
		if rnd.IntN(2) == 0 {
			r := refusals[rnd.IntN(len(refusals))]
			return &answer{reject: r.code, rejectText: r.text + " (" + p.name + ")"}, nil
		}
		if !notFoundBranch {
			return &answer{reject: transport.RejectNoData, rejectText: "Сведения по запросу не найдены (" + p.name + ")"}, nil
		}
	}
	g := &xsd.Gen{Rand: rnd, Optional: 0.35, MaxRepeat: 2, MaxDepth: 7,
		Value: func(path []string, t *xsd.SimpleType) string { return realistic(path, t, req) },
		Choose: func(path []string, branches []*xsd.Particle) int {
			return chooseBranch(path, branches, notFoundBranch, rnd)
		}}
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		var doc []byte
		if doc, err = g.Generate(sc, name); err != nil {
			continue
		}
		if problems := sc.Validate(doc); len(problems) > 0 {
			err = fmt.Errorf("node: training answer of %s invalid: %s", p.tmpl.ID, problems[0])
			continue
		}
		return &answer{content: doc}, nil
	}
	return nil, err
}

// requestValues reads the values of a request body by local name, of
// elements and attributes alike (the first of each).
func requestValues(body []byte) map[string]string {
	out := values(body)
	d, err := xmltree.Parse(body)
	if err != nil {
		return out
	}
	for i := range d.Nodes {
		if d.Nodes[i].Kind != xmltree.Element {
			continue
		}
		for _, a := range d.Attributes(int32(i)) {
			if _, ok := out[string(a.Local)]; !ok && len(a.URI) == 0 {
				out[string(a.Local)] = string(a.Value)
			}
		}
	}
	return out
}

// hasNotFound reports whether the response's top choice has a branch that
// says there is no data.
func hasNotFound(sc *xsd.Schema, name xml.Name) bool {
	el := sc.Root(name)
	if el == nil || el.Complex == nil || el.Complex.Content == nil {
		return false
	}
	found := false
	var walk func(p *xsd.Particle, depth int)
	walk = func(p *xsd.Particle, depth int) {
		if depth > 3 || found {
			return
		}
		if p.Kind == xsd.PElement {
			found = reNotFound.MatchString(p.Elem.Name.Local)
			return
		}
		for _, k := range p.Kids {
			walk(k, depth+1)
		}
	}
	walk(el.Complex.Content, 0)
	return found
}

// chooseBranch picks, near the root, the branch that says «не найдено»
// when notFound, else one that carries data; deeper, a branch that gives a
// value rather than a flag of its absence (ПрОтчество…).
func chooseBranch(path []string, branches []*xsd.Particle, notFound bool, rnd *rand.Rand) int {
	var data, none []int
	for i, b := range branches {
		n := ""
		if b.Kind == xsd.PElement {
			n = b.Elem.Name.Local
		}
		switch {
		case reNotFound.MatchString(n):
			none = append(none, i)
		case strings.HasPrefix(n, "Пр") && len(path) > 1:
		default:
			data = append(data, i)
		}
	}
	if notFound && len(path) <= 2 && len(none) > 0 {
		return none[0]
	}
	if len(data) > 0 {
		return data[rnd.IntN(len(data))]
	}
	return -1
}

// realistic proposes a value for the element or attribute at path: what
// the request said about the same thing, or a realistic one by its name.
func realistic(path []string, t *xsd.SimpleType, req map[string]string) string {
	name := strings.TrimPrefix(path[len(path)-1], "@")
	for _, k := range []string{name, synonyms[name]} {
		if v := req[k]; v != "" {
			return v
		}
	}
	if v, ok := realisticByName[name]; ok {
		return v
	}
	switch {
	case strings.HasPrefix(name, "Дата") || strings.HasSuffix(name, "Dt") || strings.HasSuffix(name, "Date"):
		return time.Date(2015+len(name)%9, time.Month(1+len(name)%12), 1+len(path)%27, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	case name == "ГРН" || name == "ГРНИП":
		return "2" + strings.Repeat("1", 12)
	}
	return ""
}

// synonyms map the names of a response to the request's names of the same
// datum.
var synonyms = map[string]string{
	"Фамилия": "FamilyName", "Имя": "FirstName", "Отчество": "Patronymic",
	"lastName": "Фамилия", "firstName": "Имя", "middleName": "Отчество",
	"FamilyName": "Фамилия", "FirstName": "Имя", "Patronymic": "Отчество",
	"ИННФЛ": "ИНН", "ИдЗапросФ": "ИдЗапрос", "ДатаРожд": "ДатаРождКаленд",
}
