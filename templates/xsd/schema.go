package xsd

import (
	"encoding/xml"
	"fmt"
	"path"
	"strings"
)

// XS is the namespace of XML Schema.
const XS = "http://www.w3.org/2001/XMLSchema"

// XSI is the namespace of the schema-instance attributes (xsi:nil).
const XSI = "http://www.w3.org/2001/XMLSchema-instance"

// Limits of a schema set: files, definitions and particles compiled.
const (
	MaxFiles = 64
	MaxDefs  = 20000
)

// document is one schema file of a set.
type document struct {
	path          string
	target        string
	qualified     bool // elementFormDefault="qualified"
	attrQualified bool // attributeFormDefault="qualified"
	root          *elem
}

// def is a global definition not compiled yet: its element and its file.
type def struct {
	e *elem
	d *document
}

// Schema is a compiled set of schema documents (one file, or a main file
// with the files it imports and includes).
type Schema struct {
	docs   []*document
	byPath map[string]*document
	files  map[string][]byte

	defs map[string]map[xml.Name]*def // kind ("element", "simpleType", …) → name → definition

	globals    map[xml.Name]*Element
	simples    map[xml.Name]*SimpleType
	complexes  map[xml.Name]*ComplexType
	groups     map[xml.Name]*Particle
	attrGroups map[xml.Name][]*Attribute
	inProgress map[xml.Name]string // named definitions being compiled, by kind
	count      int                 // definitions and particles made, bounded by MaxDefs
}

var globalKinds = []string{"element", "simpleType", "complexType", "group", "attributeGroup"}

// Compile reads a standalone schema (no imports); anything outside the
// subset (see the package comment) is an error naming the construct.
func Compile(data []byte) (*Schema, error) {
	return CompileSet("schema.xsd", map[string][]byte{"schema.xsd": data})
}

// CompileSet reads the schema file main of files (path → content, paths
// with "/" relative to one folder): xs:import and xs:include are resolved
// by schemaLocation relative to the importing file, inside files only.
func CompileSet(main string, files map[string][]byte) (*Schema, error) {
	if len(files) > MaxFiles {
		return nil, fmt.Errorf("schema: more than %d files", MaxFiles)
	}
	s := &Schema{byPath: map[string]*document{}, files: files, defs: map[string]map[xml.Name]*def{},
		globals: map[xml.Name]*Element{}, simples: map[xml.Name]*SimpleType{}, complexes: map[xml.Name]*ComplexType{},
		groups: map[xml.Name]*Particle{}, attrGroups: map[xml.Name][]*Attribute{}, inProgress: map[xml.Name]string{}}
	for _, k := range globalKinds {
		s.defs[k] = map[xml.Name]*def{}
	}
	if _, err := s.load(path.Clean(main), "", false); err != nil {
		return nil, err
	}
	if len(s.defs["element"]) == 0 {
		return nil, fmt.Errorf("schema: no global element")
	}
	if err := s.compileAll(); err != nil {
		return nil, err
	}
	return s, nil
}

// compileAll compiles every global definition, used or not: a broken one
// is an error.
func (s *Schema) compileAll() error {
	for _, kind := range globalKinds {
		for name, d := range s.defs[kind] {
			var err error
			switch kind {
			case "element":
				_, err = s.globalElement(name, d.e)
			case "simpleType":
				_, err = s.simpleByName(name, d.e)
			case "complexType":
				_, err = s.complexByName(name, d.e)
			case "group":
				_, err = s.groupByName(name, d.e)
			case "attributeGroup":
				_, err = s.attrGroupByName(name, d.e)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// load reads the file p (once) and registers its global definitions.
// wantNS is the namespace an import expects, or the includer's for an
// include.
func (s *Schema) load(p, wantNS string, checkNS bool) (*document, error) {
	if d := s.byPath[p]; d != nil {
		if checkNS && d.target != wantNS {
			return nil, fmt.Errorf("schema %s: targetNamespace %q, expected %q", p, d.target, wantNS)
		}
		return d, nil
	}
	data, ok := s.files[p]
	if !ok {
		return nil, fmt.Errorf("schema: file %s is not in the set", p)
	}
	root, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", p, err)
	}
	d, err := s.readHead(p, root)
	if err != nil {
		return nil, err
	}
	if checkNS && d.target != wantNS {
		return nil, fmt.Errorf("schema %s: targetNamespace %q, expected %q", p, d.target, wantNS)
	}
	s.byPath[p] = d
	s.docs = append(s.docs, d)
	for _, k := range root.kids {
		if err := s.topLevel(d, k); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (s *Schema) readHead(p string, root *elem) (*document, error) {
	if root.name != xsName("schema") {
		return nil, fmt.Errorf("schema %s: the root is not xs:schema", p)
	}
	if err := allowAttrs(root, "targetNamespace", "elementFormDefault", "attributeFormDefault", "version", "id"); err != nil {
		return nil, err
	}
	d := &document{path: p, root: root}
	d.target, _ = root.attr("targetNamespace")
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"elementFormDefault", &d.qualified}, {"attributeFormDefault", &d.attrQualified}} {
		switch v, _ := root.attr(f.name); v {
		case "qualified":
			*f.dst = true
		case "", "unqualified":
		default:
			return nil, fmt.Errorf("schema %s: %s=%q", p, f.name, v)
		}
	}
	return d, nil
}

// topLevel handles one child of xs:schema.
func (s *Schema) topLevel(d *document, k *elem) error {
	switch k.name {
	case xsName("annotation"):
		return nil
	case xsName("import"), xsName("include"):
		if err := allowAttrs(k, "namespace", "schemaLocation"); err != nil {
			return err
		}
		ns, _ := k.attr("namespace")
		loc, ok := k.attr("schemaLocation")
		if k.name.Local == "include" {
			ns = d.target
		} else if ns == d.target {
			return fmt.Errorf("schema %s line %d: xs:import of the schema's own namespace", d.path, k.line)
		}
		if !ok {
			if s.hasNamespace(ns) {
				return nil
			}
			return fmt.Errorf("schema %s line %d: xs:%s without schemaLocation", d.path, k.line, k.name.Local)
		}
		if strings.Contains(loc, ":") || strings.HasPrefix(loc, "/") {
			return fmt.Errorf("schema %s line %d: schemaLocation %q is not a relative path", d.path, k.line, loc)
		}
		_, err := s.load(path.Clean(path.Join(path.Dir(d.path), loc)), ns, true)
		return err
	case xsName("element"), xsName("simpleType"), xsName("complexType"), xsName("group"), xsName("attributeGroup"):
		name, _ := k.attr("name")
		if name == "" {
			return fmt.Errorf("schema %s line %d: a global xs:%s without a name", d.path, k.line, k.name.Local)
		}
		q := xml.Name{Space: d.target, Local: name}
		kind := k.name.Local
		if kind == "simpleType" || kind == "complexType" {
			if s.defs["simpleType"][q] != nil || s.defs["complexType"][q] != nil {
				return fmt.Errorf("schema %s line %d: type %q defined twice", d.path, k.line, name)
			}
		} else if s.defs[kind][q] != nil {
			return fmt.Errorf("schema %s line %d: %s %q defined twice", d.path, k.line, kind, name)
		}
		if s.count++; s.count > MaxDefs {
			return fmt.Errorf("schema: more than %d definitions", MaxDefs)
		}
		s.defs[kind][q] = &def{e: k, d: d}
		return nil
	default:
		return unsupported(k)
	}
}

func (s *Schema) hasNamespace(ns string) bool {
	for _, d := range s.docs {
		if d.target == ns {
			return true
		}
	}
	return ns == XS
}

// docOf returns the schema file an element of a schema belongs to.
func (s *Schema) docOf(e *elem) *document {
	for _, d := range s.docs {
		if d.root.doc == e.doc {
			return d
		}
	}
	panic("xsd: element of no document")
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
		if a.Name.Space != "" && a.Name.Space != XS && a.Name.Space != "http://www.w3.org/XML/1998/namespace" {
			ok = true // attributes in foreign namespaces (jxb:version) carry no constraint
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

// docs returns the texts of the xs:documentation under e's xs:annotation,
// white space collapsed.
func docs(e *elem) []string {
	var out []string
	for _, k := range e.kids {
		if k.name != xsName("annotation") {
			continue
		}
		for _, dd := range k.kids {
			if dd.name == xsName("documentation") {
				if t := strings.Join(strings.Fields(dd.allText()), " "); t != "" {
					out = append(out, t)
				}
			}
		}
	}
	return out
}

// normalize applies the whiteSpace facet of the base type.
func normalize(v string, k kind) string {
	if k == kString {
		return v
	}
	v = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, v)
	if k == kNormalized {
		return v
	}
	return strings.Join(strings.FieldsFunc(v, func(r rune) bool { return r == ' ' }), " ")
}
