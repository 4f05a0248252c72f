//go:build !amd64 || purego

package gost3410

// useADX is false: the field kinds that name the assembly are never chosen,
// and these stand in for it.
const useADX = false

const useAVX2 = false

func lookup4AVX2(out *[16]uint64, row *uint64, idx uint64) { panic("unreachable") }
func lookup8AVX2(out *[16]uint64, row *uint64, idx uint64) { panic("unreachable") }

func mulP4ADX(z, x, y *fe, c uint64) { mulP4Generic(z, x, y, c) }
func sqrP4ADX(z, x *fe, c uint64)    { sqrP4Generic(z, x, c) }
func mulP8ADX(z, x, y *fe, c uint64) { mulP8Generic(z, x, y, c) }
func sqrP8ADX(z, x *fe, c uint64)    { sqrP8Generic(z, x, c) }

func mulP4(z, x, y *fe, c uint64) { mulP4Generic(z, x, y, c) }
func sqrP4(z, x *fe, c uint64)    { sqrP4Generic(z, x, c) }
func mulP8(z, x, y *fe, c uint64) { mulP8Generic(z, x, y, c) }
func sqrP8(z, x *fe, c uint64)    { sqrP8Generic(z, x, c) }

func add4(z, x, y, m *fe) { add4Generic(z, x, y, m) }
func sub4(z, x, y, m *fe) { sub4Generic(z, x, y, m) }
func add8(z, x, y, m *fe) { add8Generic(z, x, y, m) }
func sub8(z, x, y, m *fe) { sub8Generic(z, x, y, m) }
