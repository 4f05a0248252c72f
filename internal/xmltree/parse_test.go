package xmltree

import (
	"errors"
	"strings"
	"testing"
)

func TestRejects(t *testing.T) {
	cases := map[string]string{
		"doctype":          `<!DOCTYPE a><a/>`,
		"internal subset":  `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`,
		"billion laughs":   `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>`,
		"external entity":  `<!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;</a>`,
		"undeclared ent":   `<a>&nbsp;</a>`,
		"entity in attr":   `<a b="&x;"/>`,
		"bad char ref":     `<a>&#0;</a>`,
		"surrogate ref":    `<a>&#xD800;</a>`,
		"unclosed":         `<a><b></a>`,
		"mismatch":         `<a></b>`,
		"two roots":        `<a/><b/>`,
		"text outside":     `x<a/>`,
		"unbound prefix":   `<p:a/>`,
		"unbound attr":     `<a p:x="1"/>`,
		"dup attr":         `<a x="1" x="2"/>`,
		"dup expanded":     `<a xmlns:p="u" xmlns:q="u" p:x="1" q:x="2"/>`,
		"lt in attr":       `<a x="<"/>`,
		"cp1251":           `<?xml version="1.0" encoding="windows-1251"?><a/>`,
		"invalid utf8":     "<a>\xff</a>",
		"control char":     "<a>\x01</a>",
		"empty":            ``,
		"undeclare prefix": `<a xmlns:p="u"><b xmlns:p=""/></a>`,
		"xmlns element":    `<xmlns:a/>`,
		"comment dashes":   `<a><!-- a -- b --></a>`,
		"no attr space":    `<a x="1"y="2"/>`,
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse([]byte(src)); err == nil {
				t.Fatalf("accepted %q", src)
			}
		})
	}
	if _, err := Parse([]byte(cases["external entity"])); !errors.Is(err, ErrDTD) {
		t.Errorf("DOCTYPE must give ErrDTD, got %v", err)
	}
}

func TestLimits(t *testing.T) {
	deep := strings.Repeat("<a>", 300) + strings.Repeat("</a>", 300)
	if _, err := Parse([]byte(deep)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("depth: %v", err)
	}
	if _, err := ParseLimits([]byte("<a>"+strings.Repeat("x", 100)+"</a>"), Limits{MaxBytes: 50, MaxDepth: 10, MaxAttrs: 10}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("size: %v", err)
	}
	if _, err := Read(strings.NewReader("<a>"+strings.Repeat("x", 100)+"</a>"), Limits{MaxBytes: 50, MaxDepth: 10, MaxAttrs: 10}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("read: %v", err)
	}
	var b strings.Builder
	b.WriteString("<a")
	for i := 0; i < 300; i++ {
		b.WriteString(" a" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + string(rune('a'+i/26)) + `="1"`)
	}
	b.WriteString("/>")
	if _, err := Parse([]byte(b.String())); !errors.Is(err, ErrTooLarge) {
		t.Errorf("attributes: %v", err)
	}
}

func TestTree(t *testing.T) {
	src := "\xEF\xBB\xBF<?xml version='1.0' encoding='UTF-8'?>\r\n<!-- c --><r xmlns='urn:d' xmlns:p=\"urn:p\" p:a=' x\r\ny\t&#9;' Id=\"i\">t1&amp;<![CDATA[<raw>]]>t2\r\n<p:e/><!--x--><e2 xml:lang=\"ru\"><?pi  data ?></e2></r>"
	d, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r := d.Root
	if !d.Is(r, "urn:d", "r") || len(d.Top) != 2 {
		t.Fatalf("root %+v top %v", d.Nodes[r], d.Top)
	}
	if v, _ := d.Attr(r, "urn:p", "a"); v != " x y \t" {
		t.Errorf("attribute normalization: %q", v)
	}
	first := d.Nodes[r].FirstChild
	if d.Nodes[first].Kind != Text || string(d.Nodes[first].Data) != "t1&<raw>t2\n" {
		t.Errorf("text merge: %q", d.Nodes[first].Data)
	}
	e := d.Nodes[first].Next
	if !d.Is(e, "urn:p", "e") || !d.Nodes[e].SelfClosing || string(d.Src[d.Nodes[e].Start:d.Nodes[e].End]) != "<p:e/>" {
		t.Errorf("p:e %+v", d.Nodes[e])
	}
	e2 := d.ChildElement(r, "urn:d", "e2")
	if v, ok := d.Attr(e2, XMLNamespace, "lang"); !ok || v != "ru" {
		t.Errorf("xml:lang")
	}
	pi := d.Nodes[e2].FirstChild
	if d.Nodes[pi].Kind != ProcInst || string(d.Nodes[pi].Local) != "pi" || string(d.Nodes[pi].Data) != "data " {
		t.Errorf("pi %q %q", d.Nodes[pi].Local, d.Nodes[pi].Data)
	}
	if d.Path(e2) != "/r/e2" {
		t.Errorf("path %s", d.Path(e2))
	}
	if u, ok := d.LookupNS(e2, "p"); !ok || u != "urn:p" {
		t.Errorf("lookup")
	}
	n := 0
	d.InScope(e2, func(p, u []byte) { n++ })
	if n != 2 {
		t.Errorf("in scope %d", n)
	}
	end := d.Nodes[r]
	if string(d.Src[end.EndTagStart:end.End]) != "</r>" {
		t.Errorf("offsets")
	}
}

func TestManyCDATALinear(t *testing.T) {
	src := "<a>" + strings.Repeat("x<![CDATA[y]]>", 20000) + "</a>"
	d, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(d.Nodes[d.Nodes[d.Root].FirstChild].Data); got != 40000 {
		t.Fatalf("merged text %d", got)
	}
}

func TestNodeLimit(t *testing.T) {
	src := "<a>" + strings.Repeat("<b/>", 100) + "</a>"
	if _, err := ParseLimits([]byte(src), Limits{MaxNodes: 50}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("nodes: %v", err)
	}
	if _, err := ParseLimits([]byte(src), Limits{MaxNodes: 200}); err != nil {
		t.Errorf("within the limit: %v", err)
	}
	// A comment full of '<' does not make the reader reserve memory for
	// nodes that are not there.
	big := "<a><!--" + strings.Repeat("<", 1<<20) + "--></a>"
	d, err := Parse([]byte(big))
	if err != nil || cap(d.Nodes) > DefaultLimits.MaxNodes+1 {
		t.Errorf("comment: %v", err)
	}
}
