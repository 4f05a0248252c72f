package gost3410

import (
	"crypto/rand"
	"testing"
)

// benchSign measures what signing a 1 KB document costs in-process: the
// Streebog hash of the document and the signature.
func benchSign(b *testing.B, c *Curve) {
	priv, err := GenerateKey(c, rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	doc := make([]byte, 1024)
	rand.Read(doc)
	b.ReportAllocs()
	for b.Loop() {
		h := c.NewHash()
		h.Write(doc)
		if _, err := priv.Sign(rand.Reader, h.Sum(nil), nil); err != nil {
			b.Fatal(err)
		}
	}
}

func benchVerify(b *testing.B, c *Curve) {
	priv, _ := GenerateKey(c, rand.Reader)
	doc := make([]byte, 1024)
	h := c.NewHash()
	h.Write(doc)
	digest := h.Sum(nil)
	sig, _ := priv.Sign(rand.Reader, digest, nil)
	b.ReportAllocs()
	for b.Loop() {
		h := c.NewHash()
		h.Write(doc)
		if !VerifyDigest(&priv.PublicKey, h.Sum(nil), sig) {
			b.Fatal("verify failed")
		}
	}
}

func BenchmarkSign256(b *testing.B)   { benchSign(b, CurveCryptoProA()) }
func BenchmarkVerify256(b *testing.B) { benchVerify(b, CurveCryptoProA()) }
func BenchmarkSign512(b *testing.B)   { benchSign(b, CurveTC26512A()) }
func BenchmarkVerify512(b *testing.B) { benchVerify(b, CurveTC26512A()) }

func BenchmarkSign256TC26A(b *testing.B) { benchSign(b, CurveTC26256A()) }

// The measures of bench/gost-vs-openssl.sh: the signature of a digest alone
// and its verification (the digest already computed), as EVP_PKEY_sign and
// EVP_PKEY_verify do in the engine.
func benchSignDigest(b *testing.B, c *Curve) {
	priv, err := GenerateKey(c, rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	digest := make([]byte, c.Size())
	for i := range digest {
		digest[i] = byte(i*37 + 11)
	}
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if _, err := priv.Sign(rand.Reader, digest, nil); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

func benchVerifyDigest(b *testing.B, c *Curve) {
	priv, err := GenerateKey(c, rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	digest := make([]byte, c.Size())
	for i := range digest {
		digest[i] = byte(i*37 + 11)
	}
	sig, err := priv.Sign(rand.Reader, digest, nil)
	if err != nil {
		b.Fatal(err)
	}
	pub := &priv.PublicKey
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if !VerifyDigest(pub, digest, sig) {
			b.Fatal("verify failed")
		}
	}
	reportCPU(b, start)
}

func BenchmarkSignDigest256(b *testing.B)   { benchSignDigest(b, CurveCryptoProA()) }
func BenchmarkVerifyDigest256(b *testing.B) { benchVerifyDigest(b, CurveCryptoProA()) }
func BenchmarkSignDigest512(b *testing.B)   { benchSignDigest(b, CurveTC26512A()) }
func BenchmarkVerifyDigest512(b *testing.B) { benchVerifyDigest(b, CurveTC26512A()) }
