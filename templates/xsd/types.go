package xsd

import (
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// kind is the primitive a simple type derives from, with the built-in
// derivations that only narrow the lexical space (token) or the range
// (long).
type kind uint8

const (
	kString kind = iota
	kNormalized
	kToken
	kDate
	kDateTime
	kTime
	kGYear
	kGYearMonth
	kDecimal
	kInteger
	kDouble
	kBoolean
)

func (k kind) stringy() bool { return k <= kToken }
func (k kind) numeric() bool { return k == kDecimal || k == kInteger }
func (k kind) dateLike() bool {
	return k == kDate || k == kDateTime || k == kTime || k == kGYear || k == kGYearMonth
}

// SimpleType is a built-in type with the facets of every restriction step.
type SimpleType struct {
	Name string
	Docs []string
	kind kind

	patterns   [][]*regexp.Regexp // each step: one of its patterns must match; every step must
	patternSrc [][]string
	enums      [][]string // each step: the value must be one of them
	// EnumDocs gives the xs:documentation of each value of the last
	// enumeration ("1" → "мужской").
	EnumDocs map[string]string
	length   []int
	minLen   []int
	maxLen   []int
	digits   []int // totalDigits
	frac     []int // fractionDigits
	bounds   []bound
}

// bound is one of minInclusive, maxInclusive, minExclusive, maxExclusive.
type bound struct {
	max, inclusive bool
	num            *big.Rat // numeric types
	key            string   // date-like types: the comparable form
	text           string
}

var integerRanges = map[string][2]string{
	"long": {"-9223372036854775808", "9223372036854775807"}, "int": {"-2147483648", "2147483647"},
	"short": {"-32768", "32767"}, "byte": {"-128", "127"},
	"nonNegativeInteger": {"0", ""}, "positiveInteger": {"1", ""}, "nonPositiveInteger": {"", "0"}, "negativeInteger": {"", "-1"},
	"unsignedLong": {"0", "18446744073709551615"}, "unsignedInt": {"0", "4294967295"},
	"unsignedShort": {"0", "65535"}, "unsignedByte": {"0", "255"},
}

var builtinKinds = map[string]kind{
	"string": kString, "normalizedString": kNormalized, "token": kToken,
	"date": kDate, "dateTime": kDateTime, "time": kTime, "gYear": kGYear, "gYearMonth": kGYearMonth,
	"decimal": kDecimal, "integer": kInteger, "double": kDouble, "float": kDouble, "boolean": kBoolean,
}

// builtin returns the built-in type xs:name.
func builtin(name string) (*SimpleType, error) {
	st := &SimpleType{Name: "xs:" + name}
	if k, ok := builtinKinds[name]; ok {
		st.kind = k
		return st, nil
	}
	r, ok := integerRanges[name]
	if !ok {
		return nil, fmt.Errorf("built-in type xs:%s is not supported", name)
	}
	st.kind = kInteger
	if r[0] != "" {
		v, _ := new(big.Rat).SetString(r[0])
		st.bounds = append(st.bounds, bound{inclusive: true, num: v, text: r[0]})
	}
	if r[1] != "" {
		v, _ := new(big.Rat).SetString(r[1])
		st.bounds = append(st.bounds, bound{max: true, inclusive: true, num: v, text: r[1]})
	}
	return st, nil
}

// simple reads an xs:simpleType: its base and every facet the subset
// knows.
func (s *Schema) simple(e *elem, name string) (*SimpleType, error) {
	if err := allowAttrs(e, "name"); err != nil {
		return nil, err
	}
	if err := s.tick(e); err != nil {
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
	var parent *SimpleType
	if bv, ok := r.attr("base"); ok {
		q, err := r.qname(bv)
		if err != nil {
			return nil, err
		}
		p, ct, err := s.typeByQName(q, r)
		if err != nil {
			return nil, err
		}
		if ct != nil {
			return nil, fmt.Errorf("schema line %d: a simple type cannot restrict a complex type", r.line)
		}
		parent = p
	} else {
		return nil, fmt.Errorf("schema line %d: xs:restriction without base", r.line)
	}
	st := &SimpleType{Name: name, Docs: docs(e), kind: parent.kind, EnumDocs: parent.EnumDocs,
		patterns:   append([][]*regexp.Regexp(nil), parent.patterns...),
		patternSrc: append([][]string(nil), parent.patternSrc...),
		enums:      append([][]string(nil), parent.enums...),
		length:     append([]int(nil), parent.length...),
		minLen:     append([]int(nil), parent.minLen...),
		maxLen:     append([]int(nil), parent.maxLen...),
		digits:     append([]int(nil), parent.digits...),
		frac:       append([]int(nil), parent.frac...),
		bounds:     append([]bound(nil), parent.bounds...),
	}
	if len(st.Docs) == 0 {
		st.Docs = parent.Docs
	}
	if err := st.facets(r); err != nil {
		return nil, err
	}
	return st, nil
}

// facets reads the facets of restriction r into st. It is one switch on
// purpose: one case per facet of the recommendation.
func (st *SimpleType) facets(r *elem) error {
	var pats []*regexp.Regexp
	var srcs, enums []string
	enumDocs := map[string]string{}
	for _, f := range kids(r) {
		if err := allowAttrs(f, "value"); err != nil {
			return err
		}
		v, ok := f.attr("value")
		if !ok {
			return fmt.Errorf("schema line %d: facet without value", f.line)
		}
		switch f.name {
		case xsName("pattern"):
			re, err := translatePattern(v)
			if err != nil {
				return fmt.Errorf("schema line %d: %v", f.line, err)
			}
			pats, srcs = append(pats, re), append(srcs, v)
		case xsName("enumeration"):
			nv := normalize(v, st.kind)
			if msg := st.lexical(nv); msg != "" {
				return fmt.Errorf("schema line %d: enumeration %q: %s", f.line, v, msg)
			}
			enums = append(enums, nv)
			if d := docs(f); len(d) > 0 {
				enumDocs[nv] = strings.Join(d, "; ")
			}
		case xsName("length"), xsName("minLength"), xsName("maxLength"), xsName("totalDigits"), xsName("fractionDigits"):
			if err := st.count(f, v); err != nil {
				return err
			}
		case xsName("minInclusive"), xsName("maxInclusive"), xsName("minExclusive"), xsName("maxExclusive"):
			b, err := st.bound(f, v)
			if err != nil {
				return err
			}
			st.bounds = append(st.bounds, b)
		default:
			return unsupported(f)
		}
	}
	if len(pats) > 0 {
		st.patterns, st.patternSrc = append(st.patterns, pats), append(st.patternSrc, srcs)
	}
	if len(enums) > 0 {
		st.enums = append(st.enums, enums)
		st.EnumDocs = enumDocs
	}
	return nil
}

// count reads a facet whose value is a count: the lengths (string types)
// and the digits (decimal types).
func (st *SimpleType) count(f *elem, v string) error {
	n, err := strconv.Atoi(v)
	lengthy := strings.HasSuffix(f.name.Local, "ength")
	if err != nil || n < 0 || n > 1<<20 || lengthy && !st.kind.stringy() || !lengthy && !st.kind.numeric() ||
		f.name.Local == "totalDigits" && n == 0 {
		return fmt.Errorf("schema line %d: %s=%q (lengths on string types, digits on decimal types, a number)", f.line, f.name.Local, v)
	}
	switch f.name.Local {
	case "length":
		st.length = append(st.length, n)
	case "minLength":
		st.minLen = append(st.minLen, n)
	case "maxLength":
		st.maxLen = append(st.maxLen, n)
	case "totalDigits":
		st.digits = append(st.digits, n)
	default:
		st.frac = append(st.frac, n)
	}
	return nil
}

func (st *SimpleType) bound(f *elem, v string) (bound, error) {
	b := bound{max: strings.HasPrefix(f.name.Local, "max"), inclusive: strings.HasSuffix(f.name.Local, "Inclusive"), text: v}
	v = normalize(v, kToken)
	if msg := st.lexical(v); msg != "" {
		return b, fmt.Errorf("schema line %d: %s=%q: %s", f.line, f.name.Local, v, msg)
	}
	switch {
	case st.kind.numeric():
		b.num, _ = new(big.Rat).SetString(v)
	case st.kind.dateLike() && st.kind != kTime:
		if hasZone(v) {
			return b, fmt.Errorf("schema line %d: %s with a time zone is not supported", f.line, f.name.Local)
		}
		b.key = dateKey(v)
	default:
		return b, fmt.Errorf("schema line %d: %s on %s is not supported", f.line, f.name.Local, st.Name)
	}
	return b, nil
}
