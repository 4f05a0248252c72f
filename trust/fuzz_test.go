package trust

import (
	"bytes"
	"crypto/x509"
	"encoding/binary"
	"strings"
	"testing"
)

func FuzzParseTSL(f *testing.F) {
	w := newTSLWorld(f, 5)
	f.Add(w.tsl)
	f.Add(buildTSL(1))
	f.Add(w.tsl[:len(w.tsl)/3])
	f.Add([]byte(`<АккредитованныеУдостоверяющиеЦентры><Версия>1</Версия><УдостоверяющийЦентр><ПрограммноАппаратныеКомплексы><ПрограммноАппаратныйКомплекс><КлючиУполномоченныхЛиц><Ключ><Сертификаты><ДанныеСертификата><Отпечаток>DA39A3EE5E6B4B0D3255BFEF95601890AFD80709</Отпечаток><Данные></Данные></ДанныеСертификата></Сертификаты></Ключ></КлючиУполномоченныхЛиц></ПрограммноАппаратныйКомплекс></ПрограммноАппаратныеКомплексы></УдостоверяющийЦентр></АккредитованныеУдостоверяющиеЦентры>`))
	s := openTest(f, w.head.cert)
	f.Fuzz(func(t *testing.T, data []byte) {
		tsl, err := ParseTSL(data)
		if err != nil {
			return
		}
		n := 0
		for _, ca := range tsl.CAs {
			for _, k := range ca.Keys {
				n += len(k.Certificates)
				if len(k.CRLURLs) > maxTSLURLs {
					t.Fatalf("%d CRL addresses", len(k.CRLURLs))
				}
				for _, u := range k.CRLURLs {
					if !isFetchableURL(u) {
						t.Fatalf("CRL address %q kept", u)
					}
				}
			}
		}
		if len(tsl.CAs) > MaxTSLCAs || n+len(tsl.Unreadable) > MaxTSLCertificates {
			t.Fatalf("%d CAs, %d certificates", len(tsl.CAs), n)
		}
		c := s.classify(tsl)
		if c.report.Accepted != len(c.accredited) {
			t.Fatalf("report %d, kept %d", c.report.Accepted, len(c.accredited))
		}
		for _, a := range c.accredited {
			if _, err := headCAIssued(a, s.roots); err != nil {
				t.Fatalf("kept a certificate the head CA did not issue: %v", err)
			}
		}
	})
}

// packCerts joins DER blobs as the fuzz input of FuzzVerifyChain: each
// with a two-byte big-endian length.
func packCerts(ders ...[]byte) []byte {
	var out []byte
	for _, d := range ders {
		out = binary.BigEndian.AppendUint16(out, uint16(len(d)))
		out = append(out, d...)
	}
	return out
}

func unpackCerts(data []byte) []*x509.Certificate {
	var out []*x509.Certificate
	for len(data) >= 2 && len(out) < 2*MaxIntermediates {
		n := int(binary.BigEndian.Uint16(data))
		data = data[2:]
		if n > len(data) {
			n = len(data)
		}
		if c, err := x509.ParseCertificate(data[:n]); err == nil {
			out = append(out, c)
		}
		data = data[n:]
	}
	return out
}

// FuzzVerifyChain feeds the path builder malformed certificates: random
// bytes, truncated DER, certificates that issue each other.
func FuzzVerifyChain(f *testing.F) {
	ch := newGOSTChain(f, "http://crl.test/x.crl")
	a := mkGOST(f, spec{cn: "УЦ А", ca: true, pathLen: -1}, nil)
	b := mkGOST(f, spec{cn: "УЦ Б", ca: true, pathLen: -1}, a)
	tmpl := *a.cert
	tmpl.AuthorityKeyId = nil
	aByB, err := gostx509CreateCertificate(&tmpl, b, a)
	if err != nil {
		f.Fatal(err)
	}
	loopLeaf := mkGOST(f, spec{cn: "Лист", from: day(30)}, a)
	f.Add(packCerts(ch.leaf.cert.Raw, ch.inter.cert.Raw))
	f.Add(packCerts(ch.leaf.cert.Raw, ch.inter.cert.Raw, ch.root.cert.Raw, ch.inter.cert.Raw))
	f.Add(packCerts(loopLeaf.cert.Raw, aByB, b.cert.Raw, a.cert.Raw))
	f.Add(packCerts(ch.leaf.cert.Raw[:len(ch.leaf.cert.Raw)/2], ch.inter.cert.Raw))
	f.Add(packCerts(ch.root.cert.Raw))
	f.Add([]byte{0x00, 0x10, 0x30, 0x82, 0xff, 0xff, 1, 2, 3})
	s := openTest(f)
	if err := s.AddAnchor(Test, ch.root.cert); err != nil {
		f.Fatal(err)
	}
	mustAddCRL(f, s, mkGOSTCRL(f, ch.root, day(60), day(90)))
	f.Fuzz(func(t *testing.T, data []byte) {
		certs := unpackCerts(data)
		if len(certs) == 0 {
			return
		}
		leaf, extra := certs[0], certs[1:]
		bld := s.newBuilderFor(Test, extra)
		bld.build(leaf)
		if bld.checks > MaxSignatureChecks || len(bld.paths) > maxPaths {
			t.Fatalf("%d signature checks, %d paths", bld.checks, len(bld.paths))
		}
		for _, p := range bld.paths {
			checkFoundPath(t, p)
		}
		r := s.VerifyContext(t.Context(), leaf, Options{Contour: Test, At: day(70), Intermediates: extra, Revocation: RevocationBestEffort, Offline: true})
		if r.Text() == "" || r.English() == "" || len(r.Chain) == 0 {
			t.Fatalf("empty result %+v", r)
		}
		if r.Verdict == Trusted && !r.Chain[len(r.Chain)-1].Cert.Equal(ch.root.cert) {
			t.Fatalf("trusted without the anchor: %+v", r.Chain)
		}
	})
}

// checkFoundPath checks a path of the builder: an anchor at the end,
// within MaxPathLength, no certificate twice, every link signed.
func checkFoundPath(t *testing.T, p []*candidate) {
	t.Helper()
	if len(p) > MaxPathLength || !p[len(p)-1].anchor {
		t.Fatalf("path of %d ending in anchor=%v", len(p), p[len(p)-1].anchor)
	}
	for i := range p {
		for j := i + 1; j < len(p); j++ {
			if bytes.Equal(p[i].cert.Raw, p[j].cert.Raw) {
				t.Fatal("a certificate twice in a path")
			}
		}
		if i+1 < len(p) {
			if err := checkCertSignature(p[i].cert, p[i+1].cert); err != nil {
				t.Fatalf("link %d: %v", i, err)
			}
		}
	}
}

// Many impostors under the issuer's name and key identifier, each issued
// by the previous one, and a leaf of the last: every impostor is a
// candidate issuer of every other. The search stops after
// MaxSignatureChecks signatures.
func TestSearchIsBounded(t *testing.T) {
	ch := newGOSTChain(t, "")
	s := openTest(t)
	if err := s.AddAnchor(Test, ch.root.cert); err != nil {
		t.Fatal(err)
	}
	var extra []*x509.Certificate
	var prev *gcert
	for i := 0; i < MaxIntermediates; i++ {
		subj := ch.inter.cert.Subject
		fake := mkGOST(t, spec{subject: &subj, ca: true, pathLen: -1}, nil)
		tmpl := *fake.cert
		tmpl.SubjectKeyId = ch.inter.cert.SubjectKeyId
		issuer := prev
		if issuer == nil {
			issuer = fake
		}
		der, err := gostx509CreateCertificate(&tmpl, issuer, fake)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := x509.ParseCertificate(der)
		prev = &gcert{cert: c, key: fake.key}
		extra = append(extra, c)
	}
	leaf := mkGOST(t, spec{cn: "Лист самозванца", from: day(30)}, prev)
	b := s.newBuilderFor(Test, extra)
	b.build(leaf.cert)
	if len(b.paths) != 0 || b.checks != MaxSignatureChecks || !b.budgetHit {
		t.Fatalf("%d paths, %d checks, budget hit %v", len(b.paths), b.checks, b.budgetHit)
	}
	r := s.Verify(leaf.cert, extra, Test, day(70))
	wantVerdict(t, r, Untrusted, UnknownIssuer)
	if !strings.Contains(r.English(), "gave up") {
		t.Fatal(r.English())
	}
	// The real intermediate among them is still found for the real leaf.
	r = s.VerifyContext(t.Context(), ch.leaf.cert, Options{Contour: Test, At: day(70), Intermediates: append([]*x509.Certificate{ch.inter.cert}, extra...), Revocation: RevocationBestEffort})
	wantVerdict(t, r, Trusted, "")
}
