package gost3410

import (
	"encoding/asn1"
	"fmt"
	"math/big"
)

// Curve is a GOST R 34.10 parameter set: the curve y^2 = x^3 + ax + b over
// GF(P), the base point (X, Y) of prime order Q and the cofactor.
// The twisted Edwards parameter sets (TC26 256-A, 512-C) are given by the
// Weierstrass form that RFC 7836 lists for them; signatures are the same.
type Curve struct {
	Name     string                // e.g. "id-tc26-gost-3410-2012-256-paramSetB"
	OID      asn1.ObjectIdentifier // the parameter set's OID
	P, A, B  *big.Int
	Q        *big.Int // order of the base point
	X, Y     *big.Int // base point
	Cofactor int

	g *group
}

// Size returns the size in bytes of a coordinate, of a private key, of the
// digest (32 or 64) and of each half of a signature.
func (c *Curve) Size() int { return c.g.size }

// BitSize returns 256 or 512.
func (c *Curve) BitSize() int { return c.g.size * 8 }

func (c *Curve) String() string { return c.Name }

// SameCurve reports whether c and d have the same curve and base point
// (e.g. CryptoPro-A and CryptoPro-XchA, which differ only in their OIDs).
func (c *Curve) SameCurve(d *Curve) bool {
	return c == d || (d != nil && c.g == d.g)
}

func hexInt(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("gost3410: bad constant " + s)
	}
	return v
}

type curveDef struct {
	name       string
	oid        asn1.ObjectIdentifier
	p, a, b, q string
	x, y       string
	cofactor   int
	size       int
	sameAs     string // name of a set with identical parameters
}

// Parameter sets: RFC 4357 (CryptoPro, 2001 test set), RFC 7836 (TC26),
// GOST R 34.10-2012 appendix A.2 (512-bit test set). The TC26 256-B..D sets
// are the CryptoPro A..C curves under new OIDs.
var curveDefs = []curveDef{
	{name: "id-GostR3410-2001-TestParamSet", oid: oid(1, 2, 643, 2, 2, 35, 0), size: 32, cofactor: 1,
		p: "8000000000000000000000000000000000000000000000000000000000000431",
		a: "7",
		b: "5fbff498aa938ce739b8e022fbafef40563f6e6a3472fc2a514c0ce9dae23b7e",
		q: "8000000000000000000000000000000150fe8a1892976154c59cfc193accf5b3",
		x: "2",
		y: "08e2a8a0e65147d4bd6316030e16d19c85c97f0a9ca267122b96abbcea7e8fc8"},
	{name: "id-GostR3410-2001-CryptoPro-A-ParamSet", oid: oid(1, 2, 643, 2, 2, 35, 1), size: 32, cofactor: 1,
		p: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd97",
		a: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd94",
		b: "a6",
		q: "ffffffffffffffffffffffffffffffff6c611070995ad10045841b09b761b893",
		x: "1",
		y: "8d91e471e0989cda27df505a453f2b7635294f2ddf23e3b122acc99c9e9f1e14"},
	{name: "id-GostR3410-2001-CryptoPro-B-ParamSet", oid: oid(1, 2, 643, 2, 2, 35, 2), size: 32, cofactor: 1,
		p: "8000000000000000000000000000000000000000000000000000000000000c99",
		a: "8000000000000000000000000000000000000000000000000000000000000c96",
		b: "3e1af419a269a5f866a7d3c25c3df80ae979259373ff2b182f49d4ce7e1bbc8b",
		q: "800000000000000000000000000000015f700cfff1a624e5e497161bcc8a198f",
		x: "1",
		y: "3fa8124359f96680b83d1c3eb2c070e5c545c9858d03ecfb744bf8d717717efc"},
	{name: "id-GostR3410-2001-CryptoPro-C-ParamSet", oid: oid(1, 2, 643, 2, 2, 35, 3), size: 32, cofactor: 1,
		p: "9b9f605f5a858107ab1ec85e6b41c8aacf846e86789051d37998f7b9022d759b",
		a: "9b9f605f5a858107ab1ec85e6b41c8aacf846e86789051d37998f7b9022d7598",
		b: "805a",
		q: "9b9f605f5a858107ab1ec85e6b41c8aa582ca3511eddfb74f02f3a6598980bb9",
		x: "0",
		y: "41ece55743711a8c3cbf3783cd08c0ee4d4dc440d4641a8f366e550dfdb3bb67"},
	{name: "id-GostR3410-2001-CryptoPro-XchA-ParamSet", oid: oid(1, 2, 643, 2, 2, 36, 0), sameAs: "id-GostR3410-2001-CryptoPro-A-ParamSet"},
	{name: "id-GostR3410-2001-CryptoPro-XchB-ParamSet", oid: oid(1, 2, 643, 2, 2, 36, 1), sameAs: "id-GostR3410-2001-CryptoPro-C-ParamSet"},
	{name: "id-tc26-gost-3410-2012-256-paramSetA", oid: oid(1, 2, 643, 7, 1, 2, 1, 1, 1), size: 32, cofactor: 4,
		p: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd97",
		a: "c2173f1513981673af4892c23035a27ce25e2013bf95aa33b22c656f277e7335",
		b: "295f9bae7428ed9ccc20e7c359a9d41a22fccd9108e17bf7ba9337a6f8ae9513",
		q: "400000000000000000000000000000000fd8cddfc87b6635c115af556c360c67",
		x: "91e38443a5e82c0d880923425712b2bb658b9196932e02c78b2582fe742daa28",
		y: "32879423ab1a0375895786c4bb46e9565fde0b5344766740af268adb32322e5c"},
	{name: "id-tc26-gost-3410-2012-256-paramSetB", oid: oid(1, 2, 643, 7, 1, 2, 1, 1, 2), sameAs: "id-GostR3410-2001-CryptoPro-A-ParamSet"},
	{name: "id-tc26-gost-3410-2012-256-paramSetC", oid: oid(1, 2, 643, 7, 1, 2, 1, 1, 3), sameAs: "id-GostR3410-2001-CryptoPro-B-ParamSet"},
	{name: "id-tc26-gost-3410-2012-256-paramSetD", oid: oid(1, 2, 643, 7, 1, 2, 1, 1, 4), sameAs: "id-GostR3410-2001-CryptoPro-C-ParamSet"},
	{name: "id-tc26-gost-3410-2012-512-paramSetTest", oid: oid(1, 2, 643, 7, 1, 2, 1, 2, 0), size: 64, cofactor: 1,
		p: "4531acd1fe0023c7550d267b6b2fee80922b14b2ffb90f04d4eb7c09b5d2d15df1d852741af4704a0458047e80e4546d35b8336fac224dd81664bbf528be6373",
		a: "7",
		b: "1cff0806a31116da29d8cfa54e57eb748bc5f377e49400fdd788b649eca1ac4361834013b2ad7322480a89ca58e0cf74bc9e540c2add6897fad0a3084f302adc",
		q: "4531acd1fe0023c7550d267b6b2fee80922b14b2ffb90f04d4eb7c09b5d2d15da82f2d7ecb1dbac719905c5eecc423f1d86e25edbe23c595d644aaf187e6e6df",
		x: "24d19cc64572ee30f396bf6ebbfd7a6c5213b3b3d7057cc825f91093a68cd762fd60611262cd838dc6b60aa7eee804e28bc849977fac33b4b530f1b120248a9a",
		y: "2bb312a43bd2ce6e0d020613c857acddcfbf061e91e5f2c3f32447c259f39b2c83ab156d77f1496bf7eb3351e1ee4e43dc1a18b91b24640b6dbb92cb1add371e"},
	{name: "id-tc26-gost-3410-12-512-paramSetA", oid: oid(1, 2, 643, 7, 1, 2, 1, 2, 1), size: 64, cofactor: 1,
		p: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffdc7",
		a: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffdc4",
		b: "e8c2505dedfc86ddc1bd0b2b6667f1da34b82574761cb0e879bd081cfd0b6265ee3cb090f30d27614cb4574010da90dd862ef9d4ebee4761503190785a71c760",
		q: "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff27e69532f48d89116ff22b8d4e0560609b4b38abfad2b85dcacdb1411f10b275",
		x: "3",
		y: "7503cfe87a836ae3a61b8816e25450e6ce5e1c93acf1abc1778064fdcbefa921df1626be4fd036e93d75e6a50e3a41e98028fe5fc235f5b889a589cb5215f2a4"},
	{name: "id-tc26-gost-3410-12-512-paramSetB", oid: oid(1, 2, 643, 7, 1, 2, 1, 2, 2), size: 64, cofactor: 1,
		p: "8000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006f",
		a: "8000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006c",
		b: "687d1b459dc841457e3e06cf6f5e2517b97c7d614af138bcbf85dc806c4b289f3e965d2db1416d217f8b276fad1ab69c50f78bee1fa3106efb8ccbc7c5140116",
		q: "800000000000000000000000000000000000000000000000000000000000000149a1ec142565a545acfdb77bd9d40cfa8b996712101bea0ec6346c54374f25bd",
		x: "2",
		y: "1a8f7eda389b094c2c071e3647a8940f3c123b697578c213be6dd9e6c8ec7335dcb228fd1edf4a39152cbcaaf8c0398828041055f94ceeec7e21340780fe41bd"},
	{name: "id-tc26-gost-3410-2012-512-paramSetC", oid: oid(1, 2, 643, 7, 1, 2, 1, 2, 3), size: 64, cofactor: 4,
		p: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffdc7",
		a: "dc9203e514a721875485a529d2c722fb187bc8980eb866644de41c68e143064546e861c0e2c9edd92ade71f46fcf50ff2ad97f951fda9f2a2eb6546f39689bd3",
		b: "b4c4ee28cebc6c2c8ac12952cf37f16ac7efb6a9f69f4b57ffda2e4f0de5ade038cbc2fff719d2c18de0284b8bfef3b52b8cc7a5f5bf0a3c8d2319a5312557e1",
		q: "3fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc98cdba46506ab004c33a9ff5147502cc8eda9e7a769a12694623cef47f023ed",
		x: "e2e31edfc23de7bdebe241ce593ef5de2295b7a9cbaef021d385f7074cea043aa27272a7ae602bf2a7b9033db9ed3610c6fb85487eae97aac5bc7928c1950148",
		y: "f5ce40d95b5eb899abbccff5911cb8577939804d6527378b8c108c3d2090ff9be18e2d33e3021ed2ef32d85822423b6304f726aa854bae07d0396e9a9addc40f"},
}

func oid(a ...int) asn1.ObjectIdentifier { return asn1.ObjectIdentifier(a) }

var (
	curves []*Curve
	byName = map[string]*Curve{}
)

func init() {
	for _, d := range curveDefs {
		var c *Curve
		if d.sameAs != "" {
			src := byName[d.sameAs]
			cc := *src
			c = &cc
		} else {
			c = &Curve{P: hexInt(d.p), A: hexInt(d.a), B: hexInt(d.b), Q: hexInt(d.q),
				X: hexInt(d.x), Y: hexInt(d.y), Cofactor: d.cofactor}
			c.g = newGroup(c, d.size)
		}
		c.Name, c.OID = d.name, d.oid
		curves = append(curves, c)
		byName[d.name] = c
	}
}

func newGroup(c *Curve, size int) *group {
	n := size / 8
	g := &group{fp: newField(c.P, n), fq: newField(c.Q, n), size: size}
	for _, v := range []struct {
		dst *fe
		src *big.Int
	}{{&g.a, c.A}, {&g.b, c.B}, {&g.b3, new(big.Int).Mod(new(big.Int).Mul(c.B, big.NewInt(3)), c.P)},
		{&g.gen.x, c.X}, {&g.gen.y, c.Y}} {
		raw := feFromBig(v.src)
		g.fp.toMont(v.dst, &raw)
	}
	g.gen.z = g.fp.one
	g.aM3 = new(big.Int).Mod(new(big.Int).Add(c.A, big.NewInt(3)), c.P).Sign() == 0
	return g
}

// Curves returns every supported parameter set (test sets included).
func Curves() []*Curve { return append([]*Curve(nil), curves...) }

// CurveByOID returns the parameter set with this OID, or nil.
func CurveByOID(id asn1.ObjectIdentifier) *Curve {
	for _, c := range curves {
		if c.OID.Equal(id) {
			return c
		}
	}
	return nil
}

// CurveByName returns the parameter set with this name (as in RFC 4357 /
// RFC 7836, e.g. "id-tc26-gost-3410-2012-256-paramSetA"), or nil.
func CurveByName(name string) *Curve { return byName[name] }

func mustCurve(name string) *Curve {
	c := byName[name]
	if c == nil {
		panic(fmt.Sprintf("gost3410: no curve %s", name))
	}
	return c
}

// The standard parameter sets.
func CurveTest256() *Curve       { return mustCurve("id-GostR3410-2001-TestParamSet") }
func CurveCryptoProA() *Curve    { return mustCurve("id-GostR3410-2001-CryptoPro-A-ParamSet") }
func CurveCryptoProB() *Curve    { return mustCurve("id-GostR3410-2001-CryptoPro-B-ParamSet") }
func CurveCryptoProC() *Curve    { return mustCurve("id-GostR3410-2001-CryptoPro-C-ParamSet") }
func CurveCryptoProXchA() *Curve { return mustCurve("id-GostR3410-2001-CryptoPro-XchA-ParamSet") }
func CurveCryptoProXchB() *Curve { return mustCurve("id-GostR3410-2001-CryptoPro-XchB-ParamSet") }
func CurveTC26256A() *Curve      { return mustCurve("id-tc26-gost-3410-2012-256-paramSetA") }
func CurveTC26256B() *Curve      { return mustCurve("id-tc26-gost-3410-2012-256-paramSetB") }
func CurveTC26256C() *Curve      { return mustCurve("id-tc26-gost-3410-2012-256-paramSetC") }
func CurveTC26256D() *Curve      { return mustCurve("id-tc26-gost-3410-2012-256-paramSetD") }
func CurveTest512() *Curve       { return mustCurve("id-tc26-gost-3410-2012-512-paramSetTest") }
func CurveTC26512A() *Curve      { return mustCurve("id-tc26-gost-3410-12-512-paramSetA") }
func CurveTC26512B() *Curve      { return mustCurve("id-tc26-gost-3410-12-512-paramSetB") }
func CurveTC26512C() *Curve      { return mustCurve("id-tc26-gost-3410-2012-512-paramSetC") }
