package xsd

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
)

// Element is a compiled element declaration.
type Element struct {
	Name     xml.Name
	Docs     []string // its xs:documentation texts (the type's when it has none)
	Nillable bool
	Simple   *SimpleType // one of these two
	Complex  *ComplexType
}

// ComplexType is element content: a content model and attributes.
type ComplexType struct {
	Name    string
	Docs    []string
	Content *Particle // nil: no child elements
	Attrs   []*Attribute
	done    bool
}

// Attribute is a compiled attribute declaration.
type Attribute struct {
	Name     xml.Name
	Type     *SimpleType
	Required bool
	Docs     []string
}

// Kind of a particle.
type PKind uint8

const (
	PElement PKind = iota
	PSequence
	PChoice
	PAny
)

// Particle is one term of a content model with its occurrence bounds.
type Particle struct {
	Min, Max int // Max < 0: unbounded
	Kind     PKind
	Elem     *Element    // PElement
	Kids     []*Particle // PSequence, PChoice
	Any      *Wildcard   // PAny
}

// Wildcard is xs:any: which namespaces, and how strictly its elements are
// checked.
type Wildcard struct {
	any     bool            // ##any
	other   string          // ##other: any namespace but this one (and no namespace)
	list    map[string]bool // the listed namespaces ("" for ##local)
	Process string          // strict, lax, skip
}

func (w *Wildcard) allows(ns string) bool {
	switch {
	case w.any:
		return true
	case w.list != nil:
		return w.list[ns]
	default:
		return ns != w.other && ns != ""
	}
}

func (s *Schema) tick(e *elem) error {
	if s.count++; s.count > MaxDefs {
		return fmt.Errorf("schema line %d: more than %d definitions and particles", e.line, MaxDefs)
	}
	return nil
}

// occurs reads minOccurs and maxOccurs of e.
func occurs(e *elem) (int, int, error) {
	lo, hi := 1, 1
	var err error
	if v, ok := e.attr("minOccurs"); ok {
		if lo, err = strconv.Atoi(v); err != nil || lo < 0 || lo > 1<<20 {
			return 0, 0, fmt.Errorf("schema line %d: minOccurs=%q", e.line, v)
		}
	}
	if v, ok := e.attr("maxOccurs"); ok {
		if v == "unbounded" {
			hi = -1
		} else if hi, err = strconv.Atoi(v); err != nil || hi < 0 || hi < lo || hi > 1<<20 {
			return 0, 0, fmt.Errorf("schema line %d: maxOccurs=%q", e.line, v)
		}
	}
	return lo, hi, nil
}

// globalElement compiles the global element name defined by e.
func (s *Schema) globalElement(name xml.Name, e *elem) (*Element, error) {
	if el := s.globals[name]; el != nil {
		return el, nil // may be still filling in: recursion through its type is allowed
	}
	if err := allowAttrs(e, "name", "type", "nillable"); err != nil {
		return nil, err
	}
	el := &Element{Name: name}
	s.globals[name] = el
	return el, s.elementType(el, e)
}

// localParticle compiles a local xs:element (a declaration or a ref) as a
// particle.
func (s *Schema) localParticle(e *elem) (*Particle, error) {
	if err := allowAttrs(e, "name", "type", "minOccurs", "maxOccurs", "nillable", "ref", "form"); err != nil {
		return nil, err
	}
	lo, hi, err := occurs(e)
	if err != nil {
		return nil, err
	}
	p := &Particle{Min: lo, Max: hi, Kind: PElement}
	if ref, ok := e.attr("ref"); ok {
		q, err := e.qname(ref)
		if err != nil {
			return nil, err
		}
		d := s.defs["element"][q]
		if d == nil {
			return nil, fmt.Errorf("schema line %d: element %q is not defined", e.line, ref)
		}
		p.Elem, err = s.globalElement(q, d.e)
		return p, err
	}
	name, _ := e.attr("name")
	if name == "" {
		return nil, fmt.Errorf("schema line %d: element without a name", e.line)
	}
	d := s.docOf(e)
	el := &Element{Name: xml.Name{Local: name}}
	form, _ := e.attr("form")
	if form == "qualified" || form == "" && d.qualified {
		el.Name.Space = d.target
	}
	p.Elem = el
	return p, s.elementType(el, e)
}

// elementType fills the type of el from its declaration e: a type
// attribute or one inline type.
func (s *Schema) elementType(el *Element, e *elem) error {
	el.Docs = docs(e)
	switch v, _ := e.attr("nillable"); v {
	case "true":
		el.Nillable = true
	case "", "false":
	default:
		return fmt.Errorf("schema line %d: nillable=%q", e.line, v)
	}
	inner := kids(e)
	typ, hasType := e.attr("type")
	var err error
	switch {
	case hasType && len(inner) == 0:
		q, err := e.qname(typ)
		if err != nil {
			return err
		}
		el.Simple, el.Complex, err = s.typeByQName(q, e)
		if err != nil {
			return err
		}
	case !hasType && len(inner) == 1 && inner[0].name == xsName("simpleType"):
		el.Simple, err = s.simple(inner[0], "")
	case !hasType && len(inner) == 1 && inner[0].name == xsName("complexType"):
		el.Complex, err = s.complex(inner[0], &ComplexType{})
	default:
		return fmt.Errorf("schema line %d: element %q needs a type attribute or one inline type", e.line, el.Name.Local)
	}
	if err == nil && len(el.Docs) == 0 {
		if el.Simple != nil {
			el.Docs = el.Simple.Docs
		} else {
			el.Docs = el.Complex.Docs
		}
	}
	return err
}

// typeByQName returns the simple or complex type called q.
func (s *Schema) typeByQName(q xml.Name, at *elem) (*SimpleType, *ComplexType, error) {
	if q.Space == XS {
		st, err := builtin(q.Local)
		if err != nil {
			return nil, nil, fmt.Errorf("schema line %d: %v", at.line, err)
		}
		return st, nil, nil
	}
	if d := s.defs["simpleType"][q]; d != nil {
		st, err := s.simpleByName(q, d.e)
		return st, nil, err
	}
	if d := s.defs["complexType"][q]; d != nil {
		ct, err := s.complexByName(q, d.e)
		return nil, ct, err
	}
	return nil, nil, fmt.Errorf("schema line %d: type {%s}%s is not defined", at.line, q.Space, q.Local)
}

func (s *Schema) simpleByName(q xml.Name, e *elem) (*SimpleType, error) {
	if st := s.simples[q]; st != nil {
		return st, nil
	}
	if s.inProgress[q] == "simpleType" {
		return nil, fmt.Errorf("schema line %d: simple type %q derives from itself", e.line, q.Local)
	}
	s.inProgress[q] = "simpleType"
	defer delete(s.inProgress, q)
	st, err := s.simple(e, q.Local)
	if err != nil {
		return nil, err
	}
	s.simples[q] = st
	return st, nil
}

func (s *Schema) complexByName(q xml.Name, e *elem) (*ComplexType, error) {
	if ct := s.complexes[q]; ct != nil {
		return ct, nil // may be still filling in: recursion through elements is allowed
	}
	ct := &ComplexType{Name: q.Local}
	s.complexes[q] = ct
	return s.complex(e, ct)
}

// complex reads an xs:complexType into ct: a model group, or complex
// content extending another type, then attributes.
func (s *Schema) complex(e *elem, ct *ComplexType) (*ComplexType, error) {
	if err := allowAttrs(e, "name", "mixed"); err != nil {
		return nil, err
	}
	if v, _ := e.attr("mixed"); v != "" && v != "false" {
		return nil, fmt.Errorf("schema line %d: mixed content is not supported", e.line)
	}
	if err := s.tick(e); err != nil {
		return nil, err
	}
	ct.Docs = docs(e)
	in := kids(e)
	if len(in) > 0 && in[0].name == xsName("complexContent") {
		if len(in) != 1 {
			return nil, fmt.Errorf("schema line %d: xs:complexContent must be alone", e.line)
		}
		if err := s.extension(in[0], ct); err != nil {
			return nil, err
		}
		ct.done = true
		return ct, nil
	}
	if err := s.contentAndAttrs(in, ct); err != nil {
		return nil, err
	}
	ct.done = true
	return ct, nil
}

// extension reads xs:complexContent/xs:extension: the base's content
// followed by its own, the base's attributes and its own.
func (s *Schema) extension(cc *elem, ct *ComplexType) error {
	if err := allowAttrs(cc); err != nil {
		return err
	}
	in := kids(cc)
	if len(in) != 1 || in[0].name != xsName("extension") {
		return fmt.Errorf("schema line %d: only xs:extension is supported in xs:complexContent", cc.line)
	}
	x := in[0]
	if err := allowAttrs(x, "base"); err != nil {
		return err
	}
	bv, _ := x.attr("base")
	q, err := x.qname(bv)
	if err != nil {
		return err
	}
	_, base, err := s.typeByQName(q, x)
	if err != nil {
		return err
	}
	if base == nil || !base.done {
		return fmt.Errorf("schema line %d: %q is not a complete complex type to extend", x.line, bv)
	}
	own := &ComplexType{}
	if err := s.contentAndAttrs(kids(x), own); err != nil {
		return err
	}
	switch {
	case base.Content == nil:
		ct.Content = own.Content
	case own.Content == nil:
		ct.Content = base.Content
	default:
		ct.Content = &Particle{Min: 1, Max: 1, Kind: PSequence, Kids: []*Particle{base.Content, own.Content}}
	}
	ct.Attrs = append(append([]*Attribute(nil), base.Attrs...), own.Attrs...)
	return checkAttrs(ct.Attrs, x)
}

// contentAndAttrs reads an optional model group followed by attributes.
func (s *Schema) contentAndAttrs(in []*elem, ct *ComplexType) error {
	for i, k := range in {
		switch k.name {
		case xsName("sequence"), xsName("choice"), xsName("group"):
			if i != 0 {
				return fmt.Errorf("schema line %d: the group must come before the attributes", k.line)
			}
			p, err := s.particle(k)
			if err != nil {
				return err
			}
			ct.Content = p
		case xsName("attribute"), xsName("attributeGroup"):
			as, err := s.attributes(k)
			if err != nil {
				return err
			}
			ct.Attrs = append(ct.Attrs, as...)
		default:
			return unsupported(k)
		}
	}
	if len(in) > 0 {
		return checkAttrs(ct.Attrs, in[0])
	}
	return nil
}

func checkAttrs(as []*Attribute, at *elem) error {
	seen := map[xml.Name]bool{}
	for _, a := range as {
		if seen[a.Name] {
			return fmt.Errorf("schema line %d: attribute %q declared twice", at.line, a.Name.Local)
		}
		seen[a.Name] = true
	}
	return nil
}

// particle reads xs:sequence, xs:choice, xs:group ref, xs:element or
// xs:any inside a content model.
func (s *Schema) particle(k *elem) (*Particle, error) {
	if err := s.tick(k); err != nil {
		return nil, err
	}
	switch k.name {
	case xsName("element"):
		return s.localParticle(k)
	case xsName("any"):
		return s.wildcard(k)
	case xsName("group"):
		if err := allowAttrs(k, "ref", "minOccurs", "maxOccurs"); err != nil {
			return nil, err
		}
		lo, hi, err := occurs(k)
		if err != nil {
			return nil, err
		}
		ref, _ := k.attr("ref")
		q, err := k.qname(ref)
		if err != nil {
			return nil, err
		}
		d := s.defs["group"][q]
		if d == nil {
			return nil, fmt.Errorf("schema line %d: group %q is not defined", k.line, ref)
		}
		g, err := s.groupByName(q, d.e)
		if err != nil {
			return nil, err
		}
		cp := *g
		cp.Min, cp.Max = lo, hi
		return &cp, nil
	case xsName("sequence"), xsName("choice"):
		if err := allowAttrs(k, "minOccurs", "maxOccurs"); err != nil {
			return nil, err
		}
		lo, hi, err := occurs(k)
		if err != nil {
			return nil, err
		}
		p := &Particle{Min: lo, Max: hi, Kind: PSequence}
		if k.name.Local == "choice" {
			p.Kind = PChoice
		}
		for _, c := range kids(k) {
			kp, err := s.particle(c)
			if err != nil {
				return nil, err
			}
			p.Kids = append(p.Kids, kp)
		}
		return p, nil
	}
	return nil, unsupported(k)
}

func (s *Schema) wildcard(k *elem) (*Particle, error) {
	if err := allowAttrs(k, "namespace", "processContents", "minOccurs", "maxOccurs"); err != nil {
		return nil, err
	}
	lo, hi, err := occurs(k)
	if err != nil {
		return nil, err
	}
	w := &Wildcard{Process: "strict"}
	if v, ok := k.attr("processContents"); ok {
		if v != "strict" && v != "lax" && v != "skip" {
			return nil, fmt.Errorf("schema line %d: processContents=%q", k.line, v)
		}
		w.Process = v
	}
	target := s.docOf(k).target
	switch v, ok := k.attr("namespace"); {
	case !ok || v == "##any":
		w.any = true
	case v == "##other":
		w.other = target
	default:
		w.list = map[string]bool{}
		for _, ns := range strings.Fields(v) {
			switch ns {
			case "##local":
				w.list[""] = true
			case "##targetNamespace":
				w.list[target] = true
			default:
				w.list[ns] = true
			}
		}
	}
	return &Particle{Min: lo, Max: hi, Kind: PAny, Any: w}, nil
}

func (s *Schema) groupByName(q xml.Name, e *elem) (*Particle, error) {
	if g := s.groups[q]; g != nil {
		return g, nil
	}
	if s.inProgress[q] == "group" {
		return nil, fmt.Errorf("schema line %d: group %q refers to itself", e.line, q.Local)
	}
	s.inProgress[q] = "group"
	defer delete(s.inProgress, q)
	if err := allowAttrs(e, "name"); err != nil {
		return nil, err
	}
	in := kids(e)
	if len(in) != 1 || (in[0].name != xsName("sequence") && in[0].name != xsName("choice")) {
		return nil, fmt.Errorf("schema line %d: group %q must hold one xs:sequence or xs:choice", e.line, q.Local)
	}
	if _, ok := in[0].attr("minOccurs"); ok {
		return nil, fmt.Errorf("schema line %d: occurrence inside a named group", e.line)
	}
	g, err := s.particle(in[0])
	if err != nil {
		return nil, err
	}
	s.groups[q] = g
	return g, nil
}

func (s *Schema) attrGroupByName(q xml.Name, e *elem) ([]*Attribute, error) {
	if g, ok := s.attrGroups[q]; ok {
		return g, nil
	}
	if s.inProgress[q] == "attributeGroup" {
		return nil, fmt.Errorf("schema line %d: attribute group %q refers to itself", e.line, q.Local)
	}
	s.inProgress[q] = "attributeGroup"
	defer delete(s.inProgress, q)
	if err := allowAttrs(e, "name"); err != nil {
		return nil, err
	}
	var out []*Attribute
	for _, k := range kids(e) {
		as, err := s.attributes(k)
		if err != nil {
			return nil, err
		}
		out = append(out, as...)
	}
	if err := checkAttrs(out, e); err != nil {
		return nil, err
	}
	s.attrGroups[q] = out
	return out, nil
}

// attributes reads an xs:attribute or an xs:attributeGroup ref.
func (s *Schema) attributes(k *elem) ([]*Attribute, error) {
	if k.name == xsName("attributeGroup") {
		if err := allowAttrs(k, "ref"); err != nil {
			return nil, err
		}
		ref, _ := k.attr("ref")
		q, err := k.qname(ref)
		if err != nil {
			return nil, err
		}
		d := s.defs["attributeGroup"][q]
		if d == nil {
			return nil, fmt.Errorf("schema line %d: attribute group %q is not defined", k.line, ref)
		}
		return s.attrGroupByName(q, d.e)
	}
	if k.name != xsName("attribute") {
		return nil, unsupported(k)
	}
	if err := allowAttrs(k, "name", "type", "use", "form"); err != nil {
		return nil, err
	}
	name, _ := k.attr("name")
	if name == "" {
		return nil, fmt.Errorf("schema line %d: xs:attribute needs a name", k.line)
	}
	a := &Attribute{Name: xml.Name{Local: name}, Docs: docs(k)}
	d := s.docOf(k)
	if form, _ := k.attr("form"); form == "qualified" || form == "" && d.attrQualified {
		a.Name.Space = d.target
	}
	typ, hasType := k.attr("type")
	in := kids(k)
	switch {
	case hasType && len(in) == 0:
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
		a.Type = st
	case !hasType && len(in) == 1 && in[0].name == xsName("simpleType"):
		st, err := s.simple(in[0], "")
		if err != nil {
			return nil, err
		}
		a.Type = st
	default:
		return nil, fmt.Errorf("schema line %d: xs:attribute %q needs a type", k.line, name)
	}
	if len(a.Docs) == 0 {
		a.Docs = a.Type.Docs
	}
	switch use, _ := k.attr("use"); use {
	case "required":
		a.Required = true
	case "", "optional":
	default:
		return nil, fmt.Errorf("schema line %d: use=%q is not supported", k.line, use)
	}
	return []*Attribute{a}, nil
}
