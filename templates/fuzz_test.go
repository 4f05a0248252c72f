package templates

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/mezhved/mezhved/templates/xsd"
)

// FuzzParse: any input is refused or gives a template whose examples
// compose into well-formed XML that satisfies its own schema.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("builtin/*.xml")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(minimal))
	f.Fuzz(func(t *testing.T, data []byte) {
		tp, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		doc, ps := tp.Compose(tp.Examples(), exampleDay)
		if len(ps) > 0 {
			t.Fatalf("a parsed template does not compose its examples: %v", ps)
		}
		if _, err := parseXML(doc); err != nil {
			t.Fatalf("composed XML is not well-formed: %v\n%s", err, doc)
		}
		if tp.HasSchema {
			main, files := tp.SchemaFiles()
			sc, err := xsd.CompileSet(main, files)
			if err != nil {
				t.Fatal(err)
			}
			if p := sc.Validate(doc); len(p) > 0 {
				t.Fatal(p)
			}
		}
	})
}
