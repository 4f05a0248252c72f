package xmldsig

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/mezhved/mezhved/internal/xmltree"
)

// TestCanonicalizerPathsAgree: for every element of the interop documents
// and of random namespaced ones, the canonical form Sign takes straight
// from the parsed input equals the one of the etree element written out and
// read back (goxmldsig's path), exclusive and whole-document alike.
func TestCanonicalizerPathsAgree(t *testing.T) {
	var docs []string
	for _, c := range interopDocs {
		docs = append(docs, c.doc)
	}
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 60; i++ {
		docs = append(docs, randomDoc(r))
	}
	compared := 0
	for _, doc := range docs {
		tree, err := parseTree([]byte(doc))
		if err != nil {
			continue
		}
		ed := toEtree(tree)
		els := preorder(ed.Root())
		nodes := preorderNodes(tree, tree.Root)
		if len(els) != len(nodes) {
			t.Fatalf("%d etree elements, %d nodes", len(els), len(nodes))
		}
		for i, el := range els {
			for _, whole := range []bool{false, true} {
				prefixes := [][]string{nil, {"#default"}, {"#default", "a"}}[i%3]
				bound := &Canonicalizer{InclusivePrefixes: prefixes, WholeDocument: whole, bound: el, doc: tree, node: nodes[i]}
				want, err := bound.Canonicalize(el)
				if err != nil {
					t.Fatal(err)
				}
				got, err := (&Canonicalizer{InclusivePrefixes: prefixes, WholeDocument: whole}).Canonicalize(el)
				if err != nil || !bytes.Equal(got, want) {
					t.Fatalf("element %d of %q (whole %v): %v\n got: %q\nwant: %q", i, doc, whole, err, got, want)
				}
				compared++
			}
		}
	}
	if compared < 200 {
		t.Fatalf("only %d compared", compared)
	}
}

func preorder(e *etree.Element) []*etree.Element {
	out := []*etree.Element{e}
	for _, c := range e.ChildElements() {
		out = append(out, preorder(c)...)
	}
	return out
}

func preorderNodes(d *xmltree.Doc, n int32) []int32 {
	out := []int32{n}
	for _, c := range d.ChildElements(n) {
		out = append(out, preorderNodes(d, c)...)
	}
	return out
}

// TestSignDocumentWholeDocument: an Id-less root signed in place covers the
// processing instructions around it (URI=""), as xmlsec1 agrees.
func TestSignDocumentWholeDocument(t *testing.T) {
	k := loadKey(t, "ec")
	d, err := Parse([]byte(interopDocs[0].doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := SignDocument(d, k, Options{}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteDocument(&buf, d); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `<ds:Reference URI="">`) {
		t.Fatalf("not a whole-document reference:\n%s", buf.String())
	}
	res, err := Verify(buf.Bytes(), VerifyOptions{})
	if err != nil || !res[0].Valid() {
		t.Fatalf("%v %+v", err, res)
	}
	if out, err := xmlsec1Verify(t, buf.Bytes(), "ec", ""); err != nil {
		t.Fatalf("xmlsec1: %v\n%s", err, out)
	}
	// The processing instruction before the root is signed.
	bad := bytes.Replace(buf.Bytes(), []byte(`<?app-info v="1"?>`), []byte(`<?app-info v="2"?>`), 1)
	if res, err := Verify(bad, VerifyOptions{}); err != nil || res[0].DigestOK {
		t.Fatalf("a changed processing instruction passes: %v %+v", err, res)
	}
}

// TestSignByOtherIdAttribute: an element found by ID (not the default Id)
// is referenced by that attribute's value, not by URI="".
func TestSignByOtherIdAttribute(t *testing.T) {
	k := loadKey(t, "rsa")
	doc := `<r xmlns="urn:r"><item ID="x7">данные</item><item>другие</item></r>`
	signed, err := Sign([]byte(doc), k, Options{ID: "x7"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(signed, []byte(`<ds:Reference URI="#x7">`)) {
		t.Fatalf("reference:\n%s", signed)
	}
	res, err := Verify(signed, VerifyOptions{})
	if err != nil || !res[0].Valid() {
		t.Fatalf("%v %+v", err, res)
	}
	if out, err := xmlsec1VerifyAttr(t, signed, "rsa", "ID", "urn:r:item"); err != nil {
		t.Fatalf("xmlsec1: %v\n%s", err, out)
	}
}
