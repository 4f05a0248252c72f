package cryptopro

import (
	"crypto/hmac"
	"hash"

	"github.com/mezhved/mezhved/gost/gost341194"
	"github.com/mezhved/mezhved/gost/streebog"
)

// kdf256 is KDF_GOSTR3411_2012_256 (R 50.1.113-2016 section 4.5, RFC 7836
// section 4.5): HMAC-Streebog-256(K, 0x01 ‖ label ‖ 0x00 ‖ seed ‖ 0x01 0x00),
// the first block of KDF_TREE with L = 256.
func kdf256(key, label, seed []byte) []byte {
	return kdfTree(key, label, seed, 1)[:32]
}

// kdfTree returns blocks·32 bytes of KDF_TREE_GOSTR3411_2012_256 with R = 1
// (R 50.1.113-2016 section 4.5): block i is HMAC-Streebog-256(K, i ‖ label
// ‖ 0x00 ‖ seed ‖ L), L = 256·blocks as two big-endian bytes.
func kdfTree(key, label, seed []byte, blocks int) []byte {
	m := hmac.New(streebog.New256, key)
	l := 256 * blocks
	var out []byte
	for i := 1; i <= blocks; i++ {
		m.Reset()
		m.Write([]byte{byte(i)})
		m.Write(label)
		m.Write([]byte{0})
		m.Write(seed)
		m.Write([]byte{byte(l >> 8), byte(l)})
		out = m.Sum(out)
	}
	return out
}

// pinFiller is the constant the container PIN derivation starts from.
var pinFiller = []byte("DENEFH028.760246785.IUEFHWUIO.EF")

// pinIterations is the count of the PIN derivation (2 for an empty PIN).
const pinIterations = 2000

// containerKey derives the key that encrypts a container's primary key
// from the PIN and the 12-byte salt of masks.key. h is GOST R 34.11-94
// (CryptoPro parameters) for GOST R 34.10-2001 containers and Streebog-256
// for 2012 ones; the PIN enters as its bytes each followed by three zero
// bytes:
//
//	P  = H(salt ‖ pin4)
//	C0 = filler (zero-padded to 2·|H| bytes for Streebog)
//	Ci = H(Ci-1 ⊕ 0x36… ‖ P ‖ Ci-1 ⊕ 0x5C… ‖ P), 2000 times (2 with no PIN)
//	K  = H(H(C ⊕ 0x36…[:32] ‖ salt ‖ C ⊕ 0x5C…[:32] ‖ pin4))
func containerKey(newHash func() hash.Hash, pin, salt []byte) []byte {
	pin4 := make([]byte, 4*len(pin))
	defer clear(pin4)
	for i, c := range pin {
		pin4[4*i] = c
	}
	h := newHash()
	h.Write(salt)
	h.Write(pin4)
	p := h.Sum(nil)
	defer clear(p)

	width := 32 // the blocks XORed with 0x36/0x5C: 64 bytes with Streebog
	if h.BlockSize() == 64 {
		width = 64
	}
	cur := make([]byte, width)
	copy(cur, pinFiller)
	x36, x5c := make([]byte, width), make([]byte, width)
	defer func() { clear(cur); clear(x36); clear(x5c) }()
	n := pinIterations
	if len(pin) == 0 {
		n = 2
	}
	for i := 0; i < n; i++ {
		xorPads(x36, x5c, cur)
		h.Reset()
		h.Write(x36)
		h.Write(p)
		h.Write(x5c)
		h.Write(p)
		copy(cur, h.Sum(nil)) // the bytes past the digest stay as they were
	}
	xorPads(x36, x5c, cur)
	h.Reset()
	h.Write(x36[:32])
	h.Write(salt)
	h.Write(x5c[:32])
	h.Write(pin4)
	c := h.Sum(nil)
	h.Reset()
	h.Write(c[:32])
	clear(c)
	return h.Sum(nil)
}

func xorPads(x36, x5c, src []byte) {
	for i, b := range src {
		x36[i], x5c[i] = b^0x36, b^0x5c
	}
}

// pinHash returns the hash of the PIN derivation for a key algorithm.
func pinHash(legacy bool) func() hash.Hash {
	if legacy {
		return gost341194.New
	}
	return streebog.New256
}
