package xsd

import (
	"encoding/xml"
	"math/rand/v2"
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

// FuzzCheckRealSet: any document checked against a published schema set
// (ЕГРЮЛ 4.0.6, the largest a card uses) never crashes the checker or the
// reading of the tree of declarations; valid instances generated from the
// set are the seeds.
func FuzzCheckRealSet(f *testing.F) {
	files := map[string][]byte{}
	for _, p := range []string{"fns-vipul-tosmv-ru.xsd", "commons/fns-vipul-types.xsd"} {
		b, err := os.ReadFile("../builtin/xsd/fns-egrul-vipul/4.0.6/" + p)
		if err != nil {
			f.Fatal(err)
		}
		files[p] = b
	}
	s, err := CompileSet("fns-vipul-tosmv-ru.xsd", files)
	if err != nil {
		f.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		for _, root := range []string{"FNSVipULRequest", "FNSVipULResponse"} {
			g := &Gen{Rand: rand.New(rand.NewPCG(uint64(i), 1))}
			doc, err := g.Generate(s, xml.Name{Space: "urn://x-artefacts-fns-vipul-tosmv-ru/311-14/4.0.6", Local: root})
			if err != nil {
				f.Fatal(err)
			}
			if p := s.Validate(doc); len(p) > 0 {
				f.Fatalf("generated instance invalid: %v", p)
			}
			f.Add(doc)
		}
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		s.Check(doc)
	})
}

// FuzzCompileSet: a main schema importing a second file, both from the
// fuzzer, never crash CompileSet.
func FuzzCompileSet(f *testing.F) {
	schema, err := os.ReadFile("testdata/sample.xsd")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(schema, []byte(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:b"><xs:simpleType name="T"><xs:restriction base="xs:decimal"><xs:totalDigits value="3"/></xs:restriction></xs:simpleType></xs:schema>`))
	f.Fuzz(func(t *testing.T, main, other []byte) {
		s, err := CompileSet("a/main.xsd", map[string][]byte{"a/main.xsd": main, "a/b.xsd": other})
		if err != nil {
			return
		}
		for name := range s.globals {
			g := &Gen{}
			if doc, err := g.Generate(s, name); err == nil {
				s.Validate(doc)
			}
		}
	})
}
