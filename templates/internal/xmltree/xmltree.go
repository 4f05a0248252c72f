// Package xmltree reads XML into a tree that keeps names as written (prefix
// and local name, namespace declarations as attributes) and writes it back
// with proper escaping. It refuses DOCTYPE (and so every entity
// declaration), checks that end tags match and bounds the nesting. Both the
// templates and the XSD check read their input through it.
package xmltree

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Node is an element or a text. For an element Name.Space is the prefix as
// written; Attrs are as written, namespace declarations included.
type Node struct {
	Name  xml.Name // zero for a text node
	Attrs []xml.Attr
	Kids  []*Node
	Text  string
	Line  int
}

// IsText reports whether n is a text node.
func (n *Node) IsText() bool { return n.Name.Local == "" }

// Elements returns the element children.
func (n *Node) Elements() []*Node {
	var out []*Node
	for _, k := range n.Kids {
		if !k.IsText() {
			out = append(out, k)
		}
	}
	return out
}

// TextContent returns the text children concatenated.
func (n *Node) TextContent() string {
	var b strings.Builder
	for _, k := range n.Kids {
		if k.IsText() {
			b.WriteString(k.Text)
		}
	}
	return b.String()
}

// Attr returns the unprefixed attribute called local.
func (n *Node) Attr(local string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// Options of Parse.
type Options struct {
	MaxDepth  int  // the deepest nesting of elements allowed
	DropBlank bool // leave out text made only of white space
}

// Parse reads one document. Comments and processing instructions are
// dropped; adjacent text (CDATA included) is kept as separate nodes in order.
// Errors are in Russian, with the line.
func Parse(data []byte, o Options) (*Node, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var root *Node
	var stack []*Node
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
			return nil, fmt.Errorf("строка %d: объявления DOCTYPE и сущности запрещены", line)
		case xml.StartElement:
			n := &Node{Name: t.Name, Attrs: append([]xml.Attr(nil), t.Attr...), Line: line}
			for i, a := range n.Attrs {
				for _, b := range n.Attrs[:i] {
					if a.Name == b.Name {
						return nil, fmt.Errorf("строка %d: атрибут %s указан дважды", line, a.Name.Local)
					}
				}
			}
			if len(stack) >= o.MaxDepth {
				return nil, fmt.Errorf("строка %d: вложенность глубже %d уровней", line, o.MaxDepth)
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, fmt.Errorf("строка %d: второй корневой элемент", line)
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.Kids = append(p.Kids, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) == 0 || stack[len(stack)-1].Name != t.Name {
				return nil, fmt.Errorf("строка %d: закрывающий тег </%s> не соответствует открывающему", line, t.Name.Local)
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			blank := len(bytes.TrimSpace(t)) == 0
			if len(stack) == 0 {
				if !blank {
					return nil, fmt.Errorf("строка %d: текст вне корневого элемента", line)
				}
				continue
			}
			if blank && o.DropBlank {
				continue
			}
			p := stack[len(stack)-1]
			p.Kids = append(p.Kids, &Node{Text: string(t), Line: line})
		}
	}
	if len(stack) > 0 || root == nil {
		return nil, errors.New("документ оборван или пуст")
	}
	return root, nil
}

// QName writes prefix:local, or local without a prefix.
func QName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

var (
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;",
		"\t", "&#x9;", "\n", "&#xA;", "\r", "&#xD;")
)

// EscapeText writes s escaped for character data.
func EscapeText(w *bytes.Buffer, s string) { textEscaper.WriteString(w, s) }

// EscapeAttr writes s escaped for a double-quoted attribute value.
func EscapeAttr(w *bytes.Buffer, s string) { attrEscaper.WriteString(w, s) }

// Write serializes n as written.
func (n *Node) Write(w *bytes.Buffer) {
	if n.IsText() {
		EscapeText(w, n.Text)
		return
	}
	w.WriteString("<" + QName(n.Name))
	for _, a := range n.Attrs {
		w.WriteString(" " + QName(a.Name) + `="`)
		EscapeAttr(w, a.Value)
		w.WriteString(`"`)
	}
	if len(n.Kids) == 0 {
		w.WriteString("/>")
		return
	}
	w.WriteString(">")
	for _, k := range n.Kids {
		k.Write(w)
	}
	w.WriteString("</" + QName(n.Name) + ">")
}
