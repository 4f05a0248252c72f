package signer

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gost341194"
	"github.com/mezhved/mezhved/gost/gostx509"
	"github.com/mezhved/mezhved/gost/streebog"
	"github.com/mezhved/mezhved/internal/testtool"
	"github.com/mezhved/mezhved/signer/c14n"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/signer/smevtransform"
)

// legacyURIs are the GOST R 34.10-2001 SignatureMethod / DigestMethod
// pairs, W3C and CryptoPro names.
var legacyURIs = [][2]string{{SigGOST2001, DigestGOST2001}, {SigGOST2001CP, DigestGOST2001CP}}

// detached2001 is a TEST-ONLY maker of an SMEV-style detached signature
// with 2001 URIs (the product refuses to make one): the layout of
// signatureFor, the reference digested with GOST R 34.11-94 over the SMEV
// transform, and signCanon signing the canonical SignedInfo.
func detached2001(t *testing.T, doc []byte, id, sigURI, digURI string, cert []byte, signCanon func([]byte) []byte) []byte {
	t.Helper()
	d, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	target, err := findTarget(d, id)
	if err != nil {
		t.Fatal(err)
	}
	h := gost341194.New()
	if err := smevtransform.Write(h, d, target, &c14n.Options{}); err != nil {
		t.Fatal(err)
	}
	si := `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="` + ExcC14NURI + `"></ds:CanonicalizationMethod>` +
		`<ds:SignatureMethod Algorithm="` + sigURI + `"></ds:SignatureMethod><ds:Reference URI="#` + id + `"><ds:Transforms>` +
		`<ds:Transform Algorithm="` + ExcC14NURI + `"></ds:Transform><ds:Transform Algorithm="` + SMEVTransformURI + `"></ds:Transform>` +
		`</ds:Transforms><ds:DigestMethod Algorithm="` + digURI + `"></ds:DigestMethod><ds:DigestValue>` +
		base64.StdEncoding.EncodeToString(h.Sum(nil)) + `</ds:DigestValue></ds:Reference></ds:SignedInfo>`
	canon := dsPrefix + si[len("<ds:SignedInfo>"):]
	sig := `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">` + si +
		`<ds:SignatureValue>` + base64.StdEncoding.EncodeToString(signCanon([]byte(canon))) + `</ds:SignatureValue>` +
		`<ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + base64.StdEncoding.EncodeToString(cert) +
		`</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>`
	out, err := InsertNamed(doc, "CallerInformationSystemSignature", []byte(sig))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sign94 signs with the GOST R 34.11-94 digest (test only).
func sign94(priv *gost3410.PrivateKey) func([]byte) []byte {
	return func(data []byte) []byte {
		d := gost341194.Sum(data)
		sig, err := priv.Sign(rand.Reader, d[:], nil)
		if err != nil {
			panic(err)
		}
		return sig
	}
}

// verifyOnly checks the one signature of doc at the moment at.
func verifyOnly(t *testing.T, doc []byte, at time.Time) Result {
	t.Helper()
	res, err := Verify(doc, &VerifyOptions{Time: at})
	if err != nil || len(res) != 1 {
		t.Fatalf("verify: %v, %d results", err, len(res))
	}
	return res[0]
}

var legacyTime = time.Date(2017, 6, 1, 12, 0, 0, 0, time.UTC)

// TestVerifyGOST2001: a 2001 signature (both URI pairs) verifies with
// DigestOK and SignatureOK and is labelled old; tampering, a Streebog
// signature under the 2001 label and a 512-bit key are refused.
func TestVerifyGOST2001(t *testing.T) {
	priv, _ := gost3410.GenerateKey(gost3410.CurveCryptoProA(), rand.Reader)
	cert := gostCert(t, priv, legacyTime.AddDate(-1, 0, 0), legacyTime.AddDate(1, 0, 0))
	doc := sendRequest(3000)
	for _, u := range legacyURIs {
		signed := detached2001(t, doc, "SIGNED_BY_CONSUMER", u[0], u[1], cert.Raw, sign94(priv))
		r := verifyOnly(t, signed, legacyTime)
		if !r.DigestOK || !r.SignatureOK || !r.Valid() || r.Kind != KindSystem {
			t.Fatalf("%s: %+v %s", u[0], r, r.Problem())
		}
		if r.SignatureAlgorithm != u[0] || r.DigestAlgorithm != u[1] {
			t.Fatalf("algorithms %s %s", r.SignatureAlgorithm, r.DigestAlgorithm)
		}
		if name := AlgorithmName(u[0]); !strings.Contains(name, "2001") || !strings.Contains(name, "устаревш") {
			t.Errorf("AlgorithmName(%s) = %q: not marked old", u[0], name)
		}
		bad := bytes.Replace(signed, []byte("ул. Ленина, д. 3<"), []byte("ул. Ленина, д. 4<"), 1)
		if r := verifyOnly(t, bad, legacyTime); r.DigestOK || !r.SignatureOK || r.Problems[0].Code != ProbDigest {
			t.Fatalf("tampered content: %+v", r)
		}
	}
	// a Streebog-256 signature labelled 2001 does not verify (the 94 hash is used)
	streebogSigned := detached2001(t, doc, "SIGNED_BY_CONSUMER", SigGOST2001, DigestGOST2001, cert.Raw, func(b []byte) []byte {
		sig, _ := priv.Sign(rand.Reader, streebogSum(b), nil)
		return sig
	})
	if r := verifyOnly(t, streebogSigned, legacyTime); r.SignatureOK || !r.DigestOK || r.Problems[0].Code != ProbSignature {
		t.Fatalf("Streebog signature under the 2001 URI: %+v", r)
	}
	// 2001 with a 512-bit key: refused with a reason
	k512, _ := gost3410.GenerateKey(gost3410.CurveTC26512A(), rand.Reader)
	c512 := gostCert(t, k512, legacyTime.AddDate(-1, 0, 0), legacyTime.AddDate(1, 0, 0))
	signed512 := detached2001(t, doc, "SIGNED_BY_CONSUMER", SigGOST2001, DigestGOST2001, c512.Raw, func(b []byte) []byte {
		h := streebog.New512()
		h.Write(b)
		sig, _ := k512.Sign(rand.Reader, h.Sum(nil), nil)
		return sig
	})
	if r := verifyOnly(t, signed512, legacyTime); r.SignatureOK || r.Problems[0].Code != ProbUnsupported || !strings.Contains(r.Problem(), "256-bit") {
		t.Fatalf("2001 with a 512-bit key: %+v", r)
	}
}

func streebogSum(b []byte) []byte {
	h := streebog.New256()
	h.Write(b)
	return h.Sum(nil)
}

// TestVerifyGOST2001OpenSSL: the 2001 key and its certificate (key
// 1.2.643.2.2.19, signed 1.2.643.2.2.3) come from OpenSSL's GOST engine,
// which also signs the canonical SignedInfo (`dgst -md_gost94 -sign`).
func TestVerifyGOST2001OpenSSL(t *testing.T) {
	openssl := testtool.Require(t, "openssl", "openssl")
	testtool.RequireFile(t, "/usr/lib/x86_64-linux-gnu/engines-3/gost.so", "OpenSSL's GOST engine (Debian package libengine-gost-openssl)")
	dir := t.TempDir()
	run := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command(openssl, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	run("genpkey", "-engine", "gost", "-algorithm", "gost2001", "-pkeyopt", "paramset:A", "-out", "k.pem")
	run("req", "-engine", "gost", "-new", "-x509", "-md_gost94", "-key", "k.pem", "-utf8",
		"-subj", "/CN=Иванова Мария Петровна/C=RU", "-days", "2", "-out", "c.pem")
	b, _ := os.ReadFile(filepath.Join(dir, "c.pem"))
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatal("no certificate from openssl")
	}
	cert, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if alg, _ := gostx509.SignatureAlgorithmOID(cert); !alg.Equal(gostx509.OIDSignature2001) {
		t.Fatalf("openssl certificate signed with %s", alg)
	}
	if _, err := certPublicKey(cert); err != nil {
		t.Fatalf("certPublicKey cannot read the 2001 key: %v", err)
	}
	opensslSign := func(canon []byte) []byte {
		if err := os.WriteFile(filepath.Join(dir, "si.xml"), canon, 0o600); err != nil {
			t.Fatal(err)
		}
		run("dgst", "-engine", "gost", "-md_gost94", "-sign", "k.pem", "-out", "si.sig", "si.xml")
		sig, _ := os.ReadFile(filepath.Join(dir, "si.sig"))
		return sig
	}
	at := cert.NotBefore.Add(time.Hour)
	for _, u := range legacyURIs {
		signed := detached2001(t, sendRequest(2000), "SIGNED_BY_CONSUMER", u[0], u[1], cert.Raw, opensslSign)
		r := verifyOnly(t, signed, at)
		if !r.DigestOK || !r.SignatureOK || !r.Valid() {
			t.Fatalf("%s, signed by openssl: %+v %s", u[0], r, r.Problem())
		}
		if r.Certificate == nil || r.Certificate.PublicKey != "GOST R 34.10-2001" {
			t.Errorf("certificate info %+v", r.Certificate)
		}
		sv := []byte("<ds:SignatureValue>")
		i := bytes.Index(signed, sv) + len(sv)
		bad := bytes.Clone(signed)
		if bad[i+3] = 'A'; signed[i+3] == 'A' { // another base64 letter
			bad[i+3] = 'B'
		}
		if r := verifyOnly(t, bad, at); r.SignatureOK {
			t.Fatalf("%s: a changed SignatureValue verified", u[0])
		}
	}
}

// legacyKey claims the 2001 URIs: Sign must refuse them before signing.
type legacyKey struct {
	keys.Key
	alg keys.Algorithm
}

func (k legacyKey) Algorithm() keys.Algorithm { return k.alg }

func (k legacyKey) SignData([]byte) ([]byte, error) {
	return nil, errors.New("SignData must not be reached for a 2001 algorithm")
}

// TestSignRefusesGOST2001: signing with a 2001 URI is impossible (sign.go
// knows only newDigest/sigHash), and a software key on a CryptoPro curve
// signs with GOST R 34.10-2012, never 2001.
func TestSignRefusesGOST2001(t *testing.T) {
	base := allKeys(t)["GOST-256"]
	doc := sendRequest(1000)
	for _, alg := range []keys.Algorithm{
		{Signature: SigGOST2001, Digest: DigestGOST2001}, {Signature: SigGOST2001CP, Digest: DigestGOST2001CP},
		{Signature: keys.SigGOST256, Digest: DigestGOST2001}, {Signature: SigGOST2001, Digest: keys.DigestGOST256},
	} {
		_, err := SignatureFor(doc, "SIGNED_BY_CONSUMER", legacyKey{base, alg})
		var de *domain.Error
		if err == nil || !errors.As(err, &de) || de.Code != domain.EUNSUPPORTED {
			t.Errorf("%+v: signing not refused as unsupported: %v", alg, err)
		}
	}
	if a := base.Algorithm(); a != keys.AlgGOST256 {
		t.Fatalf("CryptoPro-A software key signs with %+v", a)
	}
	if newDigest(DigestGOST2001) != nil || newDigest(DigestGOST2001CP) != nil {
		t.Fatal("the 2001 digest is offered to signing")
	}
	for _, u := range legacyURIs {
		if h, _ := sigHash(u[0]); h != nil {
			t.Fatalf("%s is offered to signing", u[0])
		}
	}
}
