package xsd

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/mezhved/mezhved/internal/xmltree"
)

// Gen makes instances of a schema's elements: the training node's answers
// and the differential tests' documents. Every value it writes satisfies
// its type; what it proposes through Value is used when it does.
type Gen struct {
	Rand *rand.Rand
	// Value proposes a value for an element or attribute: path is the
	// local names from the root down to it (an attribute last, with "@").
	// "" or a value its type refuses lets Gen make one from the facets.
	Value func(path []string, t *SimpleType) string
	// Choose picks the branch of a choice at path (the index into
	// branches); nil or -1 picks at random.
	Choose func(path []string, branches []*Particle) int
	// Optional is the chance an optional part is written (0.5 when 0);
	// negative writes none.
	Optional float64
	// MaxRepeat is the most repetitions of a repeatable part (2 when 0).
	MaxRepeat int
	// MaxDepth stops optional parts below it (12 when 0).
	MaxDepth int
}

type genRun struct {
	*Gen
	prefixes map[string]string
	order    []string
}

// Generate returns an instance of the global element root.
func (g *Gen) Generate(s *Schema, root xml.Name) ([]byte, error) {
	el := s.globals[root]
	if el == nil {
		return nil, fmt.Errorf("xsd: no global element %s", show(root))
	}
	if g.Rand == nil {
		g.Rand = rand.New(rand.NewPCG(1, 2))
	}
	r := &genRun{Gen: g, prefixes: map[string]string{}}
	var body bytes.Buffer
	if err := r.element(&body, el, nil, 0, true); err != nil {
		return nil, err
	}
	// Declare every namespace on the root: insert after its name.
	out := body.Bytes()
	end := bytes.IndexAny(out, " >")
	var decls strings.Builder
	for _, ns := range r.order {
		decls.WriteString(" xmlns:" + r.prefixes[ns] + `="`)
		decls.Write(xmltree.AppendAttr(nil, ns))
		decls.WriteString(`"`)
	}
	return append(append(append([]byte(nil), out[:end]...), decls.String()...), out[end:]...), nil
}

func (r *genRun) qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	p, ok := r.prefixes[n.Space]
	if !ok {
		p = fmt.Sprintf("ns%d", len(r.order)+1)
		r.prefixes[n.Space] = p
		r.order = append(r.order, n.Space)
	}
	return p + ":" + n.Local
}

func (r *genRun) chance() bool {
	switch {
	case r.Optional < 0:
		return false
	case r.Optional == 0:
		return r.Rand.Float64() < 0.5
	}
	return r.Rand.Float64() < r.Optional
}

func (r *genRun) element(w *bytes.Buffer, el *Element, path []string, depth int, _ bool) error {
	path = append(path[:len(path):len(path)], el.Name.Local)
	name := r.qname(el.Name)
	w.WriteString("<" + name)
	if el.Simple != nil {
		v, err := r.value(path, el.Simple)
		if err != nil {
			return err
		}
		w.WriteString(">")
		w.Write(xmltree.AppendText(nil, v))
		w.WriteString("</" + name + ">")
		return nil
	}
	ct := el.Complex
	for _, a := range ct.Attrs {
		if !a.Required && !r.chance() {
			continue
		}
		v, err := r.value(append(path[:len(path):len(path)], "@"+a.Name.Local), a.Type)
		if err != nil {
			return err
		}
		w.WriteString(" " + r.qname(a.Name) + `="`)
		w.Write(xmltree.AppendAttr(nil, v))
		w.WriteString(`"`)
	}
	w.WriteString(">")
	if ct.Content != nil {
		if err := r.particle(w, ct.Content, path, depth+1); err != nil {
			return err
		}
	}
	w.WriteString("</" + name + ">")
	return nil
}

func (r *genRun) maxDepth() int {
	if r.MaxDepth == 0 {
		return 12
	}
	return r.MaxDepth
}

func (r *genRun) particle(w *bytes.Buffer, p *Particle, path []string, depth int) error {
	n := p.Min
	if depth > r.maxDepth()*4 {
		return fmt.Errorf("xsd: %s: the content model nests too deep to generate", strings.Join(path, "/"))
	}
	if depth <= r.maxDepth() {
		maxRep := r.MaxRepeat
		if maxRep == 0 {
			maxRep = 2
		}
		if n == 0 && r.chance() {
			n = 1
		}
		for n < maxRep && (p.Max < 0 || n < p.Max) && n >= 1 && p.Max != 1 && r.chance() {
			n++
		}
	}
	for i := 0; i < n; i++ {
		if err := r.term(w, p, path, depth); err != nil {
			return err
		}
	}
	return nil
}

func (r *genRun) term(w *bytes.Buffer, p *Particle, path []string, depth int) error {
	switch p.Kind {
	case PElement:
		return r.element(w, p.Elem, path, depth, false)
	case PSequence:
		for _, k := range p.Kids {
			if err := r.particle(w, k, path, depth); err != nil {
				return err
			}
		}
	case PChoice:
		if len(p.Kids) == 0 {
			return nil
		}
		i := -1
		if r.Choose != nil {
			i = r.Choose(path, p.Kids)
		}
		if i < 0 || i >= len(p.Kids) {
			i = r.Rand.IntN(len(p.Kids))
		}
		k := *p.Kids[i]
		if k.Min == 0 { // the branch chosen is written
			k.Min = 1
		}
		return r.particle(w, &k, path, depth)
	case PAny:
		return fmt.Errorf("xsd: %s: cannot generate the content of xs:any", strings.Join(path, "/"))
	}
	return nil
}

// value returns the proposed value when its type takes it, else one made
// from the facets.
func (r *genRun) value(path []string, t *SimpleType) (string, error) {
	if r.Value != nil {
		if v := r.Value(path, t); v != "" && t.check(v) == "" {
			return v, nil
		}
	}
	return t.Sample(r.Rand)
}

// Sample returns a random value of t.
func (t *SimpleType) Sample(rnd *rand.Rand) (string, error) {
	for attempt := 0; attempt < 60; attempt++ {
		v := t.candidate(rnd, attempt)
		if t.check(v) == "" {
			return v, nil
		}
	}
	return "", fmt.Errorf("xsd: no value of type %s could be made", t.Name)
}

func (t *SimpleType) candidate(rnd *rand.Rand, attempt int) string {
	if n := len(t.enums); n > 0 {
		step := t.enums[n-1]
		return step[rnd.IntN(len(step))]
	}
	if n := len(t.patterns); n > 0 {
		step := t.patterns[n-1]
		return samplePattern(step[rnd.IntN(len(step))], rnd, 2+attempt)
	}
	switch t.kind {
	case kDate, kDateTime, kGYear, kGYearMonth:
		return t.sampleDate(rnd, attempt)
	case kTime:
		return fmt.Sprintf("%02d:%02d:00", 8+rnd.IntN(10), rnd.IntN(60))
	case kBoolean:
		return []string{"true", "false"}[rnd.IntN(2)]
	case kDecimal, kInteger, kDouble:
		return t.sampleNumber(rnd, attempt)
	}
	return t.sampleText(rnd)
}

var words = strings.Fields("Учебное Луговая Центральная сведения поселение администрация Садовая запрос Речная Лесная выписка район")

func (t *SimpleType) sampleText(rnd *rand.Rand) string {
	lo, hi := 1, 40
	for _, l := range t.minLen {
		lo = max(lo, l)
	}
	for _, l := range t.maxLen {
		hi = min(hi, l)
	}
	for _, l := range t.length {
		lo, hi = l, l
	}
	hi = max(hi, lo)
	want := lo + rnd.IntN(hi-lo+1)
	var b []rune
	for len(b) < want {
		if len(b) > 0 {
			b = append(b, ' ')
		}
		b = append(b, []rune(words[rnd.IntN(len(words))])...)
	}
	return strings.TrimSpace(string(b[:want]))
}

func (t *SimpleType) sampleDate(rnd *rand.Rand, attempt int) string {
	y, m, d := 1955+rnd.IntN(65), 1+rnd.IntN(12), 1+rnd.IntN(28)
	for _, b := range t.bounds {
		if !b.max && attempt > 10 && b.inclusive {
			return b.text
		}
	}
	switch t.kind {
	case kGYear:
		return fmt.Sprintf("%04d", y)
	case kGYearMonth:
		return fmt.Sprintf("%04d-%02d", y, m)
	case kDateTime:
		return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:00", y, m, d, 8+rnd.IntN(10), rnd.IntN(60))
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

func (t *SimpleType) sampleNumber(rnd *rand.Rand, attempt int) string {
	intDigits, frac := 5, 0
	if t.kind != kInteger {
		frac = 2
	}
	for _, f := range t.frac {
		frac = min(frac, f)
	}
	for _, d := range t.digits {
		frac = min(frac, d-1)
		intDigits = min(intDigits, d-frac)
	}
	if attempt > 20 {
		intDigits = 1
	}
	for _, b := range t.bounds {
		if attempt > 30 && b.inclusive {
			return b.text
		}
	}
	v := fmt.Sprint(1 + rnd.IntN(9))
	for i := 1; i < 1+rnd.IntN(max(intDigits, 1)); i++ {
		v += fmt.Sprint(rnd.IntN(10))
	}
	if frac > 0 {
		v += "."
		for i := 0; i < frac; i++ {
			v += fmt.Sprint(rnd.IntN(10))
		}
	}
	return v
}

// EnumValues returns the values of the last enumeration of t (sorted), or
// nil.
func (t *SimpleType) EnumValues() []string {
	if len(t.enums) == 0 {
		return nil
	}
	out := append([]string(nil), t.enums[len(t.enums)-1]...)
	sort.Strings(out)
	return out
}
