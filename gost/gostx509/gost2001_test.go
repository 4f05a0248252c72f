package gostx509

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gost341194"
)

// The real root of the Головной удостоверяющий центр (2012–2027), a
// self-signed GOST R 34.10-2001 certificate signed with 1.2.643.2.2.3,
// from shared/smev/real/tsl/guc-roots.
const gucRoot = "testdata/guc-root-2001.pem"

// TestGUCRoot2001 reads the real 2001 root and verifies its own signature:
// the key is 1.2.643.2.2.19 on CryptoPro-A with the 34.11-94 digest
// parameter, the BIT STRING holds s ‖ r (64 bytes, no wrapping), the digest
// is GOST R 34.11-94 (CryptoPro) of the tbsCertificate read little-endian.
func TestGUCRoot2001(t *testing.T) {
	der := readPEM(t, gucRoot, "CERTIFICATE")
	cert, pub, err := ParseCertificate(der)
	if err != nil || pub == nil {
		t.Fatalf("parse: %v", err)
	}
	if !pub.Curve.SameCurve(gost3410.CurveCryptoProA()) {
		t.Fatalf("curve %s", pub.Curve.Name)
	}
	var spki subjectPublicKeyInfo
	asn1.Unmarshal(cert.RawSubjectPublicKeyInfo, &spki)
	var params keyParams
	asn1.Unmarshal(spki.Algorithm.Parameters.FullBytes, &params)
	if !spki.Algorithm.Algorithm.Equal(OIDPublicKey2001) || !params.Digest.Equal(OIDDigest94CryptoPro) {
		t.Fatalf("key algorithm %s, params %+v", spki.Algorithm.Algorithm, params)
	}
	if alg, _ := SignatureAlgorithmOID(cert); !alg.Equal(OIDSignature2001) {
		t.Fatalf("signature algorithm %s", alg)
	}
	if len(cert.Signature) != 64 {
		t.Fatalf("signature BIT STRING holds %d bytes", len(cert.Signature))
	}
	if err := CheckSignatureFrom(cert, cert); err != nil {
		t.Fatalf("the real 2001 root does not verify: %v", err)
	}
	// The check can fail: each wrong reading of the layout is refused.
	sig := cert.Signature
	rs := append(bytes.Clone(sig[32:]), sig[:32]...)
	for name, c := range map[string]struct {
		alg      asn1.ObjectIdentifier
		tbs, sig []byte
	}{
		"r ‖ s instead of s ‖ r": {OIDSignature2001, cert.RawTBSCertificate, rs},
		"changed tbsCertificate": {OIDSignature2001, flip(cert.RawTBSCertificate, 100), sig},
		"changed signature":      {OIDSignature2001, cert.RawTBSCertificate, flip(sig, 5)},
		"Streebog instead of 94": {OIDSignature256, cert.RawTBSCertificate, sig},
		"512-bit algorithm":      {OIDSignature512, cert.RawTBSCertificate, sig},
	} {
		if CheckSignature(c.alg, c.tbs, c.sig, pub) == nil {
			t.Errorf("%s: verified", name)
		}
	}
}

func flip(b []byte, i int) []byte {
	b = bytes.Clone(b)
	b[i] ^= 1
	return b
}

// marshal2001SPKI writes pub under the legacy 2001 algorithm OID with
// parameters {curve, 34.11-94 CryptoPro}, as 2001 certificates carry it.
func marshal2001SPKI(t testing.TB, pub *gost3410.PublicKey) []byte {
	params, _ := asn1.Marshal(keyParams{Curve: pub.Curve.OID, Digest: OIDDigest94CryptoPro})
	octets, _ := asn1.Marshal(pub.RawLE())
	der, err := asn1.Marshal(subjectPublicKeyInfo{
		Algorithm: algorithmIdentifier{Algorithm: OIDPublicKey2001, Parameters: asn1.RawValue{FullBytes: params}},
		PublicKey: asn1.BitString{Bytes: octets, BitLength: 8 * len(octets)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// create2001 is a TEST-ONLY issuer of GOST R 34.10-2001 certificates (the
// product never signs with 2001): CreateCertificate builds the
// tbsCertificate, whose signature algorithm becomes 1.2.643.2.2.3 (and the
// subject key the 2001 OID when key2001), signed over GOST R 34.11-94.
func create2001(t testing.TB, tmpl, parent *x509.Certificate, pub *gost3410.PublicKey, priv *gost3410.PrivateKey, key2001 bool) *x509.Certificate {
	t.Helper()
	proto, err := CreateCertificate(rand.Reader, tmpl, parent, pub, priv)
	if err != nil {
		t.Fatal(err)
	}
	spki, _ := MarshalPKIXPublicKey(pub)
	if key2001 {
		spki = marshal2001SPKI(t, pub)
	}
	tbs, err := replaceTBSFields(proto, OIDSignature2001, spki)
	if err != nil {
		t.Fatal(err)
	}
	d := gost341194.Sum(tbs)
	sig, err := priv.Sign(rand.Reader, d[:], nil)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := asn1.Marshal(certificate{
		TBS:       asn1.RawValue{FullBytes: tbs},
		Algorithm: algorithmIdentifier{Algorithm: OIDSignature2001},
		Signature: asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)},
	})
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// fixedTemplate has fixed dates before 2019 (the tests do not depend on
// today's date; CheckSignatureFrom does not look at validity).
func fixedTemplate(cn string, serial int64, ca bool) *x509.Certificate {
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: cn, Country: []string{"RU"}},
		NotBefore:    time.Date(2016, 3, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2018, 3, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	if ca {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	}
	return tmpl
}

// test2001Chain makes a 2001 CA (self-signed, key on the 2001 OID) and two
// leaves it signs with 1.2.643.2.2.3: a 2001 key and a 2012-256 key.
func test2001Chain(t testing.TB) (ca, leaf2001, leaf2012 *x509.Certificate, caKey *gost3410.PrivateKey) {
	caKey, _ = gost3410.GenerateKey(gost3410.CurveCryptoProA(), rand.Reader)
	caTmpl := fixedTemplate("Тестовый УЦ 2001", 1, true)
	ca = create2001(t, caTmpl, caTmpl, &caKey.PublicKey, caKey, true)
	k1, _ := gost3410.GenerateKey(gost3410.CurveCryptoProXchA(), rand.Reader)
	leaf2001 = create2001(t, fixedTemplate("Сотрудник 2001", 2, false), ca, &k1.PublicKey, caKey, true)
	k2, _ := gost3410.GenerateKey(gost3410.CurveTC26256B(), rand.Reader)
	leaf2012 = create2001(t, fixedTemplate("Сотрудник 2012", 3, false), ca, &k2.PublicKey, caKey, false)
	return ca, leaf2001, leaf2012, caKey
}

func TestChain2001(t *testing.T) {
	ca, leaf2001, leaf2012, _ := test2001Chain(t)
	for name, c := range map[string][2]*x509.Certificate{
		"CA": {ca, ca}, "2001 leaf": {leaf2001, ca}, "2012 leaf": {leaf2012, ca},
	} {
		if err := CheckSignatureFrom(c[0], c[1]); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if pub, err := PublicKeyFromCertificate(leaf2001); err != nil || !pub.Curve.SameCurve(gost3410.CurveCryptoProXchA()) {
		t.Fatalf("2001 leaf key: %v", err)
	}
	other, _, _, _ := test2001Chain(t)
	if CheckSignatureFrom(leaf2001, other) == nil || CheckSignatureFrom(leaf2012, other) == nil {
		t.Fatal("a leaf verified with another 2001 CA")
	}
	if CheckSignatureFrom(ca, leaf2001) == nil {
		t.Fatal("a non-CA issuer was accepted")
	}
}
