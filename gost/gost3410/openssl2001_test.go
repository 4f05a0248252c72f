package gost3410_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"testing"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gost341194"
	"github.com/mezhved/mezhved/gost/gostx509"
	"github.com/mezhved/mezhved/gost/internal/ossltest"
)

// TestOpenSSL2001 cross-checks GOST R 34.10-2001 with the engine's gost2001
// keys and md_gost94: OpenSSL's signatures verify with Verify2001, and
// signatures made here (test only, with the 2012 signer over the 34.11-94
// digest: the same equation) verify with `openssl dgst -verify`.
func TestOpenSSL2001(t *testing.T) {
	o := ossltest.Require(t)
	sets := []struct {
		opt   string
		curve *gost3410.Curve
	}{
		{"A", gost3410.CurveCryptoProA()}, {"B", gost3410.CurveCryptoProB()}, {"C", gost3410.CurveCryptoProC()},
		{"XA", gost3410.CurveCryptoProXchA()}, {"XB", gost3410.CurveCryptoProXchB()},
	}
	for i, ps := range sets {
		t.Run(ps.opt, func(t *testing.T) {
			keyFile := fmt.Sprintf("k2001%d.pem", i)
			o.MustRun(nil, "genpkey", "-algorithm", "gost2001", "-pkeyopt", "paramset:"+ps.opt, "-out", keyFile)
			priv, err := gostx509.ParsePKCS8PrivateKey(pemBlock(t, o.ReadFile(keyFile), "PRIVATE KEY"))
			if err != nil || priv.Curve != ps.curve {
				t.Fatalf("openssl gost2001 key: %v", err)
			}
			pubPEM := o.MustRun(nil, "pkey", "-in", keyFile, "-pubout")
			pub, err := gostx509.ParsePKIXPublicKey(pemBlock(t, pubPEM, "PUBLIC KEY"))
			if err != nil || !pub.Equal(&priv.PublicKey) {
				t.Fatalf("openssl gost2001 public key: %v", err)
			}
			pubFile := o.WriteFile(fmt.Sprintf("p2001%d.pem", i), pubPEM)
			for _, n := range []int{0, 1, 33, 1000} {
				msg := make([]byte, n)
				rand.Read(msg)
				msgFile := o.WriteFile("msg.bin", msg)

				// openssl signs → we verify
				o.MustRun(nil, "dgst", "-md_gost94", "-sign", keyFile, "-out", "sig.bin", msgFile)
				sig := o.ReadFile("sig.bin")
				if !gost3410.Verify2001(pub, msg, sig) {
					t.Fatalf("openssl 2001 signature does not verify with us (msg %d bytes)", n)
				}
				if gost3410.Verify2001(pub, append(bytes.Clone(msg), 0), sig) {
					t.Fatal("openssl 2001 signature verified for another message")
				}
				// we sign (test only) → openssl verifies
				d := gost341194.Sum(msg)
				ours, err := priv.Sign(rand.Reader, d[:], nil)
				if err != nil {
					t.Fatal(err)
				}
				o.WriteFile("oursig.bin", ours)
				out, err := o.Run(nil, "dgst", "-md_gost94", "-verify", pubFile, "-signature", "oursig.bin", msgFile)
				if err != nil || !bytes.Contains(out, []byte("Verified OK")) {
					t.Fatalf("openssl rejects our 2001 signature: %v %s", err, out)
				}
				ours[0] ^= 1
				o.WriteFile("oursig.bin", ours)
				if out, err := o.Run(nil, "dgst", "-md_gost94", "-verify", pubFile, "-signature", "oursig.bin", msgFile); err == nil {
					t.Fatalf("openssl accepted a corrupted signature: %s", out)
				}
			}
		})
	}
}
