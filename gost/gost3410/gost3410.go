package gost3410

import (
	"crypto"
	"errors"
	"hash"
	"io"
	"math/big"
	"math/bits"

	"github.com/mezhved/mezhved/gost/streebog"
)

// PublicKey is a GOST R 34.10-2012 public key: the point (X, Y).
type PublicKey struct {
	Curve *Curve
	X, Y  *big.Int
}

// PrivateKey is a GOST R 34.10-2012 private key. It implements
// crypto.Signer; Sign takes the Streebog digest of the message.
type PrivateKey struct {
	PublicKey
	d  fe // the key as little-endian limbs
	dm fe // d in Montgomery form mod q
}

// NewHash returns the Streebog hash that goes with the curve: 256 for
// 256-bit curves, 512 for 512-bit curves.
func (c *Curve) NewHash() hash.Hash { return streebog.New(c.Size()) }

func reverse(b []byte) []byte {
	out := make([]byte, len(b))
	for i := range b {
		out[len(b)-1-i] = b[i]
	}
	return out
}

func leToBig(b []byte) *big.Int { return new(big.Int).SetBytes(reverse(b)) }

func bigToLE(x *big.Int, size int) []byte {
	buf := make([]byte, size)
	x.FillBytes(buf)
	return reverse(buf)
}

// NewPublicKey checks that (x, y) is a point of the curve (not the neutral
// element, coordinates reduced) and returns the key.
func NewPublicKey(c *Curve, x, y *big.Int) (*PublicKey, error) {
	if c == nil || c.g == nil || x == nil || y == nil {
		return nil, errors.New("gost3410: unknown curve or nil coordinate")
	}
	if x.Sign() < 0 || y.Sign() < 0 || x.Cmp(c.P) >= 0 || y.Cmp(c.P) >= 0 {
		return nil, errors.New("gost3410: public key coordinate out of range")
	}
	g := c.g
	var xm, ym fe
	xr, yr := feFromBig(x), feFromBig(y)
	g.fp.toMont(&xm, &xr)
	g.fp.toMont(&ym, &yr)
	if !g.onCurve(&xm, &ym) {
		return nil, errors.New("gost3410: public key is not on the curve")
	}
	return &PublicKey{Curve: c, X: new(big.Int).Set(x), Y: new(big.Int).Set(y)}, nil
}

// NewPublicKeyLE reads a public key as certificates carry it (RFC 4491,
// RFC 9215): little-endian X then little-endian Y, 2·Size bytes in all.
func NewPublicKeyLE(c *Curve, raw []byte) (*PublicKey, error) {
	if c == nil || c.g == nil {
		return nil, errors.New("gost3410: unknown curve")
	}
	if len(raw) != 2*c.Size() {
		return nil, errors.New("gost3410: public key must be 2×coordinate size bytes")
	}
	return NewPublicKey(c, leToBig(raw[:c.Size()]), leToBig(raw[c.Size():]))
}

// RawLE returns LE(X) ‖ LE(Y), the form certificates carry.
func (pub *PublicKey) RawLE() []byte {
	n := pub.Curve.Size()
	return append(bigToLE(pub.X, n), bigToLE(pub.Y, n)...)
}

// Equal reports whether pub and x are the same key on the same curve.
func (pub *PublicKey) Equal(x crypto.PublicKey) bool {
	o, ok := x.(*PublicKey)
	return ok && pub.Curve.SameCurve(o.Curve) && pub.X.Cmp(o.X) == 0 && pub.Y.Cmp(o.Y) == 0
}

// GenerateKey makes a private key with d uniform in [1, q-1].
func GenerateKey(c *Curve, rand io.Reader) (*PrivateKey, error) {
	if c == nil || c.g == nil {
		return nil, errors.New("gost3410: unknown curve")
	}
	d, err := randScalar(c.g, rand)
	if err != nil {
		return nil, err
	}
	return newPrivateKey(c, &d), nil
}

// NewPrivateKey returns the key for the integer d, 0 < d < q.
func NewPrivateKey(c *Curve, d *big.Int) (*PrivateKey, error) {
	if c == nil || c.g == nil || d == nil || d.Sign() <= 0 || d.Cmp(c.Q) >= 0 {
		return nil, errors.New("gost3410: private key out of range")
	}
	dl := feFromBig(d)
	return newPrivateKey(c, &dl), nil
}

// NewPrivateKeyLE reads the private key as a little-endian integer of
// Size bytes (as the GOST engine and PKCS#8 carry it). Values ≥ q are
// rejected, not reduced.
func NewPrivateKeyLE(c *Curve, raw []byte) (*PrivateKey, error) {
	if c == nil || c.g == nil || len(raw) != c.Size() {
		return nil, errors.New("gost3410: private key must be the curve's size")
	}
	return NewPrivateKey(c, leToBig(raw))
}

func newPrivateKey(c *Curve, d *fe) *PrivateKey {
	g := c.g
	k := &PrivateKey{d: *d}
	g.fq.toMont(&k.dm, d)
	var p point
	g.scalarBaseMult(&p, d)
	x, y := g.affine(&p)
	g.fp.fromMont(&x, &x)
	g.fp.fromMont(&y, &y)
	k.PublicKey = PublicKey{Curve: c, X: g.fp.toBig(&x), Y: g.fp.toBig(&y)}
	return k
}

// PrivateRawLE returns the private key as a little-endian integer of Size bytes.
func (priv *PrivateKey) PrivateRawLE() []byte {
	return bigToLE(priv.D(), priv.Curve.Size())
}

// D returns the private integer.
func (priv *PrivateKey) D() *big.Int { return priv.Curve.g.fq.toBig(&priv.d) }

// Public returns the public key (crypto.Signer).
func (priv *PrivateKey) Public() crypto.PublicKey { return &priv.PublicKey }

// Equal reports whether priv and x are the same private key.
func (priv *PrivateKey) Equal(x crypto.PrivateKey) bool {
	o, ok := x.(*PrivateKey)
	if !ok || !priv.Curve.SameCurve(o.Curve) {
		return false
	}
	return priv.Curve.g.fq.equal(&priv.d, &o.d) == 1
}

// randScalar returns k uniform in [1, q-1] by rejection sampling: the
// candidate has q's bit length and is kept only if 0 < k < q. Rejected
// candidates reveal nothing about the accepted one.
func randScalar(g *group, rand io.Reader) (fe, error) {
	fq := g.fq
	buf := make([]byte, 8*fq.n)
	topBits := uint(fq.bits % 64)
	for tries := 0; tries < 128; tries++ {
		if _, err := io.ReadFull(rand, buf); err != nil {
			return fe{}, err
		}
		var k fe
		for i := 0; i < fq.n; i++ {
			for b := 0; b < 8; b++ {
				k[i] |= uint64(buf[8*i+b]) << (8 * uint(b))
			}
		}
		if topBits != 0 {
			k[fq.n-1] &= (uint64(1) << topBits) - 1
		}
		ok := fq.less(&k, &fq.m) & (1 ^ fq.isZero(&k))
		clear(buf)
		if ok == 1 {
			return k, nil
		}
	}
	return fe{}, errors.New("gost3410: random source keeps failing")
}

// digestToE reads the digest as a little-endian integer e and returns e mod q
// in Montgomery form, with e = 1 when e ≡ 0 (GOST R 34.10-2012, 6.1 step 2).
func digestToE(g *group, digest []byte) fe {
	var raw, e fe
	for i, b := range digest {
		raw[i/8] |= uint64(b) << (8 * uint(i%8))
	}
	g.fq.toMont(&e, &raw)
	sel(&e, &g.fq.one, &e, g.fq.isZero(&e))
	return e
}

// Sign signs digest, the Streebog hash of the message as the hash emits it
// (Size bytes; read as a little-endian integer), with a fresh nonce from
// rand. opts is ignored. The signature is s ‖ r, each Size bytes big-endian,
// as XMLDSig, SMEV, CMS and OpenSSL's GOST engine carry it.
func (priv *PrivateKey) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	c := priv.Curve
	if len(digest) != c.Size() {
		return nil, errors.New("gost3410: digest size does not match the curve")
	}
	if rand == nil {
		return nil, errors.New("gost3410: nil random source")
	}
	e := digestToE(c.g, digest)
	for {
		k, err := randScalar(c.g, rand)
		if err != nil {
			return nil, err
		}
		if sig, ok := priv.signWithK(&e, &k); ok {
			return sig, nil
		}
	}
}

// signWithK computes the signature for e (Montgomery form mod q) and the
// nonce k (plain limbs, 0 < k < q). ok is false when r or s is zero.
func (priv *PrivateKey) signWithK(e, k *fe) (sig []byte, ok bool) {
	g := priv.Curve.g
	fp, fq := g.fp, g.fq
	var cp point
	g.scalarBaseMult(&cp, k)
	x, _ := g.affine(&cp)
	fp.fromMont(&x, &x)
	var r, s, t, km fe
	fq.toMont(&r, &x) // x mod q, Montgomery form: x < R so one reduction suffices
	fq.toMont(&km, k)
	fq.mul(&s, &r, &priv.dm)
	fq.mul(&t, &km, e)
	fq.add(&s, &s, &t)
	clear(km[:])
	clear(t[:])
	// r and s are the public output: testing them for zero leaks nothing.
	if fq.isZero(&r) == 1 || fq.isZero(&s) == 1 {
		return nil, false
	}
	fq.fromMont(&r, &r)
	fq.fromMont(&s, &s)
	n := g.size
	sig = make([]byte, 2*n)
	putBE(sig[:n], &s)
	putBE(sig[n:], &r)
	return sig, true
}

func putBE(dst []byte, x *fe) {
	n := len(dst)
	for i := 0; i < n; i++ {
		dst[n-1-i] = byte(x[i/8] >> (8 * uint(i%8)))
	}
}

func getBE(src []byte) fe {
	var x fe
	n := len(src)
	for i := 0; i < n; i++ {
		x[i/8] |= uint64(src[n-1-i]) << (8 * uint(i%8))
	}
	return x
}

// SplitSignature returns r and s of a signature s ‖ r.
func SplitSignature(c *Curve, sig []byte) (r, s *big.Int, err error) {
	if len(sig) != 2*c.Size() {
		return nil, nil, errors.New("gost3410: signature must be 2×coordinate size bytes")
	}
	n := c.Size()
	return new(big.Int).SetBytes(sig[n:]), new(big.Int).SetBytes(sig[:n]), nil
}

// JoinSignature returns s ‖ r, each Size bytes big-endian.
func JoinSignature(c *Curve, r, s *big.Int) []byte {
	n := c.Size()
	sig := make([]byte, 2*n)
	s.FillBytes(sig[:n])
	r.FillBytes(sig[n:])
	return sig
}

// VerifyDigest reports whether sig (s ‖ r, big-endian halves) is a valid
// signature of digest (the Streebog hash as it emits it) under pub.
// Verification handles public data only and is not constant-time.
func VerifyDigest(pub *PublicKey, digest, sig []byte) bool {
	if pub == nil || pub.Curve == nil || pub.Curve.g == nil || pub.X == nil || pub.Y == nil {
		return false
	}
	c := pub.Curve
	g := c.g
	fp, fq := g.fp, g.fq
	n := c.Size()
	if len(digest) != n || len(sig) != 2*n {
		return false
	}
	s, r := getBE(sig[:n]), getBE(sig[n:])
	if fq.isZero(&r) == 1 || fq.isZero(&s) == 1 || fq.less(&r, &fq.m) == 0 || fq.less(&s, &fq.m) == 0 {
		return false
	}
	if pub.X.Sign() < 0 || pub.Y.Sign() < 0 || pub.X.Cmp(c.P) >= 0 || pub.Y.Cmp(c.P) >= 0 {
		return false
	}
	var q point
	xr, yr := feFromBig(pub.X), feFromBig(pub.Y)
	fp.toMont(&q.x, &xr)
	fp.toMont(&q.y, &yr)
	q.z = fp.one
	if !g.onCurve(&q.x, &q.y) {
		return false
	}
	e := digestToE(g, digest)
	var v, rm, sm, z1, z2 fe
	// e^-1 mod q: e is public, so math/big's (variable-time, GCD-based)
	// inverse serves, far cheaper than Fermat's exponentiation.
	fq.fromMont(&v, &e)
	v = feFromBig(new(big.Int).ModInverse(fq.toBig(&v), fq.mod))
	fq.toMont(&v, &v)
	fq.toMont(&rm, &r)
	fq.toMont(&sm, &s)
	fq.mul(&z1, &sm, &v)
	fq.mul(&z2, &rm, &v)
	fq.neg(&z2, &z2)
	fq.fromMont(&z1, &z1)
	fq.fromMont(&z2, &z2)
	c1 := g.mulAddVartime(&z1, &z2, &q.x, &q.y)
	if g.jInfinity(&c1) {
		return false
	}
	// x(C) = X/Z² ≡ r (mod q) with x < p: X = (r + jq)·Z² for some j ≥ 0
	// with r + jq < p; no inversion needed.
	var zz, t fe
	fp.sqr(&zz, &c1.z)
	cand := r
	for fp.less(&cand, &fp.m) == 1 {
		var cm fe
		fp.toMont(&cm, &cand)
		fp.mul(&t, &cm, &zz)
		if fp.equal(&t, &c1.x) == 1 {
			return true
		}
		var carry uint64
		for i := 0; i < fp.n; i++ {
			cand[i], carry = bits.Add64(cand[i], fq.m[i], carry)
		}
		if carry != 0 {
			break
		}
	}
	return false
}

// Verify is VerifyDigest as a method.
func (pub *PublicKey) VerifyDigest(digest, sig []byte) bool { return VerifyDigest(pub, digest, sig) }
