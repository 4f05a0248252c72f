package gost3410

import (
	"bytes"
	"crypto/rand"
	"testing"
)

// FuzzVerifyDigest feeds arbitrary public keys, digests and signatures
// (all untrusted in a received envelope) to NewPublicKeyLE and
// VerifyDigest: they must not panic, an accepted key re-encodes to its input, and a
// signature that verifies stops verifying when one byte changes.
func FuzzVerifyDigest(f *testing.F) {
	for _, c := range []*Curve{CurveCryptoProXchA(), CurveTC26256A(), CurveTC26512C()} {
		priv, _ := GenerateKey(c, rand.Reader)
		digest := make([]byte, c.Size())
		sig, _ := priv.Sign(rand.Reader, digest, nil)
		f.Add(uint8(0), priv.PublicKey.RawLE(), digest, sig)
	}
	curves := Curves()
	f.Fuzz(func(t *testing.T, ci uint8, rawPub, digest, sig []byte) {
		c := curves[int(ci)%len(curves)]
		pub, err := NewPublicKeyLE(c, rawPub)
		if err != nil {
			return
		}
		if !bytes.Equal(pub.RawLE(), rawPub) {
			t.Fatalf("accepted key does not re-encode to its input")
		}
		if VerifyDigest(pub, digest, sig) {
			// a valid signature (the seeds) must stop verifying when changed
			bad := bytes.Clone(sig)
			bad[len(bad)/2] ^= 0x01
			if VerifyDigest(pub, digest, bad) {
				t.Fatal("a changed signature still verifies")
			}
		}
	})
}
