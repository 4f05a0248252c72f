package gostpkcs

import (
	"hash"
	"math/big"
	"unicode/utf8"
)

// RFC 7292 appendix B.3 diversifiers.
const (
	kdfKey = 1
	kdfIV  = 2
	kdfMAC = 3
)

// pkcs12KDF is the key derivation of RFC 7292 appendix B.2 over newHash
// (u = its size, v = its block size): SHA-1 for the classic PBEs and MACs,
// GOST R 34.11-94 (u = v = 32) for the legacy CryptoPro PFX MAC. password
// is the BMPString with its two zero bytes; the caller bounds iter.
func pkcs12KDF(newHash func() hash.Hash, password, salt []byte, id byte, iter, size int) []byte {
	h := newHash()
	u, v := h.Size(), h.BlockSize()
	D := make([]byte, v)
	for i := range D {
		D[i] = id
	}
	fill := func(src []byte) []byte {
		if len(src) == 0 {
			return nil
		}
		n := (len(src) + v - 1) / v * v
		out := make([]byte, n)
		for i := range out {
			out[i] = src[i%len(src)]
		}
		return out
	}
	I := append(fill(salt), fill(password)...)
	defer clear(I)
	var out []byte
	A := make([]byte, u)
	for len(out) < size {
		h.Reset()
		h.Write(D)
		h.Write(I)
		A = h.Sum(A[:0])
		for j := 1; j < iter; j++ {
			h.Reset()
			h.Write(A)
			A = h.Sum(A[:0])
		}
		out = append(out, A...)
		if len(out) >= size {
			break
		}
		// I_j = (I_j + B + 1) mod 2^v for each v-byte block I_j of I
		B := fill(A)[:v]
		b1 := new(big.Int).SetBytes(B)
		b1.Add(b1, big.NewInt(1))
		mod := new(big.Int).Lsh(big.NewInt(1), uint(8*v))
		for j := 0; j < len(I); j += v {
			x := new(big.Int).SetBytes(I[j : j+v])
			x.Add(x, b1)
			x.Mod(x, mod)
			x.FillBytes(I[j : j+v])
		}
	}
	clear(A)
	res := append([]byte(nil), out[:size]...)
	clear(out)
	return res
}

// bmpPassword converts a UTF-8 password to the BMPString of RFC 7292
// (UTF-16 big-endian, two zero bytes at the end). It reports false for
// invalid UTF-8 or characters outside the BMP.
func bmpPassword(password []byte) ([]byte, bool) {
	out := make([]byte, 0, 2*len(password)+2)
	for p := password; len(p) > 0; {
		r, n := utf8.DecodeRune(p)
		if r == utf8.RuneError && n <= 1 || r > 0xffff {
			clear(out)
			return nil, false
		}
		out = append(out, byte(r>>8), byte(r))
		p = p[n:]
	}
	return append(out, 0, 0), true
}
