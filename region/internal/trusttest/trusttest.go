// Package trusttest makes GOST certificates, CRLs and TSLs for the tests of
// the region's trust updates, on both sides (region and region/regionsync),
// the way trust/helpers_test.go and trust/tsl_test.go make them (the logic
// is copied: test helpers of another package are out of reach). Only tests
// import it.
package trusttest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gostx509"
	"github.com/mezhved/mezhved/region/regionsync"
	"github.com/mezhved/mezhved/trust"
)

// Now is the moment of the trust update tests: no test depends on
// today's date.
var Now = time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)

// Cert is a GOST certificate with its key.
type Cert struct {
	Cert *x509.Certificate
	Key  *gost3410.PrivateKey
}

var testSerial int64 = 5000

// GOST issues a GOST R 34.10-2012 certificate valid for ten years from
// 2024, a CA (certSign, cRLSign) or a signing leaf, signed by parent
// (self-signed when parent is nil).
func GOST(t testing.TB, cn string, ca bool, parent *Cert) *Cert {
	t.Helper()
	key, err := gost3410.GenerateKey(gost3410.CurveTC26256A(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	testSerial++
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(testSerial), Subject: pkix.Name{CommonName: cn, Country: []string{"RU"}},
		NotBefore: from, NotAfter: from.AddDate(10, 0, 0), BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	if ca {
		tmpl.IsCA, tmpl.MaxPathLen = true, -1
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	}
	signerKey, parentCert := key, tmpl
	if parent != nil {
		signerKey, parentCert = parent.Key, parent.Cert
	}
	der, err := gostx509.CreateCertificate(rand.Reader, tmpl, parentCert, &key.PublicKey, signerKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &Cert{Cert: c, Key: key}
}

// GOSTCRL makes a CRL signed with issuer's GOST key: crypto/x509 builds
// the tbsCertList with a throwaway ECDSA key, then its signature algorithm
// is replaced and it is signed with GOST.
func GOSTCRL(t testing.TB, issuer *Cert, this time.Time, revoked ...x509.RevocationListEntry) []byte {
	t.Helper()
	throwaway, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.RevocationList{Number: big.NewInt(this.Unix()), ThisUpdate: this, NextUpdate: this.AddDate(0, 0, 10), RevokedCertificateEntries: revoked}
	proto, err := x509.CreateRevocationList(rand.Reader, tmpl, issuer.Cert, throwaway)
	if err != nil {
		t.Fatal(err)
	}
	alg := gostx509.SignatureAlgorithm(issuer.Key.Curve)
	tbs := replaceAlgorithm(t, proto, 1, alg)
	h := issuer.Key.Curve.NewHash()
	h.Write(tbs)
	sig, err := issuer.Key.Sign(rand.Reader, h.Sum(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
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

// replaceAlgorithm returns the tbs of a signed DER structure with its
// field i (an AlgorithmIdentifier) replaced by alg without parameters.
func replaceAlgorithm(t testing.TB, der []byte, i int, alg asn1.ObjectIdentifier) []byte {
	t.Helper()
	var outer struct {
		TBS       asn1.RawValue
		Algorithm asn1.RawValue
		Signature asn1.BitString
	}
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

// RevokedEntries lists n revoked serials (16 bytes each, as real CAs
// issue them), revoked a day before at.
func RevokedEntries(n int, at time.Time) []x509.RevocationListEntry {
	out := make([]x509.RevocationListEntry, n)
	for i := range out {
		serial := new(big.Int).Lsh(big.NewInt(int64(i)+1), 120)
		out[i] = x509.RevocationListEntry{SerialNumber: serial.Add(serial, big.NewInt(int64(i))), RevocationTime: at.AddDate(0, 0, -1)}
	}
	return out
}

// TSL writes a TSL.xml in the Ministry's format (as trust/tsl_test.go does)
// listing one CA in force with its certificate.
func TSL(version int, caName string, ca *x509.Certificate) []byte {
	sum := sha1.Sum(ca.Raw)
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<АккредитованныеУдостоверяющиеЦентры>\n")
	fmt.Fprintf(&b, "  <Версия>%d</Версия>\n  <Дата>2026-02-10T09:15:00.4532117+03:00</Дата>\n", version)
	fmt.Fprintf(&b, "  <УдостоверяющийЦентр>\n    <Название>%s</Название>\n    <КраткоеНазвание>УЦ</КраткоеНазвание>\n", caName)
	b.WriteString("    <ПрограммноАппаратныеКомплексы>\n      <ПрограммноАппаратныйКомплекс>\n        <Псевдоним>УЦ-1</Псевдоним>\n        <КлючиУполномоченныхЛиц>\n")
	fmt.Fprintf(&b, "          <Ключ>\n            <ИдентификаторКлюча>%x</ИдентификаторКлюча>\n", ca.SubjectKeyId)
	b.WriteString("            <АдресаСписковОтзыва><Адрес>http://uc.test/uc.crl</Адрес></АдресаСписковОтзыва>\n            <Сертификаты>\n")
	fmt.Fprintf(&b, "              <ДанныеСертификата>\n                <Отпечаток>%s</Отпечаток>\n", strings.ToUpper(hex.EncodeToString(sum[:])))
	fmt.Fprintf(&b, "                <Данные>%s</Данные>\n              </ДанныеСертификата>\n", base64.StdEncoding.EncodeToString(ca.Raw))
	b.WriteString("            </Сертификаты>\n          </Ключ>\n        </КлючиУполномоченныхЛиц>\n      </ПрограммноАппаратныйКомплекс>\n    </ПрограммноАппаратныеКомплексы>\n")
	b.WriteString("    <ИНН>7701000001</ИНН>\n    <ОГРН>1027700000011</ОГРН>\n    <РеестровыйНомер>1234</РеестровыйНомер>\n")
	b.WriteString("    <СтатусАккредитации><Статус>Действует</Статус><ДействуетС>2021-07-01T00:00:00+03:00</ДействуетС></СтатусАккредитации>\n")
	b.WriteString("  </УдостоверяющийЦентр>\n</АккредитованныеУдостоверяющиеЦентры>\n")
	return []byte(b.String())
}

// Kit is the region's update key and what the tests publish: a CA
// the workstation trusts, a leaf it issued, and one it does not know.
type Kit struct {
	Key            *gost3410.PrivateKey
	Cert           *x509.Certificate
	Known, Unknown *Cert
	Leaf           *Cert
}

func NewKit(t *testing.T) Kit {
	t.Helper()
	key, cert, err := regionsync.NewUpdateKey("Тестовая область", Now)
	if err != nil {
		t.Fatal(err)
	}
	k := Kit{Key: key, Cert: cert}
	k.Known = GOST(t, "УЦ Сосновского района", true, nil)
	k.Unknown = GOST(t, "Чужой УЦ", true, nil)
	k.Leaf = GOST(t, "Иванова Мария Петровна", false, k.Known)
	return k
}

func (k Kit) Sign(t *testing.T, kind, name string, payload []byte) []byte {
	t.Helper()
	data, err := regionsync.SignUpdate(kind, name, payload, Now, k.Key)
	if err != nil {
		t.Fatalf("sign %s %s: %v", kind, name, err)
	}
	return data
}

// trustAt opens the trust store of a workstation's data directory, with
// the known CA as an anchor of the test contour (what `mezhved trust add`
// does), so that its CRLs are taken.
func (k Kit) TrustAt(t *testing.T, dataDir string) *trust.Store {
	t.Helper()
	ts, err := trust.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	ts.SetFetcher(nil)
	ts.SetClock(func() time.Time { return Now })
	if err := ts.AddAnchor(trust.Test, k.Known.Cert); err != nil {
		t.Fatal(err)
	}
	return ts
}

// leafRevoked reports whether the store holds a CRL that revokes the leaf.
func (k Kit) LeafRevoked(t *testing.T, ts *trust.Store) bool {
	t.Helper()
	r := ts.VerifyContext(context.Background(), k.Leaf.Cert, trust.Options{Contour: trust.Test, At: Now, Offline: true})
	if !r.Has(trust.Revoked) && !r.Has(trust.RevocationUnknown) {
		t.Fatalf("leaf: %s", r.English())
	}
	return r.Has(trust.Revoked)
}
