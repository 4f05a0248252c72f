//go:build amd64 && !purego

package gost3410

import "golang.org/x/sys/cpu"

//go:generate go run gen_field_amd64.go

// useADX selects the MULX/ADCX/ADOX assembly (field_amd64.s); without BMI2
// and ADX the pure-Go code runs.
var useADX = cpu.X86.HasBMI2 && cpu.X86.HasADX

// useAVX2 selects the AVX2 table lookup.
var useAVX2 = cpu.X86.HasAVX2

//go:noescape
func lookup4AVX2(out *[16]uint64, row *uint64, idx uint64)

//go:noescape
func lookup8AVX2(out *[16]uint64, row *uint64, idx uint64)

//go:noescape
func add4Asm(z, x, y, m *fe)

//go:noescape
func sub4Asm(z, x, y, m *fe)

//go:noescape
func add8Asm(z, x, y, m *fe)

//go:noescape
func sub8Asm(z, x, y, m *fe)

func add4(z, x, y, m *fe) { add4Asm(z, x, y, m) }
func sub4(z, x, y, m *fe) { sub4Asm(z, x, y, m) }
func add8(z, x, y, m *fe) { add8Asm(z, x, y, m) }
func sub8(z, x, y, m *fe) { sub8Asm(z, x, y, m) }

//go:noescape
func mulP4ADX(z, x, y *fe, c uint64)

//go:noescape
func sqrP4ADX(z, x *fe, c uint64)

//go:noescape
func mulP8ADX(z, x, y *fe, c uint64)

//go:noescape
func sqrP8ADX(z, x *fe, c uint64)

// mulP4 and the like run the assembly where the CPU has BMI2 and ADX
// (tests use them; the field picks its kind once).
func mulP4(z, x, y *fe, c uint64) {
	if useADX {
		mulP4ADX(z, x, y, c)
	} else {
		mulP4Generic(z, x, y, c)
	}
}

func sqrP4(z, x *fe, c uint64) {
	if useADX {
		sqrP4ADX(z, x, c)
	} else {
		sqrP4Generic(z, x, c)
	}
}

func mulP8(z, x, y *fe, c uint64) {
	if useADX {
		mulP8ADX(z, x, y, c)
	} else {
		mulP8Generic(z, x, y, c)
	}
}

func sqrP8(z, x *fe, c uint64) {
	if useADX {
		sqrP8ADX(z, x, c)
	} else {
		sqrP8Generic(z, x, c)
	}
}
