package templates

import (
	"bytes"
	"encoding/xml"
	"github.com/mezhved/mezhved/templates/internal/xmltree"
	"slices"
	"strings"
)

// The body is kept as a tree of bnode: elements with their names and
// attributes as written, text with {{field}} placeholders, and the t:if
// condition of an element (it is left out when that field is empty).

type battr struct {
	name  string // as written, "xmlns:req" or "code"
	value string // may hold placeholders
}

type bnode struct {
	name  string // as written; "" for text
	attrs []battr
	cond  []string // t:if="a|b": the element is kept when one of these fields is filled
	kids  []*bnode
	text  string
}

// Today is the placeholder of the date the request is composed, as xs:date.
const Today = "$today"

// readBody checks the body and keeps it. tpl is the prefix bound to NS on
// <template> ("" when none).
func (t *Template) readBody(root *xmltree.Node, tpl string) error {
	body, err := one(root, "body", true)
	if err != nil {
		return err
	}
	els := body.Elements()
	if len(els) != 1 || len(body.Kids) != 1 {
		return bad("в <body> ожидается ровно один корневой элемент запроса и ничего больше")
	}
	c := &bodyChecker{t: t, tpl: tpl, used: map[string]bool{}}
	b, err := c.element(els[0], map[string]string{"xml": "http://www.w3.org/XML/1998/namespace"}, nil, true)
	if err != nil {
		return err
	}
	for _, f := range t.Fields {
		if !c.used[f.Name] {
			return bad("поле %s не используется в теле запроса", f.Name)
		}
	}
	t.body = b
	return nil
}

type bodyChecker struct {
	t    *Template
	tpl  string
	used map[string]bool
}

// element checks n in the scope of the namespace declarations made inside
// the body (prefix → namespace; "" the default), conds being the fields the
// enclosing t:if attributes require.
func (c *bodyChecker) element(n *xmltree.Node, outer map[string]string, conds []string, isRoot bool) (*bnode, error) {
	scope := make(map[string]string, len(outer)+2)
	for k, v := range outer {
		scope[k] = v
	}
	out := &bnode{name: xmltree.QName(n.Name)}
	// First the namespace declarations and the condition, which the other
	// attributes may depend on whatever their order.
	var rest []xml.Attr
	for _, a := range n.Attrs {
		switch {
		case a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns":
			if a.Value == NS {
				return nil, bad("строка %d: пространство имён шаблона объявляется только у <template>", n.Line)
			}
			if strings.Contains(a.Value, "{{") {
				return nil, bad("строка %d: подстановка в объявлении пространства имён не допускается", n.Line)
			}
			prefix := a.Name.Local
			if a.Name.Space == "" {
				prefix = ""
			}
			scope[prefix] = a.Value
			out.attrs = append(out.attrs, battr{name: xmltree.QName(a.Name), value: a.Value})
		case c.tpl != "" && a.Name.Space == c.tpl:
			if a.Name.Local != "if" {
				return nil, bad("строка %d: неизвестный атрибут шаблона %s", n.Line, xmltree.QName(a.Name))
			}
			if isRoot {
				return nil, bad("строка %d: у корневого элемента запроса не может быть условия", n.Line)
			}
			for _, name := range strings.Split(a.Value, "|") {
				if c.t.Field(name) == nil {
					return nil, bad("строка %d: условие %s=%q ссылается на поле %q, которого нет", n.Line, xmltree.QName(a.Name), a.Value, name)
				}
				out.cond = append(out.cond, name)
			}
		default:
			rest = append(rest, a)
		}
	}
	if len(out.cond) == 1 { // only a single-field condition guarantees that field is filled
		conds = append(conds, out.cond[0])
	}
	for _, a := range rest {
		if a.Name.Space != "" && scope[a.Name.Space] == "" {
			return nil, bad("строка %d: префикс %q не объявлен внутри тела запроса", n.Line, a.Name.Space)
		}
		if err := c.placeholders(a.Value, n.Line, conds); err != nil {
			return nil, err
		}
		out.attrs = append(out.attrs, battr{name: xmltree.QName(a.Name), value: a.Value})
	}
	ns, declared := scope[n.Name.Space]
	if n.Name.Space != "" && (!declared || ns == "") {
		return nil, bad("строка %d: префикс %q не объявлен внутри тела запроса", n.Line, n.Name.Space)
	}
	if isRoot && (ns != c.t.DataType.Namespace || n.Name.Local != c.t.DataType.Root) {
		return nil, bad("корневой элемент тела {%s}%s не совпадает с видом сведений {%s}%s",
			ns, n.Name.Local, c.t.DataType.Namespace, c.t.DataType.Root)
	}
	hasText, hasElems := false, false
	for _, k := range n.Kids {
		if k.IsText() {
			hasText = true
			text := strings.TrimSpace(k.Text)
			if err := c.placeholders(text, k.Line, conds); err != nil {
				return nil, err
			}
			out.kids = append(out.kids, &bnode{text: text})
			continue
		}
		hasElems = true
		kid, err := c.element(k, scope, conds, false)
		if err != nil {
			return nil, err
		}
		out.kids = append(out.kids, kid)
	}
	if hasText && hasElems {
		return nil, bad("строка %d: элемент <%s> смешивает текст и вложенные элементы", n.Line, out.name)
	}
	return out, nil
}

// placeholders checks every {{name}} in s: a field of the template (an
// optional one only under a t:if on it) or $today; no stray braces.
func (c *bodyChecker) placeholders(s string, line int, conds []string) error {
	rest := rePlace.ReplaceAllString(s, "")
	if strings.Contains(rest, "{{") || strings.Contains(rest, "}}") {
		return bad("строка %d: незакрытая подстановка {{…}} в %q", line, s)
	}
	for _, m := range rePlace.FindAllStringSubmatch(s, -1) {
		name := strings.TrimSpace(m[1])
		if name == Today {
			continue
		}
		f := c.t.Field(name)
		if f == nil {
			return bad("строка %d: подстановка {{%s}} — такого поля нет", line, name)
		}
		if !f.Required && !slices.Contains(conds, name) {
			return bad("строка %d: необязательное поле %s подставляется вне элемента с условием %s:if=%q", line, name, c.tpl, name)
		}
		c.used[name] = true
	}
	return nil
}

// render writes the body with values (already normalized) substituted and
// escaped, leaving out elements whose condition field is empty.
func (b *bnode) render(w *bytes.Buffer, values map[string]string) {
	if b.name == "" {
		xmltree.EscapeText(w, fill(b.text, values))
		return
	}
	if len(b.cond) > 0 {
		filled := false
		for _, f := range b.cond {
			filled = filled || values[f] != ""
		}
		if !filled {
			return
		}
	}
	w.WriteString("<" + b.name)
	for _, a := range b.attrs {
		w.WriteString(" " + a.name + `="`)
		xmltree.EscapeAttr(w, fill(a.value, values))
		w.WriteString(`"`)
	}
	w.WriteString(">")
	for _, k := range b.kids {
		k.render(w, values)
	}
	w.WriteString("</" + b.name + ">")
}

func fill(s string, values map[string]string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	return rePlace.ReplaceAllStringFunc(s, func(m string) string {
		return values[strings.TrimSpace(m[2:len(m)-2])]
	})
}
