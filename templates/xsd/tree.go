package xsd

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
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
	raw   xml.Name          // the name as written (prefix, local)
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

// parse reads one XML document into a tree. DOCTYPE and entities other
// than the predefined five are refused.
func parse(data []byte) (*elem, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("document larger than %d bytes", MaxSize)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var root *elem
	var stack []*elem
	for {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, err
		}
		line, _ := dec.InputPos()
		switch t := tok.(type) {
		case xml.Directive:
			return nil, fmt.Errorf("line %d: DOCTYPE and entity declarations are not allowed", line)
		case xml.StartElement:
			e := &elem{line: line, scope: map[string]string{"xml": xmlNS}}
			if len(stack) > 0 {
				for k, v := range stack[len(stack)-1].scope {
					e.scope[k] = v
				}
			}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns":
					e.scope[a.Name.Local] = a.Value
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					e.scope[""] = a.Value
				}
			}
			if e.name, err = e.resolve(t.Name, true); err != nil {
				return nil, err
			}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
					continue
				}
				n, err := e.resolve(a.Name, false)
				if err != nil {
					return nil, err
				}
				for _, b := range e.attrs {
					if b.Name == n {
						return nil, fmt.Errorf("line %d: attribute %s given twice", line, a.Name.Local)
					}
				}
				e.attrs = append(e.attrs, xml.Attr{Name: n, Value: a.Value})
			}
			e.raw = t.Name
			if len(stack) >= MaxDepth {
				return nil, fmt.Errorf("line %d: nesting deeper than %d levels", line, MaxDepth)
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, fmt.Errorf("line %d: a second root element", line)
				}
				root = e
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, e)
			}
			stack = append(stack, e)
		case xml.EndElement:
			if len(stack) == 0 || stack[len(stack)-1].raw != t.Name {
				return nil, fmt.Errorf("line %d: end tag </%s> does not match", line, t.Name.Local)
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, fmt.Errorf("line %d: text outside the root element", line)
			}
		}
	}
	if len(stack) > 0 {
		return nil, errors.New("unexpected end of document")
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
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
