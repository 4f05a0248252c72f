package xmltree

import "bytes"

func isNameByte(c byte, first bool) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == ':', c >= 0x80:
		return true
	case c >= '0' && c <= '9', c == '-', c == '.':
		return !first
	}
	return false
}

func (p *parser) name() ([]byte, error) {
	start := p.pos
	if p.pos >= len(p.src) || !isNameByte(p.src[p.pos], true) {
		return nil, p.errf(p.pos, "a name expected")
	}
	p.pos++
	for p.pos < len(p.src) && isNameByte(p.src[p.pos], false) {
		p.pos++
	}
	return p.src[start:p.pos], nil
}

// splitQName splits a QName, checking that it has at most one colon with
// non-empty parts.
func (p *parser) splitQName(q []byte, off int) (prefix, local []byte, err error) {
	i := bytes.IndexByte(q, ':')
	if i < 0 {
		return nil, q, nil
	}
	if i == 0 || i == len(q)-1 || bytes.IndexByte(q[i+1:], ':') >= 0 || !isNameByte(q[i+1], true) {
		return nil, nil, p.errf(off, "invalid qualified name %q", q)
	}
	return q[:i], q[i+1:], nil
}

func (p *parser) lookup(prefix []byte) ([]byte, bool) {
	if string(prefix) == "xml" {
		return []byte(XMLNamespace), true
	}
	for i := len(p.scope) - 1; i >= 0; i-- {
		if string(p.scope[i].Prefix) == string(prefix) {
			return p.scope[i].URI, true
		}
	}
	return nil, false
}

// startTag reads a start tag: its attributes, then the namespace
// declarations among them, then the element's and the attributes' names
// resolved in the new scope.
func (p *parser) startTag() error {
	start := p.pos
	p.pos++
	qn, err := p.name()
	if err != nil {
		return err
	}
	if len(p.open) >= p.lim.MaxDepth {
		return ErrTooLarge
	}
	selfClosing, err := p.readAttrs(start)
	if err != nil {
		return err
	}
	p.marks = append(p.marks, len(p.scope))
	nsStart := int32(len(p.d.NS))
	if err := p.declare(start); err != nil {
		return err
	}
	nsEnd := int32(len(p.d.NS))
	prefix, local, err := p.splitQName(qn, start)
	if err != nil {
		return err
	}
	if string(prefix) == "xmlns" {
		return p.errf(start, "element name with the xmlns prefix")
	}
	uri, ok := p.lookup(prefix)
	if !ok && len(prefix) > 0 {
		return p.errf(start, "prefix %q is not declared", prefix)
	}
	attrStart := int32(len(p.d.Attrs))
	if err := p.resolveAttrs(start, attrStart); err != nil {
		return err
	}
	idx := p.addNode(Node{
		Kind: Element, SelfClosing: selfClosing,
		Prefix: prefix, Local: local, URI: uri,
		AttrStart: attrStart, AttrEnd: int32(len(p.d.Attrs)),
		NSStart: nsStart, NSEnd: nsEnd,
		Start: start, StartTagEnd: p.pos,
	})
	if len(p.open) == 0 {
		p.d.Root = idx
	}
	if selfClosing {
		n := &p.d.Nodes[idx]
		n.EndTagStart, n.End = p.pos, p.pos
		p.closeScope()
		return nil
	}
	p.open = append(p.open, idx)
	return nil
}

// readAttrs reads the attributes of a start tag into p.raw, up to and
// including its ">" or "/>".
func (p *parser) readAttrs(start int) (selfClosing bool, err error) {
	p.raw = p.raw[:0]
	for {
		hadSpace := p.pos < len(p.src) && isSpace(p.src[p.pos])
		p.skipSpace()
		if p.pos >= len(p.src) {
			return false, p.errf(start, "unterminated start tag")
		}
		switch c := p.src[p.pos]; {
		case c == '>':
			p.pos++
			return false, nil
		case c == '/' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '>':
			p.pos += 2
			return true, nil
		case c == '/':
			return false, p.errf(p.pos, "malformed start tag")
		case !hadSpace:
			return false, p.errf(p.pos, "whitespace expected between attributes")
		}
		if err := p.readAttr(); err != nil {
			return false, err
		}
	}
}

// readAttr reads one name="value" into p.raw.
func (p *parser) readAttr() error {
	aoff := p.pos
	an, err := p.name()
	if err != nil {
		return err
	}
	p.skipSpace()
	if p.pos >= len(p.src) || p.src[p.pos] != '=' {
		return p.errf(p.pos, "\"=\" expected after attribute %s", an)
	}
	p.pos++
	p.skipSpace()
	if p.pos >= len(p.src) || (p.src[p.pos] != '"' && p.src[p.pos] != '\'') {
		return p.errf(p.pos, "quoted attribute value expected")
	}
	q := p.src[p.pos]
	vend := bytes.IndexByte(p.src[p.pos+1:], q)
	if vend < 0 {
		return p.errf(p.pos, "unterminated attribute value")
	}
	v, err := p.decode(p.src[p.pos+1:p.pos+1+vend], p.pos+1, true)
	if err != nil {
		return err
	}
	p.pos += vend + 2
	for _, r := range p.raw {
		if string(r.qname) == string(an) {
			return p.errf(aoff, "duplicate attribute %s", an)
		}
	}
	if len(p.raw) >= p.lim.MaxAttrs {
		return ErrTooLarge
	}
	p.raw = append(p.raw, rawAttr{qname: an, value: v, colon: bytes.IndexByte(an, ':')})
	return nil
}

func (r *rawAttr) isDecl() bool {
	return string(r.qname) == "xmlns" || (r.colon == 5 && string(r.qname[:5]) == "xmlns")
}

// declare records the namespace declarations among p.raw and puts them in
// scope.
func (p *parser) declare(start int) error {
	for _, r := range p.raw {
		if !r.isDecl() {
			continue
		}
		prefix := []byte{}
		if r.colon == 5 {
			prefix = r.qname[6:]
			if len(prefix) == 0 || bytes.IndexByte(prefix, ':') >= 0 {
				return p.errf(start, "invalid namespace declaration %s", r.qname)
			}
			if string(prefix) == "xmlns" {
				return p.errf(start, "the xmlns prefix cannot be declared")
			}
			if string(prefix) == "xml" {
				if string(r.value) != XMLNamespace {
					return p.errf(start, "the xml prefix cannot be rebound")
				}
				continue
			}
			if len(r.value) == 0 {
				return p.errf(start, "prefix %s cannot be undeclared in XML 1.0", prefix)
			}
		}
		if string(r.value) == XMLNamespace || string(r.value) == "http://www.w3.org/2000/xmlns/" {
			return p.errf(start, "reserved namespace bound to %q", prefix)
		}
		if len(p.scope) >= p.lim.MaxScope {
			return ErrTooLarge
		}
		d := NSDecl{Prefix: prefix, URI: r.value}
		p.d.NS = append(p.d.NS, d)
		p.scope = append(p.scope, d)
	}
	return nil
}

// resolveAttrs appends the attributes of p.raw (declarations left out) to
// p.d.Attrs with their namespaces, refusing two with one expanded name.
func (p *parser) resolveAttrs(start int, attrStart int32) error {
	for _, r := range p.raw {
		if r.isDecl() {
			continue
		}
		a := Attr{Value: r.value, Local: r.qname}
		if r.colon >= 0 {
			var err error
			a.Prefix, a.Local, err = p.splitQName(r.qname, start)
			if err != nil {
				return err
			}
			u, ok := p.lookup(a.Prefix)
			if !ok {
				return p.errf(start, "prefix %q is not declared", a.Prefix)
			}
			a.URI = u
		}
		for _, b := range p.d.Attrs[attrStart:] {
			if string(b.Local) == string(a.Local) && string(b.URI) == string(a.URI) {
				return p.errf(start, "duplicate attribute {%s}%s", a.URI, a.Local)
			}
		}
		p.d.Attrs = append(p.d.Attrs, a)
	}
	return nil
}

// closeScope drops the namespace declarations of the element just closed.
func (p *parser) closeScope() {
	p.scope = p.scope[:p.marks[len(p.marks)-1]]
	p.marks = p.marks[:len(p.marks)-1]
}

func (p *parser) endTag() error {
	start := p.pos
	p.pos += 2
	qn, err := p.name()
	if err != nil {
		return err
	}
	p.skipSpace()
	if p.pos >= len(p.src) || p.src[p.pos] != '>' {
		return p.errf(p.pos, "\">\" expected in end tag")
	}
	p.pos++
	if len(p.open) == 0 {
		return p.errf(start, "end tag </%s> without a start tag", qn)
	}
	idx := p.open[len(p.open)-1]
	n := &p.d.Nodes[idx]
	want := p.src[n.Start+1 : n.Start+1+len(n.Prefix)+len(n.Local)+btoi(len(n.Prefix) > 0)]
	if !bytes.Equal(qn, want) {
		return p.errf(start, "end tag </%s> does not match <%s>", qn, want)
	}
	n.EndTagStart, n.End = start, p.pos
	p.open = p.open[:len(p.open)-1]
	p.closeScope()
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
