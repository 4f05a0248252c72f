package gost3410

import "sync"

// point is a projective point (X:Y:Z) on y^2 = x^3 + ax + b, coordinates in
// the field's form; the neutral element is (0:1:0).
type point struct{ x, y, z fe }

// group is the arithmetic of one curve: the prime field, the scalar field
// (mod q) and the base point.
type group struct {
	fp, fq   *field
	a, b, b3 fe   // a, b and 3b in the field's form
	aM3      bool // a = −3: the cheaper formulas apply
	gen      point
	size     int // bytes per coordinate: 32 or 64
	base     *baseTable
	baseOnce sync.Once
}

func (g *group) identity() point {
	return point{y: g.fp.one}
}

// The complete formulas of Renes, Costello and Batina ("Complete addition
// formulas for prime order elliptic curves", 2016): Algorithm 1 (addition,
// any a), its mixed form (Z2 = 1, Algorithm 2), Algorithm 4 (addition, a = −3),
// its mixed form (Algorithm 5) and Algorithm 6 (doubling, a = −3). They hold
// for every pair of points of a group with no point of order 2 in it: all
// points used in signing lie in the subgroup of prime order q, including on
// the cofactor-4 curves. Doubling, the neutral element and P + (−P) need no
// special case, so the sequence of operations never depends on the points.
// The mixed forms take an affine second point, which therefore cannot be the
// neutral element; the first may be.

// add sets r = p + q.
func (g *group) add(r, p, q *point) {
	f := g.fp
	// X1·Z2 + X2·Z1 = (X1 + Z1)(X2 + Z2) − X1X2 − Z1Z2, likewise for Y
	var t0, t1, t2, xz, yz, t fe
	f.mul(&t2, &p.z, &q.z)
	f.mul(&t0, &p.x, &q.x)
	f.mul(&t1, &p.y, &q.y)
	f.add(&xz, &p.x, &p.z)
	f.add(&t, &q.x, &q.z)
	f.mul(&xz, &xz, &t)
	f.add(&t, &t0, &t2)
	f.sub(&xz, &xz, &t)
	f.add(&yz, &p.y, &p.z)
	f.add(&t, &q.y, &q.z)
	f.mul(&yz, &yz, &t)
	f.add(&t, &t1, &t2)
	f.sub(&yz, &yz, &t)
	g.addTail(r, p, &q.x, &q.y, &t0, &t1, &t2, &xz, &yz)
}

// addMixed sets r = p + (x, y), the second point affine.
func (g *group) addMixed(r, p *point, x, y *fe) {
	f := g.fp
	var t0, t1, xz, yz fe
	f.mul(&t0, &p.x, x)
	f.mul(&t1, &p.y, y)
	f.mul(&xz, x, &p.z)
	f.add(&xz, &xz, &p.x)
	f.mul(&yz, y, &p.z)
	f.add(&yz, &yz, &p.y)
	g.addTail(r, p, x, y, &t0, &t1, &p.z, &xz, &yz)
}

// addTail finishes an addition from t0 = X1X2, t1 = Y1Y2, t2 = Z1Z2,
// xz = X1Z2 + X2Z1 and yz = Y1Z2 + Y2Z1 (x2, y2: the second point's X, Y).
func (g *group) addTail(r, p *point, x2, y2, t0in, t1in, t2in, xzin, yzin *fe) {
	f := g.fp
	t0, t1, t2, xz, yz := *t0in, *t1in, *t2in, *xzin, *yzin
	// t3 = X1Y2 + X2Y1
	var t3, t4 fe
	f.add(&t3, &p.x, &p.y)
	f.add(&t4, x2, y2)
	f.mul(&t3, &t3, &t4)
	f.add(&t4, &t0, &t1)
	f.sub(&t3, &t3, &t4)
	var x3, y3, z3 fe
	if g.aM3 { // public: the curve
		f.mul(&z3, &g.b, &t2)
		f.sub(&x3, &xz, &z3)
		f.add(&z3, &x3, &x3)
		f.add(&x3, &x3, &z3)
		f.sub(&z3, &t1, &x3)
		f.add(&x3, &t1, &x3)
		f.mul(&y3, &g.b, &xz)
		var u fe
		f.add(&u, &t2, &t2)
		f.add(&t2, &u, &t2)
		f.sub(&y3, &y3, &t2)
		f.sub(&y3, &y3, &t0)
		f.add(&u, &y3, &y3)
		f.add(&y3, &u, &y3)
		f.add(&u, &t0, &t0)
		f.add(&t0, &u, &t0)
		f.sub(&t0, &t0, &t2)
		var w fe
		f.mul(&u, &yz, &y3)
		f.mul(&w, &t0, &y3)
		f.mul(&y3, &x3, &z3)
		f.add(&y3, &y3, &w)
		f.mul(&x3, &t3, &x3)
		f.sub(&x3, &x3, &u)
		f.mul(&z3, &yz, &z3)
		f.mul(&u, &t3, &t0)
		f.add(&z3, &z3, &u)
	} else {
		var t5 fe
		f.mul(&z3, &g.a, &xz)
		f.mul(&x3, &g.b3, &t2)
		f.add(&z3, &x3, &z3)
		f.sub(&x3, &t1, &z3)
		f.add(&z3, &t1, &z3)
		f.mul(&y3, &x3, &z3)
		f.add(&t1, &t0, &t0)
		f.add(&t1, &t1, &t0)
		f.mul(&t2, &g.a, &t2)
		f.mul(&t4, &g.b3, &xz)
		f.add(&t1, &t1, &t2)
		f.sub(&t2, &t0, &t2)
		f.mul(&t2, &g.a, &t2)
		f.add(&t4, &t4, &t2)
		f.mul(&t0, &t1, &t4)
		f.add(&y3, &y3, &t0)
		f.mul(&t0, &yz, &t4)
		f.mul(&x3, &t3, &x3)
		f.sub(&x3, &x3, &t0)
		f.mul(&t0, &t3, &t1)
		f.mul(&t5, &yz, &z3)
		f.add(&z3, &t5, &t0)
	}
	r.x, r.y, r.z = x3, y3, z3
}

// double sets r = 2p: Algorithm 6 for a = −3, else the addition p + p.
func (g *group) double(r, p *point) {
	if !g.aM3 {
		g.add(r, p, p)
		return
	}
	f := g.fp
	var t0, t1, t2, t3, x3, y3, z3 fe
	f.sqr(&t0, &p.x)
	f.sqr(&t1, &p.y)
	f.sqr(&t2, &p.z)
	f.mul(&t3, &p.x, &p.y)
	f.add(&t3, &t3, &t3)
	f.mul(&z3, &p.x, &p.z)
	f.add(&z3, &z3, &z3)
	f.mul(&y3, &g.b, &t2)
	f.sub(&y3, &y3, &z3)
	f.add(&x3, &y3, &y3)
	f.add(&y3, &x3, &y3)
	f.sub(&x3, &t1, &y3)
	f.add(&y3, &t1, &y3)
	f.mul(&y3, &x3, &y3)
	f.mul(&x3, &x3, &t3)
	f.add(&t3, &t2, &t2)
	f.add(&t2, &t2, &t3)
	f.mul(&z3, &g.b, &z3)
	f.sub(&z3, &z3, &t2)
	f.sub(&z3, &z3, &t0)
	f.add(&t3, &z3, &z3)
	f.add(&z3, &z3, &t3)
	f.add(&t3, &t0, &t0)
	f.add(&t0, &t3, &t0)
	f.sub(&t0, &t0, &t2)
	f.mul(&t0, &t0, &z3)
	f.add(&y3, &y3, &t0)
	f.mul(&t0, &p.y, &p.z)
	f.add(&t0, &t0, &t0)
	f.mul(&z3, &t0, &z3)
	f.sub(&x3, &x3, &z3)
	f.mul(&z3, &t0, &t1)
	f.add(&z3, &z3, &z3)
	f.add(&z3, &z3, &z3)
	r.x, r.y, r.z = x3, y3, z3
}

// affine returns x/z and y/z in the field's form (zero for the neutral
// element, which callers detect through z). Constant-time.
func (g *group) affine(p *point) (x, y fe) {
	var zi fe
	g.fp.invert(&zi, &p.z)
	g.fp.mul(&x, &p.x, &zi)
	g.fp.mul(&y, &p.y, &zi)
	return x, y
}

// onCurve reports whether the affine (x, y) in the field's form satisfies
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
