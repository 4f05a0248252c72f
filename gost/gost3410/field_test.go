package gost3410

import (
	"encoding/binary"
	"math/big"
	mrand "math/rand/v2"
	"testing"
)

// fields returns every distinct field (p and q of every curve).
func fields() []*field {
	seen := map[*group]bool{}
	var out []*field
	for _, c := range Curves() {
		if seen[c.g] {
			continue
		}
		seen[c.g] = true
		out = append(out, c.g.fp, c.g.fq)
	}
	return out
}

// checkField compares mul, sqr, add, sub, neg and invert of a and b (< m)
// with math/big, going through the field's own form.
func checkField(t *testing.T, f *field, a, b *big.Int) {
	t.Helper()
	m := f.mod
	var x, y, xm, ym, z, zm fe
	x, y = feFromBig(a), feFromBig(b)
	f.toMont(&xm, &x)
	f.toMont(&ym, &y)
	check := func(op string, gotM *fe, want *big.Int) {
		t.Helper()
		f.fromMont(&z, gotM)
		if f.toBig(&z).Cmp(want) != 0 || f.less(gotM, &f.m) != 1 {
			t.Fatalf("m=%x %s(%x, %x) = %x, want %x", m, op, a, b, f.toBig(&z), want)
		}
	}
	f.mul(&zm, &xm, &ym)
	check("mul", &zm, new(big.Int).Mod(new(big.Int).Mul(a, b), m))
	f.sqr(&zm, &xm)
	check("sqr", &zm, new(big.Int).Mod(new(big.Int).Mul(a, a), m))
	f.add(&zm, &xm, &ym)
	check("add", &zm, new(big.Int).Mod(new(big.Int).Add(a, b), m))
	f.sub(&zm, &xm, &ym)
	check("sub", &zm, new(big.Int).Mod(new(big.Int).Sub(a, b), m))
	f.neg(&zm, &xm)
	check("neg", &zm, new(big.Int).Mod(new(big.Int).Neg(a), m))
	f.invert(&zm, &xm)
	want := new(big.Int)
	if a.Sign() != 0 {
		want.ModInverse(a, m)
	}
	check("invert", &zm, want)
	// the special kinds take any value below 2^(64n) into mul (toMont does)
	if f.c != 0 { // the special kinds
		hi := new(big.Int).Add(a, m)
		if hi.BitLen() <= 64*f.n {
			h := feFromBig(hi)
			f.toMont(&zm, &h)
			check("reduce", &zm, a)
		}
	}
}

func edgeValues(f *field) []*big.Int {
	m := f.mod
	one := big.NewInt(1)
	vals := []*big.Int{big.NewInt(0), one, big.NewInt(2), new(big.Int).Sub(m, one), new(big.Int).Sub(m, big.NewInt(2)),
		new(big.Int).Rsh(m, 1), new(big.Int).Lsh(one, uint(64*f.n-1)).Mod(new(big.Int).Lsh(one, uint(64*f.n-1)), m)}
	for i := 1; i < 2*f.n; i++ {
		vals = append(vals, new(big.Int).Mod(new(big.Int).Sub(new(big.Int).Lsh(one, uint(32*i)), one), m))
	}
	return vals
}

func TestFieldAgainstBig(t *testing.T) {
	r := mrand.New(mrand.NewPCG(3, 4))
	for _, f := range fields() {
		vals := edgeValues(f)
		for i := 0; i < 60; i++ {
			b := make([]byte, 8*f.n)
			for j := range b {
				b[j] = byte(r.Uint32())
			}
			vals = append(vals, new(big.Int).Mod(new(big.Int).SetBytes(b), f.mod))
		}
		for _, a := range vals {
			for _, b := range vals {
				checkField(t, f, a, b)
			}
		}
	}
}

// TestSpecialAgainstGeneric runs the multiplication the build uses (amd64
// assembly unless -tags purego) against the pure-Go one on random and
// extreme inputs, including unreduced ones.
func TestSpecialAgainstGeneric(t *testing.T) {
	r := mrand.New(mrand.NewPCG(5, 6))
	for _, c := range []uint64{617, 569, 1, 0xffffffff} {
		var vals []fe
		vals = append(vals, fe{}, fe{1}, fe{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)},
			fe{-c, ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)},
			fe{-c - 1, ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)})
		for i := 0; i < 300; i++ {
			var v fe
			for j := range v {
				switch r.IntN(4) {
				case 0:
					v[j] = ^uint64(0)
				case 1:
					v[j] = 0
				default:
					v[j] = r.Uint64()
				}
			}
			vals = append(vals, v)
		}
		for i := range vals {
			for j := range vals {
				x, y := vals[i], vals[j]
				x4, y4 := fe{x[0], x[1], x[2], x[3]}, fe{y[0], y[1], y[2], y[3]}
				var a, b fe
				mulP4(&a, &x4, &y4, c)
				mulP4Generic(&b, &x4, &y4, c)
				if a != b {
					t.Fatalf("c=%d mulP4 %x·%x: %x, generic %x", c, x4, y4, a, b)
				}
				sqrP4(&a, &x4, c)
				sqrP4Generic(&b, &x4, c)
				if a != b {
					t.Fatalf("c=%d sqrP4 %x: %x, generic %x", c, x4, a, b)
				}
				mulP8(&a, &x, &y, c)
				mulP8Generic(&b, &x, &y, c)
				if a != b {
					t.Fatalf("c=%d mulP8 %x·%x: %x, generic %x", c, x, y, a, b)
				}
				sqrP8(&a, &x, c)
				sqrP8Generic(&b, &x, c)
				if a != b {
					t.Fatalf("c=%d sqrP8 %x: %x, generic %x", c, x, a, b)
				}
			}
		}
	}
}

// TestAddSubAgainstGeneric runs the addition and subtraction the build uses
// against the pure-Go ones for every modulus.
func TestAddSubAgainstGeneric(t *testing.T) {
	r := mrand.New(mrand.NewPCG(7, 8))
	for _, f := range fields() {
		vals := []fe{}
		for _, v := range edgeValues(f) {
			vals = append(vals, feFromBig(v))
		}
		for i := 0; i < 40; i++ {
			var v fe
			for j := 0; j < f.n; j++ {
				v[j] = r.Uint64()
			}
			vals = append(vals, feFromBig(new(big.Int).Mod(f.toBig(&v), f.mod)))
		}
		for i := range vals {
			for j := range vals {
				var a, b, c, d fe
				if f.n == 4 {
					add4(&a, &vals[i], &vals[j], &f.m)
					add4Generic(&b, &vals[i], &vals[j], &f.m)
					sub4(&c, &vals[i], &vals[j], &f.m)
					sub4Generic(&d, &vals[i], &vals[j], &f.m)
				} else {
					add8(&a, &vals[i], &vals[j], &f.m)
					add8Generic(&b, &vals[i], &vals[j], &f.m)
					sub8(&c, &vals[i], &vals[j], &f.m)
					sub8Generic(&d, &vals[i], &vals[j], &f.m)
				}
				if a != b || c != d {
					t.Fatalf("m=%x: %x ± %x: add %x / %x, sub %x / %x", f.m, vals[i], vals[j], a, b, c, d)
				}
			}
		}
	}
}

// FuzzField checks the arithmetic of every field against math/big.
func FuzzField(f *testing.F) {
	f.Add(uint8(0), make([]byte, 64), make([]byte, 64))
	f.Add(uint8(1), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, []byte{1})
	fs := fields()
	f.Fuzz(func(t *testing.T, which uint8, a, b []byte) {
		fl := fs[int(which)%len(fs)]
		pad := func(v []byte) *big.Int {
			buf := make([]byte, 8*fl.n)
			copy(buf, v)
			return new(big.Int).Mod(new(big.Int).SetBytes(buf), fl.mod)
		}
		checkField(t, fl, pad(a), pad(b))
		// the raw special multiplication on any limbs
		var x, y fe
		for i := 0; i < 8 && 8*i+8 <= len(a); i++ {
			x[i] = binary.LittleEndian.Uint64(a[8*i:])
		}
		for i := 0; i < 8 && 8*i+8 <= len(b); i++ {
			y[i] = binary.LittleEndian.Uint64(b[8*i:])
		}
		for _, c := range []uint64{617, 569} {
			m8 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 512), big.NewInt(int64(c)))
			var z fe
			mulP8(&z, &x, &y, c)
			want := new(big.Int).Mul(feToBig(&x, 8), feToBig(&y, 8))
			if feToBig(&z, 8).Cmp(want.Mod(want, m8)) != 0 {
				t.Fatalf("mulP8 c=%d %x·%x = %x", c, x, y, z)
			}
			x4 := fe{x[0], x[1], x[2], x[3]}
			m4 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(int64(c)))
			sqrP4(&z, &x4, c)
			want = new(big.Int).Mul(feToBig(&x4, 4), feToBig(&x4, 4))
			if feToBig(&z, 4).Cmp(want.Mod(want, m4)) != 0 {
				t.Fatalf("sqrP4 c=%d %x = %x", c, x4, z)
			}
		}
	})
}

func feToBig(x *fe, n int) *big.Int {
	b := make([]byte, 8*n)
	for i := 0; i < n; i++ {
		binary.BigEndian.PutUint64(b[8*(n-1-i):], x[i])
	}
	return new(big.Int).SetBytes(b)
}

// TestLookupAgainstGeneric compares the table lookup the build uses (AVX2
// where the CPU has it) with the pure-Go one for every row and digit.
func TestLookupAgainstGeneric(t *testing.T) {
	for _, c := range []*Curve{CurveCryptoProA(), CurveTC26512A()} {
		bt := c.g.baseTableOnce()
		n := bt.n
		for row := 0; row < bt.rows; row++ {
			base := bt.data[row*combSize*2*n : (row+1)*combSize*2*n]
			for mag := uint64(0); mag <= combSize; mag++ {
				var x1, y1, x2, y2 fe
				bt.lookup(&x1, &y1, row, mag)
				bt.lookupGeneric(&x2, &y2, base, mag)
				if x1 != x2 || y1 != y2 {
					t.Fatalf("%s row %d digit %d: lookup differs", c.Name, row, mag)
				}
				if mag > 0 {
					e := bt.entry(row, int(mag)-1)
					if x1[0] != e[0] || y1[n-1] != e[2*n-1] {
						t.Fatalf("%s row %d digit %d: wrong entry", c.Name, row, mag)
					}
				}
			}
		}
	}
}
