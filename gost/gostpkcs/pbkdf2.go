package gostpkcs

import (
	"crypto/hmac"
	"encoding/binary"
	"hash"
)

// PBKDF2 derives keyLen bytes from password and salt (RFC 8018 section
// 5.2) with HMAC over newHash as the PRF: R 50.1.111-2016 (RFC 9337) with
// Streebog-512, the legacy CryptoPro PBES2 with GOST R 34.11-94, and the
// common SHA ones. The caller checks iter against MaxIterations.
func PBKDF2(newHash func() hash.Hash, password, salt []byte, iter, keyLen int) []byte {
	prf := hmac.New(newHash, password)
	hLen := prf.Size()
	out := make([]byte, 0, (keyLen+hLen-1)/hLen*hLen)
	u := make([]byte, hLen)
	t := make([]byte, hLen)
	var ctr [4]byte
	for block := uint32(1); len(out) < keyLen; block++ {
		binary.BigEndian.PutUint32(ctr[:], block)
		prf.Reset()
		prf.Write(salt)
		prf.Write(ctr[:])
		u = prf.Sum(u[:0])
		copy(t, u)
		for i := 1; i < iter; i++ {
			prf.Reset()
			prf.Write(u)
			u = prf.Sum(u[:0])
			for j := range t {
				t[j] ^= u[j]
			}
		}
		out = append(out, t...)
	}
	clear(u)
	clear(t)
	clear(out[keyLen:cap(out)])
	return out[:keyLen]
}
