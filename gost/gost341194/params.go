package gost341194

import (
	"encoding/asn1"

	"github.com/mezhved/mezhved/gost/internal/gost28147"
)

// ParamSet is a parameter set of GOST R 34.11-94: the S-box of the
// GOST 28147-89 step cipher (the start vector is zero in both sets).
type ParamSet struct {
	Name string
	OID  asn1.ObjectIdentifier
	c    *gost28147.Cipher
}

// OIDs of the parameter sets (RFC 4357 sections 10.2, 11.2).
var (
	OIDTestParamSet      = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 30, 0}
	OIDCryptoProParamSet = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 30, 1}
)

// sboxTest is id-GostR3411-94-TestParamSet (the standard's appendix A,
// RFC 5831 section 7.3.1). Row i substitutes nibble i, i = 0 least significant.
var sboxTest = gost28147.SBox{
	{4, 10, 9, 2, 13, 8, 0, 14, 6, 11, 1, 12, 7, 15, 5, 3},
	{14, 11, 4, 12, 6, 13, 15, 10, 2, 3, 8, 1, 0, 7, 5, 9},
	{5, 8, 1, 13, 10, 3, 4, 2, 14, 15, 12, 7, 6, 0, 9, 11},
	{7, 13, 10, 1, 0, 8, 9, 15, 14, 4, 6, 12, 11, 2, 5, 3},
	{6, 12, 7, 1, 5, 15, 13, 8, 4, 10, 9, 14, 0, 3, 11, 2},
	{4, 11, 10, 0, 7, 2, 1, 13, 3, 6, 8, 5, 9, 12, 15, 14},
	{13, 11, 4, 1, 3, 15, 5, 9, 0, 10, 14, 7, 6, 8, 2, 12},
	{1, 15, 13, 0, 5, 7, 10, 4, 9, 2, 3, 14, 6, 11, 8, 12},
}

// sboxCryptoPro is id-GostR3411-94-CryptoProParamSet (RFC 4357 section 11.2).
var sboxCryptoPro = gost28147.SBox{
	{10, 4, 5, 6, 8, 1, 3, 7, 13, 12, 14, 0, 9, 2, 11, 15},
	{5, 15, 4, 0, 2, 13, 11, 9, 1, 7, 6, 3, 12, 14, 10, 8},
	{7, 15, 12, 14, 9, 4, 1, 0, 3, 11, 5, 2, 6, 10, 8, 13},
	{4, 10, 7, 12, 0, 15, 2, 8, 14, 1, 6, 5, 13, 11, 9, 3},
	{7, 6, 4, 11, 9, 12, 2, 10, 1, 8, 0, 14, 15, 13, 3, 5},
	{7, 6, 2, 4, 13, 9, 15, 0, 10, 1, 5, 11, 8, 14, 12, 3},
	{13, 14, 4, 1, 7, 0, 5, 10, 3, 12, 8, 15, 6, 2, 9, 11},
	{1, 3, 10, 9, 5, 11, 4, 15, 8, 6, 7, 14, 13, 0, 2, 12},
}

var (
	paramTest      = &ParamSet{Name: "id-GostR3411-94-TestParamSet", OID: OIDTestParamSet, c: gost28147.New(&sboxTest)}
	paramCryptoPro = &ParamSet{Name: "id-GostR3411-94-CryptoProParamSet", OID: OIDCryptoProParamSet, c: gost28147.New(&sboxCryptoPro)}
)

// ParamSetCryptoPro returns id-GostR3411-94-CryptoProParamSet
// (1.2.643.2.2.30.1), the set of GOST R 34.10-2001 signatures, certificates,
// XMLDSig "gostr3411" and OpenSSL's md_gost94.
func ParamSetCryptoPro() *ParamSet { return paramCryptoPro }

// ParamSetTest returns id-GostR3411-94-TestParamSet (1.2.643.2.2.30.0), the
// set of the standard's and RFC 5831's examples; not used in practice.
func ParamSetTest() *ParamSet { return paramTest }

// ParamSetByOID returns the parameter set with that OID, or nil.
func ParamSetByOID(oid asn1.ObjectIdentifier) *ParamSet {
	for _, p := range []*ParamSet{paramCryptoPro, paramTest} {
		if p.OID.Equal(oid) {
			return p
		}
	}
	return nil
}
