package softtoken

import (
	"crypto/rand"
	"hash"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/streebog"
)

// MechInfo is what C_GetMechanismInfo reports (key sizes in bits).
type MechInfo struct {
	MinKey, MaxKey, Flags uint
}

// mechanisms are the token's mechanisms, in the order C_GetMechanismList
// gives them: the standard numbers first, then TC26's.
var mechanisms = []struct {
	mech uint
	info MechInfo
}{
	{CKM_GOSTR3410_KEY_PAIR_GEN, MechInfo{256, 512, CKF_GENERATE_KEY_PAIR}},
	{CKM_GOSTR3410, MechInfo{256, 512, CKF_SIGN | CKF_VERIFY}},
	{CKM_GOSTR3410_WITH_GOSTR3411, MechInfo{256, 512, CKF_SIGN | CKF_VERIFY}},
	{CKM_GOSTR3411, MechInfo{0, 0, CKF_DIGEST}},
	{CKM_GOSTR3410_512_KEY_PAIR_GEN, MechInfo{512, 512, CKF_GENERATE_KEY_PAIR}},
	{CKM_GOSTR3410_512, MechInfo{512, 512, CKF_SIGN | CKF_VERIFY}},
	{CKM_GOSTR3410_WITH_GOSTR3411_12_256, MechInfo{256, 256, CKF_SIGN | CKF_VERIFY}},
	{CKM_GOSTR3410_WITH_GOSTR3411_12_512, MechInfo{512, 512, CKF_SIGN | CKF_VERIFY}},
	{CKM_GOSTR3411_12_256, MechInfo{0, 0, CKF_DIGEST}},
	{CKM_GOSTR3411_12_512, MechInfo{0, 0, CKF_DIGEST}},
}

func (m *Module) tokenSlot(id uint) (*slot, RV) {
	sl, rv := m.slot(id)
	if rv != CKR_OK {
		return nil, rv
	}
	if !sl.present() {
		return nil, CKR_TOKEN_NOT_PRESENT
	}
	return sl, CKR_OK
}

// MechanismList lists the mechanisms of the token in slot id.
func (m *Module) MechanismList(id uint) ([]uint, RV) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, rv := m.tokenSlot(id); rv != CKR_OK {
		return nil, rv
	}
	out := make([]uint, len(mechanisms))
	for i, x := range mechanisms {
		out[i] = x.mech
	}
	return out, CKR_OK
}

// MechanismInfo describes one mechanism.
func (m *Module) MechanismInfo(id, mech uint) (MechInfo, RV) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, rv := m.tokenSlot(id); rv != CKR_OK {
		return MechInfo{}, rv
	}
	for _, x := range mechanisms {
		if x.mech == mech {
			return x.info, CKR_OK
		}
	}
	return MechInfo{}, CKR_MECHANISM_INVALID
}

// Out is the caller's output buffer: Query when it passed none (it asks
// the length), else its capacity.
type Out struct {
	Query bool
	Cap   int
}

// keyOp is a signing or verifying operation.
type keyOp struct {
	size int
	priv *gost3410.PrivateKey // signing
	pub  *gost3410.PublicKey  // verifying
	h    hash.Hash            // nil: the application gives the digest
	buf  []byte               // that digest, as given in parts
}

// digestSize says what a signing mechanism hashes with for a key of size
// bytes: 0 when the application gives the digest.
func digestSize(mech uint, param []byte, key *object, size int) (int, RV) {
	switch mech {
	case CKM_GOSTR3410:
		return 0, CKR_OK
	case CKM_GOSTR3410_512:
		if size != 64 {
			return 0, CKR_KEY_TYPE_INCONSISTENT
		}
		return 0, CKR_OK
	case CKM_GOSTR3410_WITH_GOSTR3411_12_256, CKM_GOSTR3410_WITH_GOSTR3411_12_512:
		want := 32
		if mech == CKM_GOSTR3410_WITH_GOSTR3411_12_512 {
			want = 64
		}
		if size != want {
			return 0, CKR_KEY_TYPE_INCONSISTENT
		}
		return size, CKR_OK
	case CKM_GOSTR3410_WITH_GOSTR3411:
		oid := param
		if len(oid) == 0 {
			oid = key.Attrs[CKA_GOSTR3411_PARAMS]
		}
		if streebogSize(oid) != size {
			return 0, CKR_MECHANISM_PARAM_INVALID
		}
		return size, CKR_OK
	}
	return 0, CKR_MECHANISM_INVALID
}

// keyInit starts signing (with a private key, the user logged in) or
// verifying (with a public key).
func (s *session) keyInit(mech uint, param []byte, kh uint, sign bool) (*keyOp, RV) {
	o, rv := s.object(kh)
	if rv != CKR_OK {
		return nil, CKR_KEY_HANDLE_INVALID
	}
	wantClass, use := CKO_PUBLIC_KEY, CKA_VERIFY
	if sign {
		wantClass, use = CKO_PRIVATE_KEY, CKA_SIGN
		if !s.slot.user {
			return nil, CKR_USER_NOT_LOGGED_IN
		}
	}
	if o.class() != wantClass {
		return nil, CKR_KEY_TYPE_INCONSISTENT
	}
	if !o.flag(use) {
		return nil, CKR_KEY_FUNCTION_NOT_PERMITTED
	}
	c, rv := keyCurve(o)
	if rv != CKR_OK {
		return nil, rv
	}
	hs, rv := digestSize(mech, param, o, c.Size())
	if rv != CKR_OK {
		return nil, rv
	}
	op := &keyOp{size: c.Size()}
	if hs != 0 {
		op.h = streebog.New(hs)
	}
	if !sign {
		op.pub, rv = publicValue(c, o.Attrs[CKA_VALUE])
		return op, rv
	}
	raw, err := unseal(s.slot.tokenKey, keyAAD(s.slot.tok.Serial, o.ID), o.Secret)
	if err != nil {
		return nil, CKR_GENERAL_ERROR
	}
	defer wipe(raw)
	if op.priv, err = gost3410.NewPrivateKeyLE(c, raw); err != nil {
		return nil, CKR_GENERAL_ERROR
	}
	return op, CKR_OK
}

// update takes a part of the data.
func (op *keyOp) update(part []byte) RV {
	if op.h != nil {
		op.h.Write(part)
		return CKR_OK
	}
	if len(op.buf)+len(part) > op.size {
		return CKR_DATA_LEN_RANGE
	}
	op.buf = append(op.buf, part...)
	return CKR_OK
}

// digest returns what is signed: the hash of the data, or the digest the
// application gave (exactly the key's size: 32 or 64 bytes).
func (op *keyOp) digest() ([]byte, RV) {
	if op.h != nil {
		return op.h.Sum(nil), CKR_OK
	}
	if len(op.buf) != op.size {
		return nil, CKR_DATA_LEN_RANGE
	}
	return op.buf, CKR_OK
}

// SignInit starts signing with a private key (C_SignInit).
func (m *Module) SignInit(h, mech uint, param []byte, key uint) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return rv
	}
	if s.sign != nil {
		return CKR_OPERATION_ACTIVE
	}
	op, rv := s.keyInit(mech, param, key, true)
	if rv != CKR_OK {
		return rv
	}
	s.sign = op
	return CKR_OK
}

// Sign signs data in one part (final true: C_Sign) or what SignUpdate
// gave (C_SignFinal, data nil). The signature is s ‖ r. Asking the length
// or a short buffer leaves the operation going; anything else ends it.
func (m *Module) Sign(h uint, data []byte, out Out) ([]byte, int, RV) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return nil, 0, rv
	}
	op := s.sign
	if op == nil {
		return nil, 0, CKR_OPERATION_NOT_INITIALIZED
	}
	need := 2 * op.size
	if out.Query {
		return nil, need, CKR_OK
	}
	if out.Cap < need {
		return nil, need, CKR_BUFFER_TOO_SMALL
	}
	s.sign = nil
	if rv := op.update(data); rv != CKR_OK {
		return nil, 0, rv
	}
	d, rv := op.digest()
	if rv != CKR_OK {
		return nil, 0, rv
	}
	sig, err := op.priv.Sign(rand.Reader, d, nil)
	if err != nil {
		return nil, 0, CKR_FUNCTION_FAILED
	}
	return sig, need, CKR_OK
}

// SignUpdate gives a part of the data (C_SignUpdate).
func (m *Module) SignUpdate(h uint, part []byte) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return rv
	}
	if s.sign == nil {
		return CKR_OPERATION_NOT_INITIALIZED
	}
	if rv := s.sign.update(part); rv != CKR_OK {
		s.sign = nil
		return rv
	}
	return CKR_OK
}

// VerifyInit starts verifying with a public key (C_VerifyInit).
func (m *Module) VerifyInit(h, mech uint, param []byte, key uint) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return rv
	}
	if s.verify != nil {
		return CKR_OPERATION_ACTIVE
	}
	op, rv := s.keyInit(mech, param, key, false)
	if rv != CKR_OK {
		return rv
	}
	s.verify = op
	return CKR_OK
}

// Verify checks sig over data and what VerifyUpdate gave (C_Verify,
// C_VerifyFinal with data nil); the operation ends.
func (m *Module) Verify(h uint, data, sig []byte) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return rv
	}
	op := s.verify
	if op == nil {
		return CKR_OPERATION_NOT_INITIALIZED
	}
	s.verify = nil
	if rv := op.update(data); rv != CKR_OK {
		return rv
	}
	d, rv := op.digest()
	if rv != CKR_OK {
		return rv
	}
	if len(sig) != 2*op.size {
		return CKR_SIGNATURE_LEN_RANGE
	}
	if !gost3410.VerifyDigest(op.pub, d, sig) {
		return CKR_SIGNATURE_INVALID
	}
	return CKR_OK
}

// VerifyUpdate gives a part of the data (C_VerifyUpdate).
func (m *Module) VerifyUpdate(h uint, part []byte) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return rv
	}
	if s.verify == nil {
		return CKR_OPERATION_NOT_INITIALIZED
	}
	if rv := s.verify.update(part); rv != CKR_OK {
		s.verify = nil
		return rv
	}
	return CKR_OK
}
