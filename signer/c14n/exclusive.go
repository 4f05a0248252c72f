// Package c14n writes Exclusive XML Canonicalization 1.0
// (http://www.w3.org/2001/10/xml-exc-c14n#, with or without comments,
// InclusiveNamespaces PrefixList) straight from an xmltree.Doc, byte exact,
// without building intermediate node sets. Options.Inclusive switches to
// Canonical XML 1.0 (for verifying signatures made that way).
package c14n

import (
	"encoding/base64"
	"io"

	"github.com/mezhved/mezhved/internal/xmltree"
)

// Algorithm URIs.
const (
	ExclusiveURI             = "http://www.w3.org/2001/10/xml-exc-c14n#"
	ExclusiveWithCommentsURI = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
	InclusiveURI             = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
	InclusiveWithCommentsURI = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"
)

// XOP namespace; an xop:Include stands for base64 content sent as a MIME part.
const XOPNamespace = "http://www.w3.org/2004/08/xop/include"

// Options tune a canonicalization.
type Options struct {
	// InclusivePrefixes is the InclusiveNamespaces PrefixList; "#default"
	// names the default namespace.
	InclusivePrefixes []string
	WithComments      bool
	// Inclusive selects Canonical XML 1.0 (inclusive: every namespace in
	// scope, xml:* attributes inherited by the apex) instead of exclusive.
	Inclusive bool
	// Exclude leaves these element subtrees out (the enveloped-signature
	// transform).
	Exclude []int32
	// Attachment returns the bytes of an xop:Include href ("cid:…"); the
	// Include element is then replaced by their base64 text, as it was when
	// the content was signed. Nil or false keeps the Include element.
	Attachment func(href string) ([]byte, bool)
}

// ResolveXOP reports whether n is an xop:Include whose bytes opt supplies,
// and returns them.
func (opt *Options) ResolveXOP(d *xmltree.Doc, n int32) ([]byte, bool) {
	if opt == nil || opt.Attachment == nil || !d.Is(n, XOPNamespace, "Include") {
		return nil, false
	}
	href, _ := d.Attr(n, "", "href")
	return opt.Attachment(href)
}

// Excluded reports whether element n is to be left out.
func (opt *Options) Excluded(n int32) bool {
	if opt == nil {
		return false
	}
	for _, x := range opt.Exclude {
		if x == n {
			return true
		}
	}
	return false
}

// Exclusive writes the exclusive canonical form of the subtree at element n
// to w.
func Exclusive(w io.Writer, d *xmltree.Doc, n int32, opt *Options) error {
	o := &Out{W: w, Buf: make([]byte, 0, 2*flushAt)}
	c := newCanon(d, opt, o)
	c.element(n)
	return o.Flush()
}

// ExclusiveBytes returns the exclusive canonical form of the subtree at n.
func ExclusiveBytes(d *xmltree.Doc, n int32, opt *Options) []byte {
	o := &Out{}
	newCanon(d, opt, o).element(n)
	return o.Buf
}

// Document writes the exclusive canonical form of the whole document (a
// same-document reference URI=""): the root element and the processing
// instructions (and, with comments, the comments) around it.
func Document(w io.Writer, d *xmltree.Doc, opt *Options) error {
	o := &Out{W: w, Buf: make([]byte, 0, 2*flushAt)}
	c := newCanon(d, opt, o)
	after := false
	for _, t := range d.Top {
		nd := &d.Nodes[t]
		if nd.Kind == xmltree.Comment && (opt == nil || !opt.WithComments) {
			continue
		}
		if after {
			o.Byte('\n')
		}
		switch nd.Kind {
		case xmltree.Element:
			c.element(t)
			after = true
			continue
		case xmltree.ProcInst:
			c.procInst(nd)
		case xmltree.Comment:
			c.comment(nd)
		}
		if !after {
			o.Byte('\n')
		}
	}
	return o.Flush()
}

type nsEntry struct{ prefix, uri []byte }

type canon struct {
	d        *xmltree.Doc
	opt      *Options
	o        *Out
	rendered []nsEntry // namespace declarations in the output, outermost first
	depth    int
	decls    []nsEntry // scratch
	attrs    []int32   // scratch
}

func newCanon(d *xmltree.Doc, opt *Options, o *Out) *canon {
	if opt == nil {
		opt = &Options{}
	}
	return &canon{d: d, opt: opt, o: o}
}

func (c *canon) renderedURI(prefix []byte) ([]byte, bool) {
	for i := len(c.rendered) - 1; i >= 0; i-- {
		if string(c.rendered[i].prefix) == string(prefix) {
			return c.rendered[i].uri, true
		}
	}
	return nil, false
}

// need adds a declaration of prefix=uri to c.decls unless the output
// already has it in scope.
func (c *canon) need(prefix, uri []byte) {
	if string(prefix) == "xml" {
		return
	}
	for _, e := range c.decls {
		if string(e.prefix) == string(prefix) {
			return
		}
	}
	r, found := c.renderedURI(prefix)
	if len(prefix) == 0 {
		if string(r) == string(uri) { // an absent default equals ""
			return
		}
	} else if found && string(r) == string(uri) {
		return
	}
	c.decls = append(c.decls, nsEntry{prefix, uri})
}

// element writes element n and its subtree in canonical form. It is one
// function on purpose: the namespace rendering of exclusive c14n (which
// declarations are visibly used, which an ancestor already wrote) is read
// best in one place, in the order the recommendation states it.
func (c *canon) element(n int32) {
	d, o := c.d, c.o
	nd := &d.Nodes[n]
	if c.opt.Excluded(n) {
		return
	}
	if b, ok := c.opt.ResolveXOP(d, n); ok {
		writeBase64(o, b)
		return
	}
	mark := len(c.rendered)
	declStart := len(c.decls)
	attrs := d.Attributes(n)
	if c.opt.Inclusive {
		if c.depth == 0 {
			d.InScope(n, func(prefix, uri []byte) {
				if len(prefix) > 0 || len(uri) > 0 {
					c.need(prefix, uri)
				}
			})
			attrs = inheritXMLAttrs(d, n, attrs)
		} else {
			for _, ns := range d.Decls(n) {
				c.need(ns.Prefix, ns.URI)
			}
		}
	}
	c.need(nd.Prefix, nd.URI)
	for i := range attrs {
		if len(attrs[i].Prefix) > 0 {
			c.need(attrs[i].Prefix, attrs[i].URI)
		}
	}
	for _, p := range c.opt.InclusivePrefixes {
		if p == "#default" {
			p = ""
		}
		if u, ok := d.LookupNS(n, p); ok || p == "" {
			c.need([]byte(p), []byte(u))
		}
	}
	decls := c.decls[declStart:]
	// Sort declarations by prefix (few: insertion sort, no allocation).
	for i := 1; i < len(decls); i++ {
		for j := i; j > 0 && string(decls[j].prefix) < string(decls[j-1].prefix); j-- {
			decls[j], decls[j-1] = decls[j-1], decls[j]
		}
	}
	o.Byte('<')
	o.QName(nd.Prefix, nd.Local)
	for _, e := range decls {
		if len(e.prefix) == 0 {
			o.String(` xmlns="`)
		} else {
			o.String(" xmlns:")
			o.Bytes(e.prefix)
			o.String(`="`)
		}
		o.AttrValue(e.uri)
		o.Byte('"')
	}
	c.rendered = append(c.rendered, decls...)
	c.decls = c.decls[:declStart]

	// Attributes sorted by namespace URI, then local name.
	as := c.attrs[len(c.attrs):]
	for i := range attrs {
		as = append(as, int32(i))
	}
	for i := 1; i < len(as); i++ {
		for j := i; j > 0 && attrLess(&attrs[as[j]], &attrs[as[j-1]]); j-- {
			as[j], as[j-1] = as[j-1], as[j]
		}
	}
	for _, i := range as {
		a := &attrs[i]
		o.Byte(' ')
		o.QName(a.Prefix, a.Local)
		o.String(`="`)
		o.AttrValue(a.Value)
		o.Byte('"')
	}
	c.attrs = as[:0]
	o.Byte('>')

	c.depth++
	for ch := nd.FirstChild; ch != xmltree.None; ch = d.Nodes[ch].Next {
		cn := &d.Nodes[ch]
		switch cn.Kind {
		case xmltree.Element:
			c.element(ch)
		case xmltree.Text:
			o.Text(cn.Data)
		case xmltree.Comment:
			if c.opt.WithComments {
				c.comment(cn)
			}
		case xmltree.ProcInst:
			c.procInst(cn)
		}
	}
	c.depth--
	o.String("</")
	o.QName(nd.Prefix, nd.Local)
	o.Byte('>')
	o.MaybeFlush()
	c.rendered = c.rendered[:mark]
}

// inheritXMLAttrs adds to the apex of an inclusive canonicalization the
// xml:* attributes of its ancestors (the nearest of each name) that it does
// not carry itself.
func inheritXMLAttrs(d *xmltree.Doc, n int32, own []xmltree.Attr) []xmltree.Attr {
	out := own
	copied := false
	for a := d.Nodes[n].Parent; a != xmltree.None; a = d.Nodes[a].Parent {
	next:
		for _, at := range d.Attributes(a) {
			if string(at.URI) != xmltree.XMLNamespace {
				continue
			}
			for _, have := range out {
				if string(have.URI) == xmltree.XMLNamespace && string(have.Local) == string(at.Local) {
					continue next
				}
			}
			if !copied {
				out = append([]xmltree.Attr(nil), own...)
				copied = true
			}
			out = append(out, at)
		}
	}
	return out
}

func attrLess(a, b *xmltree.Attr) bool {
	if string(a.URI) != string(b.URI) {
		return string(a.URI) < string(b.URI)
	}
	return string(a.Local) < string(b.Local)
}

func (c *canon) procInst(nd *xmltree.Node) {
	c.o.String("<?")
	c.o.Bytes(nd.Local)
	if len(nd.Data) > 0 {
		c.o.Byte(' ')
		c.o.Bytes(nd.Data)
	}
	c.o.String("?>")
}

func (c *canon) comment(nd *xmltree.Node) {
	c.o.String("<!--")
	c.o.Bytes(nd.Data)
	c.o.String("-->")
}

func writeBase64(o *Out, b []byte) {
	n := base64.StdEncoding.EncodedLen(len(b))
	start := len(o.Buf)
	o.Buf = append(o.Buf, make([]byte, n)...)
	base64.StdEncoding.Encode(o.Buf[start:], b)
	o.MaybeFlush()
}
