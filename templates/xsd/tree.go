package xsd

import (
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/mezhved/mezhved/internal/xmltree"
)

// MaxSize bounds a schema or a document checked here, MaxDepth their nesting.
const (
	MaxSize  = 4 << 20
	MaxDepth = 100
)

// elem is a namespace-resolved element: what both schemas and documents are
// read into.
type elem struct {
	name  xml.Name
	attrs []xml.Attr // without namespace declarations
	kids  []*elem
	text  string // character data directly inside, concatenated
	line  int
	doc   *xmltree.Doc // for the namespaces in scope
	node  int32
}

func (e *elem) attr(local string) (string, bool) { return e.doc.Attr(e.node, "", local) }

// parse reads one XML document with the strict reader (no DOCTYPE, no
// entities but the predefined five, bounded) into a tree of elem.
func parse(data []byte) (*elem, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("document larger than %d bytes", MaxSize)
	}
	d, err := xmltree.ParseLimits(data, xmltree.Limits{MaxBytes: MaxSize, MaxDepth: MaxDepth})
	if err != nil {
		return nil, err
	}
	return tree(d, d.Root), nil
}

func tree(d *xmltree.Doc, n int32) *elem {
	nd := &d.Nodes[n]
	e := &elem{name: xml.Name{Space: string(nd.URI), Local: string(nd.Local)}, text: d.Text(n), line: d.Line(n), doc: d, node: n}
	for _, a := range d.Attributes(n) {
		e.attrs = append(e.attrs, xml.Attr{Name: xml.Name{Space: string(a.URI), Local: string(a.Local)}, Value: string(a.Value)})
	}
	for _, k := range d.ChildElements(n) {
		e.kids = append(e.kids, tree(d, k))
	}
	return e
}

// qname resolves a QName written in an attribute value (type="xs:string")
// in the scope of e.
func (e *elem) qname(v string) (xml.Name, error) {
	prefix, local, ok := strings.Cut(v, ":")
	if !ok {
		prefix, local = "", v
	}
	ns, known := e.doc.LookupNS(e.node, prefix)
	if !known && prefix != "" {
		return xml.Name{}, fmt.Errorf("line %d: prefix %q of %q is not declared", e.line, prefix, v)
	}
	return xml.Name{Space: ns, Local: local}, nil
}

// allText returns the character data inside e and its descendants.
func (e *elem) allText() string {
	if len(e.kids) == 0 {
		return e.text
	}
	var b strings.Builder
	b.WriteString(e.text)
	for _, k := range e.kids {
		b.WriteString(" " + k.allText())
	}
	return b.String()
}
