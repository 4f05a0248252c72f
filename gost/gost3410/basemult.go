package gost3410

// Fixed-base multiplication k·G for signing and key generation.
//
// The scalar is recoded into signed base-64 digits (Booth recoding, width
// 6): digit i is d_i = b(6i−1) + Σ_{j<5} b(6i+j)·2^j − 32·b(6i+5), with
// b(−1) = 0, so d_i ∈ [−32, 32] and k = Σ d_i·64^i. Row i of the table holds
// the affine points j·64^i·G for j = 1..32, so k·G is one mixed addition per
// digit and no doubling: 43 for 256-bit scalars, 86 for 512-bit ones.
//
// Constant time: every row is read whole and the wanted entry kept by
// masking, the sign is applied by a masked negation, and a zero digit still
// runs the addition (of the all-zero entry) whose result is then dropped by
// masking. The digits are computed with shifts and masks only.

const (
	combWidth = 6
	combSize  = 1 << (combWidth - 1) // entries per row: 32
)

// baseTable holds, per row, combSize affine points of n limbs each for x
// and y, stored back to back (x then y, 2n limbs per entry).
type baseTable struct {
	n, rows int
	data    []uint64
}

func (t *baseTable) entry(row, j int) []uint64 {
	off := (row*combSize + j) * 2 * t.n
	return t.data[off : off+2*t.n]
}

// combRows is the number of digits of a scalar of 64n bits.
func combRows(n int) int { return (64*n + 1 + combWidth - 1) / combWidth }

func (g *group) baseTableOnce() *baseTable {
	g.baseOnce.Do(func() { g.base = g.buildBaseTable() })
	return g.base
}

// buildBaseTable computes the table projectively, then converts all of it
// to affine with one inversion (Montgomery's trick).
func (g *group) buildBaseTable() *baseTable {
	f := g.fp
	n := f.n
	rows := combRows(n)
	pts := make([]point, rows*combSize)
	b := g.gen
	for i := 0; i < rows; i++ {
		row := pts[i*combSize : (i+1)*combSize]
		row[0] = b
		g.double(&row[1], &b)
		for j := 2; j < combSize; j++ {
			g.add(&row[j], &row[j-1], &b)
		}
		g.double(&b, &row[combSize-1]) // 64·b
	}
	// prefix products of the Z, one inversion, then back down
	prefix := make([]fe, len(pts))
	acc := f.one
	for i := range pts {
		prefix[i] = acc
		f.mul(&acc, &acc, &pts[i].z)
	}
	var inv fe
	f.invert(&inv, &acc)
	t := &baseTable{n: n, rows: rows, data: make([]uint64, len(pts)*2*n)}
	for i := len(pts) - 1; i >= 0; i-- {
		var zi, x, y fe
		f.mul(&zi, &inv, &prefix[i])
		f.mul(&inv, &inv, &pts[i].z)
		f.mul(&x, &pts[i].x, &zi)
		f.mul(&y, &pts[i].y, &zi)
		e := t.entry(i/combSize, i%combSize)
		copy(e[:n], x[:n])
		copy(e[n:], y[:n])
	}
	return t
}

// boothDigit returns the magnitude and sign (1: negative) of digit i of k.
func boothDigit(k *fe, n, i int) (mag, neg uint64) {
	pos := combWidth*i - 1 // the window is bits pos … pos+6 (public)
	var w uint64
	if pos < 0 {
		w = k[0] << 1
	} else {
		limb, off := pos/64, uint(pos%64)
		w = k[limb] >> off
		if off > 64-(combWidth+1) && limb+1 < n {
			w |= k[limb+1] << (64 - off)
		}
	}
	w &= 1<<(combWidth+1) - 1
	neg = w >> combWidth
	low := (w>>1)&(combSize-1) + w&1 // 0 … 32
	mag = low ^ ((low ^ (combSize - low)) & -neg)
	return mag, neg
}

// lookup sets x, y to entry mag−1 of row (zero when mag = 0), reading the
// whole row.
func (t *baseTable) lookup(x, y *fe, row int, mag uint64) {
	n := t.n
	base := t.data[row*combSize*2*n : (row+1)*combSize*2*n]
	if useAVX2 {
		var out [16]uint64
		if n == 4 {
			lookup4AVX2(&out, &base[0], mag)
		} else {
			lookup8AVX2(&out, &base[0], mag)
		}
		*x, *y = fe{}, fe{}
		copy(x[:n], out[:n])
		copy(y[:n], out[n:2*n])
		return
	}
	t.lookupGeneric(x, y, base, mag)
}

func (t *baseTable) lookupGeneric(x, y *fe, base []uint64, mag uint64) {
	*x, *y = fe{}, fe{}
	n := t.n
	if n == 4 {
		for j := 0; j < combSize; j++ {
			mask := -(((uint64(j+1) ^ mag) - 1) >> 63)
			e := base[j*8 : j*8+8]
			x[0] |= e[0] & mask
			x[1] |= e[1] & mask
			x[2] |= e[2] & mask
			x[3] |= e[3] & mask
			y[0] |= e[4] & mask
			y[1] |= e[5] & mask
			y[2] |= e[6] & mask
			y[3] |= e[7] & mask
		}
		return
	}
	for j := 0; j < combSize; j++ {
		mask := -(((uint64(j+1) ^ mag) - 1) >> 63)
		e := base[j*16 : j*16+16]
		for l := 0; l < 8; l++ {
			x[l] |= e[l] & mask
			y[l] |= e[8+l] & mask
		}
	}
}

// scalarBaseMult sets r = k·G (k < 2^(64n)) in constant time.
func (g *group) scalarBaseMult(r *point, k *fe) {
	t := g.baseTableOnce()
	f := g.fp
	acc := g.identity()
	var x, y, ny fe
	var sum point
	for i := 0; i < t.rows; i++ {
		mag, neg := boothDigit(k, f.n, i)
		t.lookup(&x, &y, i, mag)
		f.neg(&ny, &y)
		sel(&y, &ny, &y, neg)
		g.addMixed(&sum, &acc, &x, &y)
		nz := (mag | -mag) >> 63 // 1 unless the digit is zero
		sel(&acc.x, &sum.x, &acc.x, nz)
		sel(&acc.y, &sum.y, &acc.y, nz)
		sel(&acc.z, &sum.z, &acc.z, nz)
	}
	*r = acc
}
