package xmldsig

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/beevik/etree"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
	dsig "github.com/russellhaering/goxmldsig"
)

// TestExcC14NMatchesLibxml2 compares the canonical form of whole documents
// with the expected files made by `xmllint --exc-c14n FILE` (libxml2, the
// library under xmlsec1; the inputs hold no comments, which xmllint keeps),
// and the expected files with a live xmllint run.
func TestExcC14NMatchesLibxml2(t *testing.T) {
	files, _ := filepath.Glob("testdata/c14n/*.xml")
	if len(files) < 5 {
		t.Fatal("vectors missing")
	}
	xmllint := needTool(t, "xmllint", "libxml2-utils")
	for _, f := range files {
		live, err := exec.Command(xmllint, "--exc-c14n", f).Output()
		if err != nil {
			t.Fatalf("xmllint %s: %v", f, err)
		}
		in, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(strings.TrimSuffix(f, ".xml") + ".exc-c14n")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(live, want) {
			t.Fatalf("%s: stored expectation differs from xmllint's output", f)
		}
		d, err := Parse(in)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		got, err := (&Canonicalizer{WholeDocument: true}).Canonicalize(d.Root())
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: canonical form differs\n got: %q\nwant: %q", f, got, want)
		}
	}
}

// TestExcC14NSubtreeInheritsNamespaces: an element inside a SOAP Body is
// canonicalized with the namespaces declared on its ancestors, and the tree
// is left untouched (goxmldsig's own exclusive c14n strips declarations).
func TestExcC14NSubtreeInheritsNamespaces(t *testing.T) {
	src := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="urn:m" xmlns:u="urn:unused"><s:Body><m:Req Id="R" m:a="1"><m:X/></m:Req></s:Body></s:Envelope>`
	d, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	req := FindByID(d.Root(), "R", "Id")[0]
	got, err := (&Canonicalizer{}).Canonicalize(req)
	if err != nil {
		t.Fatal(err)
	}
	want := `<m:Req xmlns:m="urn:m" Id="R" m:a="1"><m:X></m:X></m:Req>`
	if string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	out, _ := d.WriteToString()
	if out != src {
		t.Fatalf("canonicalization changed the document:\n%s", out)
	}
}

// TestExcC14NAgreesWithGoxmldsig cross-checks against goxmldsig's exclusive
// c14n on a detached copy (where goxmldsig is right).
func TestExcC14NAgreesWithGoxmldsig(t *testing.T) {
	docs := []string{
		`<a xmlns="urn:a" xmlns:p="urn:p"><p:b p:x="1" y="2">t&amp;&lt;</p:b><c xmlns=""/></a>`,
		`<p:a xmlns:p="urn:p" xmlns:q="urn:q"><q:b/><p:c q:z="1" a="0"/></p:a>`,
	}
	for _, s := range docs {
		d, err := Parse([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		mine, err := (&Canonicalizer{}).Canonicalize(d.Root())
		if err != nil {
			t.Fatal(err)
		}
		d2 := etree.NewDocument()
		if err := d2.ReadFromString(s); err != nil {
			t.Fatal(err)
		}
		theirs, err := dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("").Canonicalize(d2.Root())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(mine, theirs) {
			t.Errorf("differs from goxmldsig\nmine:   %s\ntheirs: %s", mine, theirs)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	bad := map[string]string{
		"doctype":   `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`,
		"entity":    `<a>&x;</a>`,
		"external":  `<!DOCTYPE a SYSTEM "http://example.org/a.dtd"><a/>`,
		"two roots": `<a/><b/>`,
		"dup attr":  `<a x="1" x="2"/>`,
		"unclosed":  `<a x="1`,
		"text":      `<a/>junk`,
	}
	for name, s := range bad {
		if _, err := Parse([]byte(s)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// "<!" inside comments and CDATA is only text.
	if _, err := Parse([]byte(`<a><!-- <!DOCTYPE --><![CDATA[<!ENTITY]]></a>`)); err != nil {
		t.Fatal(err)
	}
}

func TestParseNormalizesAttributeWhitespace(t *testing.T) {
	d, err := Parse([]byte("<a x=\"1\r\n2\t3\n4&#10;5\" y='\r'/>"))
	if err != nil {
		t.Fatal(err)
	}
	if v := d.Root().SelectAttrValue("x", ""); v != "1 2 3 4\n5" {
		t.Fatalf("x = %q", v)
	}
	if v := d.Root().SelectAttrValue("y", ""); v != " " {
		t.Fatalf("y = %q", v)
	}
}

func FuzzExcC14N(f *testing.F) {
	files, _ := filepath.Glob("testdata/c14n/*.xml")
	for _, p := range files {
		b, _ := os.ReadFile(p)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(b)
		if err != nil {
			return
		}
		c1, err := (&Canonicalizer{}).Canonicalize(d.Root())
		if err != nil {
			return
		}
		// The canonical form is a fixed point.
		d2, err := Parse(c1)
		if err != nil {
			t.Fatalf("canonical form does not parse: %v\n%q", err, c1)
		}
		c2, err := (&Canonicalizer{}).Canonicalize(d2.Root())
		if err != nil || !bytes.Equal(c1, c2) {
			t.Fatalf("not idempotent:\n%q\n%q", c1, c2)
		}
	})
}

func TestParseLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("<a")
	for i := 0; i <= xmltree.DefaultLimits.MaxAttrs; i++ {
		fmt.Fprintf(&b, " a%d=\"\"", i)
	}
	b.WriteString("/>")
	if _, err := Parse([]byte(b.String())); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("element with too many attributes: %v", err)
	}
	// Many attributes below the limit: duplicates still found.
	dup := strings.Replace(b.String(), ` a1=""`, ` a0=""`, 1)
	dup = strings.Replace(dup, fmt.Sprintf(` a%d=""`, xmltree.DefaultLimits.MaxAttrs), "", 1)
	if _, err := Parse([]byte(dup)); domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), "duplicate attribute") {
		t.Fatalf("duplicate among many attributes: %v", err)
	}
	b.Reset()
	for i := 0; i <= xmltree.DefaultLimits.MaxScope; i++ {
		fmt.Fprintf(&b, "<e xmlns:p%d=\"urn:%d\">", i, i)
	}
	for i := 0; i <= xmltree.DefaultLimits.MaxScope; i++ {
		b.WriteString("</e>")
	}
	if _, err := Parse([]byte(b.String())); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("too many namespace declarations in scope: %v", err)
	}
}

// TestExcC14NManyAttributes: many attributes and declarations on one
// element are ordered as libxml2 orders them.
func TestExcC14NManyAttributes(t *testing.T) {
	var b strings.Builder
	b.WriteString("<r")
	for i := 19; i >= 0; i-- {
		fmt.Fprintf(&b, ` xmlns:p%02d="urn:%02d" p%02d:x="%d" y%02d="1"`, i, 19-i, i, i, i)
	}
	b.WriteString("/>")
	d, err := Parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	got, err := (&Canonicalizer{}).Canonicalize(d.Root())
	if err != nil {
		t.Fatal(err)
	}
	xmllint := needTool(t, "xmllint", "libxml2-utils")
	f := filepath.Join(t.TempDir(), "m.xml")
	os.WriteFile(f, []byte(b.String()), 0o600)
	want, err := exec.Command(xmllint, "--exc-c14n", f).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// FuzzExcC14NVsXmllint: on documents both accept (without comments, which
// xmllint keeps), the Canonicalizer writes what libxml2 writes.
func FuzzExcC14NVsXmllint(f *testing.F) {
	xmllint := needTool(f, "xmllint", "libxml2-utils")
	files, _ := filepath.Glob("testdata/c14n/*.xml")
	for _, p := range files {
		b, _ := os.ReadFile(p)
		if len(b) < 8<<10 {
			f.Add(b)
		}
	}
	f.Add([]byte(`<a xmlns="urn:a" xmlns:b="urn:b"><b:c b:x="1" y="&#9;"><d xmlns=""/></b:c></a>`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		if bytes.Contains(b, []byte("<!--")) || !utf8.Valid(b) {
			return
		}
		d, err := Parse(b)
		if err != nil {
			return
		}
		mine, err := (&Canonicalizer{WholeDocument: true}).Canonicalize(d.Root())
		if err != nil {
			return
		}
		p := filepath.Join(dir, "in.xml")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		theirs, err := exec.Command(xmllint, "--nonet", "--exc-c14n", p).Output()
		if err != nil {
			return // libxml2 refuses it
		}
		if !bytes.Equal(mine, theirs) {
			t.Fatalf("differs from xmllint\ninput: %q\nmine:  %q\nxmllint: %q", b, mine, theirs)
		}
	})
}

func TestParseRefusesSameExpandedName(t *testing.T) {
	if _, err := Parse([]byte(`<a xmlns:p="urn:x" xmlns:q="urn:x" p:k="1" q:k="2"/>`)); err == nil {
		t.Fatal("two attributes with one expanded name accepted")
	}
	if _, err := Parse([]byte(`<a xmlns:p="urn:x" xmlns:q="urn:y" p:k="1" q:k="2" k="3"/>`)); err != nil {
		t.Fatal(err)
	}
}
