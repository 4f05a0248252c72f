package xmldsig

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// randomDoc writes a random namespaced document: prefixes declared,
// redeclared and undeclared at random depths, default namespaces and
// xmlns="", qualified and xml: attributes, character references, CDATA,
// processing instructions, CR/LF/TAB in text and attributes.
func randomDoc(r *rand.Rand) string {
	prefixes := []string{"a", "b", "c", "ns1"}
	uris := []string{"urn:x", "urn:y", "http://example.org/z", "urn:x"}
	texts := []string{"t", " ", "&amp;", "&lt;", "&gt;", "\"", "'", "&#13;", "&#9;", "&#10;", "\r\n", "\t", "Ж", "<![CDATA[<&>]]>", "&#x10FFFF;", "]]&gt;"}
	attrVals := []string{"v", "", "&#9;", "&#10;", "&#13;", "\t", "\n", "\r\n", "&quot;", "'", "&lt;&amp;>", "Ж"}
	var b strings.Builder
	var el func(depth int, declared []string)
	el = func(depth int, declared []string) {
		decl := append([]string(nil), declared...)
		var attrs []string
		for _, p := range prefixes {
			if r.IntN(4) == 0 {
				attrs = append(attrs, fmt.Sprintf(`xmlns:%s="%s"`, p, uris[r.IntN(len(uris))]))
				decl = append(decl, p)
			}
		}
		switch r.IntN(5) {
		case 0:
			attrs = append(attrs, `xmlns="`+uris[r.IntN(len(uris))]+`"`)
		case 1:
			attrs = append(attrs, `xmlns=""`)
		}
		name := fmt.Sprintf("e%d", r.IntN(3))
		if len(decl) > 0 && r.IntN(2) == 0 {
			name = decl[r.IntN(len(decl))] + ":" + name
		}
		used := map[string]bool{}
		for i := r.IntN(4); i > 0; i-- {
			key := fmt.Sprintf("k%d", r.IntN(4))
			if len(decl) > 0 && r.IntN(2) == 0 {
				key = decl[r.IntN(len(decl))] + ":" + key
			} else if r.IntN(6) == 0 {
				key = "xml:lang"
			}
			if used[key] {
				continue
			}
			used[key] = true
			attrs = append(attrs, fmt.Sprintf(`%s="%s"`, key, attrVals[r.IntN(len(attrVals))]))
		}
		r.Shuffle(len(attrs), func(i, j int) { attrs[i], attrs[j] = attrs[j], attrs[i] })
		b.WriteString("<" + name)
		for _, a := range attrs {
			b.WriteString(" " + a)
		}
		if depth > 3 || r.IntN(4) == 0 {
			b.WriteString("/>")
			return
		}
		b.WriteString(">")
		for i := r.IntN(4); i > 0; i-- {
			switch r.IntN(4) {
			case 0:
				b.WriteString(texts[r.IntN(len(texts))])
			case 1:
				b.WriteString("<?pi " + []string{"", "data", " x y "}[r.IntN(3)] + "?>")
			default:
				el(depth+1, decl)
			}
		}
		b.WriteString("</" + name + ">")
	}
	if r.IntN(2) == 0 {
		b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	}
	if r.IntN(3) == 0 {
		b.WriteString("<?top before?>\n")
	}
	el(0, nil)
	if r.IntN(3) == 0 {
		b.WriteString("\n<?top after?>")
	}
	return b.String()
}

// TestExcC14NRandomVsXmllint compares the Canonicalizer with libxml2 on random
// namespaced documents.
func TestExcC14NRandomVsXmllint(t *testing.T) {
	xmllint := needTool(t, "xmllint", "libxml2-utils")
	r := rand.New(rand.NewPCG(1, 2))
	dir := t.TempDir()
	compared := 0
	for i := 0; i < 300; i++ {
		doc := randomDoc(r)
		p := filepath.Join(dir, "in.xml")
		os.WriteFile(p, []byte(doc), 0o600)
		want, xerr := exec.Command(xmllint, "--nonet", "--exc-c14n", p).Output()
		d, err := Parse([]byte(doc))
		if err != nil {
			// libxml2 reads (with a warning) two attributes with the same
			// expanded name; we refuse them.
			if xerr == nil && !strings.Contains(err.Error(), "duplicate attribute {") {
				t.Fatalf("we refuse what libxml2 reads: %v\n%q", err, doc)
			}
			continue
		}
		got, err := (&Canonicalizer{WholeDocument: true}).Canonicalize(d.Root())
		if (err == nil) != (xerr == nil) {
			t.Fatalf("disagree on validity: ours %v, xmllint %v\n%q", err, xerr, doc)
		}
		if err != nil {
			continue
		}
		compared++
		if !bytes.Equal(got, want) {
			t.Fatalf("differs from xmllint\ninput:   %q\nmine:    %q\nxmllint: %q", doc, got, want)
		}
	}
	if compared < 100 {
		t.Fatalf("only %d documents compared", compared)
	}
}

// TestSignRandomSubtreesVsXmlsec1 signs a random nested element of random
// namespaced documents and has xmlsec1 verify it: the canonical form of an
// element whose namespaces come from its ancestors matches libxml2's.
func TestSignRandomSubtreesVsXmlsec1(t *testing.T) {
	bin := needTool(t, "xmlsec1", "xmlsec1")
	k := loadKey(t, "ec")
	r := rand.New(rand.NewPCG(3, 4))
	dir := t.TempDir()
	signedN := 0
	for i := 0; i < 80; i++ {
		d, err := Parse([]byte(randomDoc(r)))
		if err != nil {
			continue
		}
		var els []*etree.Element
		var walk func(e *etree.Element)
		walk = func(e *etree.Element) {
			els = append(els, e)
			for _, c := range e.ChildElements() {
				walk(c)
			}
		}
		walk(d.Root())
		target := els[r.IntN(len(els))]
		if target.SelectAttr("Id") != nil {
			continue
		}
		target.CreateAttr("Id", "T")
		var buf bytes.Buffer
		if err := WriteDocument(&buf, d); err != nil {
			t.Fatal(err)
		}
		signed, err := Sign(buf.Bytes(), k, Options{ID: "T"})
		if err != nil {
			continue // e.g. an unbound prefix in the random document
		}
		signedN++
		idNode := target.Tag
		if ns := target.NamespaceURI(); ns != "" {
			idNode = ns + ":" + target.Tag
		}
		p := filepath.Join(dir, "s.xml")
		os.WriteFile(p, signed, 0o600)
		out, err := exec.Command(bin, "--verify", "--trusted-pem", filepath.Join(keyDir, "ec.crt"), "--id-attr:Id", idNode, p).CombinedOutput()
		if err != nil {
			t.Fatalf("xmlsec1 rejects our signature of <%s>: %v\n%s\n%s", target.FullTag(), err, out, signed)
		}
	}
	if signedN < 30 {
		t.Fatalf("only %d documents signed", signedN)
	}
}
