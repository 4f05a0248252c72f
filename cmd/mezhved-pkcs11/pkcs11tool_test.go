package main

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/cmd/mezhved-pkcs11/internal/softtoken"
	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gostx509"
	"github.com/mezhved/mezhved/gost/streebog"
	"github.com/mezhved/mezhved/internal/p11build"
	"github.com/mezhved/mezhved/internal/testtool"
)

const gostEngine = "/usr/lib/x86_64-linux-gnu/engines-3/gost.so"

// tool runs OpenSC's pkcs11-tool on the module with a token directory.
type tool struct {
	t        *testing.T
	bin, mod string
	env      []string
	dir      string
}

func (p *tool) run(args ...string) (string, error) {
	cmd := exec.Command(p.bin, append([]string{"--module", p.mod}, args...)...)
	cmd.Env = p.env
	cmd.Dir = p.dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (p *tool) ok(args ...string) string {
	p.t.Helper()
	out, err := p.run(args...)
	if err != nil {
		p.t.Fatalf("pkcs11-tool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// TestPKCS11Tool drives the module with an independent client, OpenSC's
// pkcs11-tool: token and PIN set-up, mechanisms, GOST key pairs of both
// sizes, a certificate, signatures under the TC26 and the standard
// mechanisms (checked by gost3410, by pkcs11-tool and by OpenSSL's GOST
// engine), hashes, wrong and changed PINs.
func TestPKCS11Tool(t *testing.T) {
	bin := testtool.Require(t, "pkcs11-tool", "opensc")
	p := &tool{t: t, bin: bin, mod: p11build.Module(t), dir: t.TempDir()}
	p.env = append(os.Environ(), softtoken.EnvDir+"="+filepath.Join(p.dir, "tokens"), "OPENSSL_CONF=/dev/null")
	if out := p.ok("--list-slots"); !strings.Contains(out, "uninitialized") {
		t.Fatalf("a blank token expected:\n%s", out)
	}
	p.ok("--init-token", "--slot", "0", "--label", "Учебный токен", "--so-pin", "87654321")
	p.ok("--init-pin", "--slot", "0", "--login", "--so-pin", "87654321", "--pin", "123456")
	mechs := p.ok("--list-mechanisms")
	for _, m := range []string{"GOSTR3410-KEY-PAIR-GEN", "GOSTR3410, ", "GOSTR3410-WITH-GOSTR3411,", "GOSTR3411, digest",
		"GOSTR3410-512-KEY-PAIR-GEN", "GOSTR3410_512", "GOSTR3410-WITH-GOSTR3411-12-256", "GOSTR3410-WITH-GOSTR3411-12-512",
		"GOSTR3411-12-256", "GOSTR3411-12-512"} {
		if !strings.Contains(mechs, m) {
			t.Errorf("mechanism %s missing:\n%s", m, mechs)
		}
	}
	login := []string{"--login", "--pin", "123456"}
	p.ok(append(login, "--keypairgen", "--key-type", "GOSTR3410-2012-256:A", "--id", "01", "--label", "k256")...)
	p.ok(append(login, "--keypairgen", "--key-type", "GOSTR3410-2012-512:A", "--id", "02", "--label", "k512")...)
	objs := p.ok("--list-objects")
	pubs := map[string]*gost3410.PublicKey{
		"01": publicFromListing(t, objs, "k256", gost3410.CurveTC26256A()),
		"02": publicFromListing(t, objs, "k512", gost3410.CurveTC26512A()),
	}
	certFile := filepath.Join(p.dir, "k256.der")
	os.WriteFile(certFile, issue(t, pubs["01"]), 0o600)
	p.ok(append(login, "--write-object", certFile, "--type", "cert", "--id", "01", "--label", "k256")...)
	if out := p.ok("--list-objects"); !strings.Contains(out, "Certificate Object") {
		t.Fatalf("certificate not listed:\n%s", out)
	}
	p.sign(t, pubs)
	p.hash(t)
	p.pins(t)
}

// publicFromListing reads a public key's VALUE from pkcs11-tool's listing.
func publicFromListing(t *testing.T, listing, label string, c *gost3410.Curve) *gost3410.PublicKey {
	t.Helper()
	re := regexp.MustCompile(`(?s)Public Key Object; GOSTR3410-2012-\d+\n.*?VALUE:\s+([0-9a-f\s]+?)\n\s+label:\s+` + label + `\n`)
	m := re.FindStringSubmatch(listing)
	if m == nil {
		t.Fatalf("no public key %s in:\n%s", label, listing)
	}
	raw, err := hex.DecodeString(strings.Join(strings.Fields(m[1]), ""))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := gost3410.NewPublicKeyLE(c, raw)
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	return pub
}

// issue makes a certificate for pub from a throwaway GOST CA.
func issue(t *testing.T, pub *gost3410.PublicKey) []byte {
	t.Helper()
	caKey, _ := gost3410.GenerateKey(gost3410.CurveTC26256A(), rand.Reader)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Учебный УЦ"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := gostx509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Иванова Мария Петровна"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := gostx509.CreateCertificate(rand.Reader, leaf, caCert, pub, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func (p *tool) sign(t *testing.T, pubs map[string]*gost3410.PublicKey) {
	data := make([]byte, 3000) // more than pkcs11-tool reads at once: C_SignUpdate
	rand.Read(data)
	d256, d512 := streebog.Sum256(data), streebog.Sum512(data)
	files := map[string][]byte{"data": data, "d256": d256[:], "d512": d512[:]}
	for name, b := range files {
		os.WriteFile(filepath.Join(p.dir, name), b, 0o600)
	}
	for _, c := range []struct{ mech, id, in, md string }{
		{"GOSTR3410-WITH-GOSTR3411-12-256", "01", "data", "md_gost12_256"},
		{"GOSTR3410-WITH-GOSTR3411", "01", "data", "md_gost12_256"},
		{"GOSTR3410-WITH-GOSTR3411-12-512", "02", "data", "md_gost12_512"},
		{"GOSTR3410", "01", "d256", ""},
		{"GOSTR3410_512", "02", "d512", ""},
	} {
		t.Run(c.mech, func(t *testing.T) {
			sig := filepath.Join(p.dir, "sig-"+c.mech)
			p.ok("--login", "--pin", "123456", "--sign", "-m", c.mech, "--id", c.id, "-i", c.in, "-o", sig)
			s, _ := os.ReadFile(sig)
			d := d256[:]
			if c.id == "02" {
				d = d512[:]
			}
			if !gost3410.VerifyDigest(pubs[c.id], d, s) {
				t.Fatal("the token's signature does not verify with gost3410")
			}
			if out := p.ok("--verify", "-m", c.mech, "--id", c.id, "-i", c.in, "--signature-file", sig); !strings.Contains(out, "Signature is valid") {
				t.Fatalf("pkcs11-tool --verify:\n%s", out)
			}
			if c.md != "" {
				opensslVerify(t, p.dir, pubs[c.id], c.md, sig)
			}
		})
	}
}

// opensslVerify checks a signature of dir/data with OpenSSL's GOST engine.
func opensslVerify(t *testing.T, dir string, pub *gost3410.PublicKey, md, sig string) {
	openssl := testtool.Require(t, "openssl", "openssl")
	testtool.RequireFile(t, gostEngine, "OpenSSL's GOST engine (Debian package libengine-gost-openssl)")
	spki, err := gostx509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	pubFile := filepath.Join(dir, "pub-"+md+".pem")
	os.WriteFile(pubFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: spki}), 0o600)
	cmd := exec.Command(openssl, "dgst", "-engine", "gost", "-"+md, "-verify", pubFile, "-signature", sig, filepath.Join(dir, "data"))
	cmd.Env = append(os.Environ(), "OPENSSL_CONF=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Verified OK") {
		t.Fatalf("openssl rejects the token's signature: %v\n%s", err, out)
	}
}

func (p *tool) hash(t *testing.T) {
	data, _ := os.ReadFile(filepath.Join(p.dir, "data"))
	d256, d512 := streebog.Sum256(data), streebog.Sum512(data)
	for mech, want := range map[string][]byte{"GOSTR3411-12-256": d256[:], "GOSTR3411-12-512": d512[:]} {
		out := filepath.Join(p.dir, "hash-"+mech)
		p.ok("--hash", "-m", mech, "-i", "data", "-o", out)
		if got, _ := os.ReadFile(out); !bytes.Equal(got, want) {
			t.Errorf("%s: %x", mech, got)
		}
	}
}

func (p *tool) pins(t *testing.T) {
	out, err := p.run("--login", "--pin", "000000", "--sign", "-m", "GOSTR3410", "--id", "01", "-i", "d256", "-o", "x")
	if err == nil || !strings.Contains(out, "CKR_PIN_INCORRECT") {
		t.Fatalf("wrong PIN accepted: %v\n%s", err, out)
	}
	if out := p.ok("--list-token-slots"); !strings.Contains(out, "user PIN count low") {
		t.Fatalf("no warning after a wrong PIN:\n%s", out)
	}
	p.ok("--login", "--pin", "123456", "--change-pin", "--new-pin", "654321")
	p.ok("--login", "--pin", "654321", "--sign", "-m", "GOSTR3410", "--id", "01", "-i", "d256", "-o", "x")
	if out := p.ok("--login", "--pin", "654321", "--list-objects", "--type", "privkey"); !strings.Contains(out, "sensitive, always sensitive, never extractable, local") {
		t.Fatalf("private keys not sensitive:\n%s", out)
	}
}
