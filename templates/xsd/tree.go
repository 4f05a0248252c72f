package xsd

import (
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/mezhved/mezhved/templates/internal/xmltree"
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
	text  strings.Builder // character data directly inside, concatenated
	line  int
	scope map[string]string // prefix → namespace in force here ("" for the default)
}

func (e *elem) attr(local string) (string, bool) {
	for _, a := range e.attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// parse reads one XML document into a namespace-resolved tree. DOCTYPE and
// entities other than the predefined five are refused.
func parse(data []byte) (*elem, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("document larger than %d bytes", MaxSize)
	}
	root, err := xmltree.Parse(data, xmltree.Options{MaxDepth: MaxDepth})
	if err != nil {
		return nil, err
	}
	return resolveTree(root, map[string]string{"xml": xmlNS})
}

// resolveTree resolves the names of n and its descendants in the scope of
// the namespace declarations in force (outer) and on each element.
func resolveTree(n *xmltree.Node, outer map[string]string) (*elem, error) {
	e := &elem{line: n.Line, scope: make(map[string]string, len(outer)+1)}
	for k, v := range outer {
		e.scope[k] = v
	}
	for _, a := range n.Attrs {
		switch {
		case a.Name.Space == "xmlns":
			e.scope[a.Name.Local] = a.Value
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			e.scope[""] = a.Value
		}
	}
	var err error
	if e.name, err = e.resolve(n.Name, true); err != nil {
		return nil, err
	}
	for _, a := range n.Attrs {
		if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
			continue
		}
		name, err := e.resolve(a.Name, false)
		if err != nil {
			return nil, err
		}
		for _, b := range e.attrs {
			if b.Name == name {
				return nil, fmt.Errorf("line %d: attribute %s given twice", n.Line, a.Name.Local)
			}
		}
		e.attrs = append(e.attrs, xml.Attr{Name: name, Value: a.Value})
	}
	for _, k := range n.Kids {
		if k.IsText() {
			e.text.WriteString(k.Text)
			continue
		}
		kid, err := resolveTree(k, e.scope)
		if err != nil {
			return nil, err
		}
		e.kids = append(e.kids, kid)
	}
	return e, nil
}

const xmlNS = "http://www.w3.org/XML/1998/namespace"

// resolve turns a raw name (prefix, local) into (namespace, local). An
// unprefixed attribute has no namespace; an unprefixed element takes the
// default namespace.
func (e *elem) resolve(n xml.Name, element bool) (xml.Name, error) {
	if n.Space == "" {
		if element {
			return xml.Name{Space: e.scope[""], Local: n.Local}, nil
		}
		return xml.Name{Local: n.Local}, nil
	}
	ns, ok := e.scope[n.Space]
	if !ok || ns == "" {
		return xml.Name{}, fmt.Errorf("line %d: prefix %q is not declared", e.line, n.Space)
	}
	return xml.Name{Space: ns, Local: n.Local}, nil
}

// qname resolves a QName written in an attribute value (type="xs:string")
// in the scope of e.
func (e *elem) qname(v string) (xml.Name, error) {
	prefix, local, ok := strings.Cut(v, ":")
	if !ok {
		prefix, local = "", v
	}
	ns, known := e.scope[prefix]
	if !known && prefix != "" {
		return xml.Name{}, fmt.Errorf("line %d: prefix %q of %q is not declared", e.line, prefix, v)
	}
	return xml.Name{Space: ns, Local: local}, nil
}
