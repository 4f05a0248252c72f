package templates

import (
	"encoding/xml"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/templates/xsd"
)

// An answer is shown under the schema's Russian labels, never tag names;
// an answer of the older ЕГРЮЛ 4.0.5 (a request sent before the card
// moved to 4.0.6) is shown with the 4.0.5 schema.
func TestDescribeAnswers(t *testing.T) {
	for _, v := range []string{"4.0.6", "4.0.5"} {
		files, ok := builtinSet("fns-egrul-vipul/" + v)
		if !ok {
			t.Fatal(v)
		}
		s, err := xsd.CompileSet("fns-vipul-tosmv-ru.xsd", files)
		if err != nil {
			t.Fatal(err)
		}
		g := &xsd.Gen{Rand: rand.New(rand.NewPCG(1, 2)), Optional: 0.5,
			Choose: func(path []string, b []*xsd.Particle) int {
				if len(path) == 1 {
					return 0 // СвЮЛ
				}
				return -1
			}}
		doc, err := g.Generate(s, xml.Name{Space: "urn://x-artefacts-fns-vipul-tosmv-ru/311-14/" + v, Local: "FNSVipULResponse"})
		if err != nil {
			t.Fatal(err)
		}
		secs := Describe(doc)
		if len(secs) < 3 || secs[0].Title != "Выписка из ЕГРЮЛ в отношении юридического лица" {
			t.Fatalf("%s: %+v", v, secs)
		}
		text := ""
		for _, s := range secs {
			text += s.Title + "\n"
			for _, f := range s.Fields {
				text += f.Label + ": " + f.Value + "\n"
			}
		}
		if !strings.Contains(text, "Полное наименование юридического лица на русском языке") || strings.Contains(text, "НаимЮЛПолн") {
			t.Errorf("%s: labels not from the schema:\n%s", v, text)
		}
		if os.Getenv("SHOW") != "" {
			t.Log(text)
		}
	}
	if Describe([]byte(`<x xmlns="urn:unknown"/>`)) != nil {
		t.Error("an unknown kind of data described")
	}
}
