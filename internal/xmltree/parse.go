package xmltree

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"
)

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
		return p.errf(len(src), "element <%s> is not closed", QName(n.Prefix, n.Local))
	}
	if p.d.Root == None {
		return p.errf(len(src), "no document element")
	}
	return nil
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
