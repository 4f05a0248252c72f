package gost3410

import "math/bits"

// mul4 is field.mul for n = 4 with the inner loops unrolled and the limbs
// in registers (no bounds checks): the same CIOS algorithm and the same
// constant-time final subtraction.
func (f *field) mul4(z, x, y *fe) {
	var t0, t1, t2, t3, t4 uint64
	m0, m1, m2, m3 := f.m[0], f.m[1], f.m[2], f.m[3]
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	minv := f.minv
	for i := 0; i < 4; i++ {
		yi := y[i]
		var c, hi, lo, cc uint64
		// t += x·yi
		hi, lo = bits.Mul64(x0, yi)
		t0, cc = bits.Add64(lo, t0, 0)
		c = hi + cc
		hi, lo = bits.Mul64(x1, yi)
		lo, cc = bits.Add64(lo, t1, 0)
		hi += cc
		t1, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(x2, yi)
		lo, cc = bits.Add64(lo, t2, 0)
		hi += cc
		t2, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(x3, yi)
		lo, cc = bits.Add64(lo, t3, 0)
		hi += cc
		t3, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		var t5 uint64
		t4, t5 = bits.Add64(t4, c, 0)
		// t = (t + mq·m) / 2^64
		mq := t0 * minv
		hi, lo = bits.Mul64(mq, m0)
		_, cc = bits.Add64(lo, t0, 0)
		c = hi + cc
		hi, lo = bits.Mul64(mq, m1)
		lo, cc = bits.Add64(lo, t1, 0)
		hi += cc
		t0, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(mq, m2)
		lo, cc = bits.Add64(lo, t2, 0)
		hi += cc
		t1, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(mq, m3)
		lo, cc = bits.Add64(lo, t3, 0)
		hi += cc
		t2, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		t3, cc = bits.Add64(t4, c, 0)
		t4 = t5 + cc
	}
	var d0, d1, d2, d3, b uint64
	d0, b = bits.Sub64(t0, m0, 0)
	d1, b = bits.Sub64(t1, m1, b)
	d2, b = bits.Sub64(t2, m2, b)
	d3, b = bits.Sub64(t3, m3, b)
	_, b = bits.Sub64(t4, 0, b)
	keep := -b
	z[0] = (t0 & keep) | (d0 &^ keep)
	z[1] = (t1 & keep) | (d1 &^ keep)
	z[2] = (t2 & keep) | (d2 &^ keep)
	z[3] = (t3 & keep) | (d3 &^ keep)
}

// mul8 is field.mul for n = 8 with constant loop bounds over local arrays
// (no bounds checks): the same CIOS algorithm and final subtraction.
func (f *field) mul8(z, x, y *fe) {
	var t [10]uint64
	m := &f.m
	minv := f.minv
	for i := 0; i < 8; i++ {
		yi := y[i]
		var c uint64
		for j := 0; j < 8; j++ {
			hi, lo := bits.Mul64(x[j], yi)
			var cc uint64
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			t[j], cc = bits.Add64(lo, c, 0)
			c = hi + cc
		}
		var cc uint64
		t[8], cc = bits.Add64(t[8], c, 0)
		t[9] = cc
		mq := t[0] * minv
		hi, lo := bits.Mul64(mq, m[0])
		_, cc = bits.Add64(lo, t[0], 0)
		c = hi + cc
		for j := 1; j < 8; j++ {
			hi, lo := bits.Mul64(mq, m[j])
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			t[j-1], cc = bits.Add64(lo, c, 0)
			c = hi + cc
		}
		t[7], cc = bits.Add64(t[8], c, 0)
		t[8] = t[9] + cc
	}
	var d [8]uint64
	var b uint64
	for j := 0; j < 8; j++ {
		d[j], b = bits.Sub64(t[j], m[j], b)
	}
	_, b = bits.Sub64(t[8], 0, b)
	keep := -b
	for j := 0; j < 8; j++ {
		z[j] = (t[j] & keep) | (d[j] &^ keep)
	}
}
