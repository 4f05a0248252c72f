package signer

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gostx509"
	"github.com/mezhved/mezhved/signer/keys"
)

var testSubject = pkix.Name{
	CommonName: "Иванова Мария Петровна",
	Country:    []string{"RU"},
	ExtraNames: []pkix.AttributeTypeAndValue{
		{Type: OIDSNILS, Value: "12345678901"},
		{Type: OIDINN, Value: "771234567890"},
		{Type: OIDOGRN, Value: "1027700000000"},
	},
}

// gostCert makes a self-signed GOST certificate with gost/gostx509.
func gostCert(t testing.TB, priv *gost3410.PrivateKey, notBefore, notAfter time.Time) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(0x1234ABCD), Subject: testSubject, NotBefore: notBefore, NotAfter: notAfter}
	der, err := gostx509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func stdCert(t testing.TB, s crypto.Signer) *x509.Certificate {
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(42), Subject: testSubject,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, s.Public(), s)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c
}

var (
	keyOnce  sync.Once
	testKeys map[string]keys.Key
)

// allKeys returns one key per algorithm, all through signer/keys.Software:
// GOST-256 (CryptoPro-A), GOST-512 (TC26-512-A), RSA-2048, ECDSA P-256.
func allKeys(t testing.TB) map[string]keys.Key {
	keyOnce.Do(func() {
		testKeys = map[string]keys.Key{}
		now := time.Now()
		for name, c := range map[string]*gost3410.Curve{"GOST-256": gost3410.CurveCryptoProA(), "GOST-512": gost3410.CurveTC26512A()} {
			priv, err := gost3410.GenerateKey(c, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			k, err := keys.Software(priv, gostCert(t, priv, now.Add(-time.Hour), now.Add(24*time.Hour)))
			if err != nil {
				t.Fatal(err)
			}
			testKeys[name] = k
		}
		rk, _ := rsa.GenerateKey(rand.Reader, 2048)
		ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		for name, s := range map[string]crypto.Signer{"RSA-2048": rk, "ECDSA-P256": ek} {
			k, err := keys.Software(s, stdCert(t, s))
			if err != nil {
				t.Fatal(err)
			}
			testKeys[name] = k
		}
	})
	return testKeys
}
