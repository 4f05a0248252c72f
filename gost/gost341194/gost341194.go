// Package gost341194 implements the GOST R 34.11-94 hash function
// (RFC 5831) as hash.Hash, for verifying old signatures: GOST R 34.10-2001
// certificates, CRLs and XMLDSig made before 2019. Written from the standard
// and RFC 5831, RFC 4357 (parameter sets); its step cipher is
// gost/internal/gost28147.
//
// Byte order: the message is taken as the byte string it is, its first byte
// the least significant byte of the first 256-bit block; the digest is the
// final state as a little-endian byte string, which is what OpenSSL's GOST
// engine (`openssl dgst -md_gost94`) prints. RFC 5831 and the standard print
// numbers most significant byte first, so their example messages and hash
// values read reversed. GOST R 34.10-2001 reads this digest as a
// little-endian integer, as GOST R 34.10-2012 reads Streebog's (gost3410).
package gost341194

import (
	"encoding/binary"
	"hash"
)

const (
	// Size is the size of a digest in bytes.
	Size = 32
	// BlockSize is the block size in bytes.
	BlockSize = 32
)

type digest struct {
	p     *ParamSet
	h     [32]byte // chaining value
	sigma [32]byte // sum of the blocks mod 2^256 (little-endian)
	n     uint64   // bytes in full blocks hashed
	buf   [BlockSize]byte
	nbuf  int
}

// New returns a GOST R 34.11-94 hash with the CryptoPro parameter set
// (1.2.643.2.2.30.1), the one every 2001 signature uses.
func New() hash.Hash { return NewParamSet(paramCryptoPro) }

// NewParamSet returns a GOST R 34.11-94 hash with the given parameter set
// (ParamSetCryptoPro, ParamSetTest or ParamSetByOID). A nil set panics.
func NewParamSet(p *ParamSet) hash.Hash {
	if p == nil || p.c == nil {
		panic("gost341194: nil parameter set")
	}
	return &digest{p: p}
}

// Sum returns the GOST R 34.11-94 digest of data with the CryptoPro
// parameter set.
func Sum(data []byte) [Size]byte {
	d := digest{p: paramCryptoPro}
	d.Write(data)
	return d.sum()
}

func (d *digest) Size() int      { return Size }
func (d *digest) BlockSize() int { return BlockSize }

// Reset restarts the hash with the zero start vector.
func (d *digest) Reset() { *d = digest{p: d.p} }

// Write hashes p; it never fails.
func (d *digest) Write(p []byte) (int, error) {
	n := len(p)
	if d.nbuf > 0 {
		k := copy(d.buf[d.nbuf:], p)
		d.nbuf += k
		p = p[k:]
		if d.nbuf < BlockSize {
			return n, nil
		}
		d.block(&d.buf)
		d.nbuf = 0
	}
	for len(p) >= BlockSize {
		d.block((*[BlockSize]byte)(p))
		p = p[BlockSize:]
	}
	d.nbuf = copy(d.buf[:], p)
	return n, nil
}

// block hashes one full block: H = f(H, M), Σ += M.
func (d *digest) block(m *[BlockSize]byte) {
	d.p.step(&d.h, m)
	addLE(&d.sigma, m)
	d.n += BlockSize
}

// Sum appends the digest to b; the state is unchanged.
func (d *digest) Sum(b []byte) []byte {
	s := d.sum()
	return append(b, s[:]...)
}

// sum finishes a copy of the state: the last part of the message padded
// with zeros, then f(H, L) with L the length in bits, then f(H, Σ).
//
// The standard (RFC 5831 stage 2) pads and hashes the last part M' even
// when it is empty, which only happens for the empty message: it then
// hashes one zero block. OpenSSL's engine and, by its maintainers' account,
// the certified implementations do so (gost-engine issue #142); some other
// libraries skip that block and print 981e5f3c… for the empty message
// instead of 3f25bc1f….
func (d *digest) sum() [Size]byte {
	c := *d
	if c.nbuf > 0 || c.n == 0 {
		var m [BlockSize]byte
		copy(m[:], c.buf[:c.nbuf])
		c.p.step(&c.h, &m)
		addLE(&c.sigma, &m)
		c.n += uint64(c.nbuf)
	}
	var l [32]byte
	binary.LittleEndian.PutUint64(l[0:], c.n<<3)
	l[8] = byte(c.n >> 61)
	c.p.step(&c.h, &l)
	c.p.step(&c.h, &c.sigma)
	return c.h
}

// addLE sets a = a + b mod 2^256, both little-endian.
func addLE(a, b *[32]byte) {
	carry := 0
	for i := range a {
		s := int(a[i]) + int(b[i]) + carry
		a[i], carry = byte(s), s>>8
	}
}
