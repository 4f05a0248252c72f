package adapter

import (
	"embed"
	"encoding/base64"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/mezhved/mezhved/internal/xmltree"
)

// The adapter's XSD is compiled by a small compiler of its own: the
// project's templates/xsd takes only the subset the cards use (no ref, no
// complexContent, no xs:any, no xsi:type), and this interface needs them.
// What it takes is what the two adapter schemas use; anything else is
// refused when compiling, so nothing is silently ignored:
//   - xs:schema (targetNamespace, elementFormDefault="qualified"), xs:import
//     of the other embedded file, xs:annotation skipped;
//   - global and local xs:element with type, ref, or an inline complexType;
//     minOccurs, maxOccurs;
//   - xs:complexType of xs:sequence / xs:choice (nested, with occurrences),
//     or xs:complexContent/xs:extension of a named complex type; no
//     attributes (none is declared, so an element may carry only xsi:type
//     and namespace declarations);
//   - xs:any (namespace ##other or a URI, processContents="skip");
//   - xs:simpleType restricting xs:string, xs:dateTime, xs:boolean,
//     xs:base64Binary or a named simple type, with xs:enumeration,
//     xs:maxLength and xs:pattern;
//   - xsi:type on an element, resolved and checked to derive from the
//     declared type.
//
// Content models are matched greedily, which is exact for the deterministic
// models XSD requires; the tests check every verdict against xmllint.

//go:embed xsd/*.xsd
var xsdFiles embed.FS

const xs = "http://www.w3.org/2001/XMLSchema"
const xsi = "http://www.w3.org/2001/XMLSchema-instance"

type qn struct{ ns, local string }

func (q qn) String() string { return "{" + q.ns + "}" + q.local }

type builtin int

const (
	bString builtin = iota + 1
	bDateTime
	bBoolean
	bBase64
)

type stype struct {
	base     builtin
	parentQN qn     // a named simple type restricted (resolved in link)
	parent   *stype // its facets hold too
	enum     []string
	maxLen   int // -1: none
	patterns []*regexp.Regexp
}

type pkind int

const (
	pElem pkind = iota + 1
	pSeq
	pChoice
	pAny
)

type particle struct {
	kind     pkind
	min, max int // max -1: unbounded
	elem     *elemDecl
	kids     []*particle
	anyNS    string // "##other" or a URI
	targetNS string // of the schema the xs:any is in
}

type ctype struct {
	name    qn
	baseQN  qn
	base    *ctype
	content *particle // its own part (after the base's)
}

type elemDecl struct {
	name   qn
	typeQN qn
	ct     *ctype
	st     *stype
	refQN  qn // a ref, resolved in link
}

// Schema is the compiled adapter interface.
type Schema struct {
	elems   map[qn]*elemDecl
	complex map[qn]*ctype
	simple  map[qn]*stype
	refs    []*elemDecl // local refs to resolve
	locals  []*elemDecl // local declarations whose type to resolve
}

var (
	compiled    *Schema
	compileErr  error
	compileOnce sync.Once
)

// AdapterSchema returns the compiled adapter schemas (types and faults).
func AdapterSchema() (*Schema, error) {
	compileOnce.Do(func() {
		s := &Schema{elems: map[qn]*elemDecl{}, complex: map[qn]*ctype{}, simple: map[qn]*stype{}}
		for _, f := range []string{"xsd/smev-service-adapter-faults.xsd", "xsd/smev-service-adapter-types.xsd"} {
			b, err := xsdFiles.ReadFile(f)
			if err == nil {
				err = s.add(b)
			}
			if err != nil {
				compileErr = fmt.Errorf("%s: %w", f, err)
				return
			}
		}
		compileErr = s.link()
		compiled = s
	})
	return compiled, compileErr
}

type sdoc struct {
	d  *xmltree.Doc
	ns string
}

func (s *Schema) add(b []byte) error {
	d, err := xmltree.Parse(b)
	if err != nil {
		return err
	}
	if !d.Is(d.Root, xs, "schema") {
		return fmt.Errorf("not a schema")
	}
	tns, _ := d.Attr(d.Root, "", "targetNamespace")
	if v, _ := d.Attr(d.Root, "", "elementFormDefault"); v != "qualified" {
		return fmt.Errorf("elementFormDefault %q unsupported", v)
	}
	sd := sdoc{d, tns}
	for _, c := range d.ChildElements(d.Root) {
		if string(d.Nodes[c].URI) != xs {
			return fmt.Errorf("unexpected %s", d.Nodes[c].Local)
		}
		name, _ := d.Attr(c, "", "name")
		var err error
		switch string(d.Nodes[c].Local) {
		case "annotation":
		case "import": // the other embedded file, loaded all the same
		case "element":
			var e *elemDecl
			e, err = s.element(sd, c, true)
			if err == nil {
				s.elems[e.name] = e
			}
		case "complexType":
			var t *ctype
			t, err = s.complexType(sd, c)
			if err == nil {
				t.name = qn{tns, name}
				s.complex[t.name] = t
			}
		case "simpleType":
			var t *stype
			t, err = s.simpleType(sd, c)
			if err == nil {
				s.simple[qn{tns, name}] = t
			}
		default:
			err = fmt.Errorf("xs:%s unsupported", d.Nodes[c].Local)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", d.Path(c), err)
		}
	}
	return nil
}

func kidsOf(d *xmltree.Doc, n int32) []int32 {
	var out []int32
	for _, c := range d.ChildElements(n) {
		if !d.Is(c, xs, "annotation") {
			out = append(out, c)
		}
	}
	return out
}

func (sd sdoc) qname(n int32, v string) (qn, error) {
	p, l := "", v
	if i := strings.IndexByte(v, ':'); i >= 0 {
		p, l = v[:i], v[i+1:]
	}
	uri, ok := sd.d.LookupNS(n, p)
	if !ok && p != "" {
		return qn{}, fmt.Errorf("unknown prefix in %q", v)
	}
	return qn{uri, l}, nil
}

func occurs(d *xmltree.Doc, n int32) (int, int, error) {
	lo, hi := 1, 1
	if v, ok := d.Attr(n, "", "minOccurs"); ok {
		x, err := strconv.Atoi(v)
		if err != nil || x < 0 {
			return 0, 0, fmt.Errorf("minOccurs %q", v)
		}
		lo = x
	}
	if v, ok := d.Attr(n, "", "maxOccurs"); ok {
		if v == "unbounded" {
			hi = -1
		} else if x, err := strconv.Atoi(v); err == nil && x >= 1 {
			hi = x
		} else {
			return 0, 0, fmt.Errorf("maxOccurs %q", v)
		}
	}
	return lo, hi, nil
}

func (s *Schema) element(sd sdoc, n int32, global bool) (*elemDecl, error) {
	d := sd.d
	for _, a := range d.Attributes(n) {
		switch string(a.Local) {
		case "name", "type", "ref", "minOccurs", "maxOccurs":
		default:
			return nil, fmt.Errorf("attribute %s unsupported", a.Local)
		}
	}
	e := &elemDecl{}
	if ref, ok := d.Attr(n, "", "ref"); ok {
		if global {
			return nil, fmt.Errorf("a global ref")
		}
		q, err := sd.qname(n, ref)
		if err != nil {
			return nil, err
		}
		e.refQN = q
		s.refs = append(s.refs, e)
		return e, nil
	}
	name, _ := d.Attr(n, "", "name")
	e.name = qn{sd.ns, name}
	if t, ok := d.Attr(n, "", "type"); ok {
		q, err := sd.qname(n, t)
		if err != nil {
			return nil, err
		}
		e.typeQN = q
		s.locals = append(s.locals, e)
		return e, nil
	}
	kids := kidsOf(d, n)
	if len(kids) != 1 || !d.Is(kids[0], xs, "complexType") {
		return nil, fmt.Errorf("element %s: an inline complexType or a type is needed", name)
	}
	ct, err := s.complexType(sd, kids[0])
	e.ct = ct
	return e, err
}

func (s *Schema) complexType(sd sdoc, n int32) (*ctype, error) {
	d := sd.d
	t := &ctype{}
	kids := kidsOf(d, n)
	if len(kids) != 1 {
		return nil, fmt.Errorf("a complexType of one sequence, choice or complexContent is needed")
	}
	k := kids[0]
	if d.Is(k, xs, "complexContent") {
		ext := kidsOf(d, k)
		if len(ext) != 1 || !d.Is(ext[0], xs, "extension") {
			return nil, fmt.Errorf("complexContent: only extension is supported")
		}
		b, _ := d.Attr(ext[0], "", "base")
		q, err := sd.qname(ext[0], b)
		if err != nil {
			return nil, err
		}
		t.baseQN = q
		body := kidsOf(d, ext[0])
		if len(body) > 1 {
			return nil, fmt.Errorf("extension: one group at most")
		}
		if len(body) == 1 {
			t.content, err = s.group(sd, body[0])
		}
		return t, err
	}
	var err error
	t.content, err = s.group(sd, k)
	return t, err
}

func (s *Schema) group(sd sdoc, n int32) (*particle, error) {
	d := sd.d
	lo, hi, err := occurs(d, n)
	if err != nil {
		return nil, err
	}
	p := &particle{min: lo, max: hi}
	switch string(d.Nodes[n].Local) {
	case "sequence":
		p.kind = pSeq
	case "choice":
		p.kind = pChoice
	case "element":
		p.kind = pElem
		p.elem, err = s.element(sd, n, false)
		return p, err
	case "any":
		p.kind, p.targetNS = pAny, sd.ns
		p.anyNS, _ = d.Attr(n, "", "namespace")
		if p.anyNS == "" || strings.Contains(p.anyNS, " ") || (strings.HasPrefix(p.anyNS, "##") && p.anyNS != "##other") {
			return nil, fmt.Errorf("xs:any namespace %q unsupported", p.anyNS)
		}
		if pc, _ := d.Attr(n, "", "processContents"); pc != "skip" {
			return nil, fmt.Errorf("xs:any processContents %q unsupported", pc)
		}
		return p, nil
	default:
		return nil, fmt.Errorf("xs:%s unsupported", d.Nodes[n].Local)
	}
	for _, c := range kidsOf(d, n) {
		k, err := s.group(sd, c)
		if err != nil {
			return nil, err
		}
		p.kids = append(p.kids, k)
	}
	return p, nil
}

func (s *Schema) simpleType(sd sdoc, n int32) (*stype, error) {
	d := sd.d
	kids := kidsOf(d, n)
	if len(kids) != 1 || !d.Is(kids[0], xs, "restriction") {
		return nil, fmt.Errorf("simpleType: only restriction is supported")
	}
	r := kids[0]
	b, _ := d.Attr(r, "", "base")
	q, err := sd.qname(r, b)
	if err != nil {
		return nil, err
	}
	t := &stype{maxLen: -1}
	switch {
	case q == qn{xs, "string"}:
		t.base = bString
	case q.ns == xs:
		return nil, fmt.Errorf("base %s unsupported", b)
	default:
		t.parentQN = q
	}
	for _, f := range kidsOf(d, r) {
		v, _ := d.Attr(f, "", "value")
		switch string(d.Nodes[f].Local) {
		case "enumeration":
			t.enum = append(t.enum, v)
		case "maxLength":
			x, err := strconv.Atoi(v)
			if err != nil || x < 0 {
				return nil, fmt.Errorf("maxLength %q", v)
			}
			t.maxLen = x
		case "pattern":
			if strings.ContainsAny(v, `\`) {
				return nil, fmt.Errorf("pattern escapes unsupported: %q", v)
			}
			re, err := regexp.Compile(`^(?:` + v + `)$`)
			if err != nil {
				return nil, err
			}
			t.patterns = append(t.patterns, re)
		default:
			return nil, fmt.Errorf("facet %s unsupported", d.Nodes[f].Local)
		}
	}
	return t, nil
}

var builtins = map[string]builtin{"string": bString, "dateTime": bDateTime, "boolean": bBoolean, "base64Binary": bBase64}

// link resolves refs, types and bases.
func (s *Schema) link() error {
	for _, e := range s.refs {
		g, ok := s.elems[e.refQN]
		if !ok {
			return fmt.Errorf("ref %s: no such element", e.refQN)
		}
		*e = *g
	}
	resolve := func(e *elemDecl) error {
		if e.ct != nil || e.st != nil {
			return nil
		}
		if e.typeQN.ns == xs {
			b, ok := builtins[e.typeQN.local]
			if !ok {
				return fmt.Errorf("type %s unsupported", e.typeQN)
			}
			e.st = &stype{base: b, maxLen: -1}
			return nil
		}
		if ct, ok := s.complex[e.typeQN]; ok {
			e.ct = ct
		} else if st, ok := s.simple[e.typeQN]; ok {
			e.st = st
		} else {
			return fmt.Errorf("type %s: not declared", e.typeQN)
		}
		return nil
	}
	for _, e := range s.elems {
		if err := resolve(e); err != nil {
			return err
		}
	}
	for _, e := range s.locals {
		if err := resolve(e); err != nil {
			return err
		}
	}
	for _, e := range s.refs { // copied before their globals were resolved
		if err := resolve(e); err != nil {
			return err
		}
	}
	for q, t := range s.simple {
		for seen := 0; t.parentQN != (qn{}) && t.parent == nil; seen++ {
			p, ok := s.simple[t.parentQN]
			if !ok || seen > len(s.simple) {
				return fmt.Errorf("simple type %s: base %s not declared", q, t.parentQN)
			}
			t.parent = p
		}
	}
	for _, t := range s.simple {
		for p := t; p != nil && t.base == 0; p = p.parent {
			t.base = p.base
		}
	}
	for _, t := range s.complex {
		if t.baseQN != (qn{}) {
			b, ok := s.complex[t.baseQN]
			if !ok {
				return fmt.Errorf("base %s: not a complex type", t.baseQN)
			}
			t.base = b
		}
	}
	return nil
}

var reDateTime = regexp.MustCompile(`^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?$`)

// check returns what is wrong with a value of t ("" when nothing).
func (t *stype) check(v string) string {
	if t.parent != nil {
		if p := t.parent.check(v); p != "" {
			return p
		}
	}
	switch t.base {
	case bDateTime:
		if !reDateTime.MatchString(strings.TrimSpace(v)) {
			return "not an xs:dateTime"
		}
	case bBoolean:
		switch strings.TrimSpace(v) {
		case "true", "false", "1", "0":
		default:
			return "not an xs:boolean"
		}
	case bBase64:
		if _, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(v), "")); err != nil {
			return "not xs:base64Binary"
		}
	}
	if t.maxLen >= 0 && utf8.RuneCountInString(v) > t.maxLen {
		return fmt.Sprintf("longer than %d characters", t.maxLen)
	}
	if len(t.enum) > 0 {
		ok := false
		for _, e := range t.enum {
			ok = ok || e == v
		}
		if !ok {
			return fmt.Sprintf("%q is not one of %s", v, strings.Join(t.enum, ", "))
		}
	}
	for _, re := range t.patterns {
		if !re.MatchString(v) {
			return fmt.Sprintf("%q does not match %s", v, re)
		}
	}
	return ""
}
