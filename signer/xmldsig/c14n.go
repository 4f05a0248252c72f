package xmldsig

import (
	"bytes"
	"sort"
	"strings"

	"github.com/beevik/etree"
	"github.com/mezhved/mezhved/domain"
	dsig "github.com/russellhaering/goxmldsig"
)

const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

// ExcC14N is Exclusive XML Canonicalization 1.0 without comments
// (http://www.w3.org/2001/10/xml-exc-c14n#) over an etree element, written
// for speed and byte-exactness with libxml2/xmlsec1. Unlike goxmldsig's own
// canonicalizer it never changes the tree, and it takes the namespaces in
// scope from the element's ancestors, so an element inside a SOAP Body is
// canonicalized as if it were detached with its in-scope namespaces.
// It implements goxmldsig's Canonicalizer.
type ExcC14N struct {
	// InclusivePrefixes is the InclusiveNamespaces PrefixList ("#default"
	// for the default namespace).
	InclusivePrefixes []string
	// Exclude is left out of the output with its subtree (the enveloped
	// signature).
	Exclude *etree.Element
	// WholeDocument canonicalizes the document the element is the root of
	// (a Reference URI=""): processing instructions outside the root element
	// are part of the output then.
	WholeDocument bool
}

var _ dsig.Canonicalizer = (*ExcC14N)(nil)

// Algorithm returns the exclusive c14n URI.
func (c *ExcC14N) Algorithm() dsig.AlgorithmID { return dsig.CanonicalXML10ExclusiveAlgorithmId }

// Canonicalize returns the canonical form of el.
func (c *ExcC14N) Canonicalize(el *etree.Element) ([]byte, error) {
	var buf bytes.Buffer
	if err := c.WriteTo(&buf, el); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type nsBinding struct{ prefix, uri string }

type c14nWriter struct {
	c        *ExcC14N
	w        *bytes.Buffer
	inScope  []nsBinding // declarations in scope, innermost last
	rendered []nsBinding // namespace nodes written by output ancestors
	decls    []nsBinding // scratch: this element's output declarations
	attrs    []etree.Attr
	attrURIs []string
	err      error
}

// WriteTo writes the canonical form of el to buf.
func (c *ExcC14N) WriteTo(buf *bytes.Buffer, el *etree.Element) error {
	cw := &c14nWriter{c: c, w: buf}
	// Namespaces declared on the ancestors are in scope.
	var chain []*etree.Element
	for p := el.Parent(); p != nil; p = p.Parent() {
		chain = append(chain, p)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		cw.inScope = appendDecls(cw.inScope, chain[i])
	}
	var docNode *etree.Element
	if c.WholeDocument && len(chain) == 1 && chain[0].Tag == "" {
		docNode = chain[0]
	}
	if docNode != nil {
		cw.docPIs(docNode, el, true)
	}
	cw.element(el)
	if docNode != nil {
		cw.docPIs(docNode, el, false)
	}
	return cw.err
}

// docPIs writes the processing instructions before (or after) the root.
func (cw *c14nWriter) docPIs(doc, root *etree.Element, before bool) {
	seen := false
	for _, t := range doc.Child {
		if t == etree.Token(root) {
			seen = true
			continue
		}
		p, ok := t.(*etree.ProcInst)
		if !ok || seen == before || p.Target == "xml" {
			continue
		}
		if !before {
			cw.w.WriteByte('\n')
		}
		cw.procInst(p)
		if before {
			cw.w.WriteByte('\n')
		}
	}
}

func appendDecls(s []nsBinding, el *etree.Element) []nsBinding {
	for _, a := range el.Attr {
		if a.Space == "xmlns" {
			s = append(s, nsBinding{a.Key, a.Value})
		} else if a.Space == "" && a.Key == "xmlns" {
			s = append(s, nsBinding{"", a.Value})
		}
	}
	return s
}

func lookup(s []nsBinding, prefix string) (string, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i].prefix == prefix {
			return s[i].uri, true
		}
	}
	return "", false
}

func (cw *c14nWriter) fail(format string, args ...any) {
	if cw.err == nil {
		cw.err = domain.Errorf(domain.EINVALID, format, args...)
	}
}

func (cw *c14nWriter) uriOf(prefix string) string {
	if prefix == "xml" {
		return xmlNamespace
	}
	uri, ok := lookup(cw.inScope, prefix)
	if !ok && prefix != "" {
		cw.fail("Документ не является корректным XML: префикс %q не объявлен", prefix)
	}
	return uri
}

// need adds the namespace node for prefix to decls unless an output
// ancestor already rendered it with the same value.
func (cw *c14nWriter) need(prefix string, mark int) {
	if prefix == "xml" || prefix == "xmlns" {
		return
	}
	for _, d := range cw.decls[mark:] {
		if d.prefix == prefix {
			return
		}
	}
	uri, ok := lookup(cw.inScope, prefix)
	if !ok {
		if prefix != "" {
			cw.fail("Документ не является корректным XML: префикс %q не объявлен", prefix)
			return
		}
		uri = ""
	}
	prev, had := lookup(cw.rendered, prefix)
	if had && prev == uri || !had && prefix == "" && uri == "" {
		return
	}
	cw.decls = append(cw.decls, nsBinding{prefix, uri})
}

func (cw *c14nWriter) element(el *etree.Element) {
	if cw.err != nil {
		return
	}
	scopeMark, renderMark := len(cw.inScope), len(cw.rendered)
	cw.inScope = appendDecls(cw.inScope, el)

	// Namespace nodes to render: visibly utilized, then the inclusive list.
	declMark := len(cw.decls)
	cw.need(el.Space, declMark)
	attrMark := len(cw.attrs)
	for _, a := range el.Attr {
		if a.Space == "xmlns" || a.Space == "" && a.Key == "xmlns" {
			continue
		}
		cw.attrs = append(cw.attrs, a)
		if a.Space != "" {
			cw.need(a.Space, declMark)
		}
	}
	for _, p := range cw.c.InclusivePrefixes {
		if p == "#default" {
			p = ""
		}
		if _, ok := lookup(cw.inScope, p); ok || p == "" {
			cw.need(p, declMark)
		}
	}
	decls := cw.decls[declMark:]
	sortDecls(decls)
	attrs := cw.attrs[attrMark:]
	cw.sortAttrs(attrs)

	w := cw.w
	w.WriteByte('<')
	writeQName(w, el.Space, el.Tag)
	for _, d := range decls {
		if d.prefix == "" {
			w.WriteString(` xmlns="`)
		} else {
			w.WriteString(" xmlns:")
			w.WriteString(d.prefix)
			w.WriteString(`="`)
		}
		escapeAttr(w, d.uri)
		w.WriteByte('"')
	}
	for _, a := range attrs {
		w.WriteByte(' ')
		writeQName(w, a.Space, a.Key)
		w.WriteString(`="`)
		escapeAttr(w, a.Value)
		w.WriteByte('"')
	}
	w.WriteByte('>')
	cw.rendered = append(cw.rendered, decls...)
	cw.decls = cw.decls[:declMark]
	cw.attrs = cw.attrs[:attrMark]

	for _, t := range el.Child {
		switch t := t.(type) {
		case *etree.Element:
			if t != cw.c.Exclude {
				cw.element(t)
			}
		case *etree.CharData:
			escapeText(w, t.Data)
		case *etree.ProcInst:
			cw.procInst(t)
		case *etree.Directive:
			cw.fail("Документ содержит DOCTYPE или объявления сущностей: такие документы не принимаются")
		}
	}
	w.WriteString("</")
	writeQName(w, el.Space, el.Tag)
	w.WriteByte('>')
	cw.inScope = cw.inScope[:scopeMark]
	cw.rendered = cw.rendered[:renderMark]
}

func (cw *c14nWriter) procInst(p *etree.ProcInst) {
	w := cw.w
	w.WriteString("<?")
	w.WriteString(p.Target)
	if inst := strings.TrimLeft(p.Inst, " \t\r\n"); inst != "" {
		w.WriteByte(' ')
		w.WriteString(inst)
	}
	w.WriteString("?>")
}

func writeQName(w *bytes.Buffer, space, local string) {
	if space != "" {
		w.WriteString(space)
		w.WriteByte(':')
	}
	w.WriteString(local)
}

// sortDecls orders namespace nodes by prefix; the default ("") first.
func sortDecls(d []nsBinding) {
	if len(d) > 16 {
		sort.Slice(d, func(i, j int) bool { return d[i].prefix < d[j].prefix })
		return
	}
	for i := 1; i < len(d); i++ {
		for j := i; j > 0 && d[j].prefix < d[j-1].prefix; j-- {
			d[j], d[j-1] = d[j-1], d[j]
		}
	}
}

// sortAttrs orders attributes by namespace URI (none first), then local name.
func (cw *c14nWriter) sortAttrs(a []etree.Attr) {
	if len(a) < 2 {
		return
	}
	uris := cw.attrURIs[:0]
	for _, x := range a {
		if x.Space == "" {
			uris = append(uris, "")
		} else {
			uris = append(uris, cw.uriOf(x.Space))
		}
	}
	if len(a) > 16 {
		sort.Sort(attrSorter{a, uris})
	} else {
		for i := 1; i < len(a); i++ {
			for j := i; j > 0; j-- {
				if uris[j] > uris[j-1] || uris[j] == uris[j-1] && a[j].Key >= a[j-1].Key {
					break
				}
				a[j], a[j-1] = a[j-1], a[j]
				uris[j], uris[j-1] = uris[j-1], uris[j]
			}
		}
	}
	cw.attrURIs = uris
}

type attrSorter struct {
	a    []etree.Attr
	uris []string
}

func (s attrSorter) Len() int { return len(s.a) }
func (s attrSorter) Less(i, j int) bool {
	return s.uris[i] < s.uris[j] || s.uris[i] == s.uris[j] && s.a[i].Key < s.a[j].Key
}
func (s attrSorter) Swap(i, j int) {
	s.a[i], s.a[j] = s.a[j], s.a[i]
	s.uris[i], s.uris[j] = s.uris[j], s.uris[i]
}

// escapeText escapes character data as c14n does: & < > and CR.
func escapeText(w *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(esc)
		last = i + 1
	}
	w.WriteString(s[last:])
}

// escapeAttr escapes an attribute value as c14n does: & < " TAB LF CR.
func escapeAttr(w *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '"':
			esc = "&quot;"
		case '\t':
			esc = "&#x9;"
		case '\n':
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(esc)
		last = i + 1
	}
	w.WriteString(s[last:])
}
