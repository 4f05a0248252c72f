package keys

import (
	"bytes"
	"crypto/rand"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gostx509"
	"github.com/mezhved/mezhved/gost/streebog"
	"github.com/mezhved/mezhved/internal/testtool"
)

// verifyGOST checks a GOST SignatureValue (s || r) with gost3410.
func verifyGOST(t *testing.T, k Key, data, sig []byte) {
	t.Helper()
	pub, err := CertificatePublicKey(k.Certificate())
	if err != nil {
		t.Fatal(err)
	}
	p := pub.(*gost3410.PublicKey)
	h := streebog.New(p.Curve.Size())
	h.Write(data)
	if !gost3410.VerifyDigest(p, h.Sum(nil), sig) {
		t.Fatal("GOST signature does not verify")
	}
}

// opensslVerify checks a signature with OpenSSL's GOST engine.
func opensslVerify(t *testing.T, certPEM []byte, md string, data, sig []byte) {
	t.Helper()
	openssl := needTool(t, "openssl", "openssl")
	testtool.RequireFile(t, "/usr/lib/x86_64-linux-gnu/engines-3/gost.so", "OpenSSL's GOST engine (Debian package libengine-gost-openssl)")
	dir := t.TempDir()
	w := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	crt, dat, sg := w("c.pem", certPEM), w("d.bin", data), w("s.bin", sig)
	pub, err := exec.Command(openssl, "x509", "-engine", "gost", "-in", crt, "-pubkey", "-noout").Output()
	if err != nil {
		t.Fatalf("OpenSSL's GOST engine cannot read the certificate: %v", err)
	}
	pk := w("p.pem", pub)
	out, err := exec.Command(openssl, "dgst", "-engine", "gost", "-"+md, "-verify", pk, "-signature", sg, dat).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Verified OK") {
		t.Fatalf("OpenSSL rejects our GOST signature: %v\n%s", err, out)
	}
}

func TestGOSTPEMFromOpenSSL(t *testing.T) {
	for _, c := range []struct {
		name string
		alg  Algorithm
		md   string
	}{{"gost256", AlgGOST256, "md_gost12_256"}, {"gost512", AlgGOST512, "md_gost12_512"}} {
		t.Run(c.name, func(t *testing.T) {
			k, err := Open(td(c.name+".key"), td(c.name+".crt"), nil)
			if err != nil {
				t.Fatal(err)
			}
			if k.Algorithm() != c.alg {
				t.Fatalf("algorithm %+v", k.Algorithm())
			}
			data := make([]byte, 777)
			rand.Read(data)
			sig, err := k.SignData(data)
			if err != nil {
				t.Fatal(err)
			}
			verifyGOST(t, k, data, sig)
			certPEM, _ := os.ReadFile(td(c.name + ".crt"))
			opensslVerify(t, certPEM, c.md, data, sig)
		})
	}
	// The same key as bare DER PKCS#8.
	if k, err := Open(td("gost256.der"), td("gost256.crt"), nil); err != nil || k.Algorithm() != AlgGOST256 {
		t.Fatalf("DER GOST key: %v", err)
	}
	// A GOST key with somebody else's certificate.
	if _, err := Open(td("gost256.key"), td("gost512.crt"), nil); err == nil {
		t.Fatal("mismatched GOST certificate accepted")
	}
}

func TestNewDemoGOST(t *testing.T) {
	k, ca, err := NewDemoGOST(DefaultDemoSubject, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	cert := k.Certificate()
	if k.Algorithm() != AlgGOST256 {
		t.Fatalf("algorithm %+v", k.Algorithm())
	}
	ids := gostx509.RussianIDsFromName(cert.Subject)
	if ids.SNILS != "11223344595" || ids.INN != "500100732259" || ids.OGRN != "1025000000001" || ids.INNLE != "5001007322" {
		t.Fatalf("Russian IDs %+v", ids)
	}
	if cert.Subject.CommonName != "Иванова Мария Петровна" || cert.Issuer.CommonName != ca.Subject.CommonName {
		t.Fatalf("names %v / %v", cert.Subject, cert.Issuer)
	}
	if err := gostx509.CheckSignatureFrom(cert, ca); err != nil {
		t.Fatalf("certificate not signed by the training CA: %v", err)
	}
	if time.Until(cert.NotAfter) > 25*time.Hour || time.Now().Before(cert.NotBefore) {
		t.Fatalf("validity %v – %v", cert.NotBefore, cert.NotAfter)
	}
	data := []byte("<SignedInfo>учебная подпись</SignedInfo>")
	sig, err := k.SignData(data)
	if err != nil {
		t.Fatal(err)
	}
	verifyGOST(t, k, data, sig)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	opensslVerify(t, certPEM, "md_gost12_256", data, sig)

	// OpenSSL accepts the chain too.
	openssl := needTool(t, "openssl", "openssl")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ca.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw}), 0o600)
	os.WriteFile(filepath.Join(dir, "user.pem"), certPEM, 0o600)
	out, err := exec.Command(openssl, "verify", "-engine", "gost", "-CAfile", filepath.Join(dir, "ca.pem"), filepath.Join(dir, "user.pem")).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte(": OK")) {
		t.Fatalf("openssl verify: %v\n%s", err, out)
	}
}
