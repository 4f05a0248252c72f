package xmltree

import (
	"testing"
)

// FuzzParse: any input is refused or gives a consistent tree: links point
// inside, every element's offsets cover its tags in the source, children
// lie inside their parent, and the text read back escaped parses to the
// same text.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"\xEF\xBB\xBF<?xml version='1.0'?>\r\n<!-- c --><r xmlns='urn:d' xmlns:p=\"urn:p\" p:a=' x\r\ny' Id=\"i\">t1&amp;<![CDATA[<raw>]]>t2<p:e/><?pi d?></r>",
		`<a xmlns="urn:a"><b xmlns=""><c xml:lang="ru">&#x10FFFF;&lt;</c></b></a>`,
		`<!DOCTYPE a><a/>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := Parse(src)
		if err != nil {
			return
		}
		for i := range d.Nodes {
			checkNode(t, d, int32(i))
		}
	})
}

func checkNode(t *testing.T, d *Doc, i int32) {
	n := &d.Nodes[i]
	if n.Parent != None && !d.Contains(n.Parent, i) {
		t.Fatalf("node %d: parent link", i)
	}
	if n.Parent != None && (n.Start < d.Nodes[n.Parent].StartTagEnd || n.End > d.Nodes[n.Parent].EndTagStart) {
		t.Fatalf("node %d lies outside its parent", i)
	}
	if n.Kind == Element {
		if n.Start >= n.StartTagEnd || n.StartTagEnd > n.EndTagStart || n.EndTagStart > n.End || n.End > len(d.Src) {
			t.Fatalf("element %d offsets %d %d %d %d", i, n.Start, n.StartTagEnd, n.EndTagStart, n.End)
		}
		if d.Src[n.Start] != '<' || d.Src[n.End-1] != '>' {
			t.Fatalf("element %d does not span its tags", i)
		}
		text := d.Text(i)
		back, err := Parse(append(append([]byte("<a>"), AppendText(nil, text)...), "</a>"...))
		if err != nil || back.Text(back.Root) != text {
			t.Fatalf("text %q does not read back: %v", text, err)
		}
	}
}
