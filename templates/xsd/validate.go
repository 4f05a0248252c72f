package xsd

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// MaxWork bounds the steps of matching content models in one document.
const MaxWork = 10_000_000

// Node is an element of a checked document with the declaration it was
// matched to (nil for an element under a skipped wildcard or not matched).
type Node struct {
	Name  xml.Name
	Decl  *Element
	Attrs []NodeAttr
	Kids  []*Node
	Text  string
}

// NodeAttr is an attribute of a checked document with its declaration.
type NodeAttr struct {
	Name  xml.Name
	Value string
	Decl  *Attribute
}

// Validate checks the document doc against s and returns every problem it
// finds, in Russian, each naming the element; none means valid.
func (s *Schema) Validate(doc []byte) []string {
	_, problems := s.Check(doc)
	return problems
}

// Check validates doc and returns it as a tree of nodes with their
// declarations (nil when doc is not well-formed) and the problems.
func (s *Schema) Check(doc []byte) (*Node, []string) {
	root, err := parse(doc)
	if err != nil {
		return nil, []string{"документ не является правильным XML: " + err.Error()}
	}
	v := &validator{s: s}
	decl := s.globals[root.name]
	if decl == nil {
		return v.plain(root), []string{fmt.Sprintf("корневой элемент %s не объявлен в схеме", show(root.name))}
	}
	n := v.element(root, decl)
	return n, v.problems
}

// Root returns the global element name, or nil.
func (s *Schema) Root(name xml.Name) *Element { return s.globals[name] }

type validator struct {
	s        *Schema
	problems []string
	work     int
}

func (v *validator) addf(e *elem, format string, args ...any) {
	if len(v.problems) < 100 {
		v.problems = append(v.problems, fmt.Sprintf("строка %d, элемент %s: ", e.line, e.name.Local)+fmt.Sprintf(format, args...))
	}
}

func show(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return "{" + n.Space + "}" + n.Local
}

// plain returns e as nodes without declarations.
func (v *validator) plain(e *elem) *Node {
	n := &Node{Name: e.name, Text: e.text}
	for _, a := range e.attrs {
		n.Attrs = append(n.Attrs, NodeAttr{Name: a.Name, Value: a.Value})
	}
	for _, k := range e.kids {
		n.Kids = append(n.Kids, v.plain(k))
	}
	return n
}

func (v *validator) element(e *elem, d *Element) *Node {
	n := &Node{Name: e.name, Decl: d, Text: e.text}
	nilled, ok := v.nilled(e, d)
	if !ok {
		return n
	}
	if nilled {
		if len(e.kids) > 0 || e.text != "" {
			v.addf(e, "элемент с xsi:nil не должен иметь содержимого")
		}
		if d.Complex != nil {
			v.attributes(e, d.Complex, n)
		}
		return n
	}
	if d.Simple != nil {
		if len(e.kids) > 0 {
			v.addf(e, "вложенные элементы не допускаются")
		}
		for _, a := range e.attrs {
			if a.Name.Space != XSI {
				v.addf(e, "атрибут %s не объявлен в схеме", a.Name.Local)
			}
		}
		if msg := d.Simple.check(e.text); msg != "" {
			v.addf(e, "%s", msg)
		}
		return n
	}
	ct := d.Complex
	if strings.TrimSpace(e.text) != "" {
		v.addf(e, "текст внутри элемента не допускается")
	}
	v.attributes(e, ct, n)
	decls := v.content(e, ct.Content)
	for i, k := range e.kids {
		switch {
		case decls[i].elem != nil:
			n.Kids = append(n.Kids, v.element(k, decls[i].elem))
		case decls[i].any != nil:
			n.Kids = append(n.Kids, v.wild(k, decls[i].any))
		default:
			n.Kids = append(n.Kids, v.plain(k))
		}
	}
	return n
}

// nilled reads xsi:nil on e: (nil, true) when it may go on; false when
// the element is wrong and its content is not checked.
func (v *validator) nilled(e *elem, d *Element) (bool, bool) {
	for _, a := range e.attrs {
		if a.Name.Space != XSI {
			continue
		}
		if a.Name.Local != "nil" {
			v.addf(e, "атрибут xsi:%s не поддерживается", a.Name.Local)
			return false, false
		}
		val := strings.TrimSpace(a.Value)
		if !d.Nillable {
			v.addf(e, "элемент не может быть xsi:nil")
			return false, false
		}
		if val != "true" && val != "false" && val != "1" && val != "0" {
			v.addf(e, "xsi:nil=%q", a.Value)
			return false, false
		}
		return val == "true" || val == "1", true
	}
	return false, true
}

func (v *validator) wild(e *elem, w *Wildcard) *Node {
	if w.Process == "skip" {
		return v.plain(e)
	}
	if d := v.s.globals[e.name]; d != nil {
		return v.element(e, d)
	}
	if w.Process == "strict" {
		v.addf(e, "элемент %s не объявлен в схеме", show(e.name))
	}
	return v.plain(e)
}

func (v *validator) attributes(e *elem, ct *ComplexType, n *Node) {
	for _, a := range e.attrs {
		if a.Name.Space == XSI && a.Name.Local == "nil" {
			continue
		}
		var decl *Attribute
		for _, ad := range ct.Attrs {
			if ad.Name == a.Name {
				decl = ad
			}
		}
		n.Attrs = append(n.Attrs, NodeAttr{Name: a.Name, Value: a.Value, Decl: decl})
		if decl == nil {
			v.addf(e, "атрибут %s не объявлен в схеме", a.Name.Local)
		} else if msg := decl.Type.check(a.Value); msg != "" {
			v.addf(e, "атрибут %s: %s", a.Name.Local, msg)
		}
	}
	for _, ad := range ct.Attrs {
		if !ad.Required {
			continue
		}
		found := false
		for _, a := range e.attrs {
			found = found || a.Name == ad.Name
		}
		if !found {
			v.addf(e, "нет обязательного атрибута %s", ad.Name.Local)
		}
	}
}

// match is what a child was matched to.
type match struct {
	elem *Element
	any  *Wildcard
}

// content matches the children of e against the content model p: the set
// of positions reachable after each particle is computed (an NFA run, so
// nested groups and optional parts need no backtracking); every child
// reached is given the declaration that matched it.
func (v *validator) content(e *elem, p *Particle) []match {
	n := len(e.kids)
	decls := make([]match, n)
	if p == nil {
		if n > 0 {
			v.addf(e, "элемент %s здесь не ожидается", show(e.kids[0].name))
		}
		return decls
	}
	m := &matcher{v: v, kids: e.kids, decls: decls}
	start := make([]bool, n+1)
	start[0] = true
	end := m.particle(p, start)
	if v.work > MaxWork {
		v.addf(e, "слишком сложное содержимое")
		return decls
	}
	if end[n] {
		return decls
	}
	far := m.far
	switch {
	case far < n:
		v.addf(e, "элемент %s здесь не ожидается", show(e.kids[far].name))
	default:
		v.addf(e, "не хватает вложенных элементов")
	}
	return decls
}

type matcher struct {
	v     *validator
	kids  []*elem
	decls []match
	far   int // the furthest position reached
}

func (m *matcher) reach(set []bool) {
	for i := len(set) - 1; i > m.far; i-- {
		if set[i] {
			m.far = i
			return
		}
	}
}

// particle returns the positions reachable after p from any of from.
func (m *matcher) particle(p *Particle, from []bool) []bool {
	out := make([]bool, len(from))
	if p.Min == 0 {
		copy(out, from)
	}
	cur := from
	limit := p.Min + len(m.kids) + 1
	for i := 1; (p.Max < 0 || i <= p.Max) && i <= limit; i++ {
		m.v.work += len(from)
		if m.v.work > MaxWork {
			return out
		}
		next := m.term(p, cur)
		if !anySet(next) {
			break
		}
		if i >= p.Min {
			grew := false
			for k, ok := range next {
				if ok && !out[k] {
					out[k], grew = true, true
				}
			}
			if !grew { // every position of next was reached before, with fewer repetitions
				break
			}
		}
		cur = next
	}
	m.reach(out)
	return out
}

func (m *matcher) term(p *Particle, from []bool) []bool {
	out := make([]bool, len(from))
	switch p.Kind {
	case PElement, PAny:
		for i, ok := range from {
			if !ok || i >= len(m.kids) {
				continue
			}
			k := m.kids[i]
			if p.Kind == PElement && k.name == p.Elem.Name {
				out[i+1] = true
				if m.decls[i].elem == nil {
					m.decls[i] = match{elem: p.Elem}
				}
			} else if p.Kind == PAny && p.Any.allows(k.name.Space) {
				out[i+1] = true
				if m.decls[i] == (match{}) {
					m.decls[i] = match{any: p.Any}
				}
			}
		}
	case PSequence:
		cur := from
		for _, k := range p.Kids {
			cur = m.particle(k, cur)
			if !anySet(cur) {
				break
			}
		}
		copy(out, cur)
	case PChoice:
		for _, k := range p.Kids {
			for i, ok := range m.particle(k, from) {
				out[i] = out[i] || ok
			}
		}
	}
	m.reach(out)
	return out
}

func anySet(set []bool) bool {
	for _, ok := range set {
		if ok {
			return true
		}
	}
	return false
}

// Roots returns the names of the global elements.
func (s *Schema) Roots() []xml.Name {
	out := make([]xml.Name, 0, len(s.globals))
	for n := range s.globals {
		out = append(out, n)
	}
	return out
}
