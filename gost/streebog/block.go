package streebog

import "math/bits"

// state is a 512-bit value as eight little-endian 64-bit words: word 0 holds
// the least significant bytes, which come first in the byte string.
type state [8]uint64

// lpsx sets dst = L(P(S(a ⊕ b))). dst may alias a or b.
func lpsx(dst, a, b *state) {
	t0, t1, t2, t3 := a[0]^b[0], a[1]^b[1], a[2]^b[2], a[3]^b[3]
	t4, t5, t6, t7 := a[4]^b[4], a[5]^b[5], a[6]^b[6], a[7]^b[7]
	for i := uint(0); i < 8; i++ {
		sh := 8 * i
		dst[i] = lpsTable[0][byte(t0>>sh)] ^
			lpsTable[1][byte(t1>>sh)] ^
			lpsTable[2][byte(t2>>sh)] ^
			lpsTable[3][byte(t3>>sh)] ^
			lpsTable[4][byte(t4>>sh)] ^
			lpsTable[5][byte(t5>>sh)] ^
			lpsTable[6][byte(t6>>sh)] ^
			lpsTable[7][byte(t7>>sh)]
	}
}

// compress is g_N(h, m) = E(LPS(h ⊕ N), m) ⊕ h ⊕ m (RFC 6986, 7.1).
// Only the low word of N can be non-zero for messages shorter than 2^64 bits.
func compressGeneric(h *state, n uint64, m *state) {
	var k, t state
	nv := state{n}
	lpsx(&k, h, &nv)
	lpsx(&t, &k, m)
	for i := 0; i < 11; i++ {
		lpsx(&k, &k, &roundC[i])
		lpsx(&t, &k, &t)
	}
	lpsx(&k, &k, &roundC[11])
	for i := range h {
		h[i] ^= k[i] ^ t[i] ^ m[i]
	}
}

// add512 sets s = s + m mod 2^512.
func add512(s, m *state) {
	var c uint64
	for i := range s {
		s[i], c = bits.Add64(s[i], m[i], c)
	}
}

func load(b []byte) state {
	var m state
	for i := range m {
		j := 8 * i
		m[i] = uint64(b[j]) | uint64(b[j+1])<<8 | uint64(b[j+2])<<16 | uint64(b[j+3])<<24 |
			uint64(b[j+4])<<32 | uint64(b[j+5])<<40 | uint64(b[j+6])<<48 | uint64(b[j+7])<<56
	}
	return m
}

// blocksGeneric hashes the whole blocks of p (len(p) a multiple of
// BlockSize) into d.
func (d *digest) blocksGeneric(p []byte) {
	for len(p) > 0 {
		m := load(p[:BlockSize])
		compressGeneric(&d.h, d.n, &m)
		d.n += 512
		add512(&d.sigma, &m)
		p = p[BlockSize:]
	}
}
