package gost3410

import (
	"math/big"
	"math/bits"
)

// maxLimbs is the number of 64-bit limbs of the largest modulus (512 bits).
const maxLimbs = 8

// fe is a residue as little-endian 64-bit limbs; only the first n limbs of
// its field are used, the rest stay zero.
type fe [maxLimbs]uint64

// field is arithmetic modulo an odd m < 2^(64n) in Montgomery form
// (R = 2^(64n)). Every operation runs the same instructions and touches the
// same memory whatever the values are: loops depend only on n, which is
// public, and conditional steps are done by masking.
type field struct {
	n    int
	m    fe
	minv uint64 // -m^-1 mod 2^64
	r2   fe     // R^2 mod m
	one  fe     // R mod m (1 in Montgomery form)
	mm2  fe     // m-2, the inversion exponent (public)
	bits int    // bit length of m
	mod  *big.Int
}

func newField(m *big.Int, n int) *field {
	f := &field{n: n, mod: new(big.Int).Set(m), bits: m.BitLen()}
	f.m = feFromBig(m)
	inv := uint64(1)
	for i := 0; i < 6; i++ {
		inv *= 2 - f.m[0]*inv
	}
	f.minv = -inv
	r := new(big.Int).Lsh(big.NewInt(1), uint(64*n))
	f.one = feFromBig(new(big.Int).Mod(r, m))
	f.r2 = feFromBig(new(big.Int).Mod(new(big.Int).Mul(r, r), m))
	f.mm2 = feFromBig(new(big.Int).Sub(m, big.NewInt(2)))
	return f
}

func feFromBig(x *big.Int) fe {
	var z fe
	for i, w := range x.Bits() {
		z[i] = uint64(w)
	}
	return z
}

func (f *field) toBig(x *fe) *big.Int {
	words := make([]big.Word, f.n)
	for i := range words {
		words[i] = big.Word(x[i])
	}
	return new(big.Int).SetBits(words)
}

// mul sets z = x*y/R mod m (CIOS Montgomery multiplication). Inputs may be
// any values < R as long as one of them is < m; the result is < m.
func (f *field) mul(z, x, y *fe) {
	switch f.n { // public: the curve's size
	case 4:
		f.mul4(z, x, y)
	case 8:
		f.mul8(z, x, y)
	default:
		f.mulGeneric(z, x, y)
	}
}

func (f *field) mulGeneric(z, x, y *fe) {
	n := f.n
	var t [maxLimbs + 2]uint64
	for i := 0; i < n; i++ {
		yi := y[i]
		var c uint64
		for j := 0; j < n; j++ {
			hi, lo := bits.Mul64(x[j], yi)
			var cc uint64
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			lo, cc = bits.Add64(lo, c, 0)
			hi += cc
			t[j] = lo
			c = hi
		}
		var cc uint64
		t[n], cc = bits.Add64(t[n], c, 0)
		t[n+1] = cc
		mq := t[0] * f.minv
		hi, lo := bits.Mul64(mq, f.m[0])
		_, cc = bits.Add64(lo, t[0], 0)
		c = hi + cc
		for j := 1; j < n; j++ {
			hi, lo := bits.Mul64(mq, f.m[j])
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			lo, cc = bits.Add64(lo, c, 0)
			hi += cc
			t[j-1] = lo
			c = hi
		}
		t[n-1], cc = bits.Add64(t[n], c, 0)
		t[n] = t[n+1] + cc
	}
	f.reduceOnce(z, &t, t[n])
}

// reduceOnce sets z = t - m if t (n limbs plus the carry hi) is >= m,
// else z = t, without branching.
func (f *field) reduceOnce(z *fe, t *[maxLimbs + 2]uint64, hi uint64) {
	n := f.n
	var d fe
	var b uint64
	for j := 0; j < n; j++ {
		d[j], b = bits.Sub64(t[j], f.m[j], b)
	}
	_, b = bits.Sub64(hi, 0, b)
	keep := -b // all ones when t < m
	for j := 0; j < n; j++ {
		z[j] = (t[j] & keep) | (d[j] &^ keep)
	}
}

func (f *field) add(z, x, y *fe) {
	var t [maxLimbs + 2]uint64
	var c uint64
	for j := 0; j < f.n; j++ {
		t[j], c = bits.Add64(x[j], y[j], c)
	}
	f.reduceOnce(z, &t, c)
}

func (f *field) sub(z, x, y *fe) {
	var t fe
	var b uint64
	for j := 0; j < f.n; j++ {
		t[j], b = bits.Sub64(x[j], y[j], b)
	}
	mask := -b
	var c uint64
	for j := 0; j < f.n; j++ {
		z[j], c = bits.Add64(t[j], f.m[j]&mask, c)
	}
}

func (f *field) neg(z, x *fe) {
	var zero fe
	f.sub(z, &zero, x)
}

func (f *field) sqr(z, x *fe) { f.mul(z, x, x) }

// toMont converts x < R to Montgomery form mod m (x need not be < m).
func (f *field) toMont(z, x *fe) { f.mul(z, x, &f.r2) }

// fromMont converts from Montgomery form.
func (f *field) fromMont(z, x *fe) {
	one := fe{1}
	f.mul(z, x, &one)
}

// inv sets z = x^(m-2) (the inverse for prime m; 0 for x = 0). The exponent
// is public, so branching on its bits does not depend on x.
func (f *field) inv(z, x *fe) {
	r := f.one
	for i := f.bits - 1; i >= 0; i-- {
		f.sqr(&r, &r)
		if f.mm2[i/64]>>(uint(i)%64)&1 == 1 {
			f.mul(&r, &r, x)
		}
	}
	*z = r
}

// isZero returns 1 if x == 0, else 0, in constant time.
func (f *field) isZero(x *fe) uint64 {
	var acc uint64
	for j := 0; j < f.n; j++ {
		acc |= x[j]
	}
	return 1 ^ ((acc | -acc) >> 63)
}

// equal returns 1 if x == y, else 0, in constant time.
func (f *field) equal(x, y *fe) uint64 {
	var acc uint64
	for j := 0; j < f.n; j++ {
		acc |= x[j] ^ y[j]
	}
	return 1 ^ ((acc | -acc) >> 63)
}

// less returns 1 if x < y (plain integers of n limbs), in constant time.
func (f *field) less(x, y *fe) uint64 {
	var b uint64
	for j := 0; j < f.n; j++ {
		_, b = bits.Sub64(x[j], y[j], b)
	}
	return b
}

// sel sets z = a if bit == 1, z = b if bit == 0.
func sel(z, a, b *fe, bit uint64) {
	mask := -bit
	for j := range z {
		z[j] = (a[j] & mask) | (b[j] &^ mask)
	}
}
