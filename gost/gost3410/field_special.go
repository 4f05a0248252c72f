package gost3410

import "math/bits"

// Arithmetic modulo m = 2^(64n) − c for a small c (< 2^32), in pure Go:
// the full 2n-limb product, then 2^(64n) ≡ c folds the high half into the
// low one twice, and a masked subtraction of m leaves the value in [0, m).
// No branch or index depends on the values. These are the fallbacks of the
// amd64 assembly (field_amd64.s) and what other platforms run.

// madd returns a·b + c + d as hi, lo (it cannot overflow 128 bits).
func madd(a, b, c, d uint64) (hi, lo uint64) {
	hi, lo = bits.Mul64(a, b)
	var cc uint64
	lo, cc = bits.Add64(lo, c, 0)
	hi += cc
	lo, cc = bits.Add64(lo, d, 0)
	hi += cc
	return hi, lo
}

func mulP4Generic(z, x, y *fe, c uint64) {
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	var r [8]uint64
	var k uint64
	y0 := y[0]
	k, r[0] = bits.Mul64(x0, y0)
	k, r[1] = madd(x1, y0, 0, k)
	k, r[2] = madd(x2, y0, 0, k)
	r[4], r[3] = madd(x3, y0, 0, k)
	y1 := y[1]
	k, r[1] = madd(x0, y1, r[1], 0)
	k, r[2] = madd(x1, y1, r[2], k)
	k, r[3] = madd(x2, y1, r[3], k)
	r[5], r[4] = madd(x3, y1, r[4], k)
	y2 := y[2]
	k, r[2] = madd(x0, y2, r[2], 0)
	k, r[3] = madd(x1, y2, r[3], k)
	k, r[4] = madd(x2, y2, r[4], k)
	r[6], r[5] = madd(x3, y2, r[5], k)
	y3 := y[3]
	k, r[3] = madd(x0, y3, r[3], 0)
	k, r[4] = madd(x1, y3, r[4], k)
	k, r[5] = madd(x2, y3, r[5], k)
	r[7], r[6] = madd(x3, y3, r[6], k)
	reduceP4(z, &r, c)
}

func sqrP4Generic(z, x *fe, c uint64) {
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	var r [8]uint64
	var k uint64
	// the products x_i·x_j, i < j
	k, r[1] = bits.Mul64(x0, x1)
	k, r[2] = madd(x0, x2, 0, k)
	r[4], r[3] = madd(x0, x3, 0, k)
	k, r[3] = madd(x1, x2, r[3], 0)
	r[5], r[4] = madd(x1, x3, r[4], k)
	r[6], r[5] = madd(x2, x3, r[5], 0)
	// doubled
	r[7] = r[6] >> 63
	r[6] = r[6]<<1 | r[5]>>63
	r[5] = r[5]<<1 | r[4]>>63
	r[4] = r[4]<<1 | r[3]>>63
	r[3] = r[3]<<1 | r[2]>>63
	r[2] = r[2]<<1 | r[1]>>63
	r[1] <<= 1
	// plus the squares
	var h, l, cc uint64
	h, r[0] = bits.Mul64(x0, x0)
	r[1], cc = bits.Add64(r[1], h, 0)
	h, l = bits.Mul64(x1, x1)
	r[2], cc = bits.Add64(r[2], l, cc)
	r[3], cc = bits.Add64(r[3], h, cc)
	h, l = bits.Mul64(x2, x2)
	r[4], cc = bits.Add64(r[4], l, cc)
	r[5], cc = bits.Add64(r[5], h, cc)
	h, l = bits.Mul64(x3, x3)
	r[6], cc = bits.Add64(r[6], l, cc)
	r[7], _ = bits.Add64(r[7], h, cc)
	reduceP4(z, &r, c)
}

// reduceP4 sets z = r mod 2^256 − c for an 8-limb r.
func reduceP4(z *fe, r *[8]uint64, c uint64) {
	var t0, t1, t2, t3, k, cc uint64
	k, t0 = madd(r[4], c, r[0], 0)
	k, t1 = madd(r[5], c, r[1], k)
	k, t2 = madd(r[6], c, r[2], k)
	k, t3 = madd(r[7], c, r[3], k) // k ≤ c
	h, l := bits.Mul64(k, c)
	t0, cc = bits.Add64(t0, l, 0)
	t1, cc = bits.Add64(t1, h, cc)
	t2, cc = bits.Add64(t2, 0, cc)
	t3, cc = bits.Add64(t3, 0, cc)
	// a carry out means t wrapped and is now below 2^67: add c for it
	t0, cc = bits.Add64(t0, c&-cc, 0)
	t1, cc = bits.Add64(t1, 0, cc)
	t2, cc = bits.Add64(t2, 0, cc)
	t3, _ = bits.Add64(t3, 0, cc)
	// t < 2^256; t ≥ m exactly when t + c carries out, and then t − m = t + c mod 2^256
	var s0, s1, s2, s3 uint64
	s0, cc = bits.Add64(t0, c, 0)
	s1, cc = bits.Add64(t1, 0, cc)
	s2, cc = bits.Add64(t2, 0, cc)
	s3, cc = bits.Add64(t3, 0, cc)
	mask := -cc
	z[0] = (s0 & mask) | (t0 &^ mask)
	z[1] = (s1 & mask) | (t1 &^ mask)
	z[2] = (s2 & mask) | (t2 &^ mask)
	z[3] = (s3 & mask) | (t3 &^ mask)
}

func mulP8Generic(z, x, y *fe, c uint64) {
	var r [16]uint64
	for i := 0; i < 8; i++ {
		yi := y[i]
		ri := r[i : i+9]
		var k uint64
		for j := 0; j < 8; j++ {
			k, ri[j] = madd(x[j], yi, ri[j], k)
		}
		ri[8] = k
	}
	reduceP8(z, &r, c)
}

func sqrP8Generic(z, x *fe, c uint64) {
	var r [16]uint64
	for i := 0; i < 7; i++ {
		xi := x[i]
		ri := r[2*i+1 : i+9]
		var k uint64
		for j := i + 1; j < 8; j++ {
			k, ri[j-i-1] = madd(x[j], xi, ri[j-i-1], k)
		}
		ri[7-i] = k
	}
	for j := 15; j > 0; j-- {
		r[j] = r[j]<<1 | r[j-1]>>63
	}
	r[0] = 0
	var cc uint64
	for i := 0; i < 8; i++ {
		h, l := bits.Mul64(x[i], x[i])
		r[2*i], cc = bits.Add64(r[2*i], l, cc)
		r[2*i+1], cc = bits.Add64(r[2*i+1], h, cc)
	}
	reduceP8(z, &r, c)
}

// reduceP8 sets z = r mod 2^512 − c for a 16-limb r.
func reduceP8(z *fe, r *[16]uint64, c uint64) {
	var t [8]uint64
	var k, cc uint64
	for j := 0; j < 8; j++ {
		k, t[j] = madd(r[8+j], c, r[j], k)
	}
	h, l := bits.Mul64(k, c)
	t[0], cc = bits.Add64(t[0], l, 0)
	t[1], cc = bits.Add64(t[1], h, cc)
	for j := 2; j < 8; j++ {
		t[j], cc = bits.Add64(t[j], 0, cc)
	}
	t[0], cc = bits.Add64(t[0], c&-cc, 0)
	for j := 1; j < 8; j++ {
		t[j], cc = bits.Add64(t[j], 0, cc)
	}
	var s [8]uint64
	s[0], cc = bits.Add64(t[0], c, 0)
	for j := 1; j < 8; j++ {
		s[j], cc = bits.Add64(t[j], 0, cc)
	}
	mask := -cc
	for j := 0; j < 8; j++ {
		z[j] = (s[j] & mask) | (t[j] &^ mask)
	}
}
