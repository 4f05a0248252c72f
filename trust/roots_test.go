package trust

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/gost/gostx509"
)

// The SHA-256 of the DER of each built-in root, from the table in
// shared/smev/real/tsl/TSL-FORMAT.md (computed there with openssl on the
// copies of schors/gost-russian-ca d78b6ce).
var rootFingerprints = map[string]struct {
	sha256, cn string
	gost2001   bool
}{
	"roots/guc-2012-gost2001.pem": {"4e450e4971f2d77d22567b55ecc2162b3dfd0d2fa6a8da8a92cdcabc80489b59", "Головной удостоверяющий центр", true},
	"roots/minkomsvyaz-2018.pem":  {"bae62b5b7bede326b06856fb67a2a471268f9f404e5b18fdf40261c3e63010b1", "Минкомсвязь России", false},
	"roots/minkomsvyaz-2021.pem":  {"d5a17174722fa9719fe3e82a2bc0b9fd834c158603194c45a395dc66e02cd891", "Минкомсвязь России", false},
	"roots/mincifry-2022.pem":     {"4bb37cc7c0ff4bf2aa893e95076ebb3565c69237ee1b61635beee4c1966495c7", "Минцифры России", false},
	"roots/mincifry-2025.pem":     {"bdb075c0f81614c4edf1146ba7a5bef3d2e02980f22d1e9b03cf2afb7b675c23", "Минцифры России", false},
	"roots/mincifry-2026.pem":     {"a2375989f1e52984eb138416012e1d302b44c2026290d45890640c739dd32aa8", "Минцифры России", false},
}

func TestBuiltinRootFingerprints(t *testing.T) {
	seen := 0
	for name, want := range rootFingerprints {
		b, err := rootFS.ReadFile(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		certs, err := parsePEMCertificates(b, 2)
		if err != nil || len(certs) != 1 {
			t.Fatalf("%s: %v, %d certificates", name, err, len(certs))
		}
		sum := sha256.Sum256(certs[0].Raw)
		if got := hex.EncodeToString(sum[:]); got != want.sha256 {
			t.Errorf("%s: SHA-256 %s, want %s", name, got, want.sha256)
		}
		if certs[0].Subject.CommonName != want.cn || !certs[0].IsCA {
			t.Errorf("%s: CN %q, CA %v", name, certs[0].Subject.CommonName, certs[0].IsCA)
		}
		alg, _ := outerAlgorithm(certs[0].Raw)
		if alg.Equal(gostx509.OIDSignature2001) != want.gost2001 {
			t.Errorf("%s: signature algorithm %s", name, alg)
		}
		seen++
	}
	if roots := BuiltinRoots(); len(roots) != len(rootFingerprints) || seen != len(roots) {
		t.Fatalf("%d built-in roots, %d pinned", len(roots), len(rootFingerprints))
	}
}

// Every built-in root's self-signature verifies with its own key, and each
// is an anchor of production at a moment inside its validity.
func TestBuiltinRootsVerifyThemselves(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s.SetFetcher(nil)
	for _, root := range BuiltinRoots() {
		t.Run(root.NotBefore.Format("2006")+"-"+root.Subject.CommonName, func(t *testing.T) {
			err := checkCertSignature(root, root)
			if errors.Is(err, errUnsupported) {
				// Depends on GOST R 34.11-94 / 34.10-2001 in gostx509
				// (CheckSignature for 1.2.643.2.2.3), being added.
				t.Fatalf("the GOST R 34.10-2001 root cannot be checked yet: %v", err)
			}
			if err != nil {
				t.Fatalf("self-signature: %v", err)
			}
			at := root.NotBefore.Add(24 * time.Hour)
			r := s.Verify(root, nil, Production, at)
			wantVerdict(t, r, Trusted, "")
			if len(r.Chain) != 1 || !r.Chain[0].Anchor || r.Chain[0].OGRN != "1047702026701" {
				t.Fatalf("%+v", r.Chain)
			}
			wantVerdict(t, s.Verify(root, nil, Training, at), Untrusted, SelfSigned)
			wantVerdict(t, s.Verify(root, nil, Production, root.NotAfter.Add(time.Hour)), Untrusted, Expired)
		})
	}
}

// A tampered copy of a root is not the root: it is self-signed and its
// signature does not verify.
func TestTamperedRootNotTrusted(t *testing.T) {
	s := openTest(t, BuiltinRoots()...)
	for _, root := range BuiltinRoots() {
		alg, _ := outerAlgorithm(root.Raw)
		if alg.Equal(gostx509.OIDSignature2001) {
			continue
		}
		der := append([]byte(nil), root.Raw...)
		der[len(der)-3] ^= 1
		fake, err := parseCert(der)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkCertSignature(fake, fake); err == nil || errors.Is(err, errUnsupported) {
			t.Fatalf("tampered root signature: %v", err)
		}
		r := s.Verify(fake, nil, Production, root.NotBefore.Add(time.Hour))
		wantVerdict(t, r, Untrusted, "")
		if !strings.Contains(r.English(), "not trusted") {
			t.Fatal(r.English())
		}
	}
}

// A self-signed certificate under the name of a real head CA root (its
// subject copied byte for byte, another key) is not that root.
func TestSelfSignedCopyOfRealRoot(t *testing.T) {
	s := openTest(t, BuiltinRoots()...)
	for _, root := range BuiltinRoots() {
		fake := mkGOST(t, spec{rawSubj: root.RawSubject, ca: true, pathLen: -1, from: root.NotBefore, to: root.NotAfter}, nil)
		if !bytes.Equal(fake.cert.RawSubject, root.RawSubject) || !bytes.Equal(fake.cert.RawIssuer, root.RawSubject) {
			t.Fatal("the copy does not carry the root's name")
		}
		at := root.NotBefore.Add(48 * time.Hour)
		r := s.Verify(fake.cert, nil, Production, at)
		wantVerdict(t, r, Untrusted, SelfSigned)
		if r.Chain[0].Subject != root.Subject.CommonName || r.Chain[0].OGRN != "1047702026701" {
			t.Fatalf("%+v", r.Chain[0])
		}
		leaf := mkGOST(t, spec{cn: "Оператор СМЭВ", from: root.NotBefore.Add(time.Hour)}, fake)
		r = s.Verify(leaf.cert, []*x509.Certificate{fake.cert}, Production, at)
		if r.Verdict != Untrusted || len(r.Chain) != 1 {
			t.Fatalf("leaf of the copy: %+v", r)
		}
	}
}
