package xsd

import (
	"os"
	"testing"
)

// FuzzValidate: a schema and a document from the fuzzer never crash
// Compile or Validate; seeds are the sample schema and the agreement cases.
func FuzzValidate(f *testing.F) {
	schema, err := os.ReadFile("testdata/sample.xsd")
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range cases {
		f.Add(schema, []byte(c.doc))
	}
	f.Fuzz(func(t *testing.T, schema, doc []byte) {
		s, err := Compile(schema)
		if err != nil {
			return
		}
		s.Validate(doc)
	})
}
