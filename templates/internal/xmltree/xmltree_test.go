package xmltree

import (
	"bytes"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	src := `<a:r xmlns:a="urn:a" x="1 &amp; &lt;2&gt; &quot;q&quot;"><a:k>т&amp;екст</a:k><e/> <![CDATA[<c>]]></a:r>`
	n, err := Parse([]byte("<?xml version=\"1.0\"?><!-- c -->"+src), Options{MaxDepth: 10})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	n.Write(&b)
	want := `<a:r xmlns:a="urn:a" x="1 &amp; &lt;2&gt; &quot;q&quot;"><a:k>т&amp;екст</a:k><e/> &lt;c&gt;</a:r>`
	if b.String() != want {
		t.Errorf("\n got %s\nwant %s", b.String(), want)
	}
	if v, _ := n.Attr("x"); v != `1 & <2> "q"` || len(n.Elements()) != 2 || n.Elements()[0].TextContent() != "т&екст" {
		t.Errorf("accessors: %q", v)
	}
	n, _ = Parse([]byte("<r>\n  <k/>\n</r>"), Options{MaxDepth: 10, DropBlank: true})
	if len(n.Kids) != 1 {
		t.Errorf("blank text kept: %d", len(n.Kids))
	}
}

func TestRefuses(t *testing.T) {
	for name, doc := range map[string]string{
		"doctype":    `<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>`,
		"entity":     `<r>&e;</r>`,
		"mismatch":   `<r><a></b></r>`,
		"prefix end": `<p:r xmlns:p="u"></q:r>`,
		"two roots":  `<r/><r/>`,
		"text out":   `<r/>x`,
		"unclosed":   `<r><a>`,
		"empty":      ``,
		"dup attr":   `<r a="1" a="2"/>`,
		"deep":       strings.Repeat("<a>", 11) + strings.Repeat("</a>", 11),
	} {
		if _, err := Parse([]byte(doc), Options{MaxDepth: 10}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
