package templates

import (
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/templates/internal/xmllint"
	"github.com/mezhved/mezhved/templates/xsd"
)

// realCards are the built-in cards on published schemas.
func realCards(t *testing.T) []*Template {
	var out []*Template
	for _, tp := range Builtin().Requests() {
		if tp.Schemas != nil {
			out = append(out, tp)
		}
	}
	if len(out) < 12 {
		t.Fatalf("%d cards on published schemas, want at least 12", len(out))
	}
	return out
}

var (
	reAttr = regexp.MustCompile(` [^ =<>"]+="[^"]*"`)
	reLeaf = regexp.MustCompile(`<([^/<>\s]+)(\s[^<>]*)?>[^<>]*</[^<>]+>`)
	reText = regexp.MustCompile(`>([^<>]+)<`)
)

// mutate returns n variants of doc, each with one random change that is
// usually, not always, a violation: the verdicts are compared, not assumed.
func mutate(doc string, rnd *rand.Rand, n int) []string {
	var out []string
	pick := func(locs [][]int) []int {
		if len(locs) == 0 {
			return nil
		}
		return locs[rnd.IntN(len(locs))]
	}
	for len(out) < n {
		var m string
		switch rnd.IntN(8) {
		case 0: // drop an attribute
			if l := pick(reAttr.FindAllStringIndex(doc, -1)); l != nil && !strings.HasPrefix(doc[l[0]:], " xmlns") {
				m = doc[:l[0]] + doc[l[1]:]
			}
		case 1: // an attribute far too long
			if l := pick(reAttr.FindAllStringIndex(doc, -1)); l != nil && !strings.HasPrefix(doc[l[0]:], " xmlns") {
				eq := strings.Index(doc[l[0]:l[1]], "=")
				m = doc[:l[0]+eq+2] + strings.Repeat("Я", 1100) + doc[l[1]-1:]
			}
		case 2: // a text value of a wrong kind
			if l := pick(reText.FindAllStringSubmatchIndex(doc, -1)); l != nil {
				m = doc[:l[2]] + []string{"не-число!", "2025-02-30", "", "12345678901234567890123", "  x  "}[rnd.IntN(5)] + doc[l[3]:]
			}
		case 3: // drop a leaf element
			if l := pick(reLeaf.FindAllStringIndex(doc, -1)); l != nil {
				m = doc[:l[0]] + doc[l[1]:]
			}
		case 4: // repeat a leaf element
			if l := pick(reLeaf.FindAllStringIndex(doc, -1)); l != nil {
				m = doc[:l[1]] + doc[l[0]:l[1]] + doc[l[1]:]
			}
		case 5: // an unknown element after the root's start
			i := strings.Index(doc, ">")
			m = doc[:i+1] + "<Лишний>1</Лишний>" + doc[i+1:]
		case 6: // an unknown attribute on the root
			i := strings.IndexAny(doc, " >")
			m = doc[:i] + ` Лишний="1"` + doc[i:]
		case 7: // swap two neighbouring leaves
			locs := reLeaf.FindAllStringIndex(doc, -1)
			for i := 0; i+1 < len(locs); i++ {
				if locs[i][1] == locs[i+1][0] && rnd.IntN(2) == 0 {
					a, b := doc[locs[i][0]:locs[i][1]], doc[locs[i+1][0]:locs[i+1][1]]
					m = doc[:locs[i][0]] + b + a + doc[locs[i+1][1]:]
					break
				}
			}
		}
		if m != "" && m != doc {
			out = append(out, m)
		}
	}
	return out
}

// TestRealCardsAgreeWithXmllint is the differential test of the pure-Go
// checker against libxml2 on every published schema a card uses: the
// bodies the card composes, instances of the request and the response
// generated from the schema, and random mutations of them; xmllint and
// xsd.Validate must give the same verdict on each, and every composed
// body and generated instance must be valid.
func TestRealCardsAgreeWithXmllint(t *testing.T) {
	lint := xmllint.Require(t)
	rnd := rand.New(rand.NewPCG(14, 2026))
	for _, tp := range realCards(t) {
		t.Run(tp.ID, func(t *testing.T) {
			main, files := tp.SchemaFiles()
			sc := tp.SchemaOf()
			valid := []string{}
			body, ps := tp.Compose(tp.Examples(), today)
			if len(ps) > 0 {
				t.Fatal(ps)
			}
			valid = append(valid, string(body))
			resp := responseRoot(tp)
			for i := 0; i < 6; i++ {
				for _, root := range []string{tp.DataType.Root, resp} {
					g := &xsd.Gen{Rand: rand.New(rand.NewPCG(uint64(i), 7)), Optional: 0.6}
					doc, err := g.Generate(sc, xml.Name{Space: tp.DataType.Namespace, Local: root})
					if err != nil {
						t.Fatalf("%s: %v", root, err)
					}
					valid = append(valid, string(doc))
				}
			}
			var docs [][]byte
			for _, v := range valid {
				docs = append(docs, []byte(v))
				for _, m := range mutate(v, rnd, 6) {
					docs = append(docs, []byte(m))
				}
			}
			theirs, out := xmllint.Verdicts(t, lint, main, files, docs)
			invalid := 0
			for i, d := range docs {
				problems := sc.Validate(d)
				ours := len(problems) == 0
				if ours != theirs[i] {
					t.Errorf("disagreement on document %d: ours %v %q, xmllint %v %s\n%s", i, ours, problems, theirs[i], grep(out, fmt.Sprintf("doc%04d", i)), d)
				}
				if !ours {
					invalid++
				}
			}
			for i, v := range valid {
				if !theirs[indexOf(docs, v)] {
					t.Errorf("a generated or composed document %d is invalid for xmllint:\n%s\n%s", i, v, grep(out, fmt.Sprintf("doc%04d", indexOf(docs, v))))
				}
			}
			if invalid < len(docs)/3 {
				t.Errorf("only %d of %d documents are invalid: the mutations are too weak", invalid, len(docs))
			}
		})
	}
}

func indexOf(docs [][]byte, v string) int {
	for i, d := range docs {
		if string(d) == v {
			return i
		}
	}
	return -1
}

func grep(out, s string) string {
	var b strings.Builder
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, s) {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// responseRoot is the response element of the card's kind of data.
func responseRoot(tp *Template) string {
	r := tp.DataType.Root
	return strings.TrimSuffix(r, "Request") + "Response"
}

// Wrong values are reported under the field's label, checked against the
// schema's own facets too.
func TestRealCardsCheckSchemaFacets(t *testing.T) {
	tp, err := Builtin().Get("zags-birth")
	if err != nil {
		t.Fatal(err)
	}
	vals := tp.Examples()
	vals["act.region"] = "5"
	_, ps := tp.Compose(vals, today)
	if len(ps) != 1 || ps[0].Field != "act.region" || !strings.Contains(ps[0].Message, "схеме") {
		t.Errorf("region of one digit: %v", ps)
	}
	egrul, _ := Builtin().Get("fns-egrul")
	vals = egrul.Examples()
	vals["subject.inn"] = "7710000551"
	if _, ps := egrul.Compose(vals, today); len(ps) != 1 || !strings.Contains(ps[0].Message, "одно из двух") {
		t.Errorf("both ОГРН and ИНН: %v", ps)
	}
	delete(vals, "subject.inn")
	delete(vals, "subject.ogrn")
	if _, ps := egrul.Compose(vals, today); len(ps) != 1 {
		t.Errorf("neither ОГРН nor ИНН: %v", ps)
	}
	ndfl, _ := Builtin().Get("fns-ndfl2")
	if f := ndfl.Field("request.kind"); len(f.Options) != 2 {
		t.Errorf("options from the schema's enumeration: %+v", f.Options)
	}
	if f := ndfl.Field("application.number"); f.MaxLen != 25 {
		t.Errorf("maxlen from the schema: %d", f.MaxLen)
	}
	b1, _ := egrul.Compose(egrul.Examples(), today)
	b2, _ := egrul.Compose(egrul.Examples(), today)
	if string(b1) != string(b2) || !regexp.MustCompile(`ИдДок="[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"`).Match(b1) {
		t.Errorf("request ID: %s / %s", b1, b2)
	}
}
