package c14n

import (
	"io"

	"github.com/mezhved/mezhved/internal/xmltree"
)

// Out is a small buffered writer used by the canonicalizers and the SMEV
// transform: it collects output in one reusable buffer and hands it to the
// destination (usually a hash) in large pieces.
type Out struct {
	W   io.Writer // nil: keep everything in Buf
	Buf []byte
	Err error
}

const flushAt = 32 << 10

// Flush writes the buffered bytes to W.
func (o *Out) Flush() error {
	if o.W != nil && len(o.Buf) > 0 && o.Err == nil {
		_, o.Err = o.W.Write(o.Buf)
		o.Buf = o.Buf[:0]
	}
	return o.Err
}

// MaybeFlush flushes when enough output has collected.
func (o *Out) MaybeFlush() {
	if o.W != nil && len(o.Buf) >= flushAt {
		o.Flush()
	}
}

// Bytes appends raw bytes.
func (o *Out) Bytes(b []byte) { o.Buf = append(o.Buf, b...); o.MaybeFlush() }

// String appends a raw string.
func (o *Out) String(s string) { o.Buf = append(o.Buf, s...) }

// Byte appends one byte.
func (o *Out) Byte(c byte) { o.Buf = append(o.Buf, c) }

// Text appends character data escaped as canonical XML requires.
func (o *Out) Text(b []byte) {
	o.Buf = xmltree.AppendText(o.Buf, b)
	o.MaybeFlush()
}

// AttrValue appends an attribute value escaped as canonical XML requires.
func (o *Out) AttrValue(b []byte) { o.Buf = xmltree.AppendAttr(o.Buf, b) }

// QName appends prefix:local (local alone for an empty prefix).
func (o *Out) QName(prefix, local []byte) {
	if len(prefix) > 0 {
		o.Buf = append(o.Buf, prefix...)
		o.Buf = append(o.Buf, ':')
	}
	o.Buf = append(o.Buf, local...)
}
