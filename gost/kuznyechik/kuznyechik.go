// Package kuznyechik implements the 128-bit block cipher "Kuznyechik" of
// GOST R 34.12-2015 (section 4; RFC 7801 repeats it) as a crypto/cipher.Block.
//
// Byte order: the standard writes a block as a15||…||a0 with a15 the most
// significant byte; here a block is the byte string as the standard prints
// it, so byte 0 of the slice is a15. The 256-bit key is likewise the printed
// byte string: its first 16 bytes are K1, the last 16 bytes K2. The
// standard's examples therefore apply byte for byte, and the result equals
// OpenSSL's GOST engine (kuznyechik-ecb).
//
// Speed against side channels: encryption and decryption are table-driven
// (each round is 16 lookups into 4 KiB tables indexed by bytes of state⊕key),
// so the memory addresses touched depend on key and data. On a machine where
// an attacker shares the cache this leaks through timing; it is the usual
// trade-off of software Kuznyechik (see CONSTANT_TIME.md). Nothing here is
// constant-time.
package kuznyechik

import (
	"crypto/cipher"
	"encoding/binary"
	"strconv"
)

const (
	// BlockSize is the Kuznyechik block size in bytes.
	BlockSize = 16
	// KeySize is the Kuznyechik key size in bytes.
	KeySize = 32
)

// KeySizeError is returned by NewCipher for a key that is not 32 bytes.
type KeySizeError int

func (k KeySizeError) Error() string {
	return "kuznyechik: invalid key size " + strconv.Itoa(int(k))
}

// block is one 128-bit value as two big-endian words: hi holds bytes 0..7
// (a15..a8), lo bytes 8..15 (a7..a0).
type block struct{ hi, lo uint64 }

func load(b []byte) block {
	return block{binary.BigEndian.Uint64(b), binary.BigEndian.Uint64(b[8:])}
}

func (x block) store(b []byte) {
	binary.BigEndian.PutUint64(b, x.hi)
	binary.BigEndian.PutUint64(b[8:], x.lo)
}

func (x block) xor(y block) block { return block{x.hi ^ y.hi, x.lo ^ y.lo} }

// Cipher is an expanded Kuznyechik key.
type Cipher struct {
	enc [10]block // K1..K10
	dec [10]block // L⁻¹(K1..K10) for the table-driven decryption
}

// NewCipher expands a 32-byte key.
func NewCipher(key []byte) (*Cipher, error) {
	if len(key) != KeySize {
		return nil, KeySizeError(len(key))
	}
	c := new(Cipher)
	c.expand(key)
	return c, nil
}

// New is NewCipher returning the cipher.Block interface.
func New(key []byte) (cipher.Block, error) {
	c, err := NewCipher(key)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// expand is the key schedule of GOST R 34.12-2015 4.3: K1||K2 = K, then
// four times eight Feistel rounds F[C_i] with the constants C_i = L(Vec(i)).
func (c *Cipher) expand(key []byte) {
	k1, k2 := load(key[:16]), load(key[16:])
	c.enc[0], c.enc[1] = k1, k2
	for i := 1; i <= 4; i++ {
		for j := 1; j <= 8; j++ {
			k1, k2 = lsx(k1.xor(roundConst[8*(i-1)+j-1])).xor(k2), k1
		}
		c.enc[2*i], c.enc[2*i+1] = k1, k2
	}
	for i := range c.enc {
		c.dec[i] = linearInv(c.enc[i])
	}
}

// BlockSize returns 16.
func (c *Cipher) BlockSize() int { return BlockSize }

// Encrypt enciphers the block src into dst (they may overlap entirely):
// X[K10]LSX[K9]…LSX[K1].
func (c *Cipher) Encrypt(dst, src []byte) {
	if len(src) < BlockSize || len(dst) < BlockSize {
		panic("kuznyechik: input not full block")
	}
	x := load(src)
	for i := 0; i < 9; i++ {
		x = lsx(x.xor(c.enc[i]))
	}
	x.xor(c.enc[9]).store(dst)
}

// Decrypt deciphers the block src into dst (they may overlap entirely):
// X[K1]S⁻¹L⁻¹X[K2]…S⁻¹L⁻¹X[K10]. Since L⁻¹ is linear, L⁻¹(y⊕K) =
// L⁻¹(y)⊕L⁻¹(K): the state is carried through L⁻¹ and each round is one
// combined S⁻¹-then-L⁻¹ table pass with the key already under L⁻¹.
func (c *Cipher) Decrypt(dst, src []byte) {
	if len(src) < BlockSize || len(dst) < BlockSize {
		panic("kuznyechik: input not full block")
	}
	x := linearInv(load(src).xor(c.enc[9]))
	for i := 8; i > 0; i-- {
		x = invLS(x).xor(c.dec[i])
	}
	invS(x).xor(c.enc[0]).store(dst)
}

// lsx returns L(S(x)) by the encryption tables.
func lsx(x block) block { return lookup(&tabLS, x) }

// invLS returns L⁻¹(S⁻¹(x)).
func invLS(x block) block { return lookup(&tabInvLS, x) }

// linearInv returns L⁻¹(x).
func linearInv(x block) block { return lookup(&tabInvL, x) }

// lookup XORs the 16 table rows selected by the bytes of x: byte i of x
// (i = 0 is a15) picks row t[i][byte]. Unrolled: this is the whole cost of
// the cipher.
func lookup(t *[16][256]block, x block) block {
	hi, lo := x.hi, x.lo
	return block{
		hi: t[0][byte(hi>>56)].hi ^ t[8][byte(lo>>56)].hi ^
			t[1][byte(hi>>48)].hi ^ t[9][byte(lo>>48)].hi ^
			t[2][byte(hi>>40)].hi ^ t[10][byte(lo>>40)].hi ^
			t[3][byte(hi>>32)].hi ^ t[11][byte(lo>>32)].hi ^
			t[4][byte(hi>>24)].hi ^ t[12][byte(lo>>24)].hi ^
			t[5][byte(hi>>16)].hi ^ t[13][byte(lo>>16)].hi ^
			t[6][byte(hi>>8)].hi ^ t[14][byte(lo>>8)].hi ^
			t[7][byte(hi>>0)].hi ^ t[15][byte(lo>>0)].hi,
		lo: t[0][byte(hi>>56)].lo ^ t[8][byte(lo>>56)].lo ^
			t[1][byte(hi>>48)].lo ^ t[9][byte(lo>>48)].lo ^
			t[2][byte(hi>>40)].lo ^ t[10][byte(lo>>40)].lo ^
			t[3][byte(hi>>32)].lo ^ t[11][byte(lo>>32)].lo ^
			t[4][byte(hi>>24)].lo ^ t[12][byte(lo>>24)].lo ^
			t[5][byte(hi>>16)].lo ^ t[13][byte(lo>>16)].lo ^
			t[6][byte(hi>>8)].lo ^ t[14][byte(lo>>8)].lo ^
			t[7][byte(hi>>0)].lo ^ t[15][byte(lo>>0)].lo,
	}
}

// invS applies π⁻¹ to every byte.
func invS(x block) block {
	var b [16]byte
	x.store(b[:])
	for i := range b {
		b[i] = piInv[b[i]]
	}
	return load(b[:])
}
