package cli

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gostx509"
	"github.com/mezhved/mezhved/signer"
)

const vectorsDir = "../signer/testdata/real-signed"

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func vector(name string) string { return filepath.Join(vectorsDir, name, "message.xml") }

// The real-signed vectors are test-contour signatures of 2020: their
// mathematics holds (--no-trust), but their certificates lead to no anchor
// of this workstation, so by default they are «математически верна, но
// сертификат не доверенный».
func TestVerifyRealVectors(t *testing.T) {
	noTrust := []string{"--no-trust"}
	offline := []string{"--offline", "--data-dir", t.TempDir()}
	cases := []struct {
		dir, at string
		flags   []string
		code    int
		want    []string
	}{
		{"01_SendRequestRequest_v1.2_consumer", "2020-05-20", noTrust, 0, []string{"ЭП-ОВ #SIGNED_BY_CONSUMER GOST R 34.10-2012 256 digest ok, signature ok", "owner \"", "ОГРН", "valid until 2020-12-16", ": VALID", "certificate chain not checked"}},
		{"01_SendRequestRequest_v1.2_consumer", "2020-05-20", offline, 1, []string{"digest ok, signature ok", ": UNTRUSTED", "математически верна, но сертификат не доверенный", "издатель сертификата неизвестен"}},
		{"03_GetResponseResponse_v1.2_smev_and_sender", "2020-05-20", noTrust, 0, []string{"ЭП-СМЭВ #SIGNED_BY_SMEV", "ЭП-ОВ #SENDER_OV_SIGNATURE (Signature Id Id-sig-"}},
		{"03_GetResponseResponse_v1.2_smev_and_sender", "2020-05-20", offline, 1, []string{"ЭП-СМЭВ #SIGNED_BY_SMEV", ": UNTRUSTED"}},
		{"07_GetRequestResponse_v1.1_MTOM_digest_mismatch", "2020-10-02", offline, 1, []string{"digest bad, signature ok", "attachment content needed", "cid:d0abc6a3", "INVALID"}},
		{"08_SendRequestResponse_spb_reindented", "2021-10-21", offline, 1, []string{"digest ok, signature bad", "INVALID"}},
		{"01_SendRequestRequest_v1.2_consumer", "", noTrust, 1, []string{"digest ok, signature ok", "certificate expired 2020-12-16", "INVALID"}},
		{"01_SendRequestRequest_v1.2_consumer", "", offline, 1, []string{"digest ok, signature ok", ": UNTRUSTED"}},
	}
	for _, c := range cases {
		t.Run(c.dir+c.at+c.flags[0], func(t *testing.T) {
			args := append([]string{"verify"}, c.flags...)
			if c.at != "" {
				args = append(args, "--at", c.at)
			}
			code, out, errs := runCLI(t, append(args, vector(c.dir))...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, c.code, out, errs)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	// Several files, one line per signature.
	var files []string
	for _, d := range []string{"01_SendRequestRequest_v1.2_consumer", "02_SendRequestResponse_v1.2_smev", "04_AckRequest_v1.2_caller"} {
		files = append(files, vector(d))
	}
	code, out, _ := runCLI(t, append([]string{"verify", "--no-trust", "--at", "2020-05-20T12:00:00+03:00"}, files...)...)
	if code != 0 || strings.Count(out, "\n") != 3 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestVerifyBadInput(t *testing.T) {
	t.Setenv("MEZHVED_DATA_DIR", t.TempDir())
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.xml")
	os.WriteFile(bad, []byte("<a><b></a>"), 0o644)
	dtd := filepath.Join(dir, "dtd.xml")
	os.WriteFile(dtd, []byte(`<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>`), 0o644)
	unsigned := filepath.Join(dir, "unsigned.xml")
	os.WriteFile(unsigned, []byte("<a/>"), 0o644)
	for name, args := range map[string][]string{
		"missing":      {"verify", filepath.Join(dir, "nope.xml")},
		"malformed":    {"verify", vector("01_SendRequestRequest_v1.2_consumer"), bad},
		"doctype":      {"verify", dtd},
		"no files":     {"verify"},
		"bad --at":     {"verify", "--at", "yesterday", unsigned},
		"bad --attach": {"verify", "--attachment", "x", unsigned},
		"bad contour":  {"verify", "--contour", "prod", "--no-trust", unsigned},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errs := runCLI(t, args...)
			if code != 2 || out != "" || errs == "" {
				t.Fatalf("exit %d stdout %q stderr %q", code, out, errs)
			}
		})
	}
	code, out, _ := runCLI(t, "verify", "--no-trust", unsigned)
	if code != 1 || !strings.Contains(out, "no signatures") {
		t.Fatalf("unsigned: %d %q", code, out)
	}
}

// Issue #12 case 1: vector 01 with its data altered and signed again with a
// fresh self-signed GOST certificate that copies the real owner's name.
// The mathematics holds; the verdict says the certificate is self-signed and
// not trusted, and the exit status is 1.
func TestVerifySelfSignedCopyOfARealOwner(t *testing.T) {
	dir := t.TempDir()
	doc, err := os.ReadFile(vector("01_SendRequestRequest_v1.2_consumer"))
	if err != nil {
		t.Fatal(err)
	}
	res, _ := signer.Verify(doc, nil)
	real := res[0].Certificates[0]
	priv, err := gost3410.GenerateKey(gost3410.CurveCryptoProA(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(20240427), Subject: real.Subject, Issuer: real.Subject,
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(365 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	der, err := gostx509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	p8, err := gostx509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := writeFile(t, dir, "forged.key", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8})))
	certFile := writeFile(t, dir, "forged.crt", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	// The data altered, the old signature taken out of its container.
	altered := regexp.MustCompile(`(?s)(<ns2:CallerInformationSystemSignature>).*(</ns2:CallerInformationSystemSignature>)`).
		ReplaceAllString(string(doc), "$1$2")
	if altered == string(doc) {
		t.Fatal("the signature was not taken out")
	}
	in := writeFile(t, dir, "altered.xml", altered)
	code, signed, errs := runCLI(t, "sign", "--key", keyFile, "--cert", certFile, "--id", "SIGNED_BY_CONSUMER", in)
	if code != 0 {
		t.Fatalf("sign: %d %s", code, errs)
	}
	forged := writeFile(t, dir, "forged.xml", signed)
	code, out, _ := runCLI(t, "verify", "--offline", "--data-dir", t.TempDir(), forged)
	if code != 1 || !strings.Contains(out, ": UNTRUSTED") || !strings.Contains(out, "сертификат самоподписанный") || strings.Contains(out, ": VALID") {
		t.Fatalf("forged copy: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "verify", "--no-trust", forged)
	if code != 0 || !strings.Contains(out, ": VALID") {
		t.Fatalf("--no-trust: exit %d\n%s", code, out)
	}
}
