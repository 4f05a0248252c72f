package templates

import (
	"bytes"
	"slices"
	"strings"

	"github.com/mezhved/mezhved/internal/xmltree"
)

// The body is kept as a tree of bnode: elements with their names and
// attributes as written, text with {{field}} placeholders, and the t:if
// condition of an element (it is left out when that field is empty).

type battr struct {
	name  string // as written, "xmlns:req" or "code"
	value string // may hold placeholders
	space string // the namespace of the attribute's name
	local string // its local name ("" for a namespace declaration)
}

type bnode struct {
	name  string // as written; "" for text
	space string // the namespace of the element's name
	local string
	attrs []battr
	cond  []string // t:if="a|b": the element is kept when one of these fields is filled
	not   []string // t:unless="a|b": the element is left out when one of these fields is filled
	kids  []*bnode
	text  string
}

// Today is the placeholder of the date the request is composed, as xs:date.
const Today = "$today"

// RequestID is the placeholder of the identifier of the request made when
// it is composed (ИдДок, ИдЗапрос): a UUID derived from the card, the values
// and the day, so composing the same draft again gives the same body.
const RequestID = "$uuid"

// readBody checks the body and keeps it. tpl is the prefix bound to NS on
// <template> ("" when none), for messages.
func (t *Template) readBody(d *xmltree.Doc, root int32, tpl string) error {
	body, err := one(d, root, "body", true)
	if err != nil {
		return err
	}
	el, ok := onlyElement(d, body)
	if !ok {
		return bad("в <body> ожидается ровно один корневой элемент запроса и ничего больше")
	}
	c := &bodyChecker{t: t, d: d, tpl: tpl, used: map[string]bool{}}
	b, err := c.element(el, map[string]string{"xml": xmltree.XMLNamespace}, nil, true)
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
	d    *xmltree.Doc
	tpl  string
	used map[string]bool
}

// element checks element n in the scope of the namespace declarations made
// inside the body (prefix → namespace; "" the default), conds being the
// fields the enclosing t:if attributes require.
func (c *bodyChecker) element(n int32, outer map[string]string, conds []string, isRoot bool) (*bnode, error) {
	d := c.d
	nd := &d.Nodes[n]
	out := &bnode{name: xmltree.QName(nd.Prefix, nd.Local)}
	// First the namespace declarations and the condition, which the other
	// attributes may depend on whatever their order.
	scope, err := c.declarations(n, outer, out)
	if err != nil {
		return nil, err
	}
	if err := c.condition(n, out, isRoot); err != nil {
		return nil, err
	}
	if len(out.cond) == 1 { // only a single-field condition guarantees that field is filled
		conds = append(conds, out.cond[0])
	}
	for _, a := range d.Attributes(n) {
		if string(a.URI) == NS {
			continue
		}
		if len(a.Prefix) > 0 && scope[string(a.Prefix)] == "" {
			return nil, bad("строка %d: префикс %q не объявлен внутри тела запроса", d.Line(n), a.Prefix)
		}
		attrConds := conds
		if f := fieldOf(string(a.Value)); f != "" { // an attribute of one field alone is left out when it is empty
			attrConds = append(conds[:len(conds):len(conds)], f)
		}
		if err := c.placeholders(string(a.Value), n, attrConds); err != nil {
			return nil, err
		}
		space := ""
		if len(a.Prefix) > 0 {
			space = scope[string(a.Prefix)]
		}
		out.attrs = append(out.attrs, battr{name: xmltree.QName(a.Prefix, a.Local), value: string(a.Value), space: space, local: string(a.Local)})
	}
	ns, declared := scope[string(nd.Prefix)]
	if len(nd.Prefix) > 0 && (!declared || ns == "") {
		return nil, bad("строка %d: префикс %q не объявлен внутри тела запроса", d.Line(n), nd.Prefix)
	}
	out.space, out.local = ns, string(nd.Local)
	if isRoot && (ns != c.t.DataType.Namespace || string(nd.Local) != c.t.DataType.Root) {
		return nil, bad("корневой элемент тела {%s}%s не совпадает с видом сведений {%s}%s",
			ns, nd.Local, c.t.DataType.Namespace, c.t.DataType.Root)
	}
	if err := c.content(n, scope, conds, out); err != nil {
		return nil, err
	}
	return out, nil
}

// declarations checks the namespace declarations of n, keeps them in out
// and returns the scope inside n.
func (c *bodyChecker) declarations(n int32, outer map[string]string, out *bnode) (map[string]string, error) {
	scope := make(map[string]string, len(outer)+2)
	for k, v := range outer {
		scope[k] = v
	}
	for _, ns := range c.d.Decls(n) {
		if string(ns.URI) == NS {
			return nil, bad("строка %d: пространство имён шаблона объявляется только у <template>", c.d.Line(n))
		}
		if strings.Contains(string(ns.URI), "{{") {
			return nil, bad("строка %d: подстановка в объявлении пространства имён не допускается", c.d.Line(n))
		}
		scope[string(ns.Prefix)] = string(ns.URI)
		out.attrs = append(out.attrs, battr{name: ns.Name(), value: string(ns.URI)})
	}
	return scope, nil
}

// condition reads the template's attributes of n: t:if, the only one.
func (c *bodyChecker) condition(n int32, out *bnode, isRoot bool) error {
	d := c.d
	for _, a := range d.Attributes(n) {
		if string(a.URI) != NS {
			continue
		}
		name := xmltree.QName(a.Prefix, a.Local)
		if string(a.Local) != "if" && string(a.Local) != "unless" {
			return bad("строка %d: неизвестный атрибут шаблона %s", d.Line(n), name)
		}
		if isRoot {
			return bad("строка %d: у корневого элемента запроса не может быть условия", d.Line(n))
		}
		for _, field := range strings.Split(string(a.Value), "|") {
			if c.t.Field(field) == nil {
				return bad("строка %d: условие %s=%q ссылается на поле %q, которого нет", d.Line(n), name, a.Value, field)
			}
			if string(a.Local) == "unless" {
				out.not = append(out.not, field)
			} else {
				out.cond = append(out.cond, field)
			}
		}
	}
	return nil
}

// content checks the children of n: text or elements, not both.
func (c *bodyChecker) content(n int32, scope map[string]string, conds []string, out *bnode) error {
	d := c.d
	hasText, hasElems := false, false
	for k := d.Nodes[n].FirstChild; k != xmltree.None; k = d.Nodes[k].Next {
		switch d.Nodes[k].Kind {
		case xmltree.Text:
			text := strings.TrimSpace(string(d.Nodes[k].Data))
			if text == "" {
				continue
			}
			hasText = true
			if err := c.placeholders(text, k, conds); err != nil {
				return err
			}
			out.kids = append(out.kids, &bnode{text: text})
		case xmltree.Element:
			hasElems = true
			kid, err := c.element(k, scope, conds, false)
			if err != nil {
				return err
			}
			out.kids = append(out.kids, kid)
		}
	}
	if hasText && hasElems {
		return bad("строка %d: элемент <%s> смешивает текст и вложенные элементы", d.Line(n), out.name)
	}
	return nil
}

// placeholders checks every {{name}} in s, written in node n: a field of
// the template (an optional one only under a t:if on it) or $today; no
// stray braces.
func (c *bodyChecker) placeholders(s string, n int32, conds []string) error {
	rest := rePlace.ReplaceAllString(s, "")
	if strings.Contains(rest, "{{") || strings.Contains(rest, "}}") {
		return bad("строка %d: незакрытая подстановка {{…}} в %q", c.d.Line(n), s)
	}
	for _, m := range rePlace.FindAllStringSubmatch(s, -1) {
		name := strings.TrimSpace(m[1])
		if name == Today || name == RequestID {
			continue
		}
		f := c.t.Field(name)
		if f == nil {
			return bad("строка %d: подстановка {{%s}} — такого поля нет", c.d.Line(n), name)
		}
		if !f.Required && !slices.Contains(conds, name) {
			return bad("строка %d: необязательное поле %s подставляется вне элемента с условием %s:if=%q", c.d.Line(n), name, c.tpl, name)
		}
		c.used[name] = true
	}
	return nil
}

// render writes the body with values (already normalized) substituted and
// escaped, leaving out elements whose condition field is empty.
func (b *bnode) render(w *bytes.Buffer, values map[string]string) {
	if b.name == "" {
		w.Write(xmltree.AppendText(w.AvailableBuffer(), fill(b.text, values)))
		return
	}
	for _, f := range b.not {
		if values[f] != "" {
			return
		}
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
		if f := fieldOf(a.value); f != "" && values[f] == "" {
			continue
		}
		w.WriteString(" " + a.name + `="`)
		w.Write(xmltree.AppendAttr(w.AvailableBuffer(), fill(a.value, values)))
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
