package gost28147

import (
	"crypto/cipher"
	"errors"
)

// cfb is GOST 28147-89 gamma with feedback (GOST 28147-89 section 4, RFC
// 5830 section 6): the gamma is E(previous ciphertext block), the first from
// the IV; with meshing the key and the feedback block are changed after
// every 1024 bytes (RFC 4357 section 2.3.2). A final partial block uses the
// first bytes of its gamma.
type cfb struct {
	b       *Block
	fb      [BlockSize]byte // the block the next gamma is made from
	gamma   [BlockSize]byte
	used    int // bytes of gamma already used
	done    int // bytes processed under the current key
	decrypt bool
	mesh    bool
}

// NewCFBEncrypter and NewCFBDecrypter return the CFB mode over a private
// copy of b (meshing changes the key). meshing is usually
// b.ParamSet().Meshing.
func NewCFBEncrypter(b *Block, iv []byte, meshing bool) (cipher.Stream, error) {
	return newCFB(b, iv, meshing, false)
}

// NewCFBDecrypter: see NewCFBEncrypter.
func NewCFBDecrypter(b *Block, iv []byte, meshing bool) (cipher.Stream, error) {
	return newCFB(b, iv, meshing, true)
}

func newCFB(b *Block, iv []byte, meshing, decrypt bool) (cipher.Stream, error) {
	if len(iv) != BlockSize {
		return nil, errors.New("gost28147: IV must be 8 bytes")
	}
	c := &cfb{b: &Block{p: b.p, c: b.c, k: b.k}, used: BlockSize, decrypt: decrypt, mesh: meshing}
	copy(c.fb[:], iv)
	return c, nil
}

func (c *cfb) XORKeyStream(dst, src []byte) {
	if len(dst) < len(src) {
		panic("gost28147: output smaller than input")
	}
	for i := range src {
		if c.used == BlockSize {
			if c.mesh && c.done == meshInterval {
				c.b.mesh(c.fb[:])
				c.done = 0
			}
			c.b.Encrypt(c.gamma[:], c.fb[:])
			c.used = 0
			c.done += BlockSize
		}
		in := src[i]
		out := in ^ c.gamma[c.used]
		if c.decrypt {
			c.fb[c.used] = in
		} else {
			c.fb[c.used] = out
		}
		dst[i] = out
		c.used++
	}
}

// cnt is the GOST 28147-89 counter ("gamma") mode (GOST 28147-89 section 3,
// RFC 5830 section 5): the IV is enciphered once into the counter (N3, N4);
// each gamma block is E(N3 + C2 mod 2^32, N4 + C1 mod 2^32-1). With meshing
// the key and the counter block change after every 1024 bytes.
type cnt struct {
	b      *Block
	n3, n4 uint32
	gamma  [BlockSize]byte
	used   int
	done   int
	mesh   bool
}

const (
	cntC1 = 0x01010104
	cntC2 = 0x01010101
)

// NewCNT returns the counter mode (the same for both directions) over a
// private copy of b.
func NewCNT(b *Block, iv []byte, meshing bool) (cipher.Stream, error) {
	if len(iv) != BlockSize {
		return nil, errors.New("gost28147: IV must be 8 bytes")
	}
	c := &cnt{b: &Block{p: b.p, c: b.c, k: b.k}, used: BlockSize, mesh: meshing}
	var s [BlockSize]byte
	c.b.Encrypt(s[:], iv)
	c.n3, c.n4 = le32(s[:4]), le32(s[4:])
	return c, nil
}

func (c *cnt) XORKeyStream(dst, src []byte) {
	if len(dst) < len(src) {
		panic("gost28147: output smaller than input")
	}
	for i := range src {
		if c.used == BlockSize {
			if c.mesh && c.done == meshInterval {
				var s [BlockSize]byte
				put32(s[:4], c.n3)
				put32(s[4:], c.n4)
				c.b.mesh(s[:])
				c.n3, c.n4 = le32(s[:4]), le32(s[4:])
				c.done = 0
			}
			c.n3 += cntC2
			c.n4 = addMod32m1(c.n4, cntC1)
			var s [BlockSize]byte
			put32(s[:4], c.n3)
			put32(s[4:], c.n4)
			c.b.Encrypt(c.gamma[:], s[:])
			c.used = 0
			c.done += BlockSize
		}
		dst[i] = src[i] ^ c.gamma[c.used]
		c.used++
	}
}

// addMod32m1 adds modulo 2^32 - 1 as the standard's adder СМ4 does: a
// carry out of bit 31 wraps around into bit 0.
func addMod32m1(a, b uint32) uint32 {
	s := uint64(a) + uint64(b)
	if s >= 1<<32 {
		s -= 1<<32 - 1
	}
	return uint32(s)
}

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func put32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}
