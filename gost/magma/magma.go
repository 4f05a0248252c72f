// Package magma implements the 64-bit block cipher "Magma" of
// GOST R 34.12-2015 (section 5; RFC 8891 repeats it) as a crypto/cipher.Block,
// with the standard's fixed substitution (the one GOST 28147-89 calls
// id-tc26-gost-28147-param-Z, OID 1.2.643.7.1.2.5.1.1).
//
// Byte order, as GOST R 34.12-2015 defines it: blocks and keys are the byte
// strings the standard prints, read big-endian. The block a1||a0 has a1 =
// bytes 0…3 and a0 = bytes 4…7, each a big-endian 32-bit word; the key's
// round keys K1…K8 are bytes 0…3, 4…7, …, 28…31, big-endian. GOST 28147-89
// implementations (and its modes in OpenSSL's engine: gost89, gost89-cnt)
// read the same words little-endian and in the other order (first key word
// from bytes 0…3 little-endian; N1 = block bytes 0…3 little-endian), so a
// 28147-89 result equals Magma's only after reversing the bytes of key and
// block. This package is Magma; gost/internal/gost28147 keeps the 28147-89
// convention.
//
// Side channels: the round function is four lookups into 1 KiB tables
// indexed by bytes of (half-block + round key), so the memory addresses
// depend on key and data (cache timing). Nothing here is constant-time; see
// ../kuznyechik/CONSTANT_TIME.md.
package magma

import (
	"crypto/cipher"
	"encoding/binary"
	"math/bits"
	"strconv"
)

const (
	// BlockSize is the Magma block size in bytes.
	BlockSize = 8
	// KeySize is the Magma key size in bytes.
	KeySize = 32
)

// KeySizeError is returned by NewCipher for a key that is not 32 bytes.
type KeySizeError int

func (k KeySizeError) Error() string {
	return "magma: invalid key size " + strconv.Itoa(int(k))
}

// pi are the substitutions π0…π7 of GOST R 34.12-2015 5.1.1; πi acts on the
// i-th nibble counting from the least significant.
var pi = [8][16]byte{
	{12, 4, 6, 2, 10, 5, 11, 9, 14, 8, 13, 7, 0, 3, 15, 1},
	{6, 8, 2, 3, 9, 10, 5, 12, 1, 14, 4, 7, 11, 13, 0, 15},
	{11, 3, 5, 8, 2, 15, 10, 13, 14, 1, 7, 4, 12, 9, 6, 0},
	{12, 8, 2, 1, 13, 4, 15, 6, 7, 0, 10, 5, 3, 14, 9, 11},
	{7, 15, 5, 10, 8, 1, 6, 13, 0, 9, 3, 14, 11, 4, 2, 12},
	{5, 13, 15, 6, 9, 2, 12, 10, 11, 7, 8, 1, 4, 3, 14, 0},
	{8, 14, 2, 5, 6, 9, 1, 12, 15, 4, 11, 0, 13, 10, 3, 7},
	{1, 7, 14, 13, 0, 5, 8, 3, 4, 15, 10, 6, 9, 12, 11, 2},
}

// tab[j][v] is t applied to byte j (two nibbles) of a word holding v there,
// already rotated left by 11: g[k](a) = ⊕ tab[j][byte j of (a ⊞ k)].
var tab [4][256]uint32

func init() {
	for j := 0; j < 4; j++ {
		for v := 0; v < 256; v++ {
			s := uint32(pi[2*j][v&15]) | uint32(pi[2*j+1][v>>4])<<4
			tab[j][v] = bits.RotateLeft32(s<<(8*uint(j)), 11)
		}
	}
}

func g(a, k uint32) uint32 {
	x := a + k
	return tab[0][x&0xff] ^ tab[1][x>>8&0xff] ^ tab[2][x>>16&0xff] ^ tab[3][x>>24]
}

// Cipher is a Magma key: the eight 32-bit round keys K1…K8.
type Cipher struct {
	k [8]uint32
}

// NewCipher reads a 32-byte key.
func NewCipher(key []byte) (*Cipher, error) {
	if len(key) != KeySize {
		return nil, KeySizeError(len(key))
	}
	c := new(Cipher)
	for i := range c.k {
		c.k[i] = binary.BigEndian.Uint32(key[4*i:])
	}
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

// BlockSize returns 8.
func (c *Cipher) BlockSize() int { return BlockSize }

// Encrypt enciphers src into dst (they may overlap entirely):
// G*[K32]G[K31]…G[K1] with K1…K8 three times, then K8…K1 (5.3).
func (c *Cipher) Encrypt(dst, src []byte) {
	if len(src) < BlockSize || len(dst) < BlockSize {
		panic("magma: input not full block")
	}
	a1, a0 := binary.BigEndian.Uint32(src), binary.BigEndian.Uint32(src[4:])
	k := &c.k
	for r := 0; r < 3; r++ {
		for i := 0; i < 8; i += 2 {
			a1 ^= g(a0, k[i])
			a0 ^= g(a1, k[i+1])
		}
	}
	for i := 7; i > 0; i -= 2 {
		a1 ^= g(a0, k[i])
		a0 ^= g(a1, k[i-1])
	}
	// The last round G* does not swap: with the rounds above written
	// without swaps, the halves are in output order already, swapped once
	// more by the even round count.
	binary.BigEndian.PutUint32(dst, a0)
	binary.BigEndian.PutUint32(dst[4:], a1)
}

// Decrypt deciphers src into dst (they may overlap entirely):
// G*[K1]G[K2]…G[K32] (5.4).
func (c *Cipher) Decrypt(dst, src []byte) {
	if len(src) < BlockSize || len(dst) < BlockSize {
		panic("magma: input not full block")
	}
	a1, a0 := binary.BigEndian.Uint32(src), binary.BigEndian.Uint32(src[4:])
	k := &c.k
	for i := 0; i < 8; i += 2 {
		a1 ^= g(a0, k[i])
		a0 ^= g(a1, k[i+1])
	}
	for r := 0; r < 3; r++ {
		for i := 7; i > 0; i -= 2 {
			a1 ^= g(a0, k[i])
			a0 ^= g(a1, k[i-1])
		}
	}
	binary.BigEndian.PutUint32(dst, a0)
	binary.BigEndian.PutUint32(dst[4:], a1)
}
