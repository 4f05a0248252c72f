package gost3410

import "sync"

// point is a projective point (X:Y:Z) on y^2 = x^3 + ax + b, coordinates in
// Montgomery form; the neutral element is (0:1:0).
type point struct{ x, y, z fe }

// group is the arithmetic of one curve: the prime field, the scalar field
// (mod q) and the base point.
type group struct {
	fp, fq   *field
	a, b, b3 fe // a, b and 3b in Montgomery form
	gen      point
	size     int // bytes per coordinate: 32 or 64
	// windows is the number of 4-bit digits of a scalar (64n/4).
	windows  int
	base     *baseTable
	baseOnce sync.Once
}

func (g *group) identity() point {
	return point{y: g.fp.one}
}

// add sets r = p + q with the complete addition formulas of Renes, Costello
// and Batina (2016, Algorithm 1, any a). They hold for every pair of points
// of a group with no point of order 2 in it: all points used here lie in the
// subgroup of prime order q, including for the cofactor-4 curves. Doubling,
// the neutral element and P + (-P) need no special case, so the sequence of
// operations never depends on the points.
func (g *group) add(r, p, q *point) {
	f := g.fp
	var t0, t1, t2, t3, t4, t5, x3, y3, z3 fe
	f.mul(&t0, &p.x, &q.x)
	f.mul(&t1, &p.y, &q.y)
	f.mul(&t2, &p.z, &q.z)
	f.add(&t3, &p.x, &p.y)
	f.add(&t4, &q.x, &q.y)
	f.mul(&t3, &t3, &t4)
	f.add(&t4, &t0, &t1)
	f.sub(&t3, &t3, &t4)
	f.add(&t4, &p.x, &p.z)
	f.add(&t5, &q.x, &q.z)
	f.mul(&t4, &t4, &t5)
	f.add(&t5, &t0, &t2)
	f.sub(&t4, &t4, &t5)
	f.add(&t5, &p.y, &p.z)
	f.add(&x3, &q.y, &q.z)
	f.mul(&t5, &t5, &x3)
	f.add(&x3, &t1, &t2)
	f.sub(&t5, &t5, &x3)
	f.mul(&z3, &g.a, &t4)
	f.mul(&x3, &g.b3, &t2)
	f.add(&z3, &x3, &z3)
	f.sub(&x3, &t1, &z3)
	f.add(&z3, &t1, &z3)
	f.mul(&y3, &x3, &z3)
	f.add(&t1, &t0, &t0)
	f.add(&t1, &t1, &t0)
	f.mul(&t2, &g.a, &t2)
	f.mul(&t4, &g.b3, &t4)
	f.add(&t1, &t1, &t2)
	f.sub(&t2, &t0, &t2)
	f.mul(&t2, &g.a, &t2)
	f.add(&t4, &t4, &t2)
	f.mul(&t0, &t1, &t4)
	f.add(&y3, &y3, &t0)
	f.mul(&t0, &t5, &t4)
	f.mul(&x3, &t3, &x3)
	f.sub(&x3, &x3, &t0)
	f.mul(&t0, &t3, &t1)
	f.mul(&z3, &t5, &z3)
	f.add(&z3, &z3, &t0)
	r.x, r.y, r.z = x3, y3, z3
}

// lookup sets r = table[idx], reading every entry and keeping the wanted
// one by masking, so the memory access pattern does not depend on idx.
func lookup(r *point, table *[16]point, idx uint64) {
	*r = point{}
	for j := range table {
		// eq is 1 when j == idx: (j ^ idx) - 1 underflows only for 0.
		eq := ((uint64(j) ^ idx) - 1) >> 63
		e := &table[j]
		mask := -eq
		for k := range r.x {
			r.x[k] |= e.x[k] & mask
			r.y[k] |= e.y[k] & mask
			r.z[k] |= e.z[k] & mask
		}
	}
}

// digit returns the i-th 4-bit digit of the little-endian limbs k.
func digit(k *fe, i int) uint64 {
	return (k[i/16] >> (uint(i%16) * 4)) & 0xf
}

// baseTable holds j·16^i·G for every window i and digit j.
type baseTable struct {
	t [][16]point
}

func (g *group) buildBaseTable() *baseTable {
	bt := &baseTable{t: make([][16]point, g.windows)}
	b := g.gen
	for i := 0; i < g.windows; i++ {
		row := &bt.t[i]
		row[0] = g.identity()
		row[1] = b
		for j := 2; j < 16; j++ {
			g.add(&row[j], &row[j-1], &b)
		}
		g.add(&b, &row[15], &row[1]) // 16·b
	}
	return bt
}

// scalarBaseMult sets r = k·G with a fixed sequence of 64n/4 complete
// additions and constant-time table lookups: no doublings, no branches on k.
func (g *group) scalarBaseMult(r *point, k *fe) {
	bt := g.baseTableOnce()
	acc := g.identity()
	var e point
	for i := 0; i < g.windows; i++ {
		lookup(&e, &bt.t[i], digit(k, i))
		g.add(&acc, &acc, &e)
	}
	*r = acc
}

// scalarMult sets r = k·p with a fixed 4-bit window: 4 doublings and one
// addition of a looked-up multiple per digit, whatever k is.
func (g *group) scalarMult(r, p *point, k *fe) {
	var table [16]point
	table[0] = g.identity()
	table[1] = *p
	for j := 2; j < 16; j++ {
		g.add(&table[j], &table[j-1], p)
	}
	acc := g.identity()
	var e point
	for i := g.windows - 1; i >= 0; i-- {
		for d := 0; d < 4; d++ {
			g.add(&acc, &acc, &acc)
		}
		lookup(&e, &table, digit(k, i))
		g.add(&acc, &acc, &e)
	}
	*r = acc
}

// affine returns x/z and y/z in Montgomery form (zero for the neutral
// element, which callers detect through z).
func (g *group) affine(p *point) (x, y fe) {
	var zi fe
	g.fp.inv(&zi, &p.z)
	g.fp.mul(&x, &p.x, &zi)
	g.fp.mul(&y, &p.y, &zi)
	return x, y
}

// onCurve reports whether the affine (x, y) in Montgomery form satisfies
// the curve equation (public data: may branch).
func (g *group) onCurve(x, y *fe) bool {
	f := g.fp
	var l, r, t fe
	f.sqr(&l, y)
	f.sqr(&r, x)
	f.mul(&r, &r, x)
	f.mul(&t, &g.a, x)
	f.add(&r, &r, &t)
	f.add(&r, &r, &g.b)
	return f.equal(&l, &r) == 1
}
