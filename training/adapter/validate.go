package adapter

import (
	"fmt"
	"strings"

	"github.com/mezhved/mezhved/internal/xmltree"
)

// maxProblems bounds what one validation reports.
const maxProblems = 20

type validation struct {
	d        *xmltree.Doc
	problems []string
}

func (v *validation) addf(n int32, format string, args ...any) {
	if len(v.problems) < maxProblems {
		v.problems = append(v.problems, v.d.Path(n)+": "+fmt.Sprintf(format, args...))
	}
}

// ValidateDoc checks element n of d against the global element of its
// name; the problems, nil when it is valid.
func (s *Schema) ValidateDoc(d *xmltree.Doc, n int32) []string {
	v := &validation{d: d}
	name := qn{string(d.Nodes[n].URI), string(d.Nodes[n].Local)}
	decl, ok := s.elems[name]
	if !ok {
		v.addf(n, "no global element %s in the adapter schema", name)
		return v.problems
	}
	v.element(n, decl)
	return v.problems
}

// Validate parses doc (strictly, bounded) and checks its root.
func (s *Schema) Validate(doc []byte) []string {
	d, err := xmltree.Parse(doc)
	if err != nil {
		return []string{xmltree.Problem(err)}
	}
	return s.ValidateDoc(d, d.Root)
}

// derives reports whether t is base or extends it.
func derives(t, base *ctype) bool {
	for ; t != nil; t = t.base {
		if t == base {
			return true
		}
	}
	return false
}

func (v *validation) element(n int32, e *elemDecl) {
	d := v.d
	ct, st := e.ct, e.st
	for _, a := range d.Attributes(n) {
		if string(a.URI) != xsi || string(a.Local) != "type" {
			v.addf(n, "attribute %s is not allowed", xmltree.QName(a.Prefix, a.Local))
			continue
		}
		val := strings.TrimSpace(string(a.Value))
		p, l := "", val
		if i := strings.IndexByte(val, ':'); i >= 0 {
			p, l = val[:i], val[i+1:]
		}
		uri, _ := d.LookupNS(n, p)
		t, ok := compiled.complex[qn{uri, l}]
		if !ok || ct == nil || !derives(t, ct) {
			v.addf(n, "xsi:type %q is not a type derived from the declared one", val)
			return
		}
		ct = t
	}
	if st != nil {
		if len(d.ChildElements(n)) > 0 {
			v.addf(n, "a simple value cannot hold elements")
			return
		}
		if p := st.check(d.Text(n)); p != "" {
			v.addf(n, "%s", p)
		}
		return
	}
	for c := d.Nodes[n].FirstChild; c != xmltree.None; c = d.Nodes[c].Next {
		if k := &d.Nodes[c]; k.Kind == xmltree.Text && strings.TrimSpace(string(k.Data)) != "" {
			v.addf(n, "text is not allowed in element-only content")
			break
		}
	}
	kids := d.ChildElements(n)
	m := &matcher{v: v, kids: kids, assign: make([]*elemDecl, len(kids)), skip: make([]bool, len(kids))}
	i := 0
	ok := true
	for _, part := range chain(ct) {
		if i, ok = m.match(part, i); !ok {
			break
		}
	}
	if !ok || i < len(kids) {
		at := n
		if i < len(kids) {
			at = kids[i]
		}
		v.addf(at, "unexpected content: %s", names(d, kids, i))
		return
	}
	for j, c := range kids {
		if !m.skip[j] {
			v.element(c, m.assign[j])
		}
	}
}

// chain is the content of a type: its bases' parts first.
func chain(t *ctype) []*particle {
	if t == nil {
		return nil
	}
	out := chain(t.base)
	if t.content != nil {
		out = append(out, t.content)
	}
	return out
}

func names(d *xmltree.Doc, kids []int32, from int) string {
	if from >= len(kids) {
		return "elements missing at the end"
	}
	var s []string
	for _, k := range kids[from:min(len(kids), from+3)] {
		s = append(s, string(d.Nodes[k].Local))
	}
	return strings.Join(s, ", ")
}

type matcher struct {
	v      *validation
	kids   []int32
	assign []*elemDecl
	skip   []bool
}

func (m *matcher) is(i int, e *elemDecl) bool {
	n := &m.v.d.Nodes[m.kids[i]]
	return string(n.URI) == e.name.ns && string(n.Local) == e.name.local
}

// match matches particle p from child i greedily; the new position.
func (m *matcher) match(p *particle, i int) (int, bool) {
	count := 0
	for p.max < 0 || count < p.max {
		j, ok := m.once(p, i)
		if !ok || j == i {
			break
		}
		i = j
		count++
	}
	return i, count >= p.min || emptiable(p)
}

// once matches one occurrence of p's term.
func (m *matcher) once(p *particle, i int) (int, bool) {
	switch p.kind {
	case pElem:
		if i < len(m.kids) && m.is(i, p.elem) {
			m.assign[i], m.skip[i] = p.elem, false
			return i + 1, true
		}
		return i, false
	case pAny:
		if i >= len(m.kids) {
			return i, false
		}
		uri := string(m.v.d.Nodes[m.kids[i]].URI)
		if (p.anyNS == "##other" && (uri == "" || uri == p.targetNS)) || (p.anyNS != "##other" && uri != p.anyNS) {
			return i, false
		}
		m.skip[i] = true
		return i + 1, true
	case pSeq:
		j := i
		for _, k := range p.kids {
			var ok bool
			if j, ok = m.match(k, j); !ok {
				return i, false
			}
		}
		return j, true
	case pChoice:
		for _, k := range p.kids {
			if j, ok := m.match(k, i); ok && j > i {
				return j, true
			}
		}
		return i, false
	}
	return i, false
}

// emptiable reports whether p may match nothing.
func emptiable(p *particle) bool {
	if p.min == 0 {
		return true
	}
	switch p.kind {
	case pSeq:
		for _, k := range p.kids {
			if !emptiable(k) {
				return false
			}
		}
		return true
	case pChoice:
		for _, k := range p.kids {
			if emptiable(k) {
				return true
			}
		}
	}
	return false
}
