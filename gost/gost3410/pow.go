package gost3410

import "math/big"

// powPlan is a fixed schedule for raising to a public exponent e (here
// m − 2, for inversion by Fermat's little theorem). The schedule depends on
// e only, so running it does the same squarings and multiplications in the
// same order for every base: constant-time in the base.
//
// A long top run of ones (e = 2^256 − 619 and 2^512 − 571 for the special
// moduli begin with 246 and 502 of them) is computed by an addition chain
// on the exponents 2^k − 1: from x^(2^k−1), x^(2^2k−1) costs k squarings
// and one multiplication, x^(2^(k+1)−1) one of each; the remaining bits go
// through a sliding window of four bits over the odd powers x, x³, …, x¹⁵.
type powPlan struct {
	ones  int       // length of the top run of ones done by the chain (0: none)
	odd   int       // odd powers the steps need: x, x³, …, x^(2·odd−1)
	steps []powStep // after the chain
}

// powStep squares sqr times, then multiplies by x^mul (mul odd; 0: none).
type powStep struct{ sqr, mul int }

func newPowPlan(e *big.Int) powPlan {
	var p powPlan
	i := e.BitLen() - 1
	run := 0
	for j := i; j >= 0 && e.Bit(j) == 1; j-- {
		run++
	}
	if run >= 16 {
		p.ones = run
		i -= run
	}
	pending := 0
	for i >= 0 {
		if e.Bit(i) == 0 {
			pending++
			i--
			continue
		}
		j := max(i-3, 0)
		for e.Bit(j) == 0 {
			j++
		}
		val := 0
		for b := i; b >= j; b-- {
			val = val<<1 | int(e.Bit(b))
		}
		pending += i - j + 1
		p.steps = append(p.steps, powStep{sqr: pending, mul: val})
		p.odd = max(p.odd, val/2+1)
		pending = 0
		i = j - 1
	}
	if pending > 0 {
		p.steps = append(p.steps, powStep{sqr: pending})
	}
	return p
}

// pow sets z = x^e for the exponent of plan p. Branches depend on the plan
// (public) only.
func (f *field) pow(z, x *fe, p *powPlan) {
	var odd [8]fe // x^(2i+1)
	odd[0] = *x
	if p.odd > 1 {
		var x2 fe
		f.sqr(&x2, x)
		for i := 1; i < p.odd; i++ {
			f.mul(&odd[i], &odd[i-1], &x2)
		}
	}
	var acc fe
	started := false
	if p.ones > 0 {
		f.powOnes(&acc, x, p.ones)
		started = true
	}
	for _, s := range p.steps {
		if started {
			for k := 0; k < s.sqr; k++ {
				f.sqr(&acc, &acc)
			}
		}
		if s.mul != 0 {
			if started {
				f.mul(&acc, &acc, &odd[s.mul/2])
			} else {
				acc = odd[s.mul/2]
				started = true
			}
		}
	}
	if !started {
		acc = f.one
	}
	*z = acc
}

// powOnes sets z = x^(2^l − 1), l ≥ 1, walking the bits of l from the top.
func (f *field) powOnes(z, x *fe, l int) {
	a := *x
	k := 1
	top := 0
	for l>>(top+1) != 0 {
		top++
	}
	for b := top - 1; b >= 0; b-- {
		t := a
		for i := 0; i < k; i++ {
			f.sqr(&t, &t)
		}
		f.mul(&a, &t, &a) // x^(2^2k − 1)
		k *= 2
		if l>>b&1 == 1 {
			f.sqr(&a, &a)
			f.mul(&a, &a, x)
			k++
		}
	}
	*z = a
}

// invert sets z = x^-1 (0 for x = 0) in constant time: x^(m−2).
func (f *field) invert(z, x *fe) { f.pow(z, x, &f.inv) }
