package gost3410

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/gost/gost341194"
)

// readRFC5832 returns the example's curve name and its numbers by name.
func readRFC5832(t *testing.T) (string, map[string]*big.Int) {
	f, err := os.Open("testdata/rfc5832.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var curve string
	vals := map[string]*big.Int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		switch {
		case len(fs) != 2 || strings.HasPrefix(fs[0], "#"):
		case fs[0] == "curve":
			curve = fs[1]
		default:
			v, ok := new(big.Int).SetString(fs[1], 16)
			if !ok {
				t.Fatalf("bad number %q", fs[1])
			}
			vals[fs[0]] = v
		}
	}
	return curve, vals
}

// TestRFC5832Example verifies the standard's GOST R 34.10-2001 signature
// with VerifyDigest2001, and rejects it when anything changes.
func TestRFC5832Example(t *testing.T) {
	name, v := readRFC5832(t)
	c := CurveByName(name)
	if c == nil || len(v) != 6 {
		t.Fatalf("example: curve %q, %d values", name, len(v))
	}
	pub, err := NewPublicKey(c, v["qx"], v["qy"])
	if err != nil {
		t.Fatal(err)
	}
	if priv, _ := NewPrivateKey(c, v["d"]); !priv.PublicKey.Equal(pub) {
		t.Fatal("d·P is not the example's Q")
	}
	digest := bigToLE(v["e"], 32)
	sig := JoinSignature(c, v["r"], v["s"])
	if !VerifyDigest2001(pub, digest, sig) {
		t.Fatal("the standard's signature does not verify")
	}
	if VerifyDigest2001(pub, reverse(digest), sig) {
		t.Fatal("verified with the digest read big-endian")
	}
	if VerifyDigest2001(pub, digest, JoinSignature(c, v["s"], v["r"])) {
		t.Fatal("verified with r and s swapped")
	}
	bad := bytes.Clone(digest)
	bad[0] ^= 1
	if VerifyDigest2001(pub, bad, sig) {
		t.Fatal("verified another digest")
	}
}

// Verify2001 is GOST R 34.11-94 then the 2012 verification on 256-bit
// curves; 512-bit keys and Streebog digests are refused.
func TestVerify2001(t *testing.T) {
	msg := []byte("архивное сообщение СМЭВ 2017 года")
	for _, c := range []*Curve{CurveCryptoProA(), CurveCryptoProB(), CurveCryptoProC(), CurveCryptoProXchA(), CurveCryptoProXchB()} {
		priv, _ := GenerateKey(c, rand.Reader)
		d := gost341194.Sum(msg)
		sig, err := priv.Sign(rand.Reader, d[:], nil) // test-only: the product never signs 2001
		if err != nil {
			t.Fatal(err)
		}
		if !Verify2001(&priv.PublicKey, msg, sig) || !VerifyDigest2001(&priv.PublicKey, d[:], sig) {
			t.Fatalf("%s: 2001 signature does not verify", c.Name)
		}
		if Verify2001(&priv.PublicKey, append(msg, '.'), sig) {
			t.Fatalf("%s: verified another message", c.Name)
		}
		s := c.NewHash()
		s.Write(msg)
		if Verify2001(&priv.PublicKey, msg, mustSign(t, priv, s.Sum(nil))) {
			t.Fatalf("%s: a Streebog signature verified as 2001", c.Name)
		}
	}
	k512, _ := GenerateKey(CurveTC26512A(), rand.Reader)
	d := make([]byte, 64)
	if sig := mustSign(t, k512, d); !VerifyDigest(&k512.PublicKey, d, sig) || VerifyDigest2001(&k512.PublicKey, d, sig) {
		t.Fatal("a 512-bit key is not refused for 2001")
	}
	if VerifyDigest2001(nil, d, d) || Verify2001(&PublicKey{}, nil, nil) {
		t.Fatal("nil key")
	}
}

func mustSign(t *testing.T, priv *PrivateKey, digest []byte) []byte {
	t.Helper()
	sig, err := priv.Sign(rand.Reader, digest, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}
