// Package smevtransform implements the SMEV 3 transform
// urn://smev-gov-ru/xmldsig/transform with the semantics of the reference
// Java implementation (ru.voskhod.crypto.impl.SmevTransformSpi):
//
//  1. the XML declaration, processing instructions and comments are dropped;
//  2. text nodes made only of characters ≤ U+0020 are dropped;
//  3. every element is written as a start and an end tag;
//  4. namespace declarations are written only where a name uses them;
//  5. an element's namespace is declared on it unless an output ancestor
//     already declared it;
//  6. prefixes become ns1, ns2, … counted across the fragment and never
//     reused; a mapping lives only inside the element that declared it;
//  7. attributes are sorted: qualified ones first (namespace URI, then local
//     name), then unqualified ones (local name), comparing UTF-16 code units
//     as java.lang.String does;
//  8. the element's own declaration comes first, then those its attributes
//     need, in attribute order.
//
// The transform is always applied after exclusive c14n. Write computes
// transform(excC14N(element)) straight from the parsed tree: the two differ
// from a plain walk only in that adjacent text separated by comments is one
// text node after c14n, which Write takes into account. Tests check Write
// against c14n → parse → transform on every vector and in a fuzz target.
package smevtransform

import (
	"encoding/base64"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer/c14n"
)

// URI is the transform's algorithm identifier.
const URI = "urn://smev-gov-ru/xmldsig/transform"

// Write writes transform(excC14N(subtree at element n)) to w. opt may
// carry attachments for xop:Include and excluded subtrees; its c14n-only
// fields do not change the result (the transform rewrites all namespace
// declarations).
func Write(w io.Writer, d *xmltree.Doc, n int32, opt *c14n.Options) error {
	o := &c14n.Out{W: w, Buf: make([]byte, 0, 64<<10)}
	t := &transformer{d: d, opt: opt, o: o}
	t.element(n)
	return o.Flush()
}

// Bytes returns transform(excC14N(subtree at element n)).
func Bytes(d *xmltree.Doc, n int32, opt *c14n.Options) []byte {
	o := &c14n.Out{}
	t := &transformer{d: d, opt: opt, o: o}
	t.element(n)
	return o.Buf
}

type mapping struct {
	uri []byte
	num int
}

type transformer struct {
	d     *xmltree.Doc
	opt   *c14n.Options
	o     *c14n.Out
	maps  []mapping // in scope, outermost first
	count int
	attrs []int32
	run   [][]byte // text pieces of the current run
	b64   []byte
}

func (t *transformer) find(uri []byte) int {
	for i := len(t.maps) - 1; i >= 0; i-- {
		if string(t.maps[i].uri) == string(uri) {
			return t.maps[i].num
		}
	}
	return 0
}

func (t *transformer) prefix(num int) {
	t.o.Buf = append(t.o.Buf, "ns"...)
	t.o.Buf = strconv.AppendInt(t.o.Buf, int64(num), 10)
}

// element writes element n and its subtree as the SMEV transform requires.
// It is one function on purpose: the transform's rules (prefix numbering
// per scope, attribute order, empty text dropped) follow the reference
// implementation step by step, and are checked against its vectors.
func (t *transformer) element(n int32) {
	d, o := t.d, t.o
	nd := &d.Nodes[n]
	mark := len(t.maps)
	// The element's own namespace. An element without one would get an
	// empty-URI mapping, as the reference implementation does.
	num := t.find(nd.URI)
	if num == 0 {
		t.count++
		num = t.count
		t.maps = append(t.maps, mapping{nd.URI, num})
	}
	attrs := d.Attributes(n)
	as := t.attrs[len(t.attrs):]
	for i := range attrs {
		as = append(as, int32(i))
	}
	for i := 1; i < len(as); i++ {
		for j := i; j > 0 && javaAttrLess(&attrs[as[j]], &attrs[as[j-1]]); j-- {
			as[j], as[j-1] = as[j-1], as[j]
		}
	}
	for _, i := range as {
		if u := attrs[i].URI; len(u) > 0 && t.find(u) == 0 {
			t.count++
			t.maps = append(t.maps, mapping{u, t.count})
		}
	}
	o.Byte('<')
	t.prefix(num)
	o.Byte(':')
	o.Bytes(nd.Local)
	for _, m := range t.maps[mark:] {
		o.String(" xmlns:")
		t.prefix(m.num)
		o.String(`="`)
		attrEscape(o, m.uri)
		o.Byte('"')
	}
	for _, i := range as {
		a := &attrs[i]
		o.Byte(' ')
		if len(a.URI) > 0 {
			t.prefix(t.find(a.URI))
			o.Byte(':')
		}
		o.Bytes(a.Local)
		o.String(`="`)
		attrEscape(o, a.Value)
		o.Byte('"')
	}
	o.Byte('>')
	t.attrs = as[:0]

	runStart := len(t.run)
	for ch := nd.FirstChild; ch != xmltree.None; ch = d.Nodes[ch].Next {
		cn := &d.Nodes[ch]
		switch cn.Kind {
		case xmltree.Text:
			t.run = append(t.run, cn.Data)
		case xmltree.Comment:
			// Dropped by exclusive c14n: the text around it joins.
		case xmltree.ProcInst:
			t.flushRun(runStart)
		case xmltree.Element:
			if t.opt.Excluded(ch) {
				continue // gone before c14n: the text around it joins
			}
			if b, ok := t.opt.ResolveXOP(d, ch); ok {
				start := len(t.b64)
				t.b64 = append(t.b64, make([]byte, base64.StdEncoding.EncodedLen(len(b)))...)
				base64.StdEncoding.Encode(t.b64[start:], b)
				t.run = append(t.run, t.b64[start:])
				continue
			}
			t.flushRun(runStart)
			t.element(ch)
		}
	}
	t.flushRun(runStart)
	o.String("</")
	t.prefix(num)
	o.Byte(':')
	o.Bytes(nd.Local)
	o.Byte('>')
	t.maps = t.maps[:mark]
}

// flushRun writes the text run collected since start unless it is made of
// characters ≤ U+0020 only (java.lang.String.trim().isEmpty()).
func (t *transformer) flushRun(start int) {
	run := t.run[start:]
	if len(run) == 0 {
		return
	}
	blank := true
	for _, p := range run {
		for _, c := range p {
			if c > ' ' {
				blank = false
				break
			}
		}
		if !blank {
			break
		}
	}
	if !blank {
		var prev [2]byte // the two characters before, for "]]>"
		for _, p := range run {
			prev = textEscape(t.o, p, prev)
		}
	}
	t.run = t.run[:start]
	if start == 0 {
		t.b64 = t.b64[:0]
	}
}

// textEscape writes character data as the reference StAX writer does: "&"
// and "<" always escaped, ">" only where it would close "]]>".
func textEscape(o *c14n.Out, b []byte, prev [2]byte) [2]byte {
	start := 0
	for i, c := range b {
		var esc string
		switch c {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			p1, p2 := prev[1], prev[0]
			if i >= 1 {
				p1 = b[i-1]
			}
			if i >= 2 {
				p2 = b[i-2]
			} else if i == 1 {
				p2 = prev[1]
			}
			if p1 != ']' || p2 != ']' {
				continue
			}
			esc = "&gt;"
		default:
			continue
		}
		o.Buf = append(o.Buf, b[start:i]...)
		o.Buf = append(o.Buf, esc...)
		start = i + 1
	}
	o.Buf = append(o.Buf, b[start:]...)
	switch {
	case len(b) >= 2:
		prev = [2]byte{b[len(b)-2], b[len(b)-1]}
	case len(b) == 1:
		prev = [2]byte{prev[1], b[0]}
	}
	o.MaybeFlush()
	return prev
}

// attrEscaper escapes an attribute value as the reference StAX writer
// does: "&", "<" and '"'.
var attrEscaper = xmltree.NewEscaper(map[byte]string{'&': "&amp;", '<': "&lt;", '"': "&quot;"})

func attrEscape(o *c14n.Out, b []byte) { o.Buf = xmltree.Append(o.Buf, b, attrEscaper) }

// javaAttrLess orders attributes as the reference comparator does.
func javaAttrLess(a, b *xmltree.Attr) bool {
	aq, bq := len(a.URI) > 0, len(b.URI) > 0
	switch {
	case aq && bq:
		if c := compareUTF16(a.URI, b.URI); c != 0 {
			return c < 0
		}
		return compareUTF16(a.Local, b.Local) < 0
	case !aq && !bq:
		return compareUTF16(a.Local, b.Local) < 0
	default:
		return aq
	}
}

// compareUTF16 compares UTF-8 strings in UTF-16 code unit order
// (java.lang.String.compareTo). It differs from byte order only between
// supplementary characters and U+E000…U+FFFF.
func compareUTF16(a, b []byte) int {
	for len(a) > 0 && len(b) > 0 {
		if a[0] < 0x80 && b[0] < 0x80 {
			if a[0] != b[0] {
				return int(a[0]) - int(b[0])
			}
			a, b = a[1:], b[1:]
			continue
		}
		ra, na := utf8.DecodeRune(a)
		rb, nb := utf8.DecodeRune(b)
		if ra != rb {
			return utf16Key(ra) - utf16Key(rb)
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) - len(b)
}

// utf16Key maps a rune to a key that orders like its first UTF-16 unit,
// refined by the rune for supplementary characters.
func utf16Key(r rune) int {
	if r >= 0x10000 {
		hi := 0xD800 + ((r - 0x10000) >> 10)
		return int(hi)<<16 | int(r&0xFFFF)
	}
	return int(r) << 16
}
