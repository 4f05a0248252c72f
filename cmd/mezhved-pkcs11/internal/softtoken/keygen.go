package softtoken

import (
	"bytes"
	"crypto/rand"

	"github.com/mezhved/mezhved/gost/gost3410"
)

// GenerateKeyPair makes a GOST R 34.10-2012 key pair on the token
// (C_GenerateKeyPair): CKM_GOSTR3410_KEY_PAIR_GEN for any 2012 parameter
// set, CKM_GOSTR3410_512_KEY_PAIR_GEN for the 512-bit ones. The parameter
// set (CKA_GOSTR3410_PARAMS) may be in either template, as may the key
// type and the hash.
func (m *Module) GenerateKeyPair(h, mech uint, pubAttrs, privAttrs []Attr) (uint, uint, RV) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return 0, 0, rv
	}
	if mech != CKM_GOSTR3410_KEY_PAIR_GEN && mech != CKM_GOSTR3410_512_KEY_PAIR_GEN {
		return 0, 0, CKR_MECHANISM_INVALID
	}
	pt, qt, rv := pairTemplates(pubAttrs, privAttrs)
	if rv != CKR_OK {
		return 0, 0, rv
	}
	c, rv := gostKeyFields(pt)
	if rv != CKR_OK {
		return 0, 0, rv
	}
	if mech == CKM_GOSTR3410_512_KEY_PAIR_GEN && c.Size() != 64 {
		return 0, 0, CKR_TEMPLATE_INCONSISTENT
	}
	for _, a := range []uint{CKA_KEY_TYPE, CKA_GOSTR3411_PARAMS} {
		qt[a] = pt[a]
	}
	priv, err := gost3410.GenerateKey(c, rand.Reader)
	if err != nil {
		return 0, 0, CKR_FUNCTION_FAILED
	}
	pt[CKA_VALUE] = priv.RawLE()
	qt[CKA_VALUE] = priv.PrivateRawLE()
	pub, _, rv := build(CKO_PUBLIC_KEY, pt, mech)
	if rv != CKR_OK {
		return 0, 0, rv
	}
	prv, secret, rv := build(CKO_PRIVATE_KEY, qt, mech)
	if rv != CKR_OK {
		return 0, 0, rv
	}
	hs, rv := m.store(s, pending{o: pub}, pending{o: prv, secret: secret})
	if rv != CKR_OK {
		return 0, 0, rv
	}
	return hs[0], hs[1], CKR_OK
}

// pairTemplates checks the two templates of a key pair, sets their classes
// and copies the shared attributes given in one only to the other.
func pairTemplates(pubAttrs, privAttrs []Attr) (template, template, RV) {
	pt, rv := parseTemplate(pubAttrs)
	if rv != CKR_OK {
		return nil, nil, rv
	}
	qt, rv := parseTemplate(privAttrs)
	if rv != CKR_OK {
		return nil, nil, rv
	}
	for _, x := range []struct {
		t     template
		class uint
	}{{pt, CKO_PUBLIC_KEY}, {qt, CKO_PRIVATE_KEY}} {
		if c, ok := x.t.ulong(CKA_CLASS); ok && c != x.class {
			return nil, nil, CKR_TEMPLATE_INCONSISTENT
		}
		x.t[CKA_CLASS] = ulongBytes(x.class)
		if _, ok := x.t[CKA_VALUE]; ok {
			return nil, nil, CKR_ATTRIBUTE_READ_ONLY
		}
	}
	for _, a := range []uint{CKA_GOSTR3410_PARAMS, CKA_GOSTR3411_PARAMS, CKA_KEY_TYPE} {
		pv, inPub := pt[a]
		qv, inPriv := qt[a]
		switch {
		case inPub && inPriv && !bytes.Equal(pv, qv):
			return nil, nil, CKR_TEMPLATE_INCONSISTENT
		case inPub:
			qt[a] = pv
		case inPriv:
			pt[a] = qv
		}
	}
	return pt, qt, CKR_OK
}
