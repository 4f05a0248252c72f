// Package xmltree is the one XML reader of Mezhved: small, safe and
// namespace-aware. Envelopes, signed documents, the TSL, templates and
// their schemas are all read through it. It never expands or fetches
// anything: a DOCTYPE, an entity other than the five predefined ones, or a
// non-UTF-8 encoding is an error. Sizes are bounded (Limits). The result is
// a flat tree (one slice of nodes, one of attributes) that keeps the byte
// offsets of every element in the source, so that a caller can edit the
// document around an element while leaving every other byte untouched, and
// that canonicalization can run without re-parsing. The escaping of
// character data and attribute values that every writer of the project
// uses (canonical XML's) is here too (escape.go).
//
// Strings in the tree are sub-slices of the source or of one decoded buffer;
// they must not be modified.
package xmltree

import "bytes"

// Kind is the type of a node.
type Kind uint8

// Node kinds. Adjacent character data and CDATA sections form one Text node.
const (
	Element Kind = iota + 1
	Text
	Comment
	ProcInst
)

// None is the index of no node.
const None int32 = -1

// XMLNamespace is the URI bound to the "xml" prefix.
const XMLNamespace = "http://www.w3.org/XML/1998/namespace"

// Node is one node of the tree. Links are indexes into Doc.Nodes.
type Node struct {
	Kind                                 Kind
	SelfClosing                          bool // an element written as <a/>
	Parent, FirstChild, LastChild, Next  int32
	Depth                                int32
	Prefix, Local, URI                   []byte // element name; ProcInst target in Local
	Data                                 []byte // Text (decoded), Comment, ProcInst data
	AttrStart, AttrEnd                   int32  // Doc.Attrs[AttrStart:AttrEnd]
	NSStart, NSEnd                       int32  // Doc.NS[NSStart:NSEnd]: declarations on this element
	Start, StartTagEnd, EndTagStart, End int    // byte offsets in Doc.Src (element: '<' … '>' of the end tag)
}

// Attr is an attribute (namespace declarations are in NSDecl instead).
type Attr struct {
	Prefix, Local, URI []byte
	Value              []byte // normalized as XML 1.0 requires
}

// NSDecl is a namespace declaration; an empty Prefix is the default namespace.
type NSDecl struct {
	Prefix, URI []byte
}

// Name returns the declaration's attribute name: xmlns or xmlns:prefix.
func (ns *NSDecl) Name() string {
	if len(ns.Prefix) == 0 {
		return "xmlns"
	}
	return "xmlns:" + string(ns.Prefix)
}

// Doc is a parsed document.
type Doc struct {
	Src   []byte
	Nodes []Node
	Attrs []Attr
	NS    []NSDecl
	Root  int32 // the document element
	// Top lists the nodes outside the document element (comments and
	// processing instructions), with Root among them, in document order.
	Top []int32
}

// QName returns a name as written: prefix:local, or local alone.
func QName(prefix, local []byte) string {
	if len(prefix) == 0 {
		return string(local)
	}
	return string(prefix) + ":" + string(local)
}

// Attributes returns the attributes of element n.
func (d *Doc) Attributes(n int32) []Attr {
	nd := &d.Nodes[n]
	return d.Attrs[nd.AttrStart:nd.AttrEnd]
}

// Decls returns the namespace declarations written on element n.
func (d *Doc) Decls(n int32) []NSDecl {
	nd := &d.Nodes[n]
	return d.NS[nd.NSStart:nd.NSEnd]
}

// Attr returns the value of the attribute of n with that namespace URI and
// local name.
func (d *Doc) Attr(n int32, uri, local string) (string, bool) {
	for _, a := range d.Attributes(n) {
		if string(a.Local) == local && string(a.URI) == uri {
			return string(a.Value), true
		}
	}
	return "", false
}

// Is reports whether n is an element with that namespace URI and local name.
func (d *Doc) Is(n int32, uri, local string) bool {
	if n < 0 || int(n) >= len(d.Nodes) {
		return false
	}
	nd := &d.Nodes[n]
	return nd.Kind == Element && string(nd.Local) == local && string(nd.URI) == uri
}

// Children calls f for each child of n in order.
func (d *Doc) Children(n int32, f func(c int32) bool) {
	for c := d.Nodes[n].FirstChild; c != None; c = d.Nodes[c].Next {
		if !f(c) {
			return
		}
	}
}

// ChildElement returns the first child element of n with that name, or None.
func (d *Doc) ChildElement(n int32, uri, local string) int32 {
	for c := d.Nodes[n].FirstChild; c != None; c = d.Nodes[c].Next {
		if d.Is(c, uri, local) {
			return c
		}
	}
	return None
}

// Contains reports whether n is anc or a descendant of anc.
func (d *Doc) Contains(anc, n int32) bool {
	for ; n != None; n = d.Nodes[n].Parent {
		if n == anc {
			return true
		}
	}
	return false
}

// Path returns a readable location of element n: /Envelope/Body/… with
// local names.
func (d *Doc) Path(n int32) string {
	var parts [][]byte
	for ; n != None; n = d.Nodes[n].Parent {
		parts = append(parts, d.Nodes[n].Local)
	}
	var b []byte
	for i := len(parts) - 1; i >= 0; i-- {
		b = append(b, '/')
		b = append(b, parts[i]...)
	}
	return string(b)
}

// LookupNS returns the namespace URI bound to prefix in the scope of
// element n ("" prefix: the default namespace).
func (d *Doc) LookupNS(n int32, prefix string) (string, bool) {
	if prefix == "xml" {
		return XMLNamespace, true
	}
	for ; n != None; n = d.Nodes[n].Parent {
		for _, ns := range d.Decls(n) {
			if string(ns.Prefix) == prefix {
				return string(ns.URI), true
			}
		}
	}
	return "", false
}

// InScope calls f for every namespace binding in scope at element n, the
// nearest declaration of each prefix only.
func (d *Doc) InScope(n int32, f func(prefix, uri []byte)) {
	var seen [][]byte
	for e := n; e != None; e = d.Nodes[e].Parent {
		for _, ns := range d.Decls(e) {
			dup := false
			for _, s := range seen {
				if string(s) == string(ns.Prefix) {
					dup = true
					break
				}
			}
			if dup {
				continue
			}
			seen = append(seen, ns.Prefix)
			f(ns.Prefix, ns.URI)
		}
	}
}

// ChildElements returns the element children of n in order.
func (d *Doc) ChildElements(n int32) []int32 {
	var out []int32
	for c := d.Nodes[n].FirstChild; c != None; c = d.Nodes[c].Next {
		if d.Nodes[c].Kind == Element {
			out = append(out, c)
		}
	}
	return out
}

// Text returns the character data directly inside element n: its Text
// children concatenated (comments, processing instructions and the text of
// child elements left out).
func (d *Doc) Text(n int32) string {
	var b []byte
	for c := d.Nodes[n].FirstChild; c != None; c = d.Nodes[c].Next {
		if d.Nodes[c].Kind == Text {
			b = append(b, d.Nodes[c].Data...)
		}
	}
	return string(b)
}

// Line returns the line, from 1, on which node n starts in Src (for
// messages; it counts the line ends before it).
func (d *Doc) Line(n int32) int {
	return 1 + bytes.Count(d.Src[:d.Nodes[n].Start], []byte{'\n'})
}
