package gost3410_test

import (
	"bytes"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"testing"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gostx509"
	"github.com/mezhved/mezhved/gost/internal/ossltest"
)

// Byte order established against OpenSSL's GOST engine (3.0.x):
// `openssl dgst -sign` writes s ‖ r, each half big-endian, exactly what
// Sign returns; the digest is Streebog's output read little-endian.

type paramSet struct {
	alg, opt string // openssl genpkey algorithm and paramset
	curve    *gost3410.Curve
	md       string
}

var crossSets = []paramSet{
	{"gost2012_256", "A", gost3410.CurveCryptoProA(), "-md_gost12_256"},
	{"gost2012_256", "B", gost3410.CurveCryptoProB(), "-md_gost12_256"},
	{"gost2012_256", "C", gost3410.CurveCryptoProC(), "-md_gost12_256"},
	{"gost2012_256", "XA", gost3410.CurveCryptoProXchA(), "-md_gost12_256"},
	{"gost2012_256", "XB", gost3410.CurveCryptoProXchB(), "-md_gost12_256"},
	{"gost2012_256", "TCB", gost3410.CurveTC26256B(), "-md_gost12_256"},
	{"gost2012_256", "TCC", gost3410.CurveTC26256C(), "-md_gost12_256"},
	{"gost2012_256", "TCD", gost3410.CurveTC26256D(), "-md_gost12_256"},
	{"gost2012_256", "TCA", gost3410.CurveTC26256A(), "-md_gost12_256"},
	{"gost2012_512", "A", gost3410.CurveTC26512A(), "-md_gost12_512"},
	{"gost2012_512", "B", gost3410.CurveTC26512B(), "-md_gost12_512"},
	{"gost2012_512", "C", gost3410.CurveTC26512C(), "-md_gost12_512"},
}

func pemBlock(t *testing.T, data []byte, typ string) []byte {
	t.Helper()
	b, _ := pem.Decode(data)
	if b == nil || b.Type != typ {
		t.Fatalf("no %s PEM block in %q", typ, data)
	}
	return b.Bytes
}

func digestOf(c *gost3410.Curve, msg []byte) []byte {
	h := c.NewHash()
	h.Write(msg)
	return h.Sum(nil)
}

// TestOpenSSLSignatures cross-checks signatures both ways on random
// messages: OpenSSL's keys and signatures are read and verified by us, and
// our signatures (with OpenSSL's key and with a key we generated and wrote
// as PKCS#8) are verified by `openssl dgst -verify`.
func TestOpenSSLSignatures(t *testing.T) {
	o := ossltest.Require(t)
	for i, ps := range crossSets {
		t.Run(ps.curve.Name, func(t *testing.T) {
			keyFile := fmt.Sprintf("k%d.pem", i)
			o.MustRun(nil, "genpkey", "-algorithm", ps.alg, "-pkeyopt", "paramset:"+ps.opt, "-out", keyFile)
			priv, err := gostx509.ParsePKCS8PrivateKey(pemBlock(t, o.ReadFile(keyFile), "PRIVATE KEY"))
			if err != nil {
				t.Fatal(err)
			}
			if priv.Curve != ps.curve {
				t.Fatalf("openssl paramset %s read as %s", ps.opt, priv.Curve.Name)
			}
			pubPEM := o.MustRun(nil, "pkey", "-in", keyFile, "-pubout")
			pub, err := gostx509.ParsePKIXPublicKey(pemBlock(t, pubPEM, "PUBLIC KEY"))
			if err != nil {
				t.Fatal(err)
			}
			if !pub.Equal(&priv.PublicKey) {
				t.Fatal("public key from openssl differs from the one we derive from its private key")
			}
			pubFile := o.WriteFile(fmt.Sprintf("p%d.pem", i), pubPEM)

			// our own key, written by us, read by openssl
			own, err := gost3410.GenerateKey(ps.curve, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			der, err := gostx509.MarshalPKCS8PrivateKey(own)
			if err != nil {
				t.Fatal(err)
			}
			ownFile := o.WriteFile(fmt.Sprintf("own%d.pem", i), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
			ownPubPEM := o.MustRun(nil, "pkey", "-in", ownFile, "-pubout")
			ownPub, err := gostx509.ParsePKIXPublicKey(pemBlock(t, ownPubPEM, "PUBLIC KEY"))
			if err != nil || !ownPub.Equal(&own.PublicKey) {
				t.Fatalf("openssl derives another public key from our PKCS#8: %v", err)
			}
			spki, _ := gostx509.MarshalPKIXPublicKey(&own.PublicKey)
			if !bytes.Equal(spki, pemBlock(t, ownPubPEM, "PUBLIC KEY")) {
				t.Errorf("our SubjectPublicKeyInfo differs from openssl's:\n ours %x\n theirs %x", spki, pemBlock(t, ownPubPEM, "PUBLIC KEY"))
			}
			ownPubFile := o.WriteFile(fmt.Sprintf("ownp%d.pem", i), ownPubPEM)

			for j := 0; j < 3; j++ {
				msg := make([]byte, 1+j*997)
				rand.Read(msg)
				msgFile := o.WriteFile("msg.bin", msg)
				digest := digestOf(ps.curve, msg)

				// openssl signs → we verify
				o.MustRun(nil, "dgst", ps.md, "-sign", keyFile, "-out", "sig.bin", msgFile)
				sig := o.ReadFile("sig.bin")
				if len(sig) != 2*ps.curve.Size() {
					t.Fatalf("openssl signature is %d bytes", len(sig))
				}
				if !gost3410.VerifyDigest(pub, digest, sig) {
					t.Fatalf("openssl signature does not verify with us (msg %d bytes)", len(msg))
				}
				bad := bytes.Clone(msg)
				bad[0] ^= 1
				if gost3410.VerifyDigest(pub, digestOf(ps.curve, bad), sig) {
					t.Fatal("openssl signature verified for another message")
				}

				// we sign → openssl verifies, with its key and with ours
				for _, k := range []struct {
					priv    *gost3410.PrivateKey
					pubFile string
				}{{priv, pubFile}, {own, ownPubFile}} {
					sig, err := k.priv.Sign(rand.Reader, digest, nil)
					if err != nil {
						t.Fatal(err)
					}
					o.WriteFile("oursig.bin", sig)
					out, err := o.Run(nil, "dgst", ps.md, "-verify", k.pubFile, "-signature", "oursig.bin", msgFile)
					if err != nil || !bytes.Contains(out, []byte("Verified OK")) {
						t.Fatalf("openssl rejects our signature: %v %s", err, out)
					}
					// and a corrupted one is rejected by openssl (the check can fail)
					sig[len(sig)-1] ^= 1
					o.WriteFile("oursig.bin", sig)
					if out, err := o.Run(nil, "dgst", ps.md, "-verify", k.pubFile, "-signature", "oursig.bin", msgFile); err == nil {
						t.Fatalf("openssl accepted a corrupted signature: %s", out)
					}
				}
			}
			// openssl signs with our PKCS#8 key → we verify
			msg := []byte("запрос в Росреестр")
			msgFile := o.WriteFile("msg.bin", msg)
			o.MustRun(nil, "dgst", ps.md, "-sign", ownFile, "-out", "sig2.bin", msgFile)
			if !gost3410.VerifyDigest(&own.PublicKey, digestOf(ps.curve, msg), o.ReadFile("sig2.bin")) {
				t.Fatal("openssl signature with our key does not verify")
			}
		})
	}
}
