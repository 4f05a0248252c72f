package templates

import (
	"encoding/xml"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/templates/xsd"
)

// Every request and answer of the cards on published schemas reads in
// Russian: no label or column is a schema's Latin name (generated
// instances, optional parts mostly present).
func TestDescribeSpeaksRussian(t *testing.T) {
	latin := regexp.MustCompile(`^[A-Za-z_]+$`)
	for _, tp := range Builtin().List() {
		if tp.Training || tp.SchemaOf() == nil {
			continue
		}
		for _, root := range []string{tp.DataType.Root, strings.TrimSuffix(tp.DataType.Root, "Request") + "Response"} {
			for i := range 20 {
				g := &xsd.Gen{Rand: rand.New(rand.NewPCG(uint64(i), 7)), Optional: 0.9, MaxRepeat: 2, MaxDepth: 9}
				doc, err := g.Generate(tp.SchemaOf(), xml.Name{Space: tp.DataType.Namespace, Local: root})
				if err != nil {
					continue
				}
				for _, s := range Describe(doc) {
					labels := append([]string{strings.Split(s.Title, " (")[0]}, s.Columns...)
					for _, f := range s.Fields {
						labels = append(labels, f.Label)
					}
					for _, l := range labels {
						if latin.MatchString(strings.TrimSpace(l)) {
							t.Errorf("%s %s: label %q is the schema's Latin name", tp.ID, root, l)
						}
					}
				}
			}
		}
	}
}
