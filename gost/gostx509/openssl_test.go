package gostx509

import (
	"bytes"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/internal/ossltest"
)

func pemCert(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func pemKey(t testing.TB, priv *gost3410.PrivateKey) []byte {
	der, err := MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// TestOpenSSLReadsOurCertificates: openssl prints our CA and leaf with the
// Russian attributes and `openssl verify -CAfile` accepts the chain; a
// leaf from another CA is rejected.
func TestOpenSSLReadsOurCertificates(t *testing.T) {
	o := ossltest.Require(t)
	for i, cc := range []struct{ ca, leaf *gost3410.Curve }{
		{gost3410.CurveCryptoProA(), gost3410.CurveTC26256A()},
		{gost3410.CurveTC26512A(), gost3410.CurveCryptoProB()},
		{gost3410.CurveTC26512C(), gost3410.CurveTC26512B()},
	} {
		ca, caKey, caDER := testCA(t, cc.ca)
		_, _, leafDER := testLeaf(t, cc.leaf, ca, caKey)
		caFile := o.WriteFile(fmt.Sprintf("ca%d.pem", i), pemCert(caDER))
		leafFile := o.WriteFile(fmt.Sprintf("leaf%d.pem", i), pemCert(leafDER))
		text := string(o.MustRun(nil, "x509", "-in", leafFile, "-noout", "-text", "-nameopt", "utf8,sep_comma_plus_space"))
		for _, want := range []string{"SNILS=11223344595", "INN=500100732259", "OGRN=1027700132195", "Иванова Мария Петровна",
			"GOST R 34.10-2012 with GOST R 34.11-2012 (" + fmt.Sprint(cc.ca.BitSize()) + " bit)",
			"GOST R 34.10-2012 with " + fmt.Sprint(cc.leaf.BitSize()) + " bit modulus"} {
			if !strings.Contains(text, want) {
				t.Errorf("openssl x509 -text lacks %q:\n%s", want, text)
			}
		}
		out, err := o.Run(nil, "verify", "-CAfile", caFile, leafFile)
		if err != nil || !strings.Contains(string(out), ": OK") {
			t.Fatalf("openssl verify rejects our chain (%s → %s): %v %s", cc.ca.Name, cc.leaf.Name, err, out)
		}
		out, err = o.Run(nil, "verify", "-CAfile", caFile, caFile)
		if err != nil || !strings.Contains(string(out), ": OK") {
			t.Fatalf("openssl verify rejects our CA: %v %s", err, out)
		}
		// a leaf checked against another CA with the same name fails
		_, _, otherDER := testCA(t, cc.ca)
		otherFile := o.WriteFile("other.pem", pemCert(otherDER))
		if out, err := o.Run(nil, "verify", "-CAfile", otherFile, leafFile); err == nil && strings.Contains(string(out), ": OK") {
			t.Fatal("openssl verified our leaf with another CA")
		}
		// openssl reads the CA key we wrote and the certificate's key matches it
		keyFile := o.WriteFile(fmt.Sprintf("ca%d.key", i), pemKey(t, caKey))
		mod := o.MustRun(nil, "pkey", "-in", keyFile, "-pubout")
		certPub := o.MustRun(nil, "x509", "-in", caFile, "-noout", "-pubkey")
		if !bytes.Equal(mod, certPub) {
			t.Fatal("openssl: our key and our certificate carry different public keys")
		}
	}
}

// TestOpenSSLMadeChain: openssl makes a CA and issues a leaf (with SNILS and
// INN); we read both, verify the chain and the Russian attributes. openssl
// also issues a leaf signed by OUR CA key and certificate.
func TestOpenSSLMadeChain(t *testing.T) {
	o := ossltest.Require(t)
	for _, ps := range []struct{ alg, opt, md string }{
		{"gost2012_256", "A", "-md_gost12_256"},
		{"gost2012_512", "A", "-md_gost12_512"},
		{"gost2012_256", "TCB", "-md_gost12_256"},
	} {
		o.MustRun(nil, "genpkey", "-algorithm", ps.alg, "-pkeyopt", "paramset:"+ps.opt, "-out", "ca.key")
		o.MustRun(nil, "req", "-new", "-x509", ps.md, "-key", "ca.key", "-subj", "/CN=OpenSSL GOST CA/O=Test",
			"-days", "2", "-out", "ca.pem", "-addext", "basicConstraints=critical,CA:TRUE",
			"-addext", "keyUsage=critical,keyCertSign,cRLSign")
		o.MustRun(nil, "genpkey", "-algorithm", ps.alg, "-pkeyopt", "paramset:"+ps.opt, "-out", "leaf.key")
		o.MustRun(nil, "req", "-new", ps.md, "-key", "leaf.key", "-utf8",
			"-subj", "/CN=Петров Пётр/SNILS=11223344595/INN=500100732259", "-out", "leaf.csr")
		o.MustRun(nil, "x509", "-req", ps.md, "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
			"-CAcreateserial", "-days", "1", "-out", "leaf.pem")

		ca, caPub, err := ParseCertificate(readPEM(t, o.Path("ca.pem"), "CERTIFICATE"))
		if err != nil || caPub == nil {
			t.Fatal(err)
		}
		leaf, _, err := ParseCertificate(readPEM(t, o.Path("leaf.pem"), "CERTIFICATE"))
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckSignatureFrom(ca, ca); err != nil {
			t.Fatalf("%s/%s openssl CA: %v", ps.alg, ps.opt, err)
		}
		if err := CheckSignatureFrom(leaf, ca); err != nil {
			t.Fatalf("%s/%s openssl leaf: %v", ps.alg, ps.opt, err)
		}
		ids := RussianIDsFromName(leaf.Subject)
		if ids.SNILS != "11223344595" || ids.INN != "500100732259" || leaf.Subject.CommonName != "Петров Пётр" {
			t.Fatalf("subject read as %+v %q", ids, leaf.Subject.CommonName)
		}
		caKey, err := ParsePKCS8PrivateKey(readPEM(t, o.Path("ca.key"), "PRIVATE KEY"))
		if err != nil || !caKey.PublicKey.Equal(caPub) {
			t.Fatalf("openssl CA key: %v", err)
		}

		// openssl issues with our CA
		ourCA, ourKey, ourDER := testCA(t, caPub.Curve)
		o.WriteFile("our.pem", pemCert(ourDER))
		o.WriteFile("our.key", pemKey(t, ourKey))
		o.MustRun(nil, "x509", "-req", ps.md, "-in", "leaf.csr", "-CA", "our.pem", "-CAkey", "our.key",
			"-CAcreateserial", "-days", "1", "-out", "leaf2.pem")
		leaf2, _, err := ParseCertificate(readPEM(t, o.Path("leaf2.pem"), "CERTIFICATE"))
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckSignatureFrom(leaf2, ourCA); err != nil {
			t.Fatalf("leaf issued by openssl with our CA: %v", err)
		}
		if CheckSignatureFrom(leaf2, ca) == nil {
			t.Fatal("leaf verified by the wrong CA")
		}
	}
}

// TestOpenSSLReadsKeyForms: every private key form we read is also read by
// the engine as the same key (the public key it derives is ours).
func TestOpenSSLReadsKeyForms(t *testing.T) {
	o := ossltest.Require(t)
	for _, c := range []*gost3410.Curve{gost3410.CurveCryptoProA(), gost3410.CurveTC26512C()} {
		priv, _ := gost3410.GenerateKey(c, rand.Reader)
		want, _ := MarshalPKIXPublicKey(&priv.PublicKey)
		for name, der := range keyForms(t, priv) {
			f := o.WriteFile("form.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
			out, err := o.Run(nil, "pkey", "-in", f, "-pubout", "-outform", "DER")
			if err != nil {
				t.Fatalf("%s %s: openssl cannot read it: %v", c.Name, name, err)
			}
			if !bytes.Equal(out, want) {
				t.Errorf("%s %s: openssl derives another public key", c.Name, name)
			}
		}
	}
}

// TestOpenSSLLegacy2001Key reads a GOST R 34.10-2001 key (1.2.643.2.2.19,
// CryptoPro-A with the 34.11-94 digest parameter) as the engine writes it.
func TestOpenSSLLegacy2001Key(t *testing.T) {
	o := ossltest.Require(t)
	o.MustRun(nil, "genpkey", "-algorithm", "gost2001", "-pkeyopt", "paramset:A", "-out", "k2001.pem")
	priv, err := ParsePKCS8PrivateKey(readPEM(t, o.Path("k2001.pem"), "PRIVATE KEY"))
	if err != nil {
		t.Fatal(err)
	}
	pubDER := o.MustRun(nil, "pkey", "-in", "k2001.pem", "-pubout", "-outform", "DER")
	pub, err := ParsePKIXPublicKey(pubDER)
	if err != nil || !pub.Equal(&priv.PublicKey) || !pub.Curve.SameCurve(gost3410.CurveCryptoProA()) {
		t.Fatalf("2001 public key: %v", err)
	}
}
