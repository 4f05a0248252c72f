package kuznyechik

// pi is the substitution π of GOST R 34.12-2015 4.1.1, π(0)…π(255).
var pi = [256]byte{
	252, 238, 221, 17, 207, 110, 49, 22, 251, 196, 250, 218, 35, 197, 4, 77,
	233, 119, 240, 219, 147, 46, 153, 186, 23, 54, 241, 187, 20, 205, 95, 193,
	249, 24, 101, 90, 226, 92, 239, 33, 129, 28, 60, 66, 139, 1, 142, 79,
	5, 132, 2, 174, 227, 106, 143, 160, 6, 11, 237, 152, 127, 212, 211, 31,
	235, 52, 44, 81, 234, 200, 72, 171, 242, 42, 104, 162, 253, 58, 206, 204,
	181, 112, 14, 86, 8, 12, 118, 18, 191, 114, 19, 71, 156, 183, 93, 135,
	21, 161, 150, 41, 16, 123, 154, 199, 243, 145, 120, 111, 157, 158, 178, 177,
	50, 117, 25, 61, 255, 53, 138, 126, 109, 84, 198, 128, 195, 189, 13, 87,
	223, 245, 36, 169, 62, 168, 67, 201, 215, 121, 214, 246, 124, 34, 185, 3,
	224, 15, 236, 222, 122, 148, 176, 188, 220, 232, 40, 80, 78, 51, 10, 74,
	167, 151, 96, 115, 30, 0, 98, 68, 26, 184, 56, 130, 100, 159, 38, 65,
	173, 69, 70, 146, 39, 94, 85, 47, 140, 163, 165, 125, 105, 213, 149, 59,
	7, 88, 179, 64, 134, 172, 29, 247, 48, 55, 107, 228, 136, 217, 231, 137,
	225, 27, 131, 73, 76, 63, 248, 254, 141, 83, 170, 144, 202, 216, 133, 97,
	32, 113, 103, 164, 45, 43, 9, 91, 203, 155, 37, 208, 190, 229, 108, 82,
	89, 166, 116, 210, 230, 244, 180, 192, 209, 102, 175, 194, 57, 75, 99, 182,
}

// lcoef are the coefficients of ℓ (4.1.2) for a15, a14, …, a0, i.e. for
// bytes 0…15 of a block.
var lcoef = [16]byte{148, 32, 133, 16, 194, 192, 1, 251, 1, 192, 194, 16, 133, 32, 148, 1}

var (
	piInv      [256]byte
	roundConst [32]block      // C_i = L(Vec128(i)), i = 1…32
	tabLS      [16][256]block // tabLS[i][v] = L(block with π(v) at byte i, zero elsewhere)
	tabInvL    [16][256]block // tabInvL[i][v] = L⁻¹(block with v at byte i)
	tabInvLS   [16][256]block // tabInvLS[i][v] = L⁻¹(block with π⁻¹(v) at byte i)
)

// gfMul multiplies in GF(2⁸) modulo p(x) = x⁸+x⁷+x⁶+x+1 (4.1.2).
func gfMul(a, b byte) byte {
	var r byte
	for b != 0 {
		if b&1 != 0 {
			r ^= a
		}
		hi := a & 0x80
		a <<= 1
		if hi != 0 {
			a ^= 0xc3 // x⁸ = x⁷+x⁶+x+1
		}
		b >>= 1
	}
	return r
}

// ell is ℓ(a15,…,a0) over bytes 0…15 of v.
func ell(v *[16]byte) byte {
	var r byte
	for i, c := range lcoef {
		r ^= gfMul(v[i], c)
	}
	return r
}

// linear applies L = R¹⁶ (R shifts the bytes towards a0 and puts ℓ in a15).
func linear(v [16]byte) [16]byte {
	for r := 0; r < 16; r++ {
		l := ell(&v)
		copy(v[1:], v[:15])
		v[0] = l
	}
	return v
}

// linearInverse applies L⁻¹ = (R⁻¹)¹⁶, R⁻¹(a15…a0) = a14…a0||ℓ(a14,…,a0,a15).
func linearInverse(v [16]byte) [16]byte {
	for r := 0; r < 16; r++ {
		a15 := v[0]
		copy(v[:15], v[1:])
		v[15] = a15
		v[15] = ell(&v)
	}
	return v
}

// init builds the tables. L is linear over GF(2⁸) (ℓ is a GF(2⁸)-linear
// form and R moves bytes), so L(v·e_i) = v·L(e_i) byte by byte: only the 16
// unit vectors go through L and L⁻¹, every table entry is 16 multiplications.
func init() {
	for i, p := range pi {
		piInv[p] = byte(i)
	}
	for i := 0; i < 16; i++ {
		var e [16]byte
		e[i] = 1
		l, li := linear(e), linearInverse(e)
		for v := 0; v < 256; v++ {
			tabLS[i][v] = scale(&l, pi[v])
			tabInvL[i][v] = scale(&li, byte(v))
			tabInvLS[i][v] = scale(&li, piInv[v])
		}
	}
	for i := range roundConst {
		var v [16]byte
		v[15] = byte(i + 1)
		l := linear(v)
		roundConst[i] = load(l[:])
	}
}

// scale returns the block u·v, each byte multiplied by v in GF(2⁸).
func scale(u *[16]byte, v byte) block {
	var b [16]byte
	for j := range b {
		b[j] = gfMul(u[j], v)
	}
	return load(b[:])
}
