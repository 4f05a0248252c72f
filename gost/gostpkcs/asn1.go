package gostpkcs

import (
	"encoding/asn1"
)

// algorithmIdentifier is X.509's AlgorithmIdentifier with the parameters
// kept raw.
type algorithmIdentifier struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

// params returns the DER of the parameters (nil when absent).
func (a algorithmIdentifier) params() []byte {
	if len(a.Parameters.FullBytes) == 0 {
		return nil
	}
	return a.Parameters.FullBytes
}

// parseDER unmarshals exactly one DER value into v: trailing bytes are an
// error.
func parseDER(der []byte, v any, what string) error {
	rest, err := asn1.Unmarshal(der, v)
	if err != nil {
		return malformed("%s: %v", what, err)
	}
	if len(rest) != 0 {
		return malformed("%s: trailing data", what)
	}
	return nil
}

// isDERSequence reports whether b is exactly one well-formed DER SEQUENCE
// (every nested TLV checked, so that a CFB decryption under a wrong key,
// which never fails by itself, is recognised).
func isDERSequence(b []byte) bool {
	var raw asn1.RawValue
	rest, err := asn1.Unmarshal(b, &raw)
	if err != nil || len(rest) != 0 || raw.Class != asn1.ClassUniversal || raw.Tag != asn1.TagSequence || !raw.IsCompound {
		return false
	}
	return wellFormed(raw.Bytes, 0)
}

// maxDepth bounds the nesting wellFormed walks.
const maxDepth = 16

func wellFormed(b []byte, depth int) bool {
	if depth > maxDepth {
		return false
	}
	for len(b) > 0 {
		var raw asn1.RawValue
		rest, err := asn1.Unmarshal(b, &raw)
		if err != nil {
			return false
		}
		if raw.IsCompound && !wellFormed(raw.Bytes, depth+1) {
			return false
		}
		b = rest
	}
	return true
}
