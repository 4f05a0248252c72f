package softtoken

import (
	"crypto/rand"
	"hash"

	"github.com/mezhved/mezhved/gost/streebog"
)

// digestOp is a hashing operation.
type digestOp struct{ h hash.Hash }

// DigestInit starts hashing (C_DigestInit): CKM_GOSTR3411_12_256/512, or
// the standard CKM_GOSTR3411 with the Streebog OID as its parameter.
func (m *Module) DigestInit(h, mech uint, param []byte) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return rv
	}
	if s.digest != nil {
		return CKR_OPERATION_ACTIVE
	}
	size := 0
	switch mech {
	case CKM_GOSTR3411_12_256:
		size = 32
	case CKM_GOSTR3411_12_512:
		size = 64
	case CKM_GOSTR3411:
		if size = streebogSize(param); size == 0 {
			return CKR_MECHANISM_PARAM_INVALID
		}
	default:
		return CKR_MECHANISM_INVALID
	}
	s.digest = &digestOp{h: streebog.New(size)}
	return CKR_OK
}

// Digest hashes data and what DigestUpdate gave, and ends the operation
// (C_Digest, C_DigestFinal with data nil); asking the length or a short
// buffer leaves it going.
func (m *Module) Digest(h uint, data []byte, out Out) ([]byte, int, RV) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return nil, 0, rv
	}
	op := s.digest
	if op == nil {
		return nil, 0, CKR_OPERATION_NOT_INITIALIZED
	}
	need := op.h.Size()
	if out.Query {
		return nil, need, CKR_OK
	}
	if out.Cap < need {
		return nil, need, CKR_BUFFER_TOO_SMALL
	}
	s.digest = nil
	op.h.Write(data)
	return op.h.Sum(nil), need, CKR_OK
}

// DigestUpdate gives a part of the data (C_DigestUpdate).
func (m *Module) DigestUpdate(h uint, part []byte) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return rv
	}
	if s.digest == nil {
		return CKR_OPERATION_NOT_INITIALIZED
	}
	s.digest.h.Write(part)
	return CKR_OK
}

// GenerateRandom fills n bytes from the system's generator.
func (m *Module) GenerateRandom(h uint, n int) ([]byte, RV) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, rv := m.session(h); rv != CKR_OK {
		return nil, rv
	}
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return nil, CKR_FUNCTION_FAILED
	}
	return b, CKR_OK
}
