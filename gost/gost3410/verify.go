package gost3410

// Variable-time arithmetic for verification, which sees public data only
// (the public key, the digest, the signature): Jacobian coordinates
// (x = X/Z², y = Y/Z³, Z = 0 for the neutral element), branches on the
// points, table indices from the scalars.

type jpoint struct{ x, y, z fe }

func (g *group) jInfinity(p *jpoint) bool { return g.fp.isZero(&p.z) == 1 }

// jDouble sets r = 2p ("dbl-2001-b" for a = −3, "dbl-2007-bl" for any a,
// from the Explicit-Formulas Database). A point with Y = 0 or the neutral
// element gives Z3 = 0.
func (g *group) jDouble(r, p *jpoint) {
	f := g.fp
	var x3, y3, z3 fe
	if g.aM3 {
		var delta, gamma, beta, alpha, t fe
		f.sqr(&delta, &p.z)
		f.sqr(&gamma, &p.y)
		f.mul(&beta, &p.x, &gamma)
		f.sub(&t, &p.x, &delta)
		f.add(&alpha, &p.x, &delta)
		f.mul(&alpha, &alpha, &t)
		f.add(&t, &alpha, &alpha)
		f.add(&alpha, &alpha, &t) // 3(X−δ)(X+δ)
		f.add(&z3, &p.y, &p.z)
		f.sqr(&z3, &z3)
		f.sub(&z3, &z3, &gamma)
		f.sub(&z3, &z3, &delta)
		f.add(&beta, &beta, &beta)
		f.add(&beta, &beta, &beta) // 4β
		f.sqr(&x3, &alpha)
		f.add(&t, &beta, &beta)
		f.sub(&x3, &x3, &t)
		f.sub(&y3, &beta, &x3)
		f.mul(&y3, &y3, &alpha)
		f.sqr(&gamma, &gamma)
		f.add(&gamma, &gamma, &gamma)
		f.add(&gamma, &gamma, &gamma)
		f.add(&gamma, &gamma, &gamma) // 8γ²
		f.sub(&y3, &y3, &gamma)
	} else {
		var xx, yy, yyyy, zz, s, m, t fe
		f.sqr(&xx, &p.x)
		f.sqr(&yy, &p.y)
		f.sqr(&yyyy, &yy)
		f.sqr(&zz, &p.z)
		f.add(&s, &p.x, &yy)
		f.sqr(&s, &s)
		f.sub(&s, &s, &xx)
		f.sub(&s, &s, &yyyy)
		f.add(&s, &s, &s)
		f.sqr(&m, &zz)
		f.mul(&m, &m, &g.a)
		f.add(&m, &m, &xx)
		f.add(&m, &m, &xx)
		f.add(&m, &m, &xx)
		f.sqr(&x3, &m)
		f.sub(&x3, &x3, &s)
		f.sub(&x3, &x3, &s)
		f.add(&z3, &p.y, &p.z)
		f.sqr(&z3, &z3)
		f.sub(&z3, &z3, &yy)
		f.sub(&z3, &z3, &zz)
		f.sub(&t, &s, &x3)
		f.mul(&y3, &m, &t)
		f.add(&yyyy, &yyyy, &yyyy)
		f.add(&yyyy, &yyyy, &yyyy)
		f.add(&yyyy, &yyyy, &yyyy)
		f.sub(&y3, &y3, &yyyy)
	}
	r.x, r.y, r.z = x3, y3, z3
}

// jAdd sets r = p + q ("add-2007-bl"), with the neutral element, doubling
// and P + (−P) handled by branches.
func (g *group) jAdd(r, p, q *jpoint) {
	if g.jInfinity(p) {
		*r = *q
		return
	}
	if g.jInfinity(q) {
		*r = *p
		return
	}
	f := g.fp
	var z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t fe
	f.sqr(&z1z1, &p.z)
	f.sqr(&z2z2, &q.z)
	f.mul(&u1, &p.x, &z2z2)
	f.mul(&u2, &q.x, &z1z1)
	f.mul(&s1, &p.y, &q.z)
	f.mul(&s1, &s1, &z2z2)
	f.mul(&s2, &q.y, &p.z)
	f.mul(&s2, &s2, &z1z1)
	f.sub(&h, &u2, &u1)
	f.sub(&rr, &s2, &s1)
	if f.isZero(&h) == 1 {
		if f.isZero(&rr) == 1 {
			g.jDouble(r, p)
		} else {
			*r = jpoint{}
		}
		return
	}
	f.add(&rr, &rr, &rr)
	f.add(&i, &h, &h)
	f.sqr(&i, &i)
	f.mul(&j, &h, &i)
	f.mul(&v, &u1, &i)
	var x3, y3, z3 fe
	f.sqr(&x3, &rr)
	f.sub(&x3, &x3, &j)
	f.sub(&x3, &x3, &v)
	f.sub(&x3, &x3, &v)
	f.sub(&t, &v, &x3)
	f.mul(&y3, &rr, &t)
	f.mul(&t, &s1, &j)
	f.add(&t, &t, &t)
	f.sub(&y3, &y3, &t)
	f.add(&z3, &p.z, &q.z)
	f.sqr(&z3, &z3)
	f.sub(&z3, &z3, &z1z1)
	f.sub(&z3, &z3, &z2z2)
	f.mul(&z3, &z3, &h)
	r.x, r.y, r.z = x3, y3, z3
}

// jAddAffine sets r = p + (x2, y2) ("madd-2007-bl").
func (g *group) jAddAffine(r, p *jpoint, x2, y2 *fe) {
	f := g.fp
	if g.jInfinity(p) {
		r.x, r.y, r.z = *x2, *y2, f.one
		return
	}
	var z1z1, u2, s2, h, hh, i, j, rr, v, t fe
	f.sqr(&z1z1, &p.z)
	f.mul(&u2, x2, &z1z1)
	f.mul(&s2, y2, &p.z)
	f.mul(&s2, &s2, &z1z1)
	f.sub(&h, &u2, &p.x)
	f.sub(&rr, &s2, &p.y)
	if f.isZero(&h) == 1 {
		if f.isZero(&rr) == 1 {
			g.jDouble(r, p)
		} else {
			*r = jpoint{}
		}
		return
	}
	f.sqr(&hh, &h)
	f.add(&i, &hh, &hh)
	f.add(&i, &i, &i)
	f.mul(&j, &h, &i)
	f.add(&rr, &rr, &rr)
	f.mul(&v, &p.x, &i)
	var x3, y3, z3 fe
	f.sqr(&x3, &rr)
	f.sub(&x3, &x3, &j)
	f.sub(&x3, &x3, &v)
	f.sub(&x3, &x3, &v)
	f.sub(&t, &v, &x3)
	f.mul(&y3, &rr, &t)
	f.mul(&t, &p.y, &j)
	f.add(&t, &t, &t)
	f.sub(&y3, &y3, &t)
	f.add(&z3, &p.z, &h)
	f.sqr(&z3, &z3)
	f.sub(&z3, &z3, &z1z1)
	f.sub(&z3, &z3, &hh)
	r.x, r.y, r.z = x3, y3, z3
}

const wnafWidth = 5 // odd multiples 1·Q … 15·Q

// wnaf returns the width-w non-adjacent form of k (< 2^(64n)), least
// significant digit first: every non-zero digit is odd, |d| < 2^(w−1), and
// any w consecutive digits hold at most one non-zero one.
func wnaf(k *fe, n int) []int8 {
	var d [maxLimbs + 1]uint64
	copy(d[:], k[:n])
	out := make([]int8, 0, 64*n+1)
	const mod = 1 << (wnafWidth)
	for {
		nz := false
		for _, w := range d[:n+1] {
			if w != 0 {
				nz = true
				break
			}
		}
		if !nz {
			return out
		}
		var digit int64
		if d[0]&1 == 1 {
			digit = int64(d[0] & (mod - 1))
			if digit >= mod/2 {
				digit -= mod
			}
			if digit > 0 {
				subSmall(d[:n+1], uint64(digit))
			} else {
				addSmall(d[:n+1], uint64(-digit))
			}
		}
		out = append(out, int8(digit))
		for i := 0; i < n; i++ {
			d[i] = d[i]>>1 | d[i+1]<<63
		}
		d[n] >>= 1
	}
}

func subSmall(d []uint64, v uint64) {
	for i := range d {
		old := d[i]
		d[i] -= v
		if old >= v {
			return
		}
		v = 1
	}
}

func addSmall(d []uint64, v uint64) {
	for i := range d {
		d[i] += v
		if d[i] >= v {
			return
		}
		v = 1
	}
}

// mulAddVartime returns u1·G + u2·Q (u1, u2 < 2^(64n) plain integers, Q
// affine in the field's form): u2·Q by the wNAF with 4 doublings saved per
// non-zero digit, u1·G by the fixed-base table read directly (no doubling).
func (g *group) mulAddVartime(u1, u2 *fe, qx, qy *fe) jpoint {
	f := g.fp
	var tbl [1 << (wnafWidth - 2)]jpoint // Q, 3Q, …, 15Q
	tbl[0] = jpoint{*qx, *qy, f.one}
	var q2 jpoint
	g.jDouble(&q2, &tbl[0])
	for i := 1; i < len(tbl); i++ {
		g.jAdd(&tbl[i], &tbl[i-1], &q2)
	}
	digits := wnaf(u2, f.n)
	var acc jpoint
	var neg jpoint
	for i := len(digits) - 1; i >= 0; i-- {
		if !g.jInfinity(&acc) {
			g.jDouble(&acc, &acc)
		}
		d := digits[i]
		switch {
		case d > 0:
			g.jAdd(&acc, &acc, &tbl[d/2])
		case d < 0:
			neg = tbl[(-d)/2]
			f.neg(&neg.y, &neg.y)
			g.jAdd(&acc, &acc, &neg)
		}
	}
	t := g.baseTableOnce()
	n := f.n
	var x, y fe
	for i := 0; i < t.rows; i++ {
		mag, sign := boothDigit(u1, n, i)
		if mag == 0 {
			continue
		}
		e := t.entry(i, int(mag)-1)
		copy(x[:n], e[:n])
		copy(y[:n], e[n:])
		if sign == 1 {
			f.neg(&y, &y)
		}
		g.jAddAffine(&acc, &acc, &x, &y)
	}
	return acc
}
