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

// Field kinds: the multiplication each modulus gets.
const (
	kindMont4       = iota // Montgomery (CIOS), 4 limbs
	kindMont8              // Montgomery (CIOS), 8 limbs
	kindSpecial4           // m = 2^256 − c, c < 2^32 (CryptoPro-A, TC26 256-A/B): plain residues
	kindSpecial8           // m = 2^512 − c, c < 2^32 (TC26 512-A, 512-C): plain residues
	kindSpecial4ADX        // kindSpecial4 in MULX/ADX assembly (amd64 with BMI2 and ADX)
	kindSpecial8ADX        // kindSpecial8 in MULX/ADX assembly
)

// field is arithmetic modulo an odd m < 2^(64n), n = 4 or 8. Every
// operation runs the same instructions and touches the same memory whatever
// the values are: loops depend only on n, which is public, and conditional
// steps are done by masking.
//
// Residues are kept in the field's own form: Montgomery form (x·R mod m,
// R = 2^(64n)) for a general modulus, the plain value for a modulus
// 2^(64n) − c with small c, which is reduced by folding the high half times
// c into the low half instead. The names toMont, fromMont and one stand for
// the conversion to and from that form whichever it is (for the special
// form R is 1: the conversions only reduce).
type field struct {
	n    int
	kind int
	m    fe
	c    uint64 // 2^(64n) − m for the special kinds
	minv uint64 // -m^-1 mod 2^64 (Montgomery kinds)
	r2   fe     // R^2 mod m (Montgomery kinds), 1 (special kinds)
	one  fe     // 1 in the field's form
	bits int    // bit length of m
	mod  *big.Int
	inv  powPlan // x^(m-2)
}

func newField(m *big.Int, n int) *field {
	f := &field{n: n, mod: new(big.Int).Set(m), bits: m.BitLen()}
	f.m = feFromBig(m)
	r := new(big.Int).Lsh(big.NewInt(1), uint(64*n))
	if c := new(big.Int).Sub(r, m); c.BitLen() <= 32 {
		f.kind = kindSpecial4
		if n == 8 {
			f.kind = kindSpecial8
		}
		if useADX {
			f.kind += kindSpecial4ADX - kindSpecial4
		}
		f.c = c.Uint64()
		f.one = fe{1}
		f.r2 = fe{1}
	} else {
		f.kind = kindMont4
		if n == 8 {
			f.kind = kindMont8
		}
		inv := uint64(1)
		for i := 0; i < 6; i++ {
			inv *= 2 - f.m[0]*inv
		}
		f.minv = -inv
		f.one = feFromBig(new(big.Int).Mod(r, m))
		f.r2 = feFromBig(new(big.Int).Mod(new(big.Int).Mul(r, r), m))
	}
	f.inv = newPowPlan(new(big.Int).Sub(m, big.NewInt(2)))
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

// mul sets z = x·y in the field's form. Inputs must be reduced (< m) for
// the special kinds; for the Montgomery kinds any values < R do as long as
// one of them is < m. The result is < m.
func (f *field) mul(z, x, y *fe) {
	switch f.kind { // public: the modulus
	case kindSpecial4ADX:
		mulP4ADX(z, x, y, f.c)
	case kindSpecial8ADX:
		mulP8ADX(z, x, y, f.c)
	case kindSpecial4:
		mulP4Generic(z, x, y, f.c)
	case kindSpecial8:
		mulP8Generic(z, x, y, f.c)
	case kindMont4:
		f.mul4(z, x, y)
	default:
		f.mul8(z, x, y)
	}
}

// sqr sets z = x² (dedicated squaring for the special kinds).
func (f *field) sqr(z, x *fe) {
	switch f.kind {
	case kindSpecial4ADX:
		sqrP4ADX(z, x, f.c)
	case kindSpecial8ADX:
		sqrP8ADX(z, x, f.c)
	case kindSpecial4:
		sqrP4Generic(z, x, f.c)
	case kindSpecial8:
		sqrP8Generic(z, x, f.c)
	case kindMont4:
		f.mul4(z, x, x)
	default:
		f.mul8(z, x, x)
	}
}

// add sets z = x + y mod m (x, y < m).
func (f *field) add(z, x, y *fe) {
	if f.n == 4 {
		add4(z, x, y, &f.m)
	} else {
		add8(z, x, y, &f.m)
	}
}

// sub sets z = x − y mod m (x, y < m).
func (f *field) sub(z, x, y *fe) {
	if f.n == 4 {
		sub4(z, x, y, &f.m)
	} else {
		sub8(z, x, y, &f.m)
	}
}

func add4Generic(z, x, y, m *fe) {
	var t [4]uint64
	var c, b uint64
	t[0], c = bits.Add64(x[0], y[0], 0)
	t[1], c = bits.Add64(x[1], y[1], c)
	t[2], c = bits.Add64(x[2], y[2], c)
	t[3], c = bits.Add64(x[3], y[3], c)
	var d [4]uint64
	d[0], b = bits.Sub64(t[0], m[0], 0)
	d[1], b = bits.Sub64(t[1], m[1], b)
	d[2], b = bits.Sub64(t[2], m[2], b)
	d[3], b = bits.Sub64(t[3], m[3], b)
	_, b = bits.Sub64(c, 0, b)
	keep := -b // all ones when x + y < m
	z[0] = (t[0] & keep) | (d[0] &^ keep)
	z[1] = (t[1] & keep) | (d[1] &^ keep)
	z[2] = (t[2] & keep) | (d[2] &^ keep)
	z[3] = (t[3] & keep) | (d[3] &^ keep)
}

func sub4Generic(z, x, y, m *fe) {
	var t [4]uint64
	var b, c uint64
	t[0], b = bits.Sub64(x[0], y[0], 0)
	t[1], b = bits.Sub64(x[1], y[1], b)
	t[2], b = bits.Sub64(x[2], y[2], b)
	t[3], b = bits.Sub64(x[3], y[3], b)
	mask := -b
	z[0], c = bits.Add64(t[0], m[0]&mask, 0)
	z[1], c = bits.Add64(t[1], m[1]&mask, c)
	z[2], c = bits.Add64(t[2], m[2]&mask, c)
	z[3], _ = bits.Add64(t[3], m[3]&mask, c)
}

func add8Generic(z, x, y, m *fe) {
	var t, d [8]uint64
	var c, b uint64
	for j := 0; j < 8; j++ {
		t[j], c = bits.Add64(x[j], y[j], c)
	}
	for j := 0; j < 8; j++ {
		d[j], b = bits.Sub64(t[j], m[j], b)
	}
	_, b = bits.Sub64(c, 0, b)
	keep := -b
	for j := 0; j < 8; j++ {
		z[j] = (t[j] & keep) | (d[j] &^ keep)
	}
}

func sub8Generic(z, x, y, m *fe) {
	var t [8]uint64
	var b, c uint64
	for j := 0; j < 8; j++ {
		t[j], b = bits.Sub64(x[j], y[j], b)
	}
	mask := -b
	for j := 0; j < 8; j++ {
		z[j], c = bits.Add64(t[j], m[j]&mask, c)
	}
}

func (f *field) neg(z, x *fe) {
	var zero fe
	f.sub(z, &zero, x)
}

// toMont converts x < R to the field's form (x need not be < m).
func (f *field) toMont(z, x *fe) { f.mul(z, x, &f.r2) }

// fromMont converts from the field's form to the plain residue.
func (f *field) fromMont(z, x *fe) {
	one := fe{1}
	f.mul(z, x, &one)
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
