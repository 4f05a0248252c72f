package gost3410

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/rand"
	"errors"
	"math/big"
	mrand "math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/gost/streebog"
)

// naive affine arithmetic with math/big, as an independent reference.
type naivePt struct{ x, y *big.Int } // nil x = infinity

func naiveAdd(c *Curve, p, q naivePt) naivePt {
	if p.x == nil {
		return q
	}
	if q.x == nil {
		return p
	}
	P := c.P
	var l *big.Int
	if p.x.Cmp(q.x) == 0 {
		if new(big.Int).Mod(new(big.Int).Add(p.y, q.y), P).Sign() == 0 {
			return naivePt{}
		}
		num := new(big.Int).Mul(p.x, p.x)
		num.Mul(num, big.NewInt(3)).Add(num, c.A)
		den := new(big.Int).Lsh(p.y, 1)
		l = num.Mul(num, den.ModInverse(den, P))
	} else {
		num := new(big.Int).Sub(q.y, p.y)
		den := new(big.Int).Sub(q.x, p.x)
		den.Mod(den, P)
		l = num.Mul(num, den.ModInverse(den, P))
	}
	l.Mod(l, P)
	x := new(big.Int).Mul(l, l)
	x.Sub(x, p.x).Sub(x, q.x).Mod(x, P)
	y := new(big.Int).Sub(p.x, x)
	y.Mul(y, l).Sub(y, p.y).Mod(y, P)
	return naivePt{x, y}
}

func naiveMul(c *Curve, k *big.Int, p naivePt) naivePt {
	r := naivePt{}
	for i := k.BitLen() - 1; i >= 0; i-- {
		r = naiveAdd(c, r, r)
		if k.Bit(i) == 1 {
			r = naiveAdd(c, r, p)
		}
	}
	return r
}

func TestCurveParameters(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Curves() {
		if seen[c.OID.String()] {
			t.Errorf("%s: duplicate OID %s", c.Name, c.OID)
		}
		seen[c.OID.String()] = true
		if CurveByOID(c.OID) != c || CurveByName(c.Name) != c {
			t.Errorf("%s: lookup by OID or name fails", c.Name)
		}
		if !c.P.ProbablyPrime(20) || !c.Q.ProbablyPrime(20) {
			t.Errorf("%s: p or q not prime", c.Name)
		}
		if c.P.BitLen() > 8*c.Size() || c.P.BitLen() < 8*c.Size()-1 {
			t.Errorf("%s: p has %d bits for size %d", c.Name, c.P.BitLen(), c.Size())
		}
		// y^2 = x^3 + ax + b for G
		l := new(big.Int).Exp(c.Y, big.NewInt(2), c.P)
		r := new(big.Int).Exp(c.X, big.NewInt(3), c.P)
		r.Add(r, new(big.Int).Mul(c.A, c.X)).Add(r, c.B).Mod(r, c.P)
		if l.Cmp(r) != 0 {
			t.Errorf("%s: G is not on the curve", c.Name)
		}
		// q·G = O with our arithmetic and with the naive one
		g := c.g
		q := feFromBig(c.Q)
		var zero fe
		p := g.mulAddVartime(&zero, &q, &g.gen.x, &g.gen.y)
		if !g.jInfinity(&p) {
			t.Errorf("%s: q·G is not the neutral element", c.Name)
		}
		if naiveMul(c, c.Q, naivePt{c.X, c.Y}).x != nil {
			t.Errorf("%s: naive q·G is not infinity", c.Name)
		}
		// |E| = cofactor·q within the Hasse bound
		n := new(big.Int).Mul(c.Q, big.NewInt(int64(c.Cofactor)))
		d := new(big.Int).Sub(n, new(big.Int).Add(c.P, big.NewInt(1)))
		d.Mul(d, d)
		if d.Cmp(new(big.Int).Lsh(c.P, 2)) > 0 {
			t.Errorf("%s: cofactor·q outside the Hasse interval", c.Name)
		}
	}
	if len(Curves()) != 14 {
		t.Errorf("want 14 parameter sets, have %d", len(Curves()))
	}
	if !CurveCryptoProA().SameCurve(CurveCryptoProXchA()) || !CurveCryptoProA().SameCurve(CurveTC26256B()) ||
		!CurveCryptoProC().SameCurve(CurveCryptoProXchB()) || CurveCryptoProA().SameCurve(CurveCryptoProB()) {
		t.Error("SameCurve is wrong")
	}
}

// TestScalarMultAgainstNaive compares the constant-time paths with plain
// affine arithmetic for random and edge scalars.
func TestScalarMultAgainstNaive(t *testing.T) {
	r := mrand.New(mrand.NewPCG(7, 7))
	for _, c := range Curves() {
		g := c.g
		ks := []*big.Int{big.NewInt(1), big.NewInt(2), big.NewInt(15), big.NewInt(16), big.NewInt(17),
			new(big.Int).Sub(c.Q, big.NewInt(1)), new(big.Int).Sub(c.Q, big.NewInt(2))}
		for i := 0; i < 3; i++ {
			b := make([]byte, c.Size())
			for j := range b {
				b[j] = byte(r.Uint32())
			}
			ks = append(ks, new(big.Int).Mod(new(big.Int).SetBytes(b), c.Q))
		}
		for _, k := range ks {
			want := naiveMul(c, k, naivePt{c.X, c.Y})
			kl := feFromBig(k)
			var zero fe
			var p1 point
			g.scalarBaseMult(&p1, &kl)
			for _, p := range []point{p1, g.jToProjective(g.mulAddVartime(&zero, &kl, &g.gen.x, &g.gen.y)),
				g.jToProjective(g.mulAddVartime(&kl, &zero, &g.gen.x, &g.gen.y))} {
				x, y := g.affine(&p)
				g.fp.fromMont(&x, &x)
				g.fp.fromMont(&y, &y)
				if g.fp.toBig(&x).Cmp(want.x) != 0 || g.fp.toBig(&y).Cmp(want.y) != 0 {
					t.Fatalf("%s: k=%x: wrong k·G", c.Name, k)
				}
			}
		}
	}
}

type example struct {
	curve                 *Curve
	d, qx, qy, e, k, r, s *big.Int
}

func examples(t *testing.T) []example {
	f, err := os.Open("testdata/rfc7091.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []example
	var cur *example
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 2 || strings.HasPrefix(fs[0], "#") {
			continue
		}
		if fs[0] == "curve" {
			out = append(out, example{curve: CurveByName(fs[1])})
			cur = &out[len(out)-1]
			continue
		}
		v, ok := new(big.Int).SetString(fs[1], 16)
		if !ok {
			t.Fatalf("bad number %q", fs[1])
		}
		switch fs[0] {
		case "d":
			cur.d = v
		case "qx":
			cur.qx = v
		case "qy":
			cur.qy = v
		case "e":
			cur.e = v
		case "k":
			cur.k = v
		case "r":
			cur.r = v
		case "s":
			cur.s = v
		}
	}
	if len(out) != 2 {
		t.Fatalf("want 2 examples, got %d", len(out))
	}
	return out
}

func TestStandardExamples(t *testing.T) {
	for _, ex := range examples(t) {
		c := ex.curve
		priv, err := NewPrivateKey(c, ex.d)
		if err != nil {
			t.Fatal(err)
		}
		if priv.X.Cmp(ex.qx) != 0 || priv.Y.Cmp(ex.qy) != 0 {
			t.Fatalf("%s: public key %x,%x", c.Name, priv.X, priv.Y)
		}
		digest := bigToLE(ex.e, c.Size()) // the digest bytes whose LE value is e
		e := digestToE(c.g, digest)
		k := feFromBig(ex.k)
		sig, ok := priv.signWithK(&e, &k)
		if !ok {
			t.Fatal("signWithK failed")
		}
		want := JoinSignature(c, ex.r, ex.s)
		if !bytes.Equal(sig, want) {
			t.Fatalf("%s: signature\n got %x\nwant %x", c.Name, sig, want)
		}
		// s ‖ r: s comes first
		if new(big.Int).SetBytes(sig[:c.Size()]).Cmp(ex.s) != 0 {
			t.Fatal("first half is not s")
		}
		if !VerifyDigest(&priv.PublicKey, digest, sig) {
			t.Fatalf("%s: standard signature does not verify", c.Name)
		}
		pub, err := NewPublicKeyLE(c, priv.RawLE())
		if err != nil || !pub.Equal(&priv.PublicKey) {
			t.Fatalf("LE round trip: %v", err)
		}
		// LE(X) ‖ LE(Y): first byte is X's least significant byte
		if raw := pub.RawLE(); raw[0] != byte(ex.qx.Uint64()) || raw[c.Size()] != byte(ex.qy.Uint64()) {
			t.Fatal("RawLE is not little-endian X then Y")
		}
		r2, s2, _ := SplitSignature(c, sig)
		if r2.Cmp(ex.r) != 0 || s2.Cmp(ex.s) != 0 {
			t.Fatal("SplitSignature")
		}
		// a big-endian reading of the digest must not verify
		if VerifyDigest(&priv.PublicKey, reverse(digest), sig) {
			t.Fatal("reversed digest verified")
		}
	}
}

func TestSignVerifyAllCurves(t *testing.T) {
	msg := []byte("Межведомственный запрос")
	for _, c := range Curves() {
		priv, err := GenerateKey(c, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		h := c.NewHash()
		h.Write(msg)
		digest := h.Sum(nil)
		var signer crypto.Signer = priv
		sig, err := signer.Sign(rand.Reader, digest, nil)
		if err != nil {
			t.Fatal(err)
		}
		pub := signer.Public().(*PublicKey)
		if !VerifyDigest(pub, digest, sig) || !pub.VerifyDigest(digest, sig) {
			t.Fatalf("%s: own signature does not verify", c.Name)
		}
		sig2, _ := priv.Sign(rand.Reader, digest, nil)
		if bytes.Equal(sig, sig2) {
			t.Fatalf("%s: two signatures are equal: nonce not random", c.Name)
		}
		// tampering
		for _, i := range []int{0, c.Size() - 1, c.Size(), 2*c.Size() - 1} {
			bad := bytes.Clone(sig)
			bad[i] ^= 0x01
			if VerifyDigest(pub, digest, bad) {
				t.Fatalf("%s: tampered signature byte %d verified", c.Name, i)
			}
		}
		badDigest := bytes.Clone(digest)
		badDigest[5] ^= 0x80
		if VerifyDigest(pub, badDigest, sig) {
			t.Fatalf("%s: other digest verified", c.Name)
		}
		// swapped halves (r ‖ s) must not verify
		n := c.Size()
		if VerifyDigest(pub, digest, append(bytes.Clone(sig[n:]), sig[:n]...)) {
			t.Fatalf("%s: r ‖ s verified", c.Name)
		}
		other, _ := GenerateKey(c, rand.Reader)
		if VerifyDigest(&other.PublicKey, digest, sig) {
			t.Fatalf("%s: verified under another key", c.Name)
		}
		// key encodings
		priv2, err := NewPrivateKeyLE(c, priv.PrivateRawLE())
		if err != nil || !priv2.Equal(priv) || !priv2.PublicKey.Equal(pub) {
			t.Fatalf("%s: private key LE round trip: %v", c.Name, err)
		}
		// wrong sizes
		if _, err := priv.Sign(rand.Reader, digest[:n-1], nil); err == nil {
			t.Fatal("short digest accepted")
		}
		if VerifyDigest(pub, digest, sig[1:]) || VerifyDigest(pub, digest[1:], sig) {
			t.Fatal("wrong lengths verified")
		}
	}
}

func TestRejects(t *testing.T) {
	c := CurveTC26256A()
	priv, _ := GenerateKey(c, rand.Reader)
	raw := priv.PrivateRawLE()
	_ = raw
	pubRaw := priv.PublicKey.RawLE()
	pubRaw[0] ^= 1
	if _, err := NewPublicKeyLE(c, pubRaw); err == nil {
		t.Error("point off the curve accepted")
	}
	if _, err := NewPublicKeyLE(c, pubRaw[:10]); err == nil {
		t.Error("short key accepted")
	}
	if _, err := NewPrivateKey(c, c.Q); err == nil {
		t.Error("d = q accepted")
	}
	if _, err := NewPrivateKey(c, big.NewInt(0)); err == nil {
		t.Error("d = 0 accepted")
	}
	digest := make([]byte, 32)
	sig, _ := priv.Sign(rand.Reader, digest, nil) // e = 0 → 1
	if !VerifyDigest(&priv.PublicKey, digest, sig) {
		t.Error("zero digest (e = 1) does not verify")
	}
	// r = 0 or s = q must be rejected
	zero := make([]byte, 64)
	if VerifyDigest(&priv.PublicKey, digest, zero) {
		t.Error("zero signature verified")
	}
	big1 := JoinSignature(c, big.NewInt(1), c.Q)
	if VerifyDigest(&priv.PublicKey, digest, big1) {
		t.Error("s = q verified")
	}
	if VerifyDigest(nil, digest, sig) || VerifyDigest(&PublicKey{}, digest, sig) {
		t.Error("nil key verified")
	}
	if _, err := priv.Sign(bytes.NewReader(nil), digest, nil); err == nil {
		t.Error("signing with an empty random source succeeded")
	}
}

func TestHashForCurve(t *testing.T) {
	if CurveTC26512A().NewHash().Size() != 64 || CurveCryptoProA().NewHash().Size() != 32 {
		t.Fatal("wrong hash size for the curve")
	}
	s := streebog.Sum256([]byte("x"))
	h := CurveCryptoProA().NewHash()
	h.Write([]byte("x"))
	if !bytes.Equal(h.Sum(nil), s[:]) {
		t.Fatal("NewHash is not Streebog")
	}
}

// TestConcurrentSign signs from several goroutines on a curve whose base
// table has not been built yet (run with -race).
func TestConcurrentSign(t *testing.T) {
	c := CurveTC26256C()
	digest := make([]byte, 32)
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() {
			priv, err := GenerateKey(c, rand.Reader)
			if err != nil {
				errs <- err
				return
			}
			sig, err := priv.Sign(rand.Reader, digest, nil)
			if err == nil && !VerifyDigest(&priv.PublicKey, digest, sig) {
				err = errors.New("signature does not verify")
			}
			errs <- err
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func TestForeignCurveRejected(t *testing.T) {
	bad := &Curve{Name: "made up"}
	if _, err := GenerateKey(bad, rand.Reader); err == nil {
		t.Error("GenerateKey on an unknown curve")
	}
	if _, err := NewPublicKeyLE(bad, make([]byte, 64)); err == nil {
		t.Error("NewPublicKeyLE on an unknown curve")
	}
	if VerifyDigest(&PublicKey{Curve: bad, X: big.NewInt(1), Y: big.NewInt(1)}, make([]byte, 32), make([]byte, 64)) {
		t.Error("verified on an unknown curve")
	}
}

// jToProjective converts a Jacobian point to the projective form affine takes.
func (g *group) jToProjective(p jpoint) point {
	var r point
	g.fp.mul(&r.x, &p.x, &p.z)
	g.fp.mul(&r.z, &p.z, &p.z)
	g.fp.mul(&r.z, &r.z, &p.z)
	r.y = p.y
	return r
}
