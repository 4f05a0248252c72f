package gostx509

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/streebog"
)

// TestRealSMEVSignatures verifies the SignatureValue of every real SMEV
// envelope over its canonical SignedInfo with the certificate from KeyInfo
// (testdata/smev/README.md): this pins the conventions — digest read
// little-endian, signature s ‖ r, public key LE(X) ‖ LE(Y).
func TestRealSMEVSignatures(t *testing.T) {
	sis, _ := filepath.Glob("testdata/smev/*.signedinfo.c14n")
	if len(sis) < 9 {
		t.Fatalf("want 9 SMEV signatures, found %d", len(sis))
	}
	for _, siPath := range sis {
		base := strings.TrimSuffix(siPath, ".signedinfo.c14n")
		name := filepath.Base(base)
		si, _ := os.ReadFile(siPath)
		sig, _ := os.ReadFile(base + ".sig")
		certName, _ := os.ReadFile(base + ".cert")
		der, err := os.ReadFile(filepath.Join("testdata/smev", strings.TrimSpace(string(certName))))
		if err != nil {
			t.Fatal(err)
		}
		_, pub, err := ParseCertificate(der)
		if err != nil || pub == nil {
			t.Fatalf("%s: certificate: %v", name, err)
		}
		digest := streebog.Sum256(si)
		ok := gost3410.VerifyDigest(pub, digest[:], sig)
		want := !strings.HasPrefix(name, "08_") // 08 was re-indented after signing
		if ok != want {
			t.Errorf("%s: verify = %v, want %v", name, ok, want)
		}
		if !want {
			continue
		}
		// the other conventions must fail: big-endian digest, r ‖ s
		rev := make([]byte, len(digest))
		for i := range digest {
			rev[len(digest)-1-i] = digest[i]
		}
		if gost3410.VerifyDigest(pub, rev, sig) {
			t.Errorf("%s: verifies with the digest read big-endian", name)
		}
		if gost3410.VerifyDigest(pub, digest[:], append(bytes.Clone(sig[32:]), sig[:32]...)) {
			t.Errorf("%s: verifies as r ‖ s", name)
		}
		tampered := bytes.Replace(si, []byte("SignedInfo"), []byte("SignedInfO"), 1)
		d2 := streebog.Sum256(tampered)
		if gost3410.VerifyDigest(pub, d2[:], sig) {
			t.Errorf("%s: verifies a changed SignedInfo", name)
		}
	}
}
