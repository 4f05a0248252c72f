package trust

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gostx509"
)

// base is the fixed origin of every test certificate's validity: no test
// depends on today's date.
var base = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func day(n int) time.Time { return base.AddDate(0, 0, n) }

// spec describes a test certificate.
type spec struct {
	cn        string
	ca        bool
	noBC      bool // no basicConstraints at all
	pathLen   int  // with ca: -1 for none
	from, to  time.Time
	usage     x509.KeyUsage // 0: a sensible default
	crlURL    string
	curve     *gost3410.Curve
	subject   *pkix.Name // overrides cn
	rawSubj   []byte     // overrides both: the DER of a name
	serial    int64
	noDefault bool // usage 0 means no keyUsage extension
}

// gcert is a GOST certificate with its key.
type gcert struct {
	cert *x509.Certificate
	key  *gost3410.PrivateKey
}

var serialSeq int64 = 1000

// mkGOST issues a GOST certificate per s, signed by parent (self-signed
// when parent is nil).
func mkGOST(t testing.TB, s spec, parent *gcert) *gcert {
	t.Helper()
	curve := s.curve
	if curve == nil {
		curve = gost3410.CurveCryptoProA()
	}
	key, err := gost3410.GenerateKey(curve, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := template(s)
	signerKey, parentCert := key, tmpl
	if parent != nil {
		signerKey, parentCert = parent.key, parent.cert
	}
	der, err := gostx509.CreateCertificate(rand.Reader, tmpl, parentCert, &key.PublicKey, signerKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &gcert{cert: c, key: key}
}

func template(s spec) *x509.Certificate {
	serialSeq++
	serial := s.serial
	if serial == 0 {
		serial = serialSeq
	}
	if s.from.IsZero() {
		s.from = day(0)
	}
	if s.to.IsZero() {
		s.to = s.from.AddDate(10, 0, 0)
	}
	name := pkix.Name{CommonName: s.cn, Country: []string{"RU"}}
	if s.subject != nil {
		name = *s.subject
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: name, RawSubject: s.rawSubj, NotBefore: s.from, NotAfter: s.to, KeyUsage: s.usage}
	if s.ca {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.MaxPathLen = s.pathLen
		tmpl.MaxPathLenZero = s.pathLen == 0
		if s.usage == 0 && !s.noDefault {
			tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
		}
	} else {
		tmpl.BasicConstraintsValid = !s.noBC
		if s.usage == 0 && !s.noDefault {
			tmpl.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
		}
	}
	if s.crlURL != "" {
		tmpl.CRLDistributionPoints = []string{s.crlURL}
	}
	return tmpl
}

// gostChain is root → intermediate (512-bit) → leaf, all GOST 2012.
type gostChain struct {
	root, inter, leaf *gcert
}

func newGOSTChain(t testing.TB, leafCRL string) gostChain {
	t.Helper()
	root := mkGOST(t, spec{cn: "Тестовый головной УЦ", ca: true, pathLen: -1, from: day(0), to: day(0).AddDate(20, 0, 0)}, nil)
	inter := mkGOST(t, spec{cn: "Тестовый аккредитованный УЦ", ca: true, pathLen: 0, from: day(1), to: day(1).AddDate(10, 0, 0),
		curve: gost3410.CurveTC26512A()}, root)
	leaf := mkGOST(t, spec{cn: "Иванова Мария Петровна", from: day(30), to: day(30).AddDate(1, 0, 0), crlURL: leafCRL}, inter)
	return gostChain{root: root, inter: inter, leaf: leaf}
}

// mkGOSTCRL makes a CRL signed with issuer's GOST key: crypto/x509 builds
// the tbsCertList with a throwaway ECDSA key, then its signature algorithm
// is replaced and it is signed with GOST.
func mkGOSTCRL(t testing.TB, issuer *gcert, this, next time.Time, revoked ...x509.RevocationListEntry) []byte {
	t.Helper()
	throwaway, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.RevocationList{Number: big.NewInt(this.Unix()), ThisUpdate: this, NextUpdate: next, RevokedCertificateEntries: revoked}
	proto, err := x509.CreateRevocationList(rand.Reader, tmpl, issuer.cert, throwaway)
	if err != nil {
		t.Fatal(err)
	}
	alg := gostx509.SignatureAlgorithm(issuer.key.Curve)
	tbs := replaceField(t, proto, 1, alg)
	h := issuer.key.Curve.NewHash()
	h.Write(tbs)
	sig, err := issuer.key.Sign(rand.Reader, h.Sum(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	return marshalSigned(t, tbs, alg, sig)
}

// replaceField returns the tbs of a signed DER structure with its field i
// (an AlgorithmIdentifier) replaced by alg without parameters.
func replaceField(t testing.TB, der []byte, i int, alg asn1.ObjectIdentifier) []byte {
	t.Helper()
	var outer signed
	if _, err := asn1.Unmarshal(der, &outer); err != nil {
		t.Fatal(err)
	}
	var seq asn1.RawValue
	if _, err := asn1.Unmarshal(outer.TBS.FullBytes, &seq); err != nil {
		t.Fatal(err)
	}
	var body []byte
	for rest, n := seq.Bytes, 0; len(rest) > 0; n++ {
		var f asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &f); err != nil {
			t.Fatal(err)
		}
		if n == i {
			b, _ := asn1.Marshal(struct{ Algorithm asn1.ObjectIdentifier }{alg})
			body = append(body, b...)
			continue
		}
		body = append(body, f.FullBytes...)
	}
	out, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: body})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func marshalSigned(t testing.TB, tbs []byte, alg asn1.ObjectIdentifier, sig []byte) []byte {
	t.Helper()
	out, err := asn1.Marshal(struct {
		TBS       asn1.RawValue
		Algorithm struct{ Algorithm asn1.ObjectIdentifier }
		Signature asn1.BitString
	}{asn1.RawValue{FullBytes: tbs}, struct{ Algorithm asn1.ObjectIdentifier }{alg}, asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// mkX509 issues an RSA or ECDSA certificate with crypto/x509.
func mkX509(t testing.TB, s spec, key crypto.Signer, parent *x509.Certificate, parentKey crypto.Signer) *x509.Certificate {
	t.Helper()
	tmpl := template(s)
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// openTest opens a store in a temporary directory with the given head CA
// roots (nil: none), offline.
func openTest(t testing.TB, roots ...*x509.Certificate) *Store {
	t.Helper()
	s, err := openWithRoots(t.TempDir(), roots)
	if err != nil {
		t.Fatal(err)
	}
	s.SetFetcher(nil)
	return s
}

func mustAddCRL(t testing.TB, s *Store, der []byte, issuers ...*x509.Certificate) {
	t.Helper()
	if err := s.AddCRL(der, issuers...); err != nil {
		t.Fatal(err)
	}
}

// wantVerdict fails unless r has the verdict and (for Untrusted) the code.
func wantVerdict(t testing.TB, r Result, v Verdict, code Code) {
	t.Helper()
	if r.Verdict != v || (code != "" && !r.Has(code)) {
		t.Fatalf("verdict %v %+v, want %v with %q\n%s", r.Verdict, r.Reasons, v, code, r.English())
	}
}

func parseCert(der []byte) (*x509.Certificate, error) { return x509.ParseCertificate(der) }

// dataDir is the data directory a store was opened in.
func dataDir(s *Store) string { return filepath.Dir(s.dir) }
