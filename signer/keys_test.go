package signer

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/streebog"
	"github.com/mezhved/mezhved/signer/keys"
)

// gostKey is a software GOST R 34.10-2012 keys.Key for tests.
type gostKey struct {
	priv *gost3410.PrivateKey
	cert *x509.Certificate
}

func (k *gostKey) Public() crypto.PublicKey       { return &k.priv.PublicKey }
func (k *gostKey) Certificate() *x509.Certificate { return k.cert }
func (k *gostKey) Close() error                   { return nil }
func (k *gostKey) Algorithm() keys.Algorithm {
	if k.priv.Curve.Size() == 64 {
		return keys.AlgGOST512
	}
	return keys.AlgGOST256
}
func (k *gostKey) SignData(data []byte) ([]byte, error) {
	h := streebog.New(k.priv.Curve.Size())
	h.Write(data)
	return k.priv.Sign(rand.Reader, h.Sum(nil), nil)
}

var testSubject = pkix.Name{
	CommonName: "Иванова Мария Петровна",
	Country:    []string{"RU"},
	ExtraNames: []pkix.AttributeTypeAndValue{
		{Type: OIDSNILS, Value: "12345678901"},
		{Type: OIDINN, Value: "771234567890"},
		{Type: OIDOGRN, Value: "1027700000000"},
	},
}

// gostCert makes a self-signed GOST certificate by hand: crypto/x509 cannot
// marshal GOST keys.
func gostCert(t testing.TB, priv *gost3410.PrivateKey, notBefore, notAfter time.Time) *x509.Certificate {
	t.Helper()
	keyOID, sigOID := oidGOST256, asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 3, 2}
	var params []byte
	var err error
	if priv.Curve.Size() == 64 {
		keyOID, sigOID = oidGOST512, asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 3, 3}
		params, err = asn1.Marshal(struct{ C asn1.ObjectIdentifier }{priv.Curve.OID})
	} else {
		params, err = asn1.Marshal(struct{ C, D asn1.ObjectIdentifier }{priv.Curve.OID, asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 2, 2}})
	}
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := asn1.Marshal(priv.PublicKey.RawLE())
	name, _ := asn1.Marshal(testSubject.ToRDNSequence())
	type validity struct{ NotBefore, NotAfter time.Time }
	type spki struct {
		Algorithm pkix.AlgorithmIdentifier
		Key       asn1.BitString
	}
	type tbsCert struct {
		Version  int `asn1:"explicit,tag:0"`
		Serial   *big.Int
		SigAlg   pkix.AlgorithmIdentifier
		Issuer   asn1.RawValue
		Validity validity
		Subject  asn1.RawValue
		SPKI     spki
	}
	tbs, err := asn1.Marshal(tbsCert{
		Version: 2, Serial: big.NewInt(0x1234ABCD), SigAlg: pkix.AlgorithmIdentifier{Algorithm: sigOID},
		Issuer: asn1.RawValue{FullBytes: name}, Validity: validity{notBefore.UTC(), notAfter.UTC()},
		Subject: asn1.RawValue{FullBytes: name},
		SPKI: spki{pkix.AlgorithmIdentifier{Algorithm: keyOID, Parameters: asn1.RawValue{FullBytes: params}},
			asn1.BitString{Bytes: raw, BitLength: 8 * len(raw)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	h := streebog.New(priv.Curve.Size())
	h.Write(tbs)
	sig, err := priv.Sign(rand.Reader, h.Sum(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	der, err := asn1.Marshal(struct {
		TBS    asn1.RawValue
		SigAlg pkix.AlgorithmIdentifier
		Sig    asn1.BitString
	}{asn1.RawValue{FullBytes: tbs}, pkix.AlgorithmIdentifier{Algorithm: sigOID}, asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}})
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

// allKeys returns one key per algorithm: GOST-256, GOST-512, RSA-2048,
// ECDSA P-256 (the last two through signer/keys.Software).
func allKeys(t testing.TB) map[string]keys.Key {
	keyOnce.Do(func() {
		testKeys = map[string]keys.Key{}
		now := time.Now()
		for name, c := range map[string]*gost3410.Curve{"GOST-256": gost3410.CurveCryptoProA(), "GOST-512": gost3410.CurveTC26512A()} {
			priv, err := gost3410.GenerateKey(c, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			testKeys[name] = &gostKey{priv, gostCert(t, priv, now.Add(-time.Hour), now.Add(24*time.Hour))}
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

var _ = sha256.New
