package xmltree

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Limits bound what a document may contain. A zero field takes the value
// of DefaultLimits.
type Limits struct {
	MaxBytes int // the whole document
	MaxDepth int // element nesting
	MaxAttrs int // attributes and namespace declarations on one element
	MaxNodes int // elements, text nodes, comments and PIs (about 170 bytes of memory each)
}

// DefaultLimits suit SMEV envelopes (SMEV itself takes at most 5 MB of XML;
// attachments travel outside it).
var DefaultLimits = Limits{MaxBytes: 32 << 20, MaxDepth: 256, MaxAttrs: 256, MaxNodes: 2 << 20}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultLimits.MaxBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	if l.MaxAttrs <= 0 {
		l.MaxAttrs = DefaultLimits.MaxAttrs
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = DefaultLimits.MaxNodes
	}
	return l
}

// ErrDTD is returned for any document type declaration: DTDs and entity
// declarations are never processed.
var ErrDTD = errors.New("xml: DOCTYPE and entity declarations are not allowed")

// ErrTooLarge is returned when a document breaks a limit.
var ErrTooLarge = errors.New("xml: document exceeds the size limits")

// SyntaxError is a well-formedness error at a byte offset.
type SyntaxError struct {
	Offset int
	Line   int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("xml: line %d (byte %d): %s", e.Line, e.Offset, e.Msg)
}

// Read reads at most lim.MaxBytes from r and parses them.
func Read(r io.Reader, lim Limits) (*Doc, error) {
	lim = lim.withDefaults()
	src, err := io.ReadAll(io.LimitReader(r, int64(lim.MaxBytes)+1))
	if err != nil {
		return nil, err
	}
	return ParseLimits(src, lim)
}

// Parse parses src with DefaultLimits. The Doc keeps src: do not modify it.
func Parse(src []byte) (*Doc, error) { return ParseLimits(src, DefaultLimits) }

// ParseLimits parses src with the given limits.
func ParseLimits(src []byte, lim Limits) (*Doc, error) {
	lim = lim.withDefaults()
	if len(src) > lim.MaxBytes {
		return nil, ErrTooLarge
	}
	p := &parser{src: src, lim: lim}
	p.d = &Doc{Src: src, Root: None}
	// Every node but the first text one ends at or starts with a '<'; every
	// attribute has a '=': sizing the slices once avoids regrowth.
	lt := min(bytes.Count(src, []byte{'<'}), lim.MaxNodes)
	p.d.Nodes = make([]Node, 0, min(lt+lt/4+4, lim.MaxNodes+1))
	p.d.Attrs = make([]Attr, 0, min(bytes.Count(src, []byte{'='})+4, lim.MaxNodes))
	if err := p.parse(); err != nil {
		return nil, err
	}
	return p.d, nil
}

type parser struct {
	src   []byte
	pos   int
	lim   Limits
	d     *Doc
	buf   []byte // decoded text and values
	scope []NSDecl
	marks []int
	open  []int32
	raw   []rawAttr
	// tooMany is set by addNode past MaxNodes; the main loop stops on it.
	tooMany bool
}

type rawAttr struct {
	qname, value []byte
	colon        int
}

func (p *parser) errf(off int, format string, args ...any) error {
	if off > len(p.src) {
		off = len(p.src)
	}
	return &SyntaxError{Offset: off, Line: 1 + bytes.Count(p.src[:off], []byte{'\n'}), Msg: fmt.Sprintf(format, args...)}
}

// checkChars verifies UTF-8 and the XML 1.0 character range once, so that
// the scanner can trust every byte afterwards.
func (p *parser) checkChars() error {
	src := p.src
	if !utf8.Valid(src) {
		i := 0
		for i < len(src) {
			r, n := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && n <= 1 {
				return p.errf(i, "invalid UTF-8 (only UTF-8 documents are accepted)")
			}
			i += n
		}
	}
	for i, c := range src {
		if c < 0x20 {
			if c != '\t' && c != '\n' && c != '\r' {
				return p.errf(i, "control character %#x is not allowed in XML", c)
			}
		} else if c == 0xEF && i+2 < len(src) && src[i+1] == 0xBF && (src[i+2] == 0xBE || src[i+2] == 0xBF) {
			return p.errf(i, "character U+FFFE/U+FFFF is not allowed in XML")
		}
	}
	return nil
}

func (p *parser) parse() error {
	if err := p.checkChars(); err != nil {
		return err
	}
	src := p.src
	if bytes.HasPrefix(src, []byte("\xEF\xBB\xBF")) {
		p.pos = 3
	}
	if bytes.HasPrefix(src[p.pos:], []byte("<?xml")) && len(src) > p.pos+5 && isSpace(src[p.pos+5]) {
		if err := p.xmlDecl(); err != nil {
			return err
		}
	}
	for p.pos < len(src) {
		if p.tooMany {
			return ErrTooLarge
		}
		if len(p.open) == 0 {
			p.skipSpace()
			if p.pos >= len(src) {
				break
			}
			if src[p.pos] != '<' {
				return p.errf(p.pos, "text outside the document element")
			}
		} else if src[p.pos] != '<' {
			if err := p.text(); err != nil {
				return err
			}
			continue
		}
		rest := src[p.pos:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			if err := p.comment(); err != nil {
				return err
			}
		case bytes.HasPrefix(rest, []byte("<?")):
			if err := p.procInst(); err != nil {
				return err
			}
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			if len(p.open) == 0 {
				return p.errf(p.pos, "CDATA outside the document element")
			}
			if err := p.cdata(); err != nil {
				return err
			}
		case bytes.HasPrefix(rest, []byte("<!DOCTYPE")), bytes.HasPrefix(rest, []byte("<!ENTITY")):
			return ErrDTD
		case bytes.HasPrefix(rest, []byte("<!")):
			return p.errf(p.pos, "markup declarations are not allowed")
		case bytes.HasPrefix(rest, []byte("</")):
			if err := p.endTag(); err != nil {
				return err
			}
		default:
			if len(p.open) == 0 && p.d.Root != None {
				return p.errf(p.pos, "a second document element")
			}
			if err := p.startTag(); err != nil {
				return err
			}
		}
	}
	if len(p.open) != 0 {
		n := &p.d.Nodes[p.open[len(p.open)-1]]
		return p.errf(len(src), "element <%s> is not closed", qname(n.Prefix, n.Local))
	}
	if p.d.Root == None {
		return p.errf(len(src), "no document element")
	}
	return nil
}

func qname(prefix, local []byte) string {
	if len(prefix) == 0 {
		return string(local)
	}
	return string(prefix) + ":" + string(local)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (p *parser) skipSpace() {
	for p.pos < len(p.src) && isSpace(p.src[p.pos]) {
		p.pos++
	}
}

func (p *parser) xmlDecl() error {
	end := bytes.Index(p.src[p.pos:], []byte("?>"))
	if end < 0 {
		return p.errf(p.pos, "unterminated XML declaration")
	}
	decl := p.src[p.pos+5 : p.pos+end]
	if i := bytes.Index(decl, []byte("encoding")); i >= 0 {
		v := decl[i+8:]
		v = bytes.TrimLeft(v, " \t\r\n")
		if len(v) == 0 || v[0] != '=' {
			return p.errf(p.pos, "malformed XML declaration")
		}
		v = bytes.TrimLeft(v[1:], " \t\r\n")
		if len(v) < 2 || (v[0] != '"' && v[0] != '\'') {
			return p.errf(p.pos, "malformed XML declaration")
		}
		q := bytes.IndexByte(v[1:], v[0])
		if q < 0 {
			return p.errf(p.pos, "malformed XML declaration")
		}
		enc := string(bytes.ToLower(v[1 : 1+q]))
		if enc != "utf-8" && enc != "utf8" {
			return p.errf(p.pos, "encoding %q is not supported: only UTF-8", v[1:1+q])
		}
	}
	p.pos += end + 2
	return nil
}

// addNode appends n as the last child of the open element (or at top level).
func (p *parser) addNode(n Node) int32 {
	if len(p.d.Nodes) >= p.lim.MaxNodes {
		p.tooMany = true
	}
	idx := int32(len(p.d.Nodes))
	n.Parent, n.FirstChild, n.LastChild, n.Next = None, None, None, None
	n.Depth = int32(len(p.open))
	if len(p.open) > 0 {
		par := p.open[len(p.open)-1]
		n.Parent = par
		pn := &p.d.Nodes[par]
		if pn.LastChild == None {
			pn.FirstChild = idx
		} else {
			p.d.Nodes[pn.LastChild].Next = idx
		}
		pn.LastChild = idx
	} else {
		p.d.Top = append(p.d.Top, idx)
	}
	p.d.Nodes = append(p.d.Nodes, n)
	return idx
}

func (p *parser) comment() error {
	start := p.pos
	end := bytes.Index(p.src[p.pos+4:], []byte("--"))
	if end < 0 {
		return p.errf(start, "unterminated comment")
	}
	end += p.pos + 4
	if end+2 >= len(p.src) || p.src[end+2] != '>' {
		return p.errf(end, "\"--\" inside a comment")
	}
	p.pos = end + 3
	p.addNode(Node{Kind: Comment, Data: p.normalizeEOL(p.src[start+4 : end]), Start: start, End: p.pos})
	return nil
}

func (p *parser) procInst() error {
	start := p.pos
	p.pos += 2
	name, err := p.name()
	if err != nil {
		return err
	}
	if len(name) == 3 && (name[0]|0x20) == 'x' && (name[1]|0x20) == 'm' && (name[2]|0x20) == 'l' {
		return p.errf(start, "misplaced XML declaration")
	}
	end := bytes.Index(p.src[p.pos:], []byte("?>"))
	if end < 0 {
		return p.errf(start, "unterminated processing instruction")
	}
	data := p.src[p.pos : p.pos+end]
	if len(data) > 0 {
		if !isSpace(data[0]) {
			return p.errf(p.pos, "malformed processing instruction")
		}
		i := 0
		for i < len(data) && isSpace(data[i]) {
			i++
		}
		data = data[i:]
	}
	p.pos += end + 2
	p.addNode(Node{Kind: ProcInst, Local: name, Data: p.normalizeEOL(data), Start: start, End: p.pos})
	return nil
}

func (p *parser) cdata() error {
	start := p.pos
	end := bytes.Index(p.src[p.pos+9:], []byte("]]>"))
	if end < 0 {
		return p.errf(start, "unterminated CDATA section")
	}
	data := p.src[p.pos+9 : p.pos+9+end]
	p.pos += 9 + end + 3
	p.appendText(p.normalizeEOL(data), start)
	return nil
}

func (p *parser) text() error {
	start := p.pos
	i := bytes.IndexByte(p.src[p.pos:], '<')
	if i < 0 {
		return p.errf(len(p.src), "unexpected end of document")
	}
	raw := p.src[start : start+i]
	p.pos = start + i
	data, err := p.decode(raw, start, false)
	if err != nil {
		return err
	}
	p.appendText(data, start)
	return nil
}

// appendText adds a Text node or extends the previous one (after a CDATA
// section).
func (p *parser) appendText(data []byte, start int) {
	par := p.open[len(p.open)-1]
	if last := p.d.Nodes[par].LastChild; last != None && p.d.Nodes[last].Kind == Text {
		ln := &p.d.Nodes[last]
		p.grow()
		n := len(ln.Data)
		if n == 0 || len(p.buf) < n || &p.buf[len(p.buf)-n] != &ln.Data[0] {
			// Not at the tail of buf yet: copy it there once, so that a run
			// of CDATA sections costs linear time.
			p.buf = append(p.buf, ln.Data...)
		}
		p.buf = append(p.buf, data...)
		ln.Data = p.buf[len(p.buf)-n-len(data) : len(p.buf) : len(p.buf)]
		ln.End = p.pos
		return
	}
	p.addNode(Node{Kind: Text, Data: data, Start: start, End: p.pos})
}

// grow makes sure buf is allocated: decoded data is never longer than the
// source, so one allocation serves the whole document.
func (p *parser) grow() {
	if p.buf == nil {
		p.buf = make([]byte, 0, len(p.src))
	}
}

// normalizeEOL turns CRLF and CR into LF.
func (p *parser) normalizeEOL(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	p.grow()
	start := len(p.buf)
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\r' {
			c = '\n'
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
		}
		p.buf = append(p.buf, c)
	}
	return p.buf[start:len(p.buf):len(p.buf)]
}

// decode resolves references and normalizes line ends (attribute values:
// also whitespace to spaces).
func (p *parser) decode(raw []byte, off int, attr bool) ([]byte, error) {
	needs := false
	for _, c := range raw {
		if c == '&' || c == '\r' || (attr && (c == '\n' || c == '\t' || c == '<')) {
			needs = true
			break
		}
	}
	if !needs {
		return raw, nil
	}
	p.grow()
	start := len(p.buf)
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '\r':
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
			if attr {
				c = ' '
			} else {
				c = '\n'
			}
		case '\n', '\t':
			if attr {
				c = ' '
			}
		case '<':
			return nil, p.errf(off+i, "\"<\" in an attribute value")
		case '&':
			semi := bytes.IndexByte(raw[i:], ';')
			if semi < 0 {
				return nil, p.errf(off+i, "\"&\" without \";\"")
			}
			ref := raw[i+1 : i+semi]
			switch string(ref) {
			case "lt":
				c = '<'
			case "gt":
				c = '>'
			case "amp":
				c = '&'
			case "apos":
				c = '\''
			case "quot":
				c = '"'
			default:
				r, ok := charRef(ref)
				if !ok {
					if len(ref) > 0 && ref[0] != '#' {
						return nil, p.errf(off+i, "entity &%s; is not allowed (no DTD is processed)", ref)
					}
					return nil, p.errf(off+i, "invalid character reference &%s;", ref)
				}
				p.buf = utf8.AppendRune(p.buf, r)
				i += semi
				continue
			}
			i += semi
		}
		p.buf = append(p.buf, c)
	}
	return p.buf[start:len(p.buf):len(p.buf)], nil
}

func charRef(ref []byte) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	var r rune
	digits := ref[1:]
	base := rune(10)
	if digits[0] == 'x' {
		base = 16
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 8 {
		return 0, false
	}
	for _, c := range digits {
		var v rune
		switch {
		case c >= '0' && c <= '9':
			v = rune(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			v = rune(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			v = rune(c-'A') + 10
		default:
			return 0, false
		}
		r = r*base + v
	}
	ok := r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
	return r, ok
}

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
	p.raw = p.raw[:0]
	selfClosing := false
	for {
		hadSpace := p.pos < len(p.src) && isSpace(p.src[p.pos])
		p.skipSpace()
		if p.pos >= len(p.src) {
			return p.errf(start, "unterminated start tag")
		}
		c := p.src[p.pos]
		if c == '>' {
			p.pos++
			break
		}
		if c == '/' {
			if p.pos+1 < len(p.src) && p.src[p.pos+1] == '>' {
				p.pos += 2
				selfClosing = true
				break
			}
			return p.errf(p.pos, "malformed start tag")
		}
		if !hadSpace {
			return p.errf(p.pos, "whitespace expected between attributes")
		}
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
	}

	// Namespace declarations first.
	p.marks = append(p.marks, len(p.scope))
	nsStart := int32(len(p.d.NS))
	for _, r := range p.raw {
		var prefix []byte
		switch {
		case string(r.qname) == "xmlns":
			prefix = []byte{}
		case r.colon == 5 && string(r.qname[:5]) == "xmlns":
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
		default:
			continue
		}
		if string(r.value) == XMLNamespace || string(r.value) == "http://www.w3.org/2000/xmlns/" {
			return p.errf(start, "reserved namespace bound to %q", prefix)
		}
		d := NSDecl{Prefix: prefix, URI: r.value}
		p.d.NS = append(p.d.NS, d)
		p.scope = append(p.scope, d)
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
	for _, r := range p.raw {
		if string(r.qname) == "xmlns" || (r.colon == 5 && string(r.qname[:5]) == "xmlns") {
			continue
		}
		a := Attr{Value: r.value}
		if r.colon >= 0 {
			a.Prefix, a.Local, err = p.splitQName(r.qname, start)
			if err != nil {
				return err
			}
			u, ok := p.lookup(a.Prefix)
			if !ok {
				return p.errf(start, "prefix %q is not declared", a.Prefix)
			}
			a.URI = u
		} else {
			a.Local = r.qname
		}
		for _, b := range p.d.Attrs[attrStart:] {
			if string(b.Local) == string(a.Local) && string(b.URI) == string(a.URI) {
				return p.errf(start, "duplicate attribute {%s}%s", a.URI, a.Local)
			}
		}
		p.d.Attrs = append(p.d.Attrs, a)
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
		p.scope = p.scope[:p.marks[len(p.marks)-1]]
		p.marks = p.marks[:len(p.marks)-1]
		return nil
	}
	p.open = append(p.open, idx)
	return nil
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
	p.scope = p.scope[:p.marks[len(p.marks)-1]]
	p.marks = p.marks[:len(p.marks)-1]
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
