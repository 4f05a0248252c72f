package xsd

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// XS is the namespace of XML Schema.
const XS = "http://www.w3.org/2001/XMLSchema"

type base uint8

const (
	bString base = iota
	bNormalized
	bToken
	bDate
	bInteger
	bBoolean
)

var builtins = map[string]base{
	"string": bString, "normalizedString": bNormalized, "token": bToken,
	"date": bDate, "integer": bInteger, "boolean": bBoolean,
}

// simpleType is a built-in type with the facets of every restriction step.
type simpleType struct {
	name     string
	base     base
	patterns [][]*regexp.Regexp // each step: one of its patterns must match; every step must
	enums    [][]string         // each step: the value must be one of them
	length   []int
	minLen   []int
	maxLen   []int
}

type complexType struct {
	choice    bool
	particles []*element
	attrs     []*attribute
}

type attribute struct {
	name     xml.Name
	typ      *simpleType
	required bool
}

type element struct {
	name     xml.Name
	min, max int // max < 0: unbounded
	simple   *simpleType
	complex  *complexType
}

// Schema is a compiled schema of the subset.
type Schema struct {
	target    string
	qualified bool
	globals   map[xml.Name]*element

	namedSimple  map[string]*elem // definitions by local name, compiled lazily
	namedComplex map[string]*elem
	simples      map[string]*simpleType
	complexes    map[string]*complexType
}

// Compile reads a schema; anything outside the subset (see the package
// comment) is an error naming the construct.
func Compile(data []byte) (*Schema, error) {
	root, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	if root.name != (xml.Name{Space: XS, Local: "schema"}) {
		return nil, fmt.Errorf("schema: the root is not xs:schema")
	}
	if err := allowAttrs(root, "targetNamespace", "elementFormDefault", "attributeFormDefault", "version"); err != nil {
		return nil, err
	}
	s := &Schema{globals: map[xml.Name]*element{}, namedSimple: map[string]*elem{}, namedComplex: map[string]*elem{},
		simples: map[string]*simpleType{}, complexes: map[string]*complexType{}}
	s.target, _ = root.attr("targetNamespace")
	switch v, _ := root.attr("elementFormDefault"); v {
	case "qualified":
		s.qualified = true
	case "", "unqualified":
	default:
		return nil, fmt.Errorf("schema: elementFormDefault=%q", v)
	}
	if v, ok := root.attr("attributeFormDefault"); ok && v != "unqualified" {
		return nil, fmt.Errorf("schema: attributeFormDefault=%q is not supported", v)
	}
	var globals []*elem
	for _, k := range root.kids {
		name, _ := k.attr("name")
		switch k.name {
		case xsName("annotation"):
		case xsName("element"):
			globals = append(globals, k)
		case xsName("simpleType"), xsName("complexType"):
			if name == "" {
				return nil, fmt.Errorf("schema line %d: a global type without a name", k.line)
			}
			if s.namedSimple[name] != nil || s.namedComplex[name] != nil {
				return nil, fmt.Errorf("schema line %d: type %q defined twice", k.line, name)
			}
			if k.name.Local == "simpleType" {
				s.namedSimple[name] = k
			} else {
				s.namedComplex[name] = k
			}
		default:
			return nil, unsupported(k)
		}
	}
	for _, g := range globals {
		e, err := s.element(g, true)
		if err != nil {
			return nil, err
		}
		if s.globals[e.name] != nil {
			return nil, fmt.Errorf("schema line %d: element %q declared twice", g.line, e.name.Local)
		}
		s.globals[e.name] = e
	}
	// Compile the named types nobody uses too: a broken one is an error.
	for name, def := range s.namedSimple {
		if _, err := s.simpleByName(name, def); err != nil {
			return nil, err
		}
	}
	for name, def := range s.namedComplex {
		if _, err := s.complexByName(name, def); err != nil {
			return nil, err
		}
	}
	if len(s.globals) == 0 {
		return nil, fmt.Errorf("schema: no global element")
	}
	return s, nil
}

func xsName(local string) xml.Name { return xml.Name{Space: XS, Local: local} }

func unsupported(e *elem) error {
	return fmt.Errorf("schema line %d: <%s> is outside the supported subset of XSD", e.line, e.name.Local)
}

func allowAttrs(e *elem, names ...string) error {
	for _, a := range e.attrs {
		ok := false
		for _, n := range names {
			ok = ok || a.Name.Space == "" && a.Name.Local == n
		}
		if !ok {
			return fmt.Errorf("schema line %d: attribute %s of <%s> is outside the supported subset", e.line, a.Name.Local, e.name.Local)
		}
	}
	return nil
}

// kids returns the children other than xs:annotation.
func kids(e *elem) []*elem {
	var out []*elem
	for _, k := range e.kids {
		if k.name != xsName("annotation") {
			out = append(out, k)
		}
	}
	return out
}

func (s *Schema) element(e *elem, global bool) (*element, error) {
	if global {
		if err := allowAttrs(e, "name", "type"); err != nil {
			return nil, err
		}
	} else if err := allowAttrs(e, "name", "type", "minOccurs", "maxOccurs"); err != nil {
		return nil, err
	}
	name, _ := e.attr("name")
	if name == "" {
		return nil, fmt.Errorf("schema line %d: element without a name (ref is not supported)", e.line)
	}
	out := &element{name: xml.Name{Local: name}, min: 1, max: 1}
	if global || s.qualified {
		out.name.Space = s.target
	}
	var err error
	if v, ok := e.attr("minOccurs"); ok {
		if out.min, err = strconv.Atoi(v); err != nil || out.min < 0 {
			return nil, fmt.Errorf("schema line %d: minOccurs=%q", e.line, v)
		}
	}
	if v, ok := e.attr("maxOccurs"); ok {
		if v == "unbounded" {
			out.max = -1
		} else if out.max, err = strconv.Atoi(v); err != nil || out.max < 1 || out.max < out.min {
			return nil, fmt.Errorf("schema line %d: maxOccurs=%q", e.line, v)
		}
	}
	inner := kids(e)
	typ, hasType := e.attr("type")
	switch {
	case hasType && len(inner) == 0:
		q, err := e.qname(typ)
		if err != nil {
			return nil, err
		}
		if out.simple, out.complex, err = s.typeByQName(q, e); err != nil {
			return nil, err
		}
	case !hasType && len(inner) == 1 && inner[0].name == xsName("simpleType"):
		out.simple, err = s.simple(inner[0], "")
	case !hasType && len(inner) == 1 && inner[0].name == xsName("complexType"):
		out.complex, err = s.complex(inner[0], &complexType{})
	default:
		return nil, fmt.Errorf("schema line %d: element %q needs a type attribute or one inline type", e.line, name)
	}
	return out, err
}

func (s *Schema) typeByQName(q xml.Name, at *elem) (*simpleType, *complexType, error) {
	if q.Space == XS {
		b, ok := builtins[q.Local]
		if !ok {
			return nil, nil, fmt.Errorf("schema line %d: built-in type xs:%s is not supported", at.line, q.Local)
		}
		return &simpleType{name: "xs:" + q.Local, base: b}, nil, nil
	}
	if q.Space != s.target {
		return nil, nil, fmt.Errorf("schema line %d: type %q is from another namespace (imports are not supported)", at.line, q.Local)
	}
	if def := s.namedSimple[q.Local]; def != nil {
		st, err := s.simpleByName(q.Local, def)
		return st, nil, err
	}
	if def := s.namedComplex[q.Local]; def != nil {
		ct, err := s.complexByName(q.Local, def)
		return nil, ct, err
	}
	return nil, nil, fmt.Errorf("schema line %d: type %q is not defined", at.line, q.Local)
}

func (s *Schema) simpleByName(name string, def *elem) (*simpleType, error) {
	if st, ok := s.simples[name]; ok {
		if st == nil {
			return nil, fmt.Errorf("schema line %d: simple type %q derives from itself", def.line, name)
		}
		return st, nil
	}
	s.simples[name] = nil // in progress
	st, err := s.simple(def, name)
	if err != nil {
		return nil, err
	}
	s.simples[name] = st
	return st, nil
}

func (s *Schema) complexByName(name string, def *elem) (*complexType, error) {
	if ct, ok := s.complexes[name]; ok {
		return ct, nil // may be still filling in: recursion through elements is allowed
	}
	ct := &complexType{}
	s.complexes[name] = ct
	return s.complex(def, ct)
}

// simple reads an xs:simpleType: its base and every facet the subset
// knows. It is one function on purpose: one case per facet of the
// recommendation, in its order.
func (s *Schema) simple(e *elem, name string) (*simpleType, error) {
	if err := allowAttrs(e, "name"); err != nil {
		return nil, err
	}
	inner := kids(e)
	if len(inner) != 1 || inner[0].name != xsName("restriction") {
		return nil, fmt.Errorf("schema line %d: a simple type must be one xs:restriction (list and union are not supported)", e.line)
	}
	r := inner[0]
	if err := allowAttrs(r, "base"); err != nil {
		return nil, err
	}
	bv, ok := r.attr("base")
	if !ok {
		return nil, fmt.Errorf("schema line %d: xs:restriction without base", r.line)
	}
	q, err := r.qname(bv)
	if err != nil {
		return nil, err
	}
	parent, ct, err := s.typeByQName(q, r)
	if err != nil {
		return nil, err
	}
	if ct != nil {
		return nil, fmt.Errorf("schema line %d: a simple type cannot restrict a complex type", r.line)
	}
	st := &simpleType{name: name, base: parent.base,
		patterns: append([][]*regexp.Regexp(nil), parent.patterns...),
		enums:    append([][]string(nil), parent.enums...),
		length:   append([]int(nil), parent.length...),
		minLen:   append([]int(nil), parent.minLen...),
		maxLen:   append([]int(nil), parent.maxLen...),
	}
	var pats []*regexp.Regexp
	var enums []string
	hasEnum := false
	for _, f := range kids(r) {
		if err := allowAttrs(f, "value"); err != nil {
			return nil, err
		}
		v, ok := f.attr("value")
		if !ok {
			return nil, fmt.Errorf("schema line %d: facet without value", f.line)
		}
		stringy := st.base <= bToken
		switch f.name {
		case xsName("pattern"):
			re, err := translatePattern(v)
			if err != nil {
				return nil, fmt.Errorf("schema line %d: %v", f.line, err)
			}
			pats = append(pats, re)
		case xsName("enumeration"):
			if !stringy {
				return nil, fmt.Errorf("schema line %d: xs:enumeration is supported on string types only", f.line)
			}
			enums = append(enums, normalize(v, st.base))
			hasEnum = true
		case xsName("length"), xsName("minLength"), xsName("maxLength"):
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || !stringy {
				return nil, fmt.Errorf("schema line %d: %s=%q (on string types only, a number)", f.line, f.name.Local, v)
			}
			switch f.name.Local {
			case "length":
				st.length = append(st.length, n)
			case "minLength":
				st.minLen = append(st.minLen, n)
			default:
				st.maxLen = append(st.maxLen, n)
			}
		default:
			return nil, unsupported(f)
		}
	}
	if len(pats) > 0 {
		st.patterns = append(st.patterns, pats)
	}
	if hasEnum {
		st.enums = append(st.enums, enums)
	}
	return st, nil
}

func (s *Schema) complex(e *elem, ct *complexType) (*complexType, error) {
	if err := allowAttrs(e, "name"); err != nil {
		return nil, err
	}
	for i, k := range kids(e) {
		switch k.name {
		case xsName("sequence"), xsName("choice"):
			if i != 0 {
				return nil, fmt.Errorf("schema line %d: the group must come before the attributes", k.line)
			}
			if err := allowAttrs(k); err != nil {
				return nil, err
			}
			ct.choice = k.name.Local == "choice"
			for _, p := range kids(k) {
				if p.name != xsName("element") {
					return nil, unsupported(p)
				}
				el, err := s.element(p, false)
				if err != nil {
					return nil, err
				}
				for _, other := range ct.particles {
					if other.name == el.name {
						return nil, fmt.Errorf("schema line %d: element %q appears twice in one group", p.line, el.name.Local)
					}
				}
				ct.particles = append(ct.particles, el)
			}
		case xsName("attribute"):
			if err := allowAttrs(k, "name", "type", "use"); err != nil {
				return nil, err
			}
			name, _ := k.attr("name")
			typ, ok := k.attr("type")
			if name == "" || !ok {
				return nil, fmt.Errorf("schema line %d: xs:attribute needs name and type", k.line)
			}
			q, err := k.qname(typ)
			if err != nil {
				return nil, err
			}
			st, c, err := s.typeByQName(q, k)
			if err != nil {
				return nil, err
			}
			if c != nil {
				return nil, fmt.Errorf("schema line %d: an attribute cannot have a complex type", k.line)
			}
			a := &attribute{name: xml.Name{Local: name}, typ: st}
			switch use, _ := k.attr("use"); use {
			case "required":
				a.required = true
			case "", "optional":
			default:
				return nil, fmt.Errorf("schema line %d: use=%q is not supported", k.line, use)
			}
			ct.attrs = append(ct.attrs, a)
		default:
			return nil, unsupported(k)
		}
	}
	return ct, nil
}

// normalize applies the whiteSpace facet of the base type.
func normalize(v string, b base) string {
	if b == bString {
		return v
	}
	v = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, v)
	if b == bNormalized {
		return v
	}
	return strings.Join(strings.FieldsFunc(v, func(r rune) bool { return r == ' ' }), " ")
}
