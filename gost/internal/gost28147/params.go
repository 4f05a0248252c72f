package gost28147

import (
	"encoding/asn1"
	"sync"
)

// ParamSet is a named parameter set of GOST 28147-89 (RFC 4357 section
// 10.3 and 11.1, RFC 7836 section 3.1 for param-Z): the S-box and whether
// the CryptoPro key meshing (RFC 4357 section 2.3.2) applies to CFB and CNT.
// The modes of the encrypted-key formats read the set named by the
// encryption parameters' OID.
type ParamSet struct {
	Name    string
	OID     asn1.ObjectIdentifier
	SBox    *SBox
	Meshing bool

	once sync.Once
	c    *Cipher
}

// cipher returns the expanded S-box, built on first use.
func (p *ParamSet) cipher() *Cipher {
	p.once.Do(func() { p.c = New(p.SBox) })
	return p.c
}

// The S-boxes: row i substitutes nibble i of the round word, i = 0 the
// least significant nibble (the standard's K1). Values of RFC 4357
// section 11.1 and RFC 7836 (param-Z = the S-box of GOST R 34.12-2015).
var (
	sboxTestParams = SBox{
		{4, 2, 15, 5, 9, 1, 0, 8, 14, 3, 11, 12, 13, 7, 10, 6},
		{12, 9, 15, 14, 8, 1, 3, 10, 2, 7, 4, 13, 6, 0, 11, 5},
		{13, 8, 14, 12, 7, 3, 9, 10, 1, 5, 2, 4, 6, 15, 0, 11},
		{14, 9, 11, 2, 5, 15, 7, 1, 0, 13, 12, 6, 10, 4, 3, 8},
		{3, 14, 5, 9, 6, 8, 0, 13, 10, 11, 7, 12, 2, 1, 15, 4},
		{8, 15, 6, 11, 1, 9, 12, 5, 13, 3, 7, 10, 0, 14, 2, 4},
		{9, 11, 12, 0, 3, 6, 7, 5, 4, 8, 14, 15, 1, 10, 2, 13},
		{12, 6, 5, 2, 11, 0, 9, 13, 3, 14, 7, 10, 15, 4, 1, 8},
	}
	sboxCryptoProA = SBox{
		{9, 6, 3, 2, 8, 11, 1, 7, 10, 4, 14, 15, 12, 0, 13, 5},
		{3, 7, 14, 9, 8, 10, 15, 0, 5, 2, 6, 12, 11, 4, 13, 1},
		{14, 4, 6, 2, 11, 3, 13, 8, 12, 15, 5, 10, 0, 7, 1, 9},
		{14, 7, 10, 12, 13, 1, 3, 9, 0, 2, 11, 4, 15, 8, 5, 6},
		{11, 5, 1, 9, 8, 13, 15, 0, 14, 4, 2, 3, 12, 7, 10, 6},
		{3, 10, 13, 12, 1, 2, 0, 11, 7, 5, 9, 4, 8, 15, 14, 6},
		{1, 13, 2, 9, 7, 10, 6, 0, 8, 12, 4, 5, 15, 3, 11, 14},
		{11, 10, 15, 5, 0, 12, 14, 8, 6, 2, 3, 9, 1, 7, 13, 4},
	}
	sboxCryptoProB = SBox{
		{8, 4, 11, 1, 3, 5, 0, 9, 2, 14, 10, 12, 13, 6, 7, 15},
		{0, 1, 2, 10, 4, 13, 5, 12, 9, 7, 3, 15, 11, 8, 6, 14},
		{14, 12, 0, 10, 9, 2, 13, 11, 7, 5, 8, 15, 3, 6, 1, 4},
		{7, 5, 0, 13, 11, 6, 1, 2, 3, 10, 12, 15, 4, 14, 9, 8},
		{2, 7, 12, 15, 9, 5, 10, 11, 1, 4, 0, 13, 6, 8, 14, 3},
		{8, 3, 2, 6, 4, 13, 14, 11, 12, 1, 7, 15, 10, 0, 9, 5},
		{5, 2, 10, 11, 9, 1, 12, 3, 7, 4, 13, 0, 6, 15, 8, 14},
		{0, 4, 11, 14, 8, 3, 7, 1, 10, 2, 9, 6, 15, 13, 5, 12},
	}
	sboxCryptoProC = SBox{
		{1, 11, 12, 2, 9, 13, 0, 15, 4, 5, 8, 14, 10, 7, 6, 3},
		{0, 1, 7, 13, 11, 4, 5, 2, 8, 14, 15, 12, 9, 10, 6, 3},
		{8, 2, 5, 0, 4, 9, 15, 10, 3, 7, 12, 13, 6, 14, 1, 11},
		{3, 6, 0, 1, 5, 13, 10, 8, 11, 2, 9, 7, 14, 15, 12, 4},
		{8, 13, 11, 0, 4, 5, 1, 2, 9, 3, 12, 14, 6, 15, 10, 7},
		{12, 9, 11, 1, 8, 14, 2, 4, 7, 3, 6, 5, 10, 0, 15, 13},
		{10, 9, 6, 8, 13, 14, 2, 0, 15, 3, 5, 11, 4, 1, 12, 7},
		{7, 4, 0, 5, 10, 2, 15, 14, 12, 6, 1, 11, 13, 9, 3, 8},
	}
	sboxCryptoProD = SBox{
		{15, 12, 2, 10, 6, 4, 5, 0, 7, 9, 14, 13, 1, 11, 8, 3},
		{11, 6, 3, 4, 12, 15, 14, 2, 7, 13, 8, 0, 5, 10, 9, 1},
		{1, 12, 11, 0, 15, 14, 6, 5, 10, 13, 4, 8, 9, 3, 7, 2},
		{1, 5, 14, 12, 10, 7, 0, 13, 6, 2, 11, 4, 9, 3, 15, 8},
		{0, 12, 8, 9, 13, 2, 10, 11, 7, 3, 6, 5, 4, 14, 15, 1},
		{8, 0, 15, 3, 2, 5, 14, 11, 1, 10, 4, 7, 12, 9, 13, 6},
		{3, 0, 6, 15, 1, 14, 9, 2, 13, 8, 12, 4, 11, 10, 5, 7},
		{1, 10, 6, 8, 15, 11, 0, 4, 12, 3, 5, 9, 7, 13, 2, 14},
	}
	sboxZ = SBox{
		{12, 4, 6, 2, 10, 5, 11, 9, 14, 8, 13, 7, 0, 3, 15, 1},
		{6, 8, 2, 3, 9, 10, 5, 12, 1, 14, 4, 7, 11, 13, 0, 15},
		{11, 3, 5, 8, 2, 15, 10, 13, 14, 1, 7, 4, 12, 9, 6, 0},
		{12, 8, 2, 1, 13, 4, 15, 6, 7, 0, 10, 5, 3, 14, 9, 11},
		{7, 15, 5, 10, 8, 1, 6, 13, 0, 9, 3, 14, 11, 4, 2, 12},
		{5, 13, 15, 6, 9, 2, 12, 10, 11, 7, 8, 1, 4, 3, 14, 0},
		{8, 14, 2, 5, 6, 9, 1, 12, 15, 4, 11, 0, 13, 10, 3, 7},
		{1, 7, 14, 13, 0, 5, 8, 3, 4, 15, 10, 6, 9, 12, 11, 2},
	}
)

// The named parameter sets. The test set has no key meshing (RFC 4357
// section 10.3: id-Gost28147-89-None-KeyMeshing); the CryptoPro sets and
// TC26 param-Z use the CryptoPro key meshing.
var (
	ParamSetTest       = &ParamSet{Name: "id-Gost28147-89-TestParamSet", OID: asn1.ObjectIdentifier{1, 2, 643, 2, 2, 31, 0}, SBox: &sboxTestParams}
	ParamSetCryptoProA = &ParamSet{Name: "id-Gost28147-89-CryptoPro-A-ParamSet", OID: asn1.ObjectIdentifier{1, 2, 643, 2, 2, 31, 1}, SBox: &sboxCryptoProA, Meshing: true}
	ParamSetCryptoProB = &ParamSet{Name: "id-Gost28147-89-CryptoPro-B-ParamSet", OID: asn1.ObjectIdentifier{1, 2, 643, 2, 2, 31, 2}, SBox: &sboxCryptoProB, Meshing: true}
	ParamSetCryptoProC = &ParamSet{Name: "id-Gost28147-89-CryptoPro-C-ParamSet", OID: asn1.ObjectIdentifier{1, 2, 643, 2, 2, 31, 3}, SBox: &sboxCryptoProC, Meshing: true}
	ParamSetCryptoProD = &ParamSet{Name: "id-Gost28147-89-CryptoPro-D-ParamSet", OID: asn1.ObjectIdentifier{1, 2, 643, 2, 2, 31, 4}, SBox: &sboxCryptoProD, Meshing: true}
	ParamSetZ          = &ParamSet{Name: "id-tc26-gost-28147-param-Z", OID: asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 5, 1, 1}, SBox: &sboxZ, Meshing: true}
)

// ParamSets returns every named parameter set.
func ParamSets() []*ParamSet {
	return []*ParamSet{ParamSetZ, ParamSetCryptoProA, ParamSetCryptoProB, ParamSetCryptoProC, ParamSetCryptoProD, ParamSetTest}
}

// ParamSetByOID returns the parameter set with that OID, or nil.
func ParamSetByOID(oid asn1.ObjectIdentifier) *ParamSet {
	for _, p := range ParamSets() {
		if p.OID.Equal(oid) {
			return p
		}
	}
	return nil
}
