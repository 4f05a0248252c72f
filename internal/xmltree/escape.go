package xmltree

// An Escaper says how a writer escapes character data or attribute values:
// the reference it writes for each ASCII byte it replaces. Every other byte
// is copied (the tree holds only characters XML allows).
type Escaper struct {
	ref [128]string
}

// NewEscaper returns the Escaper that writes refs[c] for byte c.
func NewEscaper(refs map[byte]string) *Escaper {
	e := &Escaper{}
	for c, r := range refs {
		if c >= 0x80 {
			panic("xmltree: an Escaper replaces ASCII bytes only")
		}
		e.ref[c] = r
	}
	return e
}

// The escaping of canonical XML (C14N 1.0, 5.2, exclusive c14n alike), which
// every writer of XML in Mezhved uses: whatever it writes reads back as the
// same values, and canonicalizes to the same bytes.
var (
	// TextEscaper escapes character data: & < > and CR.
	TextEscaper = NewEscaper(map[byte]string{'&': "&amp;", '<': "&lt;", '>': "&gt;", '\r': "&#xD;"})
	// AttrEscaper escapes a value in double quotes: & < " TAB LF CR.
	AttrEscaper = NewEscaper(map[byte]string{'&': "&amp;", '<': "&lt;", '"': "&quot;",
		'\t': "&#x9;", '\n': "&#xA;", '\r': "&#xD;"})
)

// Append appends s to dst escaped by e.
func Append[T string | []byte](dst []byte, s T, e *Escaper) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || e.ref[c] == "" {
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, e.ref[c]...)
		start = i + 1
	}
	return append(dst, s[start:]...)
}

// AppendText appends character data escaped as canonical XML writes it.
func AppendText[T string | []byte](dst []byte, s T) []byte { return Append(dst, s, TextEscaper) }

// AppendAttr appends an attribute value escaped as canonical XML writes it
// between double quotes.
func AppendAttr[T string | []byte](dst []byte, s T) []byte { return Append(dst, s, AttrEscaper) }
