// Package streebog implements the GOST R 34.11-2012 hash function
// ("Streebog", RFC 6986) with 256- and 512-bit digests as hash.Hash.
//
// Byte order: the digest is returned in the order the reference
// implementations and OpenSSL's GOST engine print it, which is the RFC's
// hexadecimal value reversed (the RFC writes numbers most significant byte
// first, the byte string starts with the least significant byte). The input
// message is taken as the byte string it is; RFC 6986's example messages
// must likewise be reversed from their printed form.
//
// GOST R 34.10-2012 reads this digest as a little-endian integer (see
// package gost3410).
package streebog

import (
	"encoding/binary"
	"errors"
	"hash"
)

const (
	// BlockSize is the block size of Streebog in bytes.
	BlockSize = 64
	// Size256 is the size of a Streebog-256 digest in bytes.
	Size256 = 32
	// Size512 is the size of a Streebog-512 digest in bytes.
	Size512 = 64
)

type digest struct {
	h     state
	sigma state
	n     uint64 // bits processed in full blocks
	buf   [BlockSize]byte
	nbuf  int
	size  int
}

// New256 returns a new hash.Hash computing Streebog-256.
func New256() hash.Hash { d := &digest{size: Size256}; d.Reset(); return d }

// New512 returns a new hash.Hash computing Streebog-512.
func New512() hash.Hash { d := &digest{size: Size512}; d.Reset(); return d }

// New returns Streebog-256 for size 32 and Streebog-512 for size 64; any
// other size panics.
func New(size int) hash.Hash {
	switch size {
	case Size256:
		return New256()
	case Size512:
		return New512()
	}
	panic("streebog: digest size must be 32 or 64")
}

// Sum256 returns the Streebog-256 digest of data.
func Sum256(data []byte) [Size256]byte {
	d := digest{size: Size256}
	d.Reset()
	d.Write(data)
	var out [Size256]byte
	d.checkSum(out[:0])
	return out
}

// Sum512 returns the Streebog-512 digest of data.
func Sum512(data []byte) [Size512]byte {
	d := digest{size: Size512}
	d.Reset()
	d.Write(data)
	var out [Size512]byte
	d.checkSum(out[:0])
	return out
}

func (d *digest) Size() int      { return d.size }
func (d *digest) BlockSize() int { return BlockSize }

func (d *digest) Reset() {
	iv := uint64(0)
	if d.size == Size256 {
		iv = 0x0101010101010101
	}
	for i := range d.h {
		d.h[i] = iv
	}
	d.sigma = state{}
	d.n = 0
	d.nbuf = 0
}

func (d *digest) Write(p []byte) (int, error) {
	n := len(p)
	if d.nbuf > 0 {
		c := copy(d.buf[d.nbuf:], p)
		d.nbuf += c
		p = p[c:]
		if d.nbuf < BlockSize {
			return n, nil
		}
		d.blocks(d.buf[:])
		d.nbuf = 0
	}
	if full := len(p) &^ (BlockSize - 1); full > 0 {
		d.blocks(p[:full])
		p = p[full:]
	}
	d.nbuf = copy(d.buf[:], p)
	return n, nil
}

// Sum appends the digest to b without changing the hash state.
func (d *digest) Sum(b []byte) []byte {
	c := *d
	return c.checkSum(b)
}

func (d *digest) checkSum(b []byte) []byte {
	var last [BlockSize]byte
	copy(last[:], d.buf[:d.nbuf])
	last[d.nbuf] = 0x01
	m := load(last[:])
	compress(&d.h, d.n, &m)
	d.n += uint64(d.nbuf) * 8
	add512(&d.sigma, &m)
	nv := state{d.n}
	compress(&d.h, 0, &nv)
	compress(&d.h, 0, &d.sigma)
	var out [Size512]byte
	for i, w := range d.h {
		binary.LittleEndian.PutUint64(out[8*i:], w)
	}
	if d.size == Size256 {
		return append(b, out[Size256:]...)
	}
	return append(b, out[:]...)
}

// Clone returns an independent copy of the hash state.
func (d *digest) Clone() (hash.Cloner, error) {
	c := *d
	return &c, nil
}

const marshalMagic = "stbg\x01"

// MarshalBinary saves the hash state (encoding.BinaryMarshaler).
func (d *digest) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, len(marshalMagic)+1+64+64+8+1+BlockSize)
	b = append(b, marshalMagic...)
	b = append(b, byte(d.size))
	for _, w := range d.h {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	for _, w := range d.sigma {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	b = binary.LittleEndian.AppendUint64(b, d.n)
	b = append(b, byte(d.nbuf))
	b = append(b, d.buf[:d.nbuf]...)
	return b, nil
}

// UnmarshalBinary restores a state saved by MarshalBinary.
func (d *digest) UnmarshalBinary(b []byte) error {
	if len(b) < len(marshalMagic)+1+64+64+8+1 || string(b[:len(marshalMagic)]) != marshalMagic {
		return errors.New("streebog: invalid hash state")
	}
	b = b[len(marshalMagic):]
	if int(b[0]) != d.size {
		return errors.New("streebog: hash state of a different size")
	}
	b = b[1:]
	for i := range d.h {
		d.h[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	b = b[64:]
	for i := range d.sigma {
		d.sigma[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	b = b[64:]
	d.n = binary.LittleEndian.Uint64(b)
	nbuf := int(b[8])
	b = b[9:]
	if nbuf >= BlockSize || len(b) != nbuf {
		return errors.New("streebog: invalid hash state")
	}
	d.nbuf = copy(d.buf[:], b)
	return nil
}
