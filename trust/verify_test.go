package trust

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/gost/gostx509"
)

// trustedStore is a store whose Test contour trusts ch.root, with CRLs of
// both CAs issued at crlAt (valid for a month) and the given revocations
// of the intermediate's certificates.
func trustedStore(t *testing.T, ch gostChain, crlAt time.Time, revoked ...x509.RevocationListEntry) *Store {
	t.Helper()
	s := openTest(t)
	if err := s.AddAnchor(Test, ch.root.cert); err != nil {
		t.Fatal(err)
	}
	mustAddCRL(t, s, mkGOSTCRL(t, ch.root, crlAt, crlAt.AddDate(0, 1, 0)))
	mustAddCRL(t, s, mkGOSTCRL(t, ch.inter, crlAt, crlAt.AddDate(0, 1, 0), revoked...), ch.inter.cert)
	return s
}

func TestTrustedGOSTChain(t *testing.T) {
	ch := newGOSTChain(t, "")
	s := trustedStore(t, ch, day(60))
	r := s.Verify(ch.leaf.cert, []*x509.Certificate{ch.inter.cert}, Test, day(70))
	wantVerdict(t, r, Trusted, "")
	if !r.RevocationChecked || len(r.Reasons) != 0 || r.Text() != "действительна" || r.English() != "valid" {
		t.Fatalf("trusted result: %+v %q", r, r.Text())
	}
	if len(r.Chain) != 3 || r.Chain[0].Subject != "Иванова Мария Петровна" || r.Chain[1].Issuer != "Тестовый головной УЦ" ||
		!r.Chain[2].Anchor || r.Chain[0].Anchor || r.Chain[0].Serial == "" || r.Chain[0].NotAfter != ch.leaf.cert.NotAfter {
		t.Fatalf("chain: %+v", r.Chain)
	}
	// The same leaf is a stranger in production and in training.
	wantVerdict(t, s.Verify(ch.leaf.cert, []*x509.Certificate{ch.inter.cert}, Production, day(70)), Untrusted, UnknownIssuer)
	wantVerdict(t, s.Verify(ch.leaf.cert, []*x509.Certificate{ch.inter.cert}, Training, day(70)), Untrusted, UnknownIssuer)
	// Without the intermediate no path exists.
	wantVerdict(t, s.Verify(ch.leaf.cert, nil, Test, day(70)), Untrusted, UnknownIssuer)
}

func TestRevocationUnknownIsUntrustedByDefault(t *testing.T) {
	ch := newGOSTChain(t, "")
	s := openTest(t)
	if err := s.AddAnchor(Test, ch.root.cert); err != nil {
		t.Fatal(err)
	}
	extra := []*x509.Certificate{ch.inter.cert}
	r := s.Verify(ch.leaf.cert, extra, Test, day(70))
	wantVerdict(t, r, Untrusted, RevocationUnknown)
	if r.RevocationChecked || !strings.Contains(r.Text(), "статус отзыва не проверен") || !strings.HasPrefix(r.Text(), "математически верна, но сертификат не доверенный: ") {
		t.Fatalf("text: %q", r.Text())
	}
	r = s.VerifyContext(t.Context(), ch.leaf.cert, Options{Contour: Test, At: day(70), Intermediates: extra, Revocation: RevocationBestEffort})
	wantVerdict(t, r, Trusted, RevocationUnknown)
	if r.RevocationChecked || r.Text() != "действительна (статус отзыва не проверен)" {
		t.Fatalf("best effort: %q", r.Text())
	}
}

func TestSelfSignedCopyOfOwner(t *testing.T) {
	ch := newGOSTChain(t, "")
	s := trustedStore(t, ch, day(60))
	subj := ch.leaf.cert.Subject
	forged := mkGOST(t, spec{subject: &subj, from: day(30)}, nil)
	r := s.Verify(forged.cert, []*x509.Certificate{ch.inter.cert, ch.leaf.cert}, Test, day(70))
	wantVerdict(t, r, Untrusted, SelfSigned)
	if !strings.Contains(r.Text(), "самоподписанный") || r.Chain[0].Subject != "Иванова Мария Петровна" {
		t.Fatalf("%q %+v", r.Text(), r.Chain)
	}
	// The same with the name of the trusted root itself.
	rootSubj := ch.root.cert.Subject
	fakeRoot := mkGOST(t, spec{subject: &rootSubj, ca: true, pathLen: -1}, nil)
	wantVerdict(t, s.Verify(fakeRoot.cert, nil, Test, day(70)), Untrusted, SelfSigned)
	// A leaf issued by the fake root, under the real root's name.
	fakeLeaf := mkGOST(t, spec{cn: "Иванова Мария Петровна", from: day(30)}, fakeRoot)
	r = s.Verify(fakeLeaf.cert, []*x509.Certificate{fakeRoot.cert}, Test, day(70))
	wantVerdict(t, r, Untrusted, "")
	if r.Has(SelfSigned) || len(r.Chain) != 1 {
		t.Fatalf("leaf of a fake root: %+v", r)
	}
}

func TestUnknownIssuer(t *testing.T) {
	ch := newGOSTChain(t, "")
	other := newGOSTChain(t, "")
	s := trustedStore(t, ch, day(60))
	r := s.Verify(other.leaf.cert, []*x509.Certificate{other.inter.cert}, Test, day(70))
	wantVerdict(t, r, Untrusted, UnknownIssuer)
	if !strings.Contains(r.Text(), "издатель сертификата неизвестен") {
		t.Fatalf("%q", r.Text())
	}
	wantVerdict(t, s.Verify(nil, nil, Test, day(70)), Untrusted, NoCertificate)
	wantVerdict(t, s.Verify(ch.leaf.cert, nil, Contour("nowhere"), day(70)), Untrusted, UnknownIssuer)
}

// A signature that arrived while everything was valid is judged as it was
// then (the reprint a year later passes the receipt time); judged now, the
// expired leaf is not trusted.
func TestExpiredLinkJudgedAtReceipt(t *testing.T) {
	ch := newGOSTChain(t, "")
	// CRLs issued after both moments list every revocation up to then.
	s := trustedStore(t, ch, day(500))
	extra := []*x509.Certificate{ch.inter.cert}
	receipt, later := day(100), day(450)
	wantVerdict(t, s.Verify(ch.leaf.cert, extra, Test, receipt), Trusted, "")
	r := s.Verify(ch.leaf.cert, extra, Test, later)
	wantVerdict(t, r, Untrusted, Expired)
	if r.Reasons[0].Cert != 0 || !r.Reasons[0].When.Equal(ch.leaf.cert.NotAfter) || !strings.Contains(r.Text(), "срок действия сертификата истёк («Иванова Мария Петровна»") {
		t.Fatalf("%+v %q", r.Reasons, r.Text())
	}
	r = s.Verify(ch.leaf.cert, extra, Test, day(10))
	wantVerdict(t, r, Untrusted, NotYetValid)
	// An expired intermediate at the moment is found as well.
	r = s.Verify(ch.leaf.cert, extra, Test, ch.inter.cert.NotAfter.Add(time.Hour))
	if !r.Has(Expired) || r.Reasons[len(r.Reasons)-1].Cert != 1 {
		t.Fatalf("expired intermediate: %+v", r.Reasons)
	}
}

func TestRevokedInCRL(t *testing.T) {
	ch := newGOSTChain(t, "")
	revokedAt := day(90)
	s := trustedStore(t, ch, day(120), x509.RevocationListEntry{SerialNumber: ch.leaf.cert.SerialNumber, RevocationTime: revokedAt, ReasonCode: 4})
	extra := []*x509.Certificate{ch.inter.cert}
	r := s.Verify(ch.leaf.cert, extra, Test, day(100))
	wantVerdict(t, r, Untrusted, Revoked)
	if !strings.Contains(r.Text(), "сертификат отозван («Иванова Мария Петровна», 31.03.2024)") {
		t.Fatalf("%q", r.Text())
	}
	// Before the revocation it was good.
	wantVerdict(t, s.Verify(ch.leaf.cert, extra, Test, day(80)), Trusted, "")

	// A key compromise reaches back: no signature of that key is trusted.
	ch2 := newGOSTChain(t, "")
	s2 := trustedStore(t, ch2, day(120), x509.RevocationListEntry{SerialNumber: ch2.leaf.cert.SerialNumber, RevocationTime: revokedAt, ReasonCode: 1})
	wantVerdict(t, s2.Verify(ch2.leaf.cert, []*x509.Certificate{ch2.inter.cert}, Test, day(80)), Untrusted, Revoked)
}

func TestNotCAIssuerRefused(t *testing.T) {
	root := mkGOST(t, spec{cn: "Корень", ca: true, pathLen: -1}, nil)
	clerk := mkGOST(t, spec{cn: "Не УЦ", usage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign}, root)
	leaf := mkGOST(t, spec{cn: "Выпущен не УЦ", from: day(30)}, clerk)
	s := openTest(t)
	if err := s.AddAnchor(Test, root.cert); err != nil {
		t.Fatal(err)
	}
	r := s.Verify(leaf.cert, []*x509.Certificate{clerk.cert}, Test, day(60))
	wantVerdict(t, r, Untrusted, NotCA)
	if r.Reasons[0].Cert != 1 || len(r.Chain) != 3 {
		t.Fatalf("%+v", r)
	}
	// Without basicConstraints at all, the same.
	noBC := mkGOST(t, spec{cn: "Без ограничений", noBC: true, usage: x509.KeyUsageCertSign}, root)
	leaf2 := mkGOST(t, spec{cn: "Выпущен без ограничений", from: day(30)}, noBC)
	wantVerdict(t, s.Verify(leaf2.cert, []*x509.Certificate{noBC.cert}, Test, day(60)), Untrusted, NotCA)
}

func TestKeyUsage(t *testing.T) {
	root := mkGOST(t, spec{cn: "Корень", ca: true, pathLen: -1}, nil)
	s := openTest(t)
	if err := s.AddAnchor(Test, root.cert); err != nil {
		t.Fatal(err)
	}
	enc := mkGOST(t, spec{cn: "Только шифрование", usage: x509.KeyUsageKeyEncipherment}, root)
	wantVerdict(t, s.Verify(enc.cert, nil, Test, day(60)), Untrusted, KeyUsage)
	nonRep := mkGOST(t, spec{cn: "Неотказуемость", usage: x509.KeyUsageContentCommitment}, root)
	r := s.VerifyContext(t.Context(), nonRep.cert, Options{Contour: Test, At: day(60), Revocation: RevocationBestEffort})
	wantVerdict(t, r, Trusted, "")
	noUsage := mkGOST(t, spec{cn: "Без назначения", noDefault: true}, root)
	wantVerdict(t, s.VerifyContext(t.Context(), noUsage.cert, Options{Contour: Test, At: day(60), Revocation: RevocationBestEffort}), Trusted, "")
	crlOnly := mkGOST(t, spec{cn: "УЦ без keyCertSign", ca: true, pathLen: -1, usage: x509.KeyUsageCRLSign}, root)
	leaf := mkGOST(t, spec{cn: "Лист", from: day(30)}, crlOnly)
	r = s.Verify(leaf.cert, []*x509.Certificate{crlOnly.cert}, Test, day(60))
	wantVerdict(t, r, Untrusted, KeyUsage)
	if r.Reasons[0].Cert != 1 {
		t.Fatalf("%+v", r.Reasons)
	}
}

func TestPathTooLong(t *testing.T) {
	root := mkGOST(t, spec{cn: "Корень", ca: true, pathLen: -1}, nil)
	s := openTest(t)
	if err := s.AddAnchor(Test, root.cert); err != nil {
		t.Fatal(err)
	}
	cur, extra, cas := root, []*x509.Certificate{}, []*gcert{}
	for i := 0; i < MaxPathLength; i++ { // root + 8 CAs + leaf = 10 > MaxPathLength
		cur = mkGOST(t, spec{cn: "УЦ уровня " + string(rune('1'+i)), ca: true, pathLen: -1}, cur)
		extra, cas = append(extra, cur.cert), append(cas, cur)
	}
	leaf := mkGOST(t, spec{cn: "Глубокий лист", from: day(30)}, cur)
	r := s.Verify(leaf.cert, extra, Test, day(60))
	wantVerdict(t, r, Untrusted, PathTooLong)
	if !strings.Contains(r.Text(), "цепочка сертификатов слишком длинная") {
		t.Fatalf("%q", r.Text())
	}
	// Within the limit the same kind of chain is found: root + 6 CAs + leaf.
	short := mkGOST(t, spec{cn: "Лист уровня 6", from: day(30)}, cas[5])
	r = s.VerifyContext(t.Context(), short.cert, Options{Contour: Test, At: day(60), Intermediates: extra, Revocation: RevocationBestEffort})
	wantVerdict(t, r, Trusted, "")
	if len(r.Chain) != 8 {
		t.Fatalf("chain of %d", len(r.Chain))
	}
}

func TestPathLenConstraint(t *testing.T) {
	root := mkGOST(t, spec{cn: "Корень с pathLen 0", ca: true, pathLen: 0}, nil)
	inter := mkGOST(t, spec{cn: "Промежуточный", ca: true, pathLen: -1}, root)
	leaf := mkGOST(t, spec{cn: "Лист", from: day(30)}, inter)
	s := openTest(t)
	if err := s.AddAnchor(Test, root.cert); err != nil {
		t.Fatal(err)
	}
	r := s.Verify(leaf.cert, []*x509.Certificate{inter.cert}, Test, day(60))
	wantVerdict(t, r, Untrusted, PathTooLong)
	if r.Reasons[0].Cert != 2 {
		t.Fatalf("%+v", r.Reasons)
	}
}

// Cross-signed CAs that issue each other make a loop; the search ends.
func TestCycleTerminates(t *testing.T) {
	a := mkGOST(t, spec{cn: "УЦ А", ca: true, pathLen: -1}, nil)
	b := mkGOST(t, spec{cn: "УЦ Б", ca: true, pathLen: -1}, a)
	aByB := reissue(t, a, b) // A's key and name, signed by B
	leaf := mkGOST(t, spec{cn: "Лист в петле", from: day(30)}, a)
	anchor := mkGOST(t, spec{cn: "Посторонний корень", ca: true, pathLen: -1}, nil)
	s := openTest(t)
	if err := s.AddAnchor(Test, anchor.cert); err != nil {
		t.Fatal(err)
	}
	extra := []*x509.Certificate{aByB.cert, b.cert, a.cert}
	r := s.Verify(leaf.cert, extra, Test, day(60))
	wantVerdict(t, r, Untrusted, UnknownIssuer)
	// Once A is trusted, the loop leads to it.
	if err := s.AddAnchor(Test, a.cert); err != nil {
		t.Fatal(err)
	}
	r = s.VerifyContext(t.Context(), leaf.cert, Options{Contour: Test, At: day(60), Intermediates: extra, Revocation: RevocationBestEffort})
	wantVerdict(t, r, Trusted, "")
}

func gostx509CreateCertificate(tmpl *x509.Certificate, issuer, subject *gcert) ([]byte, error) {
	return gostx509.CreateCertificate(rand.Reader, tmpl, issuer.cert, &subject.key.PublicKey, issuer.key)
}

// reissue makes a certificate with c's name and key, signed by issuer.
func reissue(t *testing.T, c, issuer *gcert) *gcert {
	t.Helper()
	tmpl := *c.cert
	tmpl.AuthorityKeyId = nil
	der, err := gostx509CreateCertificate(&tmpl, issuer, c)
	if err != nil {
		t.Fatal(err)
	}
	out, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &gcert{cert: out, key: c.key}
}

func TestBadSignatureLink(t *testing.T) {
	ch := newGOSTChain(t, "")
	s := trustedStore(t, ch, day(60))
	// An impostor intermediate: the real one's name and key identifier,
	// another key. Leaves it issues carry the right names.
	subj := ch.inter.cert.Subject
	fake := mkGOST(t, spec{subject: &subj, ca: true, pathLen: -1}, nil)
	tmpl := *fake.cert
	tmpl.SubjectKeyId = ch.inter.cert.SubjectKeyId
	tmpl.AuthorityKeyId = ch.root.cert.SubjectKeyId
	der, err := gostx509CreateCertificate(&tmpl, ch.root, fake) // signed by the real root: would verify…
	if err != nil {
		t.Fatal(err)
	}
	der[len(der)-5] ^= 0x40 // …but the signature is broken
	broken, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	leaf := mkGOST(t, spec{cn: "Лист подделки", from: day(30)}, &gcert{cert: broken, key: fake.key})
	r := s.Verify(leaf.cert, []*x509.Certificate{broken}, Test, day(70))
	wantVerdict(t, r, Untrusted, BadSignature)
}

func TestLeafPinnedAsAnchor(t *testing.T) {
	ch := newGOSTChain(t, "")
	s := openTest(t)
	if err := s.AddAnchor(Training, ch.leaf.cert); err != nil {
		t.Fatal(err)
	}
	r := s.Verify(ch.leaf.cert, nil, Training, day(70))
	wantVerdict(t, r, Trusted, "")
	if len(r.Chain) != 1 || !r.Chain[0].Anchor || !r.RevocationChecked {
		t.Fatalf("%+v", r)
	}
	wantVerdict(t, s.Verify(ch.leaf.cert, nil, Training, day(400)), Untrusted, Expired)
}

func TestRSAAndECDSAChains(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leafKey, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	root := mkX509(t, spec{cn: "RSA root", ca: true, pathLen: -1}, rsaKey, nil, nil)
	inter := mkX509(t, spec{cn: "ECDSA CA", ca: true, pathLen: 0}, ecKey, root, rsaKey)
	leaf := mkX509(t, spec{cn: "ECDSA leaf", from: day(30)}, leafKey, inter, ecKey)
	s := openTest(t)
	if err := s.AddAnchor(Training, root); err != nil {
		t.Fatal(err)
	}
	crl := func(issuer *x509.Certificate, key crypto.Signer, revoked ...x509.RevocationListEntry) []byte {
		der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{Number: big.NewInt(1), ThisUpdate: day(50), NextUpdate: day(80),
			RevokedCertificateEntries: revoked}, issuer, key)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	mustAddCRL(t, s, crl(root, rsaKey))
	mustAddCRL(t, s, crl(inter, ecKey), inter)
	extra := []*x509.Certificate{inter}
	r := s.Verify(leaf, extra, Training, day(60))
	wantVerdict(t, r, Trusted, "")
	if len(r.Chain) != 3 || !r.RevocationChecked {
		t.Fatalf("%+v", r)
	}
	// Revoked by the ECDSA CA.
	mustAddCRL(t, s, crl(inter, ecKey, x509.RevocationListEntry{SerialNumber: leaf.SerialNumber, RevocationTime: day(55)}), inter)
	wantVerdict(t, s.Verify(leaf, extra, Training, day(60)), Untrusted, Revoked)
	// A GOST leaf cannot hang under an ECDSA CA by name alone.
	gleaf := mkGOST(t, spec{cn: "ECDSA leaf", from: day(30)}, nil)
	wantVerdict(t, s.Verify(gleaf.cert, extra, Training, day(60)), Untrusted, "")
}
