package cms_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/internal/testtool"
	"github.com/mezhved/mezhved/signer/cms"
	"github.com/mezhved/mezhved/signer/keys"
)

func TestCMSRoundTrip(t *testing.T) {
	key := clerkKey(t)
	content := []byte("%PDF-1.4 выписка")
	sig, err := cms.SignDetached(content, key, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cert, err := cms.VerifyDetached(content, sig)
	if err != nil || !bytes.Equal(cert.Raw, key.Certificate().Raw) {
		t.Fatalf("%v", err)
	}
	if _, err := cms.VerifyDetached(append(content, '!'), sig); err == nil {
		t.Fatal("changed content accepted")
	}
	bad := bytes.Clone(sig)
	bad[len(bad)-3] ^= 1 // inside the signature value
	if _, err := cms.VerifyDetached(content, bad); err == nil {
		t.Fatal("changed signature accepted")
	}
	for _, junk := range [][]byte{nil, []byte("x"), sig[:len(sig)/2], append(bytes.Clone(sig), 0)} {
		if _, err := cms.VerifyDetached(content, junk); err == nil {
			t.Fatalf("junk accepted: %x", junk)
		}
	}
}

func gostOpenSSL(t *testing.T) string {
	t.Helper()
	p := needTool(t, "openssl", "openssl and libengine-gost-openssl")
	if out, err := exec.Command(p, "engine", "gost", "-t").CombinedOutput(); err != nil || !strings.Contains(string(out), "available") {
		testtool.Missing(t, "OpenSSL's GOST engine is missing: install the Debian package libengine-gost-openssl")
	}
	return p
}

// Our detached signatures verify with OpenSSL's GOST engine, and OpenSSL's
// verify here.
func TestCMSOpenSSL(t *testing.T) {
	openssl := gostOpenSSL(t)
	dir := t.TempDir()
	keyFile, certFile := "../keys/testdata/gost256.key", "../keys/testdata/gost256.crt"
	key, err := keys.Open(keyFile, certFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	content := []byte("вложение для СМЭВ\n")
	data := filepath.Join(dir, "data.bin")
	os.WriteFile(data, content, 0o644)

	sig, err := cms.SignDetached(content, key, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ours := filepath.Join(dir, "ours.p7s")
	os.WriteFile(ours, sig, 0o644)
	out, err := exec.Command(openssl, "cms", "-engine", "gost", "-verify", "-binary", "-inform", "DER", "-in", ours,
		"-content", data, "-noverify", "-out", filepath.Join(dir, "out.bin")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Verification successful") {
		t.Fatalf("openssl rejects ours: %v\n%s", err, out)
	}

	theirs := filepath.Join(dir, "theirs.p7s")
	out, err = exec.Command(openssl, "cms", "-engine", "gost", "-sign", "-binary", "-md", "md_gost12_256", "-in", data,
		"-signer", certFile, "-inkey", keyFile, "-outform", "DER", "-out", theirs).CombinedOutput()
	if err != nil {
		t.Fatalf("openssl cms -sign: %v\n%s", err, out)
	}
	b, _ := os.ReadFile(theirs)
	if _, err := cms.VerifyDetached(content, b); err != nil {
		t.Fatalf("OpenSSL's signature rejected: %v", err)
	}
	if _, err := cms.VerifyDetached([]byte("другое"), b); err == nil {
		t.Fatal("OpenSSL's signature over other content accepted")
	}
}

// clerkKey is a training GOST key of the clerk.
func clerkKey(t testing.TB) keys.Key {
	t.Helper()
	k, _, err := keys.NewDemoGOST(keys.DefaultDemoSubject, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func needTool(t testing.TB, name, pkg string) string {
	t.Helper()
	return testtool.Require(t, name, pkg)
}
