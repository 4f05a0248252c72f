package templates

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/templates/internal/xmllint"
	"github.com/mezhved/mezhved/templates/xsd"
	"github.com/mezhved/mezhved/validate"
)

var today = calendar.MustDate(2025, 5, 13)

func rootName(t *testing.T, doc []byte) xml.Name {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("composed XML does not parse: %v\n%s", err, doc)
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name
		}
	}
}

func TestBuiltinCatalogue(t *testing.T) {
	list := Builtin().List()
	if len(list) < 10 {
		t.Fatalf("%d built-in templates, want at least 10", len(list))
	}
	providers := map[string]bool{}
	for _, tp := range list {
		providers[tp.Provider.Short] = true
		if !tp.Builtin || tp.Training != (tp.Schemas == nil) || tp.Note == "" || !tp.HasSchema {
			t.Errorf("%s: builtin %v training %v note %q schema %v", tp.ID, tp.Builtin, tp.Training, tp.Note, tp.HasSchema)
		}
		if tp.TermDays < 1 || len(tp.Channels) == 0 || len(tp.Services) == 0 || tp.Provider.SMEVID == "" || tp.DataType.Version == "" {
			t.Errorf("%s: incomplete card %+v", tp.ID, tp)
		}
	}
	for _, p := range []string{"Росреестр", "МВД России", "ФНС России", "Социальный фонд России", "ЕГР ЗАГС"} {
		if !providers[p] {
			t.Errorf("no template for %s", p)
		}
	}
	if _, err := Builtin().Get("nope"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("unknown id: %v", err)
	}
}

// badValue is a wrong value for each field type.
var badValue = map[string]string{
	"text": "строка\x01", "name": "Ivanov", "date": "31.02.2025", "past-date": "01.01.2030", "birth-date": "01.01.2030",
	"snils": "112-233-445 94", "inn": "7707083894", "inn-legal": "500100732259", "inn-person": "7707083893",
	"ogrn": "1027700132194", "ogrnip": "304500116000156", "kpp": "77360100", "oktmo": "4662810",
	"cadastral": "50:21:0110104", "cadastral-quarter": "50:21", "passport-series": "450", "passport-number": "12345", "division-code": "50-123",
	"choice": "нет такого", "snils-digits": "112-233-445 94", "year": "20245",
}

// A compose test for every built-in template: the examples give XML that
// names the type of data and that xmllint accepts against the template's
// schema; every required field left out and every wrong value is reported,
// all at once, with no XML.
func TestComposeEveryBuiltin(t *testing.T) {
	lint := xmllint.Require(t)
	for _, tp := range Builtin().List() {
		t.Run(tp.ID, func(t *testing.T) {
			required := map[string]string{}
			for _, f := range tp.Fields {
				if f.Required {
					required[f.Name] = f.Example
				}
			}
			for _, g := range tp.OneOf {
				required[g.Fields[0]] = tp.Field(g.Fields[0]).Example
			}
			main, files := tp.SchemaFiles()
			for _, vals := range []map[string]string{tp.Examples(), required} {
				doc, ps := tp.Compose(vals, today)
				if len(ps) > 0 {
					t.Fatalf("problems: %v", ps)
				}
				if n := rootName(t, doc); n.Space != tp.DataType.Namespace || n.Local != tp.DataType.Root {
					t.Errorf("root %v, want %s %s", n, tp.DataType.Namespace, tp.DataType.Root)
				}
				if ok, out := xmllint.Verdicts(t, lint, main, files, [][]byte{doc}); !ok[0] {
					t.Errorf("xmllint rejects the composed body: %s\n%s", out, doc)
				}
				if tp.Schemas == nil && !bytes.Contains(doc, []byte(">2025-05-13<")) {
					t.Errorf("the request date is not today's: %s", doc)
				}
				for name, v := range vals {
					f := tp.Field(name)
					canon, _ := fieldTypes[f.Type](f, v, today)
					var esc bytes.Buffer
					xml.EscapeText(&esc, []byte(canon))
					if !bytes.Contains(doc, esc.Bytes()) {
						t.Errorf("value of %s (%q) is not in the body", name, canon)
					}
				}
			}
			// Every required field missing and every value wrong: all reported.
			wrong := map[string]string{}
			for _, f := range tp.Fields {
				if !f.Required {
					wrong[f.Name] = badValue[f.Type]
				}
			}
			doc, ps := tp.Compose(wrong, today)
			if doc != nil {
				t.Fatal("XML returned with problems")
			}
			if len(ps) != len(tp.Fields) {
				t.Errorf("%d problems for %d fields: %v", len(ps), len(tp.Fields), ps)
			}
			for i, p := range ps {
				f := tp.Fields[i]
				if p.Field != f.Name || p.Label != f.Label {
					t.Errorf("problem %d is %+v, want field %s", i, p, f.Name)
				}
				if f.Required && p.Message != "не заполнено" {
					t.Errorf("%s: %q", f.Name, p.Message)
				}
			}
			for _, f := range tp.Fields {
				vals := tp.Examples()
				vals[f.Name] = badValue[f.Type]
				doc, ps := tp.Compose(vals, today)
				if doc != nil || len(ps) != 1 || ps[0].Field != f.Name || ps[0].Message == "" {
					t.Errorf("%s = %q: %v", f.Name, badValue[f.Type], ps)
				}
			}
		})
	}
}

// Mutations of every built-in body: our check of the template's schema and
// xmllint's agree on each.
func TestBuiltinSchemasAgreeWithXmllint(t *testing.T) {
	lint := xmllint.Require(t)
	for _, tp := range Builtin().List() {
		if tp.AnswersRoot != "" || tp.Schemas != nil {
			continue // answer cards have their own test (TestAnswerCard), real cards TestRealCards
		}
		doc, ps := tp.Compose(tp.Examples(), today)
		if len(ps) > 0 {
			t.Fatal(ps)
		}
		s := string(doc)
		prefix := s[1:strings.Index(s, ":")]
		endRoot := "</" + prefix + ":" + tp.DataType.Root + ">"
		mutations := map[string]string{
			"as is":           s,
			"extra element":   strings.Replace(s, endRoot, "<"+prefix+":Extra>1</"+prefix+":Extra>"+endRoot, 1),
			"no requester":    cut(s, "<"+prefix+":Requester>", "</"+prefix+":Requester>"),
			"bad date":        strings.Replace(s, "2025-05-13", "2025-02-30", 1),
			"bad oktmo":       strings.Replace(s, ">46628101<", ">4662810<", 1),
			"bad ogrn":        strings.Replace(s, ">1024600000017<", ">2024600000017<", 1),
			"empty name":      strings.Replace(s, ">Администрация сельского поселения Учебное<", "><", 1),
			"other namespace": strings.Replace(s, tp.DataType.Namespace, tp.DataType.Namespace+"x", 1),
			"attribute":       strings.Replace(s, "<"+prefix+":Requester>", "<"+prefix+":Requester a=\"1\">", 1),
			"text in group":   strings.Replace(s, "<"+prefix+":Requester>", "<"+prefix+":Requester>x", 1),
		}
		sc, err := xsd.Compile(tp.Schema())
		if err != nil {
			t.Fatal(err)
		}
		for name, m := range mutations {
			ours := len(sc.Validate([]byte(m))) == 0
			theirs, out := xmllint.Valid(t, lint, tp.Schema(), []byte(m))
			if ours != theirs || ours != (name == "as is") {
				t.Errorf("%s, %s: ours %v, xmllint %v %s", tp.ID, name, ours, theirs, out)
			}
		}
	}
}

func cut(s, from, to string) string {
	i, j := strings.Index(s, from), strings.Index(s, to)
	return s[:i] + s[j+len(to):]
}

func TestComposeEscapes(t *testing.T) {
	tp, _ := Builtin().Get("egrn-object")
	vals := tp.Examples()
	vals["org.name"] = `Администрация "Учебное" & <сельсовет>`
	doc, ps := tp.Compose(vals, today)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	if !bytes.Contains(doc, []byte(`Администрация "Учебное" &amp; &lt;сельсовет&gt;`)) {
		t.Errorf("not escaped: %s", doc)
	}
	delete(vals, "object.address")
	doc, _ = tp.Compose(vals, today)
	if bytes.Contains(doc, []byte("Address")) {
		t.Errorf("an empty optional element was written: %s", doc)
	}
	vals["no.such"] = "1"
	if _, ps := tp.Compose(vals, today); len(ps) != 1 || ps[0].Field != "no.such" || !strings.Contains(ps[0].Message, "нет такого поля") {
		t.Errorf("unknown field: %v", ps)
	}
	if _, ps := tp.Compose(tp.Examples(), calendar.Date{}); len(ps) != 1 {
		t.Errorf("no today: %v", ps)
	}
}

func TestCheckNormalizes(t *testing.T) {
	tp, _ := Builtin().Get("sfr-snils-check")
	vals := tp.Examples()
	vals["applicant.snils"] = "11223344595"
	vals["applicant.gender"] = "Женский" // the label is accepted too
	vals["applicant.birth_date"] = " 14.07.1985 "
	canon, ps := tp.Check(vals, today)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	if canon["applicant.snils"] != "112-233-445 95" || canon["applicant.gender"] != "F" || canon["applicant.birth_date"] != "1985-07-14" {
		t.Errorf("%v", canon)
	}
	vals["applicant.snils"] = "112-233-445 94"
	_, ps = tp.Check(vals, today)
	if len(ps) != 1 || ps[0].String() != "СНИЛС заявителя: неверная контрольная сумма — проверьте цифры" {
		t.Errorf("%v", ps)
	}
	if err := ps.Err(); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("%v", err)
	}
}

func TestPrefillAndRemember(t *testing.T) {
	app := &Application{
		Service: "Признание граждан малоимущими", Number: "7/2025", Registered: calendar.MustDate(2025, 5, 12),
		Applicant: Person{LastName: "Смирнова", FirstName: "Ольга", BirthDate: "01.02.1970", SNILS: "112-233-445 95",
			PassportSeries: "45 08", PassportNumber: "123456", Gender: "F"},
	}
	org := &Org{Name: "Администрация Учебного сельского поселения", OGRN: "1024600000017", OKTMO: "46628101",
		OfficialName: "Петров П. П.", OfficialPosition: "Глава"}
	cat := Builtin()
	snils, _ := cat.Get("sfr-snils-check")
	vals := Prefill(snils, app, org)
	if vals["applicant.last_name"] != "Смирнова" || vals["application.date"] != "2025-05-12" || vals["org.oktmo"] != "46628101" || vals["applicant.gender"] != "F" {
		t.Fatalf("%v", vals)
	}
	if _, ok := vals["applicant.middle_name"]; ok {
		t.Error("an empty value was pre-filled")
	}
	if doc, ps := snils.Compose(vals, today); len(ps) > 0 || doc == nil {
		t.Errorf("a pre-filled form does not compose: %v", ps)
	}
	// The cadastral number typed for Rosreestr is reused; the applicant's own data is not copied into Values.
	obj, _ := cat.Get("egrn-object")
	v := Prefill(obj, app, org)
	v["object.cadastral_number"] = "50:21:0110104:123"
	v["request.purpose"] = "BASIC"
	app.Remember(obj, v)
	if app.Values["object.cadastral_number"] != "50:21:0110104:123" || app.Values["org.name"] != "" || len(app.Values) != 2 {
		t.Errorf("remembered %v", app.Values)
	}
	if again := Prefill(obj, app, org); again["object.cadastral_number"] != "50:21:0110104:123" {
		t.Errorf("not reused: %v", again)
	}
	if got := Prefill(obj, nil, nil); len(got) != 0 {
		t.Errorf("nil application: %v", got)
	}
}

// minimal is a valid template the rejection tests break one piece at a time.
const minimal = `<?xml version="1.0" encoding="UTF-8"?>
<template format="1" id="test-min" version="1" training="true" xmlns:t="urn://mezhved/template/1">
  <title>Проверочный</title>
  <services><service>Услуга</service></services>
  <provider name="Поставщик" short="П" smev-id="X"/>
  <data-type namespace="urn://mezhved/training/test/1.0.0" root="Req" version="1.0.0"/>
  <channels><channel>smev</channel></channels>
  <fields>
    <field name="applicant.snils" type="snils" required="true" example="112-233-445 95"><label>СНИЛС</label></field>
    <field name="note" type="text" required="false" maxlen="10" example="заметка"><label>Заметка</label></field>
  </fields>
  <body>
    <r:Req xmlns:r="urn://mezhved/training/test/1.0.0"><r:SNILS>{{applicant.snils}}</r:SNILS><r:Note t:if="note">{{note}}</r:Note><r:Date>{{$today}}</r:Date></r:Req>
  </body>
  <schema>
    <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn://mezhved/training/test/1.0.0" elementFormDefault="qualified">
      <xs:element name="Req"><xs:complexType><xs:sequence>
        <xs:element name="SNILS" type="xs:string"/>
        <xs:element name="Note" type="xs:string" minOccurs="0"/>
        <xs:element name="Date" type="xs:date"/>
      </xs:sequence></xs:complexType></xs:element>
    </xs:schema>
  </schema>
</template>`

func TestParseRejects(t *testing.T) {
	if tp, err := Parse(strings.NewReader(minimal)); err != nil || tp.TermDays != 5 || tp.PersonalSignature {
		t.Fatalf("the minimal template: %v", err)
	}
	for name, c := range map[string][2]string{
		"doctype":           {`<?xml version="1.0" encoding="UTF-8"?>`, `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE template [<!ENTITY x "y">]>`},
		"entity":            {`<title>Проверочный</title>`, `<title>&x;</title>`},
		"format":            {`format="1"`, `format="2"`},
		"id":                {`id="test-min"`, `id="Test Min"`},
		"unknown element":   {`<title>`, `<colour/><title>`},
		"no title":          {`<title>Проверочный</title>`, ``},
		"unknown type":      {`type="snils"`, `type="snils2"`},
		"unknown prefilled": {`name="applicant.snils"`, `name="applicant.snilz"`},
		"bad example":       {`example="112-233-445 95"`, `example="112-233-445 94"`},
		"no label":          {`<label>СНИЛС</label>`, ``},
		"unknown holder":    {`{{applicant.snils}}`, `{{applicant.snils}}{{nope}}`},
		"open brace":        {`{{applicant.snils}}`, `{{applicant.snils`},
		"unconditioned":     {`<r:Note t:if="note">`, `<r:Note>`},
		"unused field":      {`<r:Note t:if="note">{{note}}</r:Note>`, ``},
		"wrong root":        {`root="Req"`, `root="Request"`},
		"wrong namespace":   {`namespace="urn://mezhved/training/test/1.0.0"`, `namespace="urn://mezhved/training/test/2.0.0"`},
		"training flag":     {`training="true"`, `training="false"`},
		"outer prefix":      {`xmlns:t="urn://mezhved/template/1"`, `xmlns:t="urn://mezhved/template/1" xmlns:o="urn:o"`},
		"undeclared":        {`<r:SNILS>`, `<o:SNILS>`},
		"two roots":         {`</r:Req>`, `</r:Req><r:Req xmlns:r="urn:x"/>`},
		"channel":           {`<channel>smev</channel>`, `<channel>pigeon</channel>`},
		"term":              {`<channels>`, `<term working-days="0"/><channels>`},
		"schema subset":     {`type="xs:date"`, `type="xs:dateTime"`},
		"schema disagrees":  {`name="SNILS" type="xs:string"`, `name="SNILS" type="xs:integer"`},
		"duplicate field":   {`</fields>`, `<field name="note" type="text" example="x"><label>Ещё</label></field></fields>`},
		"condition field":   {`t:if="note"`, `t:if="note|nope"`},
		"choice options":    {`type="snils"`, `type="choice"`},
		"bad xml":           {`</template>`, `</templat>`},
		"holder in xmlns":   {`xmlns:r="urn://mezhved/training/test/1.0.0"`, `xmlns:r="urn://mezhved/training/test/1.0.0" xmlns:q="{{note}}"`},
		"holder outside if": {`<r:Date>`, `<r:Date code="{{note}}">`},
	} {
		if !strings.Contains(minimal, c[0]) {
			t.Fatalf("%s: %q not in the template", name, c[0])
		}
		_, err := Parse(strings.NewReader(strings.Replace(minimal, c[0], c[1], 1)))
		if err == nil {
			t.Errorf("%s: accepted", name)
		} else if domain.ErrorCode(err) != domain.EINVALID || !strings.HasPrefix(domain.ErrorMessage(err), "Шаблон не принят") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := Parse(strings.NewReader(strings.Repeat(" ", MaxFileSize+1))); err == nil {
		t.Error("an oversized file accepted")
	}
}

// A condition covers the attributes of its own element whatever the order,
// and attribute values are escaped.
func TestAttributePlaceholders(t *testing.T) {
	src := strings.Replace(minimal, `<r:Note t:if="note">{{note}}</r:Note>`,
		`<r:Note text="{{note}}" t:if="note" xml:lang="ru">{{note}}</r:Note>`, 1)
	src = strings.Replace(src, `<xs:element name="Note" type="xs:string" minOccurs="0"/>`,
		`<xs:element name="Note" minOccurs="0"><xs:complexType><xs:attribute name="text" type="xs:string" use="required"/></xs:complexType></xs:element>`, 1)
	src = strings.Replace(src, `xmlns:xs=`, `xmlns:xml2="urn:unused" xmlns:xs=`, 1)
	_, err := Parse(strings.NewReader(src))
	// The schema has no xml:lang and a text-less Note: the self-test must catch it.
	if err == nil || !strings.Contains(domain.ErrorMessage(err), "не проходит проверку") {
		t.Fatalf("self-test: %v", err)
	}
	src = strings.Replace(src, ` xml:lang="ru">{{note}}</r:Note>`, `/>`, 1)
	tp, err := Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	doc, ps := tp.Compose(map[string]string{"applicant.snils": "112-233-445 95", "note": `a"<&`}, today)
	if len(ps) > 0 || !bytes.Contains(doc, []byte(`<r:Note text="a&quot;&lt;&amp;"></r:Note>`)) {
		t.Errorf("%v %s", ps, doc)
	}
}

func TestImport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "templates")
	src := filepath.Join(t.TempDir(), "region.xml")
	write := func(s string) { os.WriteFile(src, []byte(s), 0o644) }

	write(strings.Replace(minimal, `type="snils"`, `type="snils2"`, 1))
	if _, err := Import(dir, src); err == nil || !strings.Contains(domain.ErrorMessage(err), "snils2") {
		t.Fatalf("invalid import: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("an invalid import left %v", entries)
	}
	write(minimal)
	tp, err := Import(dir, src)
	if err != nil || tp.ID != "test-min" {
		t.Fatalf("import: %v", err)
	}
	if _, err := Import(dir, src); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("the same version again: %v", err)
	}
	write(strings.Replace(minimal, `version="1"`, `version="2"`, 1))
	if tp, err := Import(dir, src); err != nil || tp.Version != 2 {
		t.Errorf("a newer version: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "test-min.xml" {
		t.Errorf("dir holds %v", entries)
	}
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Get("test-min")
	if err != nil || got.Version != 2 || got.Builtin || len(c.List()) != len(Builtin().List())+1 {
		t.Errorf("loaded: %v %v", got, err)
	}
	if _, err := Builtin().Get("test-min"); err == nil {
		t.Error("the built-in catalogue changed")
	}
	// A region's card replaces the built-in training one with the same ID.
	egrn, _ := os.ReadFile("builtin/egrn-object.xml")
	write(strings.Replace(string(egrn), `version="1"`, `version="2"`, 1))
	if _, err := Import(dir, src); err != nil {
		t.Fatal(err)
	}
	c, _ = Load(dir)
	if got, _ := c.Get("egrn-object"); got.Builtin || got.Version != 2 {
		t.Errorf("the imported card does not replace the built-in one")
	}
	os.WriteFile(filepath.Join(dir, "broken.xml"), []byte("<template/>"), 0o644)
	if _, err := Load(dir); domain.ErrorCode(err) != domain.ECORRUPT {
		t.Errorf("a damaged file: %v", err)
	}
	if c, err := Load(filepath.Join(dir, "none")); err != nil || len(c.List()) != len(Builtin().List()) {
		t.Errorf("missing dir: %v", err)
	}
}

func TestProblemsAreRussian(t *testing.T) {
	tp, _ := Builtin().Get("mvd-registration")
	_, ps := tp.Compose(map[string]string{"applicant.last_name": "Smith"}, today)
	if len(ps) < 5 {
		t.Errorf("only %d problems: %v", len(ps), validate.Problems(ps))
	}
	for _, p := range ps {
		if strings.ContainsAny(p.String(), "qwrtyuiopsdfghjklzxcvbnm") && !strings.Contains(p.Message, "латин") {
			t.Errorf("not a clerk's message: %s", p)
		}
	}
}

func TestTemplateWithoutSchema(t *testing.T) {
	i, j := strings.Index(minimal, "<schema>"), strings.Index(minimal, "</schema>")
	tp, err := Parse(strings.NewReader(minimal[:i] + minimal[j+len("</schema>"):]))
	if err != nil {
		t.Fatal(err)
	}
	if tp.HasSchema || tp.Schema() != nil {
		t.Error("a schema appeared")
	}
	doc, ps := tp.Compose(map[string]string{"applicant.snils": "11223344595"}, today)
	want := `<r:Req xmlns:r="urn://mezhved/training/test/1.0.0"><r:SNILS>112-233-445 95</r:SNILS><r:Date>2025-05-13</r:Date></r:Req>`
	if len(ps) > 0 || string(doc) != want {
		t.Errorf("%v\n%s", ps, doc)
	}
}

func TestAnswerCard(t *testing.T) {
	c := Builtin()
	card, err := c.AnswerFor("urn://mezhved/training/settlement/household-book/1.0.0", "HouseholdBookRequest")
	if err != nil || card.ID != "settlement-household-answer" || card.AnswersRoot != "HouseholdBookRequest" || card.AnswersTitle != "Выписка из похозяйственной книги" {
		t.Fatalf("%+v %v", card, err)
	}
	body, ps := card.Compose(map[string]string{"answer.found": "true", "answer.household": "Лицевой счёт № 112 <и> & ещё"}, calendar.MustDate(2026, 11, 23))
	if len(ps) > 0 || !strings.Contains(string(body), "<h:Found>true</h:Found>") || !strings.Contains(string(body), "&lt;и&gt; &amp; ещё") {
		t.Fatalf("%s %v", body, ps)
	}
	if _, ps := card.Compose(map[string]string{"answer.found": "maybe"}, calendar.MustDate(2026, 11, 23)); len(ps) != 2 {
		t.Fatalf("problems: %v", ps)
	}
	if _, err := c.AnswerFor("urn://other/1.0", "HouseholdBookRequest"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatal(err)
	}
	for _, bad := range []string{`<answers/>`, `<answers request-root="HouseholdBookResponse"/>`, `<answers request-root="1bad"/>`} {
		src := strings.Replace(mustRead(t, "builtin/settlement-household-answer.xml"), `<answers request-root="HouseholdBookRequest" request-title="Выписка из похозяйственной книги"/>`, bad, 1)
		if _, err := Parse(strings.NewReader(src)); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := builtinFS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A body in a default namespace declared inside it composes with that
// declaration; one declared outside the body is not the body's.
func TestDefaultNamespaceBody(t *testing.T) {
	body := `<Req xmlns="urn://mezhved/training/test/1.0.0"><SNILS>{{applicant.snils}}</SNILS><Note t:if="note">{{note}}</Note><Date>{{$today}}</Date></Req>`
	old := `<r:Req xmlns:r="urn://mezhved/training/test/1.0.0"><r:SNILS>{{applicant.snils}}</r:SNILS><r:Note t:if="note">{{note}}</r:Note><r:Date>{{$today}}</r:Date></r:Req>`
	tp, err := Parse(strings.NewReader(strings.Replace(minimal, old, body, 1)))
	if err != nil {
		t.Fatal(err)
	}
	doc, ps := tp.Compose(map[string]string{"applicant.snils": "112-233-445 95"}, today)
	want := `<Req xmlns="urn://mezhved/training/test/1.0.0"><SNILS>112-233-445 95</SNILS><Date>2025-05-13</Date></Req>`
	if len(ps) > 0 || string(doc) != want {
		t.Fatalf("%v\n got %s\nwant %s", ps, doc, want)
	}
	outside := strings.Replace(minimal, "<body>\n    "+old, `<body xmlns="urn://mezhved/training/test/1.0.0">`+strings.ReplaceAll(body, ` xmlns="urn://mezhved/training/test/1.0.0"`, ""), 1)
	if _, err := Parse(strings.NewReader(outside)); err == nil {
		t.Fatal("a namespace from outside the body accepted")
	}
	// Messages name the line of the element at fault.
	_, err = Parse(strings.NewReader(strings.Replace(minimal, "{{$today}}", "{{nope}}", 1)))
	if err == nil || !strings.Contains(domain.ErrorMessage(err), "строка 13: подстановка {{nope}}") {
		t.Fatalf("line: %v", err)
	}
}
