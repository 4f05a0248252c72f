package streebog

import "math/bits"

// state is a 512-bit value as eight little-endian 64-bit words: word 0 holds
// the least significant bytes, which come first in the byte string.
type state [8]uint64

// lps computes L(P(S(a))).
func lps(a *state) state {
	var out state
	for i := uint(0); i < 8; i++ {
		sh := 8 * i
		out[i] = lpsTable[0][byte(a[0]>>sh)] ^
			lpsTable[1][byte(a[1]>>sh)] ^
			lpsTable[2][byte(a[2]>>sh)] ^
			lpsTable[3][byte(a[3]>>sh)] ^
			lpsTable[4][byte(a[4]>>sh)] ^
			lpsTable[5][byte(a[5]>>sh)] ^
			lpsTable[6][byte(a[6]>>sh)] ^
			lpsTable[7][byte(a[7]>>sh)]
	}
	return out
}

func xor(a, b *state) state {
	var out state
	for i := range out {
		out[i] = a[i] ^ b[i]
	}
	return out
}

// compress is g_N(h, m) = E(LPS(h ⊕ N), m) ⊕ h ⊕ m (RFC 6986, 7.1).
// Only the low word of N can be non-zero for messages shorter than 2^64 bits.
func compress(h *state, n uint64, m *state) {
	k := *h
	k[0] ^= n
	k = lps(&k)
	t := *m
	for i := 0; i < 12; i++ {
		t = xor(&k, &t)
		t = lps(&t)
		k = xor(&k, &roundC[i])
		k = lps(&k)
	}
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
