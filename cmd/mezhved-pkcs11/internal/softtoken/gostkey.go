package softtoken

import (
	"bytes"
	"encoding/asn1"

	"github.com/mezhved/mezhved/gost/gost3410"
)

var (
	oidStreebog256 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 2, 2}
	oidStreebog512 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 2, 3}
)

func mustDER(oid asn1.ObjectIdentifier) []byte {
	b, err := asn1.Marshal(oid)
	if err != nil {
		panic(err)
	}
	return b
}

var (
	derStreebog256 = mustDER(oidStreebog256)
	derStreebog512 = mustDER(oidStreebog512)
)

// curveOf reads CKA_GOSTR3410_PARAMS: the DER OID of a parameter set.
func curveOf(der []byte) (*gost3410.Curve, RV) {
	var oid asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(der, &oid)
	if err != nil || len(rest) != 0 {
		return nil, CKR_ATTRIBUTE_VALUE_INVALID
	}
	c := gost3410.CurveByOID(oid)
	if c == nil {
		return nil, CKR_ATTRIBUTE_VALUE_INVALID
	}
	return c, CKR_OK
}

// streebogSize returns 32 or 64 for the DER OID of Streebog-256/512, else 0
// (GOST R 34.11-94 included: this token signs with 2012 only).
func streebogSize(der []byte) int {
	switch {
	case bytes.Equal(der, derStreebog256):
		return 32
	case bytes.Equal(der, derStreebog512):
		return 64
	}
	return 0
}

func streebogDER(size int) []byte {
	if size == 64 {
		return derStreebog512
	}
	return derStreebog256
}

// gostKeyFields checks and completes the GOST part of a key template: the
// parameter set (required), the key type (CKK_GOSTR3410 for any size, as
// the standard numbers have it, or the TC26 CKK_GOSTR3410_512 for 512-bit
// sets; absent, the TC26 choice by size), the hash (Streebog of the key's
// size; absent, filled in).
func gostKeyFields(t template) (*gost3410.Curve, RV) {
	der, ok := t[CKA_GOSTR3410_PARAMS]
	if !ok {
		return nil, CKR_TEMPLATE_INCOMPLETE
	}
	c, rv := curveOf(der)
	if rv != CKR_OK {
		return nil, rv
	}
	kt, has := t.ulong(CKA_KEY_TYPE)
	switch {
	case !has:
		kt = CKK_GOSTR3410
		if c.Size() == 64 {
			kt = CKK_GOSTR3410_512
		}
	case kt == CKK_GOSTR3410:
	case kt == CKK_GOSTR3410_512 && c.Size() == 64:
	default:
		return nil, CKR_TEMPLATE_INCONSISTENT
	}
	t[CKA_KEY_TYPE] = ulongBytes(kt)
	if h, ok := t[CKA_GOSTR3411_PARAMS]; ok {
		if streebogSize(h) != c.Size() {
			return nil, CKR_ATTRIBUTE_VALUE_INVALID
		}
	} else {
		t[CKA_GOSTR3411_PARAMS] = streebogDER(c.Size())
	}
	return c, CKR_OK
}

// publicValue reads a GOST public key's CKA_VALUE, LE(X) ‖ LE(Y); one
// wrapped in an OCTET STRING (as some tools write it) is unwrapped.
func publicValue(c *gost3410.Curve, v []byte) (*gost3410.PublicKey, RV) {
	n := 2 * c.Size()
	if len(v) != n {
		var inner []byte
		if rest, err := asn1.Unmarshal(v, &inner); err == nil && len(rest) == 0 && len(inner) == n {
			v = inner
		}
	}
	pub, err := gost3410.NewPublicKeyLE(c, v)
	if err != nil {
		return nil, CKR_ATTRIBUTE_VALUE_INVALID
	}
	return pub, CKR_OK
}

// privateValue reads a GOST private key's CKA_VALUE, the little-endian
// scalar; pkcs11-tool drops its high zero bytes, so a short one is padded.
func privateValue(c *gost3410.Curve, v []byte) ([]byte, RV) {
	if len(v) == 0 || len(v) > c.Size() {
		return nil, CKR_ATTRIBUTE_VALUE_INVALID
	}
	raw := make([]byte, c.Size())
	copy(raw, v)
	if _, err := gost3410.NewPrivateKeyLE(c, raw); err != nil {
		wipe(raw)
		return nil, CKR_ATTRIBUTE_VALUE_INVALID
	}
	return raw, CKR_OK
}

// keyCurve returns the parameter set of a stored GOST key object.
func keyCurve(o *object) (*gost3410.Curve, RV) {
	switch o.ulong(CKA_KEY_TYPE) {
	case CKK_GOSTR3410, CKK_GOSTR3410_512:
	default:
		return nil, CKR_KEY_TYPE_INCONSISTENT
	}
	c, rv := curveOf(o.Attrs[CKA_GOSTR3410_PARAMS])
	if rv != CKR_OK {
		return nil, CKR_KEY_TYPE_INCONSISTENT
	}
	return c, CKR_OK
}
