package gostx509

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mezhved/mezhved/gost/gost3410"
)

func readPEM(t testing.TB, path, typ string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != typ {
		t.Fatalf("%s: no %s block", path, typ)
	}
	return blk.Bytes
}

// TestOpenSSLMadeFiles reads a certificate and keys made by OpenSSL's GOST
// engine (kept in testdata) and checks they belong together.
func TestOpenSSLMadeFiles(t *testing.T) {
	cert, pub, err := ParseCertificate(readPEM(t, "testdata/openssl_ca256.pem", "CERTIFICATE"))
	if err != nil || pub == nil {
		t.Fatalf("parse: %v", err)
	}
	if pub.Curve != gost3410.CurveCryptoProA() {
		t.Fatalf("curve %s", pub.Curve.Name)
	}
	if cert.PublicKey != nil {
		t.Log("crypto/x509 now fills PublicKey for GOST certificates")
	}
	if err := CheckSignatureFrom(cert, cert); err != nil {
		t.Fatalf("openssl self-signed certificate: %v", err)
	}
	raw, err := ParsePKCS8PrivateKey(readPEM(t, "testdata/openssl_ca256.key", "PRIVATE KEY"))
	if err != nil {
		t.Fatal(err)
	}
	wrapped, err := ParsePKCS8PrivateKey(readPEM(t, "testdata/openssl_ca256_wrapped.key", "PRIVATE KEY"))
	if err != nil {
		t.Fatal(err)
	}
	if !raw.Equal(wrapped) || !raw.PublicKey.Equal(pub) {
		t.Fatal("raw and wrapped keys differ or do not match the certificate")
	}
	k512, err := ParsePKCS8PrivateKey(readPEM(t, "testdata/openssl_512C.key", "PRIVATE KEY"))
	if err != nil || k512.Curve != gost3410.CurveTC26512C() {
		t.Fatalf("512-C key: %v", err)
	}
	// our encoding of the raw key is byte for byte what openssl wrote
	der, _ := MarshalPKCS8PrivateKey(raw)
	if !bytes.Equal(der, readPEM(t, "testdata/openssl_ca256.key", "PRIVATE KEY")) {
		t.Error("MarshalPKCS8PrivateKey differs from the engine's output")
	}
	der, _ = MarshalPKCS8PrivateKey(k512)
	if !bytes.Equal(der, readPEM(t, "testdata/openssl_512C.key", "PRIVATE KEY")) {
		t.Error("512-C: MarshalPKCS8PrivateKey differs from the engine's output")
	}
	// a tampered certificate fails
	bad := bytes.Clone(cert.Raw)
	bad[len(bad)-1] ^= 1
	bc, err := x509.ParseCertificate(bad)
	if err != nil {
		t.Fatal(err)
	}
	if CheckSignatureFrom(bc, cert) == nil {
		t.Fatal("tampered signature accepted")
	}
}

// TestSMEVCertificates reads the certificates of the real SMEV envelopes.
func TestSMEVCertificates(t *testing.T) {
	files, _ := filepath.Glob("testdata/smev/*.der")
	if len(files) < 5 {
		t.Fatalf("want the SMEV certificates, found %d", len(files))
	}
	for _, f := range files {
		der, _ := os.ReadFile(f)
		cert, pub, err := ParseCertificate(der)
		if err != nil || pub == nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !pub.Curve.OID.Equal(asn1.ObjectIdentifier{1, 2, 643, 2, 2, 36, 0}) || !pub.Curve.SameCurve(gost3410.CurveCryptoProA()) {
			t.Errorf("%s: curve %s", f, pub.Curve.Name)
		}
		alg, _ := SignatureAlgorithmOID(cert)
		if !alg.Equal(OIDSignature256) {
			t.Errorf("%s: signature algorithm %s", f, alg)
		}
		ids := RussianIDsFromName(cert.Subject)
		if ids.OGRN == "" && ids.INN == "" {
			t.Errorf("%s: no ОГРН/ИНН in the subject", f)
		}
		// our SPKI encoding reproduces the certificate's
		spki, _ := MarshalPKIXPublicKey(pub)
		if !bytes.Equal(spki, cert.RawSubjectPublicKeyInfo) {
			t.Errorf("%s: SPKI re-encoding differs", f)
		}
	}
}

func testCA(t testing.TB, c *gost3410.Curve) (*x509.Certificate, *gost3410.PrivateKey, []byte) {
	t.Helper()
	priv, err := gost3410.GenerateKey(c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := RussianIDs{INNLE: "7707083893", OGRN: "1027700132195"}.ExtraNames()
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject: pkix.Name{CommonName: "Тестовый УЦ Межвед", Organization: []string{"Администрация поселения"},
			Country: []string{"RU"}, ExtraNames: ids},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, priv, der
}

func testLeaf(t testing.TB, c *gost3410.Curve, ca *x509.Certificate, caKey *gost3410.PrivateKey) (*x509.Certificate, *gost3410.PrivateKey, []byte) {
	t.Helper()
	priv, err := gost3410.GenerateKey(c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := RussianIDs{SNILS: "11223344595", INN: "500100732259"}.ExtraNames()
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject: pkix.Name{CommonName: "Иванова Мария Петровна", Organization: []string{"Администрация поселения"},
			Country: []string{"RU"}, ExtraNames: ids},
		NotBefore:   time.Now().Add(-time.Hour),
		NotAfter:    time.Now().Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := CreateCertificate(rand.Reader, tmpl, ca, &priv.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, priv, der
}

func TestCreateCertificates(t *testing.T) {
	for _, cc := range []struct{ ca, leaf *gost3410.Curve }{
		{gost3410.CurveCryptoProA(), gost3410.CurveTC26256A()},
		{gost3410.CurveTC26512A(), gost3410.CurveCryptoProXchA()},
		{gost3410.CurveTC26256B(), gost3410.CurveTC26512C()},
	} {
		ca, caKey, _ := testCA(t, cc.ca)
		leaf, leafKey, leafDER := testLeaf(t, cc.leaf, ca, caKey)
		if err := CheckSignatureFrom(ca, ca); err != nil {
			t.Fatalf("self-signed CA: %v", err)
		}
		if err := CheckSignatureFrom(leaf, ca); err != nil {
			t.Fatalf("leaf: %v", err)
		}
		if CheckSignatureFrom(leaf, leaf) == nil {
			t.Fatal("a non-CA issuer accepted")
		}
		alg, _ := SignatureAlgorithmOID(leaf)
		if !alg.Equal(SignatureAlgorithm(cc.ca)) {
			t.Fatalf("signature algorithm %s", alg)
		}
		pub, err := PublicKeyFromCertificate(leaf)
		if err != nil || !pub.Equal(&leafKey.PublicKey) || pub.Curve != cc.leaf {
			t.Fatalf("leaf key: %v", err)
		}
		if !bytes.Equal(leaf.AuthorityKeyId, ca.SubjectKeyId) || len(ca.SubjectKeyId) == 0 {
			t.Fatal("key identifiers do not chain")
		}
		if leaf.Issuer.String() != ca.Subject.String() {
			t.Fatal("issuer name differs from the CA's subject")
		}
		ids := RussianIDsFromName(leaf.Subject)
		if ids.SNILS != "11223344595" || ids.INN != "500100732259" {
			t.Fatalf("ids %+v", ids)
		}
		if got := RussianIDsFromName(leaf.Issuer); got.OGRN != "1027700132195" || got.INNLE != "7707083893" {
			t.Fatalf("issuer ids %+v", got)
		}
		// NumericString (tag 18) for СНИЛС: 06 05 2a 85 03 64 03 12 0b
		if !bytes.Contains(leaf.RawSubject, []byte{0x06, 0x05, 0x2a, 0x85, 0x03, 0x64, 0x03, 0x12, 0x0b}) {
			t.Fatal("СНИЛС is not a NumericString")
		}
		// a changed tbs byte breaks the signature
		i := bytes.Index(leafDER, []byte("Иванова"))
		bad := bytes.Clone(leafDER)
		bad[i+1] ^= 0x01
		bc, err := x509.ParseCertificate(bad)
		if err != nil {
			t.Fatal(err)
		}
		if CheckSignatureFrom(bc, ca) == nil {
			t.Fatal("tampered leaf accepted")
		}
		// another CA's key does not verify the leaf
		other, _, _ := testCA(t, cc.ca)
		if CheckSignatureFrom(leaf, other) == nil {
			t.Fatal("leaf verified by another CA")
		}
	}
}

func TestRussianIDsValidation(t *testing.T) {
	for _, ids := range []RussianIDs{{SNILS: "123"}, {INN: "50010073225a"}, {OGRN: "10277001321951"}, {OGRNIP: "1"}, {INNLE: "770708389"}} {
		if _, err := ids.ExtraNames(); err == nil {
			t.Errorf("%+v accepted", ids)
		}
	}
	names, err := RussianIDs{OGRNIP: "304500116000157"}.ExtraNames()
	if err != nil || len(names) != 1 || !names[0].Type.Equal(OIDOGRNIP) {
		t.Fatalf("ОГРНИП: %v %v", names, err)
	}
}

func TestCreateCertificateRejectsWrongIssuerKey(t *testing.T) {
	ca, _, _ := testCA(t, gost3410.CurveCryptoProA())
	wrong, _ := gost3410.GenerateKey(gost3410.CurveCryptoProA(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "x"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	if _, err := CreateCertificate(rand.Reader, tmpl, ca, &wrong.PublicKey, wrong); err == nil {
		t.Fatal("certificate signed with a key that is not the issuer's")
	}
}

// pkcs8With returns a PKCS#8 for priv with the given privateKey contents.
func pkcs8With(t testing.TB, priv *gost3410.PrivateKey, content []byte) []byte {
	t.Helper()
	alg, err := algorithmFor(priv.Curve)
	if err != nil {
		t.Fatal(err)
	}
	der, err := asn1.Marshal(pkcs8{Algorithm: alg, PrivateKey: content})
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// keyForms returns the private key encoded in every form the engine reads.
func keyForms(t testing.TB, priv *gost3410.PrivateKey) map[string][]byte {
	c := priv.Curve
	d := priv.D()
	le := priv.PrivateRawLE()
	wrapped, _ := asn1.Marshal(le)
	integer, _ := asn1.Marshal(d)
	// masked: key' = d·m^-1, stored key' ‖ m; the reader multiplies back
	m, _ := rand.Int(rand.Reader, new(big.Int).Sub(c.Q, big.NewInt(2)))
	m.Add(m, big.NewInt(2))
	kp := new(big.Int).Mul(d, new(big.Int).ModInverse(m, c.Q))
	kp.Mod(kp, c.Q)
	masked := append(leBytes(kp, c.Size()), leBytes(m, c.Size())...)
	seq, _ := asn1.Marshal(maskedKey{Masked: masked, PublicKey: priv.PublicKey.RawLE()})
	return map[string][]byte{
		"raw":          pkcs8With(t, priv, le),
		"octet string": pkcs8With(t, priv, wrapped),
		"integer":      pkcs8With(t, priv, integer),
		"masked":       pkcs8With(t, priv, masked),
		"sequence":     pkcs8With(t, priv, seq),
	}
}

func leBytes(x *big.Int, n int) []byte {
	b := make([]byte, n)
	x.FillBytes(b)
	for i := 0; i < n/2; i++ {
		b[i], b[n-1-i] = b[n-1-i], b[i]
	}
	return b
}

func TestPKCS8Forms(t *testing.T) {
	for _, c := range []*gost3410.Curve{gost3410.CurveCryptoProA(), gost3410.CurveTC26512B()} {
		priv, _ := gost3410.GenerateKey(c, rand.Reader)
		for name, der := range keyForms(t, priv) {
			got, err := ParsePKCS8PrivateKey(der)
			if err != nil {
				t.Fatalf("%s %s: %v", c.Name, name, err)
			}
			if !got.Equal(priv) {
				t.Fatalf("%s %s: another key", c.Name, name)
			}
		}
	}
	priv, _ := gost3410.GenerateKey(gost3410.CurveCryptoProA(), rand.Reader)
	for name, content := range map[string][]byte{
		"empty":       {},
		"short":       {1, 2, 3},
		"zero":        make([]byte, 32),
		"bad tag":     append([]byte{0x05, 0x21}, make([]byte, 33)...),
		"octet 31":    append([]byte{0x04, 0x1f}, make([]byte, 31)...),
		"many masks":  bytes.Repeat([]byte{1}, 32*20),
		"neg integer": {0x02, 0x01, 0xff},
	} {
		if _, err := ParsePKCS8PrivateKey(pkcs8With(t, priv, content)); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	// a non-GOST PKCS#8 is refused with ErrNotGOST
	if _, err := ParsePKCS8PrivateKey(rsaPKCS8); err != ErrNotGOST {
		t.Errorf("RSA key: %v", err)
	}
}

// rsaPKCS8 is the head of an RSA PKCS#8 (only its algorithm is looked at).
var rsaPKCS8 = func() []byte {
	der, _ := asn1.Marshal(pkcs8{Algorithm: algorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1},
		Parameters: asn1.NullRawValue}, PrivateKey: []byte{0x30, 0x00}})
	return der
}()

func TestSPKIRejects(t *testing.T) {
	priv, _ := gost3410.GenerateKey(gost3410.CurveTC26512A(), rand.Reader)
	good, _ := MarshalPKIXPublicKey(&priv.PublicKey)
	if _, err := ParsePKIXPublicKey(good); err != nil {
		t.Fatal(err)
	}
	if _, err := ParsePKIXPublicKey(append(bytes.Clone(good), 0)); err == nil {
		t.Error("trailing byte accepted")
	}
	// a 256-bit curve under the 512-bit algorithm OID
	alg, _ := asn1.Marshal(keyParams{Curve: gost3410.CurveCryptoProA().OID})
	oct, _ := asn1.Marshal(make([]byte, 64))
	der, _ := asn1.Marshal(subjectPublicKeyInfo{
		Algorithm: algorithmIdentifier{Algorithm: OIDPublicKey512, Parameters: asn1.RawValue{FullBytes: alg}},
		PublicKey: asn1.BitString{Bytes: oct, BitLength: 8 * len(oct)}})
	if _, err := ParsePKIXPublicKey(der); err == nil {
		t.Error("256-bit curve under the 512-bit OID accepted")
	}
	// the legacy 2001 OID with the same curves is read
	pub256, _ := gost3410.GenerateKey(gost3410.CurveCryptoProA(), rand.Reader)
	alg, _ = asn1.Marshal(keyParams{Curve: gost3410.CurveCryptoProA().OID, Digest: OIDDigest94CryptoPro})
	oct, _ = asn1.Marshal(pub256.PublicKey.RawLE())
	der, _ = asn1.Marshal(subjectPublicKeyInfo{
		Algorithm: algorithmIdentifier{Algorithm: OIDPublicKey2001, Parameters: asn1.RawValue{FullBytes: alg}},
		PublicKey: asn1.BitString{Bytes: oct, BitLength: 8 * len(oct)}})
	got, err := ParsePKIXPublicKey(der)
	if err != nil || !got.Equal(&pub256.PublicKey) {
		t.Errorf("2001 key: %v", err)
	}
}

// TestPKCS8Version1 reads a OneAsymmetricKey (RFC 5958) v1 with a publicKey [1].
func TestPKCS8Version1(t *testing.T) {
	priv, _ := gost3410.GenerateKey(gost3410.CurveCryptoProA(), rand.Reader)
	alg, _ := algorithmFor(priv.Curve)
	type v1 struct {
		Version    int
		Algorithm  algorithmIdentifier
		PrivateKey []byte
		PublicKey  asn1.BitString `asn1:"optional,tag:1"`
	}
	der, err := asn1.Marshal(v1{Version: 1, Algorithm: alg, PrivateKey: priv.PrivateRawLE(),
		PublicKey: asn1.BitString{Bytes: []byte{1, 2, 3}, BitLength: 24}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParsePKCS8PrivateKey(der)
	if err != nil || !got.Equal(priv) {
		t.Fatalf("v1: %v", err)
	}
	der, _ = asn1.Marshal(v1{Version: 2, Algorithm: alg, PrivateKey: priv.PrivateRawLE()})
	if _, err := ParsePKCS8PrivateKey(der); err == nil {
		t.Fatal("version 2 accepted")
	}
}
