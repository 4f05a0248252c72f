package templates

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// node is an XML element or text as written: names keep their prefixes
// (Name.Space is the prefix), namespace declarations stay attributes. The
// body of a template is kept this way so that the request comes out with the
// prefixes its author chose.
type node struct {
	name  xml.Name // prefix and local name; zero for a text node
	attrs []xml.Attr
	kids  []*node
	text  string
	line  int
}

func (n *node) isText() bool { return n.name.Local == "" }

// elements returns the element children.
func (n *node) elements() []*node {
	var out []*node
	for _, k := range n.kids {
		if !k.isText() {
			out = append(out, k)
		}
	}
	return out
}

// textContent returns the concatenated text children.
func (n *node) textContent() string {
	var b strings.Builder
	for _, k := range n.kids {
		if k.isText() {
			b.WriteString(k.text)
		}
	}
	return b.String()
}

func (n *node) attr(local string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// maxDepth bounds the nesting of elements in a template file.
const maxDepth = 64

// parseRaw reads a document keeping prefixes. DOCTYPE (and so any entity
// declaration) is refused; comments and processing instructions are dropped;
// text made only of white space is dropped.
func parseRaw(data []byte) (*node, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var root *node
	var stack []*node
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
			n := &node{name: t.Name, attrs: append([]xml.Attr(nil), t.Attr...), line: line}
			for i, a := range n.attrs {
				for _, b := range n.attrs[:i] {
					if a.Name == b.Name {
						return nil, fmt.Errorf("строка %d: атрибут %s указан дважды", line, a.Name.Local)
					}
				}
			}
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("строка %d: вложенность глубже %d уровней", line, maxDepth)
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, fmt.Errorf("строка %d: второй корневой элемент", line)
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) == 0 || stack[len(stack)-1].name != t.Name {
				return nil, fmt.Errorf("строка %d: закрывающий тег </%s> не соответствует открывающему", line, t.Name.Local)
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(bytes.TrimSpace(t)) == 0 {
				continue
			}
			if len(stack) == 0 {
				return nil, fmt.Errorf("строка %d: текст вне корневого элемента", line)
			}
			p := stack[len(stack)-1]
			p.kids = append(p.kids, &node{text: string(t), line: line})
		}
	}
	if len(stack) > 0 || root == nil {
		return nil, errors.New("документ оборван или пуст")
	}
	return root, nil
}

// rawName writes prefix:local.
func rawName(n xml.Name) string {
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

// write serializes n as written (used for the schema of a template).
func (n *node) write(b *bytes.Buffer) {
	if n.isText() {
		textEscaper.WriteString(b, n.text)
		return
	}
	b.WriteString("<" + rawName(n.name))
	for _, a := range n.attrs {
		b.WriteString(" " + rawName(a.Name) + `="`)
		attrEscaper.WriteString(b, a.Value)
		b.WriteString(`"`)
	}
	if len(n.kids) == 0 {
		b.WriteString("/>")
		return
	}
	b.WriteString(">")
	for _, k := range n.kids {
		k.write(b)
	}
	b.WriteString("</" + rawName(n.name) + ">")
}
