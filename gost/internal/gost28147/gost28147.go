// Package gost28147 is the GOST 28147-89 block cipher (RFC 5830): the step
// function of the GOST R 34.11-94 hash (package gost341194), and for the
// password-protected key formats its modes: ECB, CFB with CryptoPro key
// meshing, CNT, the IMIT MAC, and the RFC 4357 key wraps with the CryptoPro
// KEK diversification. Written from GOST 28147-89, RFC 5830, RFC 4357 and
// RFC 7836. The S-box lookups are table lookups: not constant-time with
// respect to cache timing (the keys it opens are opened once, locally).
//
// Words, not bytes: the 256-bit key is eight 32-bit words K0..K7, the
// block the two halves N1 (low, enters the first round) and N2. Callers
// that work on little-endian byte strings (the hash, OpenSSL's engine) read
// K0 from key bytes 0..3 and N1 from block bytes 0..3, little-endian.
package gost28147

import "math/bits"

// SBox is a substitution table: SBox[i] maps the i-th 4-bit nibble of a
// 32-bit word, i = 0 for the least significant nibble (the standard's K1).
type SBox [8][16]uint8

// Cipher holds the expanded substitution of an SBox: for each byte of the
// round word, the substituted byte already placed and rotated left by 11.
type Cipher struct {
	t [4][256]uint32
}

// New expands s.
func New(s *SBox) *Cipher {
	c := new(Cipher)
	for b := 0; b < 4; b++ {
		for v := 0; v < 256; v++ {
			lo, hi := s[2*b][v&15], s[2*b+1][v>>4]
			w := uint32(lo|hi<<4) << (8 * uint(b))
			c.t[b][v] = bits.RotateLeft32(w, 11)
		}
	}
	return c
}

// f is the round function: substitute the nibbles of x, rotate left 11.
func (c *Cipher) f(x uint32) uint32 {
	return c.t[0][x&0xff] ^ c.t[1][x>>8&0xff] ^ c.t[2][x>>16&0xff] ^ c.t[3][x>>24]
}

// Encrypt enciphers the block (n1, n2) under key in simple substitution
// (ECB) mode: 32 rounds, keys K0..K7 three times then K7..K0, the halves
// swapped after every round but the last. It returns the new (n1, n2).
func (c *Cipher) Encrypt(key *[8]uint32, n1, n2 uint32) (uint32, uint32) {
	for r := 0; r < 24; r++ {
		n1, n2 = n2^c.f(n1+key[r&7]), n1
	}
	for r := 7; r > 0; r-- {
		n1, n2 = n2^c.f(n1+key[r]), n1
	}
	n2 ^= c.f(n1 + key[0])
	return n1, n2
}

// Decrypt deciphers the block (n1, n2): the rounds of Encrypt in reverse,
// keys K0..K7 once then K7..K0 three times, no swap after the last.
func (c *Cipher) Decrypt(key *[8]uint32, n1, n2 uint32) (uint32, uint32) {
	for r := 0; r < 8; r++ {
		n1, n2 = n2^c.f(n1+key[r]), n1
	}
	for r := 0; r < 23; r++ {
		n1, n2 = n2^c.f(n1+key[7-(r&7)]), n1
	}
	n2 ^= c.f(n1 + key[0])
	return n1, n2
}

// mac16 is the 16-round transformation of the IMIT mode: keys K0..K7 twice,
// the halves swapped after every round (GOST 28147-89 section 5).
func (c *Cipher) mac16(key *[8]uint32, n1, n2 uint32) (uint32, uint32) {
	for r := 0; r < 16; r++ {
		n1, n2 = n2^c.f(n1+key[r&7]), n1
	}
	return n1, n2
}
