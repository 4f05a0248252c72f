package xsd

import (
	"os"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/templates/internal/xmllint"
)

const ns = `xmlns="urn://mezhved/test/sample/1.0.0"`

func doc(kind, persons, object, tail string) string {
	return `<Request ` + ns + ` id="PERSON"><Kind>` + kind + `</Kind>` + persons + `<Object>` + object + `</Object>` + tail + `</Request>`
}

const person = `<Person><LastName>Иванов</LastName><FirstName>Иван</FirstName><BirthDate>1980-02-29</BirthDate><SNILS>112-233-445 95</SNILS></Person>`

var cases = []struct {
	name  string
	valid bool
	doc   string
}{
	{"minimal", true, doc("PERSON", person, `<Address>ул. Ленина, 1</Address>`, "")},
	{"token collapses", true, doc("  LEGAL \n", person, `<CadastralNumber>50:21:0110104:1</CadastralNumber>`, "")},
	{"all optional", true, doc("PERSON", person+person+person, `<Address>x</Address>`,
		`<Count>+12</Count><Urgent>1</Urgent><Code>12ab</Code><Code>Xyzw</Code><Flag on="false"/>`)},
	{"middle name and no snils", true, doc("PERSON", `<Person><LastName>Ли-Д'Ар</LastName><FirstName>Анна</FirstName><MiddleName>Ёлкина</MiddleName><BirthDate>2000-12-31Z</BirthDate></Person>`, `<Address>x</Address>`, "")},
	{"timezone", true, doc("PERSON", strings.Replace(person, "1980-02-29", "1980-02-29+03:00", 1), `<Address>x</Address>`, "")},
	{"not a leap year", false, doc("PERSON", strings.Replace(person, "1980-02-29", "1981-02-29", 1), `<Address>x</Address>`, "")},
	{"date form", false, doc("PERSON", strings.Replace(person, "1980-02-29", "29.02.1980", 1), `<Address>x</Address>`, "")},
	{"bad zone", false, doc("PERSON", strings.Replace(person, "1980-02-29", "1980-02-29+15:00", 1), `<Address>x</Address>`, "")},
	{"snils pattern", false, doc("PERSON", strings.Replace(person, "112-233-445 95", "11223344595", 1), `<Address>x</Address>`, "")},
	{"pattern is anchored", false, doc("PERSON", strings.Replace(person, "112-233-445 95", "112-233-445 955", 1), `<Address>x</Address>`, "")},
	{"latin name", false, doc("PERSON", strings.Replace(person, "Иванов", "Ivanov", 1), `<Address>x</Address>`, "")},
	{"derived minLength", false, doc("PERSON", strings.Replace(person, "Иванов", "И", 1), `<Address>x</Address>`, "")},
	{"base maxLength", false, doc("PERSON", strings.Replace(person, "Иванов", "Ивановскийй", 1), `<Address>x</Address>`, "")},
	{"enumeration", false, doc("OTHER", person, `<Address>x</Address>`, "")},
	{"string is not collapsed", false, doc("PERSON", strings.Replace(person, "Иванов", " Иванов", 1), `<Address>x</Address>`, "")},
	{"missing element", false, doc("PERSON", `<Person><LastName>Иванов</LastName><BirthDate>1980-01-01</BirthDate></Person>`, `<Address>x</Address>`, "")},
	{"order", false, doc("PERSON", `<Person><FirstName>Иван</FirstName><LastName>Иванов</LastName><BirthDate>1980-01-01</BirthDate></Person>`, `<Address>x</Address>`, "")},
	{"too many", false, doc("PERSON", person+person+person+person, `<Address>x</Address>`, "")},
	{"no person", false, doc("PERSON", "", `<Address>x</Address>`, "")},
	{"empty choice", false, doc("PERSON", person, ``, "")},
	{"both of choice", false, doc("PERSON", person, `<Address>x</Address><CadastralNumber>1</CadastralNumber>`, "")},
	{"unknown element", false, doc("PERSON", person, `<Address>x</Address>`, `<Extra/>`)},
	{"wrong namespace", false, strings.Replace(doc("PERSON", person, `<Address>x</Address>`, ""), "sample/1.0.0", "sample/2.0.0", 1)},
	{"unqualified child", false, `<t:Request xmlns:t="urn://mezhved/test/sample/1.0.0" id="PERSON"><Kind>PERSON</Kind></t:Request>`},
	{"integer", false, doc("PERSON", person, `<Address>x</Address>`, `<Count>1.5</Count>`)},
	{"boolean", false, doc("PERSON", person, `<Address>x</Address>`, `<Urgent>yes</Urgent>`)},
	{"code length", false, doc("PERSON", person, `<Address>x</Address>`, `<Code>12abc</Code>`)},
	{"code patterns", false, doc("PERSON", person, `<Address>x</Address>`, `<Code>ab12</Code>`)},
	{"text in complex", false, doc("PERSON", person, `<Address>x</Address>`, `text`)},
	{"child in simple", false, doc("PERSON", strings.Replace(person, "Иван<", "Иван<b/><", 1), `<Address>x</Address>`, "")},
	{"missing attribute", false, strings.Replace(doc("PERSON", person, `<Address>x</Address>`, ""), ` id="PERSON"`, "", 1)},
	{"bad attribute value", false, strings.Replace(doc("PERSON", person, `<Address>x</Address>`, ""), `id="PERSON"`, `id="X"`, 1)},
	{"unknown attribute", false, strings.Replace(doc("PERSON", person, `<Address>x</Address>`, ""), `id="PERSON"`, `id="PERSON" other="1"`, 1)},
	{"attribute on simple", false, doc("PERSON", person, `<Address lang="ru">x</Address>`, "")},
	{"optional attribute", true, strings.Replace(doc("PERSON", person, `<Address>x</Address>`, ""), `id="PERSON"`, `id="PERSON" note="любой"`, 1)},
	{"flag without on", false, doc("PERSON", person, `<Address>x</Address>`, `<Flag/>`)},
	{"undeclared root", false, `<Person ` + ns + `/>`},
}

func TestAgreesWithXmllint(t *testing.T) {
	lint := xmllint.Require(t)
	data, err := os.ReadFile("testdata/sample.xsd")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Compile(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		problems := s.Validate([]byte(c.doc))
		ours := len(problems) == 0
		theirs, out := xmllint.Valid(t, lint, data, []byte(c.doc))
		if ours != c.valid || theirs != c.valid {
			t.Errorf("%s: want valid=%v; ours %v %q; xmllint %v %s", c.name, c.valid, ours, problems, theirs, out)
		}
	}
}

func TestCompileRejects(t *testing.T) {
	head := `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x" elementFormDefault="qualified">`
	for name, body := range map[string]string{
		"ref":           `<xs:element name="A"><xs:complexType><xs:sequence><xs:element ref="B"/></xs:sequence></xs:complexType></xs:element>`,
		"import":        `<xs:import namespace="urn:y"/><xs:element name="A" type="xs:string"/>`,
		"block escape":  `<xs:element name="A"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="\p{IsCyrillic}+"/></xs:restriction></xs:simpleType></xs:element>`,
		"subtraction":   `<xs:element name="A"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="[a-z-[aeiou]]"/></xs:restriction></xs:simpleType></xs:element>`,
		"\\w":           `<xs:element name="A"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="\w+"/></xs:restriction></xs:simpleType></xs:element>`,
		"untyped":       `<xs:element name="A"/>`,
		"mixed":         `<xs:element name="A"><xs:complexType mixed="true"/></xs:element>`,
		"undefined":     `<xs:element name="A" type="Nope"/>`,
		"self derived":  `<xs:simpleType name="S"><xs:restriction base="S"/></xs:simpleType><xs:element name="A" type="xs:string"/>`,
		"no element":    `<xs:simpleType name="S"><xs:restriction base="xs:string"/></xs:simpleType>`,
		"list":          `<xs:simpleType name="L"><xs:list itemType="xs:string"/></xs:simpleType><xs:element name="A" type="xs:string"/>`,
		"simpleContent": `<xs:element name="A"><xs:complexType><xs:simpleContent><xs:extension base="xs:string"/></xs:simpleContent></xs:complexType></xs:element>`,
		"self group":    `<xs:group name="G"><xs:sequence><xs:group ref="G"/></xs:sequence></xs:group><xs:element name="A" type="xs:string"/>`,
		"digits on str": `<xs:element name="A"><xs:simpleType><xs:restriction base="xs:string"><xs:totalDigits value="3"/></xs:restriction></xs:simpleType></xs:element>`,
		"length on int": `<xs:element name="A"><xs:simpleType><xs:restriction base="xs:integer"><xs:length value="3"/></xs:restriction></xs:simpleType></xs:element>`,
	} {
		if _, err := Compile([]byte(head + body + `</xs:schema>`)); err == nil {
			t.Errorf("%s: compiled", name)
		}
	}
	if _, err := Compile([]byte(`<!DOCTYPE x><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>`)); err == nil {
		t.Error("DOCTYPE accepted")
	}
}

func TestPatternTranslation(t *testing.T) {
	for _, c := range []struct {
		pat, in string
		ok      bool
	}{
		{`\d{2}`, "12", true}, {`\d{2}`, "123", false}, {`a|b`, "b", true}, {`a|b`, "ab", false},
		{`.`, "\n", false}, {`.`, "я", true}, {`^a$`, "^a$", true}, {`[^0-9]+`, "abc", true},
		{`\s`, "\t", true}, {`[\s]`, " ", true}, {`\.`, ".", true}, {`\p{Lu}\p{Ll}*`, "Ёлка", true},
		{`[\-a]`, "-", true}, {`(ab)+`, "abab", true},
	} {
		re, err := translatePattern(c.pat)
		if err != nil {
			t.Errorf("%q: %v", c.pat, err)
			continue
		}
		if re.MatchString(c.in) != c.ok {
			t.Errorf("%q on %q: want %v", c.pat, c.in, c.ok)
		}
	}
	for _, bad := range []string{`(?i)a`, `a*?`, `\w`, `[a`, `\`, `\p{IsBasicLatin}`, `\i`} {
		if _, err := translatePattern(bad); err == nil {
			t.Errorf("%q translated", bad)
		}
	}
}

func TestDepthLimit(t *testing.T) {
	deep := ""
	for i := 0; i < MaxDepth+1; i++ {
		deep += "<a>"
	}
	if _, err := parse([]byte(deep)); err == nil {
		t.Error("nesting beyond the limit accepted")
	}
}
