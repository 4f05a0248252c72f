package store

import (
	"bytes"
	"compress/flate"
	"database/sql/driver"
	"fmt"
	"io"
	"sync"
)

// Envelopes and business bodies are XML: namespaces, canonical elements,
// base64 signatures and certificates. DEFLATE halves them (replies'
// envelopes 7.4 KB → 3 KB, outbox envelopes 4.2 KB → 2 KB in a journal
// written by the demo loop; see docs/PERFORMANCE.md, «Journal»).
//
// The format is a flag per value, not per journal: a packed value starts
// with packMagic (a NUL byte cannot begin an XML envelope, a business body
// or an MTOM multipart body), anything else is stored as written. So a
// journal written before packing reads as it did, without a migration,
// and a journal may hold both kinds.
var packMagic = []byte("\x00mzd1")

// packMin: smaller values are left as they are (the header and DEFLATE's
// own overhead would eat the saving).
const packMin = 256

var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(io.Discard, flate.BestSpeed) // within 6 % of level 6 on envelopes, a fraction of its time
	return w
}}

var inflaters sync.Pool // of io.ReadCloser implementing flate.Resetter

// pack returns b DEFLATE-compressed behind packMagic, or b itself when it
// is short or does not shrink. nil stays nil (SQL NULL).
func pack(b []byte) []byte {
	marked := bytes.HasPrefix(b, packMagic) // cannot be XML; packed anyway so unpack never misreads it
	if len(b) < packMin && !marked {
		return b
	}
	var buf bytes.Buffer
	buf.Grow(len(b)/2 + len(packMagic) + 64)
	buf.Write(packMagic)
	w := deflaters.Get().(*flate.Writer)
	w.Reset(&buf)
	w.Write(b) // a bytes.Buffer does not fail
	w.Close()
	deflaters.Put(w)
	if buf.Len() >= len(b) && !marked {
		return b
	}
	return buf.Bytes()
}

// unpack reverses pack; a value without packMagic is returned as it is.
func unpack(b []byte) ([]byte, error) {
	if !bytes.HasPrefix(b, packMagic) {
		return b, nil
	}
	src := bytes.NewReader(b[len(packMagic):])
	r, _ := inflaters.Get().(io.ReadCloser)
	if r == nil {
		r = flate.NewReader(src)
	} else if err := r.(flate.Resetter).Reset(src, nil); err != nil {
		return nil, err
	}
	out := bytes.NewBuffer(make([]byte, 0, 3*len(b)))
	_, err := out.ReadFrom(r)
	inflaters.Put(r)
	if err != nil {
		return nil, fmt.Errorf("packed journal value: %w", err)
	}
	return out.Bytes(), nil
}

// packed scans a BLOB column written by pack: the value comes out as it
// was written. A NULL scans as nil.
type packed struct{ b *[]byte }

// Scan implements sql.Scanner.
func (p packed) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*p.b = nil
		return nil
	case []byte:
		out, err := unpack(v)
		if err != nil {
			return err
		}
		if len(out) == 0 || &out[0] == &v[0] {
			out = bytes.Clone(v) // the driver may reuse v after Scan
		}
		*p.b = out
		return nil
	case string:
		*p.b = []byte(v)
		return nil
	}
	return fmt.Errorf("packed: cannot scan %T", src)
}

var _ driver.Valuer = packedValue(nil)

// packedValue is a value to write packed (see pack).
type packedValue []byte

// Value implements driver.Valuer.
func (v packedValue) Value() (driver.Value, error) {
	return pack(v), nil // nil stays a nil []byte, bound as before
}
