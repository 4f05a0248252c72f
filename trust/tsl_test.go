package trust

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/domain"
)

// tslCA and tslKey describe a CA of a generated TSL.
type tslCA struct {
	name, short, inn, ogrn, reg, status string
	keys                                []tslKey
}

type tslKey struct {
	id       []byte
	crls     []string
	certs    []*x509.Certificate
	raw      [][]byte // DER that is not a certificate crypto/x509 reads
	badThumb bool
}

func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// wrap64 breaks base64 into lines, as the real file does.
func wrap64(der []byte) string {
	s := base64.StdEncoding.EncodeToString(der)
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\n")
		s = s[76:]
	}
	return b.String() + s
}

// buildTSL writes a TSL.xml in the format of TSL-FORMAT.md (element names
// and nesting of the Ministry's file; the values are ours).
func buildTSL(version int, cas ...tslCA) []byte {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<АккредитованныеУдостоверяющиеЦентры>\n")
	fmt.Fprintf(&b, "  <Версия>%d</Версия>\n  <Дата>2026-02-10T09:15:00.4532117+03:00</Дата>\n", version)
	for i, ca := range cas {
		fmt.Fprintf(&b, "  <УдостоверяющийЦентр>\n    <Название>%s</Название>\n    <ЭлектроннаяПочта>uc%d@example.ru</ЭлектроннаяПочта>\n", esc(ca.name), i)
		fmt.Fprintf(&b, "    <КраткоеНазвание>%s</КраткоеНазвание>\n    <АдресСИнформациейПоУЦ>http://uc%d.example.ru/</АдресСИнформациейПоУЦ>\n", esc(ca.short), i)
		b.WriteString("    <Адрес><Страна>RU</Страна><Индекс>101000</Индекс><УлицаДом>ул. Примерная, д. 1</УлицаДом><Город>Москва</Город></Адрес>\n")
		b.WriteString("    <ПрограммноАппаратныеКомплексы>\n      <ПрограммноАппаратныйКомплекс>\n        <Псевдоним>УЦ-1</Псевдоним><КлассСредствЭП>КС2</КлассСредствЭП>\n")
		b.WriteString("        <Адрес><Страна>RU</Страна><Город>Москва</Город></Адрес><СредстваУЦ>ПАК «КриптоПро УЦ» версии 2.0</СредстваУЦ>\n        <КлючиУполномоченныхЛиц>\n")
		for _, k := range ca.keys {
			writeKey(&b, k)
		}
		b.WriteString("        </КлючиУполномоченныхЛиц>\n      </ПрограммноАппаратныйКомплекс>\n    </ПрограммноАппаратныеКомплексы>\n")
		fmt.Fprintf(&b, "    <ИНН>%s</ИНН>\n    <ОГРН>%s</ОГРН>\n    <РеестровыйНомер>%s</РеестровыйНомер>\n", ca.inn, ca.ogrn, ca.reg)
		if ca.status != "" {
			fmt.Fprintf(&b, "    <СтатусАккредитации><Статус>%s</Статус><ДействуетС>2021-07-01T00:00:00+03:00</ДействуетС></СтатусАккредитации>\n", esc(ca.status))
			b.WriteString("    <ИсторияСтатусовАккредитации><СтатусАккредитации><Статус>Действует</Статус><ДействуетС>2021-07-01T00:00:00+03:00</ДействуетС></СтатусАккредитации></ИсторияСтатусовАккредитации>\n")
		}
		b.WriteString("  </УдостоверяющийЦентр>\n")
	}
	b.WriteString("</АккредитованныеУдостоверяющиеЦентры>\n")
	return []byte(b.String())
}

func writeKey(b *strings.Builder, k tslKey) {
	fmt.Fprintf(b, "          <Ключ>\n            <ИдентификаторКлюча>%x</ИдентификаторКлюча>\n            <АдресаСписковОтзыва>\n", k.id)
	for _, u := range k.crls {
		fmt.Fprintf(b, "              <Адрес>%s</Адрес>\n", esc(u))
	}
	b.WriteString("            </АдресаСписковОтзыва>\n            <Сертификаты>\n")
	ders := append([][]byte(nil), k.raw...)
	for _, c := range k.certs {
		ders = append(ders, c.Raw)
	}
	for _, der := range ders {
		sum := sha1.Sum(der)
		thumb := strings.ToUpper(hex.EncodeToString(sum[:]))
		if k.badThumb {
			thumb = "00" + thumb[2:]
		}
		fmt.Fprintf(b, "              <ДанныеСертификата>\n                <Отпечаток>%s</Отпечаток>\n", thumb)
		b.WriteString("                <КемВыдан>CN=Тестовый головной УЦ</КемВыдан><КомуВыдан>CN=УЦ</КомуВыдан><СерийныйНомер>01</СерийныйНомер>\n")
		b.WriteString("                <ПериодДействияС>2024-01-02T00:00:00+03:00</ПериодДействияС><ПериодДействияДо>2034-01-02T00:00:00+03:00</ПериодДействияДо>\n")
		fmt.Fprintf(b, "                <Данные>%s</Данные>\n              </ДанныеСертификата>\n", wrap64(der))
	}
	b.WriteString("            </Сертификаты>\n          </Ключ>\n")
}

// tslWorld is a head CA root (standing in for the built-in ones), an
// accredited CA it issued, and a TSL listing that CA with others.
type tslWorld struct {
	head, accredited, stranger, inactive *gcert
	tsl                                  []byte
}

func newTSLWorld(t testing.TB, version int) tslWorld {
	t.Helper()
	w := tslWorld{}
	w.head = mkGOST(t, spec{cn: "Тестовый головной УЦ", ca: true, pathLen: -1}, nil)
	w.accredited = mkGOST(t, spec{cn: "УЦ Сосновского района", ca: true, pathLen: 0, from: day(1), crlURL: "http://guc.test/guc.crl"}, w.head)
	w.stranger = mkGOST(t, spec{cn: "Самозваный УЦ", ca: true, pathLen: -1}, nil)
	w.inactive = mkGOST(t, spec{cn: "УЦ с прекращённой аккредитацией", ca: true, pathLen: 0, from: day(1)}, w.head)
	w.tsl = buildTSL(version,
		tslCA{name: "ООО «УЦ Сосновского района»", short: "УЦ Сосновка", inn: "7701000001", ogrn: "1027700000011", reg: "1234", status: "Действует",
			keys: []tslKey{{id: w.accredited.cert.SubjectKeyId, crls: []string{"http://uc.test/uc.crl", "ldap://uc.test/x", "http://uc2.test/uc.crl"},
				certs: []*x509.Certificate{w.accredited.cert}}}},
		tslCA{name: "Головной удостоверяющий центр", ogrn: "1047702026701", status: "Действует",
			keys: []tslKey{{id: w.head.cert.SubjectKeyId, certs: []*x509.Certificate{w.head.cert}}}},
		tslCA{name: "Самозваный УЦ", ogrn: "1027700000022", status: "Действует",
			keys: []tslKey{{certs: []*x509.Certificate{w.stranger.cert}, raw: [][]byte{{0x30, 0x03, 0x02, 0x01, 0x01}}}}},
		tslCA{name: "УЦ & Ко", ogrn: "1027700000033", status: "Прекращена", keys: []tslKey{{certs: []*x509.Certificate{w.inactive.cert}}}},
	)
	return w
}

func TestParseTSL(t *testing.T) {
	w := newTSLWorld(t, 16314)
	tsl, err := ParseTSL(w.tsl)
	if err != nil {
		t.Fatal(err)
	}
	if tsl.Version != 16314 || tsl.Date.UTC().Format("2006-01-02T15:04:05") != "2026-02-10T06:15:00" || len(tsl.CAs) != 4 {
		t.Fatalf("header: %d %v %d CAs", tsl.Version, tsl.Date, len(tsl.CAs))
	}
	ca := tsl.CAs[0]
	if ca.Name != "ООО «УЦ Сосновского района»" || ca.ShortName != "УЦ Сосновка" || ca.INN != "7701000001" || ca.OGRN != "1027700000011" ||
		ca.RegistryNumber != "1234" || ca.Status != "Действует" || ca.StatusSince != "2021-07-01T00:00:00+03:00" || !ca.Active() {
		t.Fatalf("CA: %+v", ca)
	}
	if len(ca.Keys) != 1 || !bytes.Equal(ca.Keys[0].KeyID, w.accredited.cert.SubjectKeyId) ||
		strings.Join(ca.Keys[0].CRLURLs, " ") != "http://uc.test/uc.crl http://uc2.test/uc.crl" ||
		len(ca.Keys[0].Certificates) != 1 || !ca.Keys[0].Certificates[0].Equal(w.accredited.cert) {
		t.Fatalf("key: %+v", ca.Keys)
	}
	if tsl.CAs[3].Name != "УЦ & Ко" || tsl.CAs[3].Active() {
		t.Fatalf("inactive CA: %+v", tsl.CAs[3])
	}
	if len(tsl.Unreadable) != 1 || tsl.Unreadable[0].CA != "Самозваный УЦ" {
		t.Fatalf("unreadable: %+v", tsl.Unreadable)
	}
}

func TestParseTSLRefusesFingerprintMismatch(t *testing.T) {
	c := mkGOST(t, spec{cn: "УЦ", ca: true, pathLen: -1}, nil)
	data := buildTSL(1, tslCA{name: "Подменённый УЦ", keys: []tslKey{{certs: []*x509.Certificate{c.cert}, badThumb: true}}})
	_, err := ParseTSL(data)
	if err == nil || domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), "отпечаток сертификата УЦ «Подменённый УЦ» не совпадает") {
		t.Fatalf("mismatch: %v", err)
	}
}

func TestParseTSLRefusesMalformed(t *testing.T) {
	ok := string(buildTSL(1))
	big := bytes.Repeat([]byte(" "), MaxTSLSize+1)
	manyCAs := strings.Repeat("<УдостоверяющийЦентр><Название>x</Название></УдостоверяющийЦентр>", MaxTSLCAs+1)
	for name, doc := range map[string][]byte{
		"doctype":   []byte(`<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><АккредитованныеУдостоверяющиеЦентры><Версия>&x;</Версия></АккредитованныеУдостоверяющиеЦентры>`),
		"entity":    []byte(`<АккредитованныеУдостоверяющиеЦентры><Версия>&x;</Версия></АккредитованныеУдостоверяющиеЦентры>`),
		"root":      []byte(`<TrustServiceStatusList><Версия>1</Версия></TrustServiceStatusList>`),
		"namespace": []byte(`<АккредитованныеУдостоверяющиеЦентры xmlns="urn:x"><Версия>1</Версия></АккредитованныеУдостоверяющиеЦентры>`),
		"version":   []byte(strings.Replace(ok, "<Версия>1<", "<Версия>первая<", 1)),
		"date":      []byte(strings.Replace(ok, "2026-02-10T09", "10.02.2026 09", 1)),
		"truncated": []byte(ok[:len(ok)-20]),
		"base64":    []byte(strings.Replace(string(buildTSL(1, tslCA{name: "x", keys: []tslKey{{raw: [][]byte{{1, 2, 3}}}}})), "AQID", "!!!!", 1)),
		"too big":   big,
		"many CAs":  []byte("<АккредитованныеУдостоверяющиеЦентры><Версия>1</Версия>" + manyCAs + "</АккредитованныеУдостоверяющиеЦентры>"),
		"not UTF-8": []byte("<АккредитованныеУдостоверяющиеЦентры><Версия>1</Версия><УдостоверяющийЦентр><Название>\xff</Название></УдостоверяющийЦентр></АккредитованныеУдостоверяющиеЦентры>"),
	} {
		_, err := ParseTSL(doc)
		t.Logf("%s: %v", name, err)
		if err == nil || domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := ParseTSL([]byte(ok)); err != nil {
		t.Fatalf("the base document: %v", err)
	}
}

func TestParseTSLCertificateCap(t *testing.T) {
	c := mkGOST(t, spec{cn: "УЦ", ca: true, pathLen: -1}, nil)
	certs := make([]*x509.Certificate, MaxTSLCertificates+1)
	for i := range certs {
		certs[i] = c.cert
	}
	_, err := ParseTSL(buildTSL(1, tslCA{name: "Щедрый УЦ", keys: []tslKey{{certs: certs}}}))
	if err == nil || !strings.Contains(domain.ErrorMessage(err), "больше 16384 сертификатов") {
		t.Fatalf("cap: %v", err)
	}
}

// fetchMap serves CRLs from memory and counts the calls.
type fetchMap struct {
	crls  map[string][]byte
	calls map[string]int
}

func (f *fetchMap) Fetch(_ context.Context, url string) ([]byte, error) {
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[url]++
	if b, ok := f.crls[url]; ok {
		return b, nil
	}
	return nil, errors.New("connection refused")
}

func TestImportTSLAndVerifyThroughIt(t *testing.T) {
	w := newTSLWorld(t, 7)
	s := openTest(t, w.head.cert)
	rep, err := s.ImportTSL(bytes.NewReader(w.tsl))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Version != 7 || rep.CAs != 4 || rep.ActiveCAs != 3 || rep.Accepted != 1 || len(rep.Rejected) != 3 {
		t.Fatalf("report: %+v", rep)
	}
	why := ""
	for _, r := range rep.Rejected {
		why += r.CA + ": " + r.Reason + "\n"
	}
	for _, want := range []string{"Самозваный УЦ: unreadable certificate", "Самозваный УЦ: not issued by a head CA root", "УЦ & Ко: accreditation status: Прекращена"} {
		if !strings.Contains(why, want) {
			t.Errorf("rejected lacks %q:\n%s", want, why)
		}
	}
	// A leaf of the accredited CA, sent without intermediates, chains
	// through the TSL to the head CA; its CRL comes from the TSL's address
	// (the leaf names none), the CA's from its own distribution point.
	leaf := mkGOST(t, spec{cn: "Оператор СМЭВ", from: day(30)}, w.accredited)
	f := &fetchMap{crls: map[string][]byte{
		"http://uc2.test/uc.crl":  mkGOSTCRL(t, w.accredited, day(60), day(90)),
		"http://guc.test/guc.crl": mkGOSTCRL(t, w.head, day(60), day(90)),
	}}
	s.SetFetcher(f)
	r := s.Verify(leaf.cert, nil, Production, day(70))
	wantVerdict(t, r, Trusted, "")
	if len(r.Chain) != 3 || r.Chain[1].Subject != "УЦ Сосновского района" || !r.RevocationChecked {
		t.Fatalf("%+v", r)
	}
	if f.calls["http://uc.test/uc.crl"] != 1 || f.calls["http://uc2.test/uc.crl"] != 1 {
		t.Fatalf("fetches: %v", f.calls)
	}
	wantVerdict(t, s.Verify(leaf.cert, nil, Test, day(70)), Trusted, "")
	wantVerdict(t, s.Verify(leaf.cert, nil, Training, day(70)), Untrusted, UnknownIssuer)
	// The TSL's CAs are not anchors: neither the stranger's leaf (in the
	// TSL, not issued by the head CA) nor the inactive CA's leaf chain.
	for _, ca := range []*gcert{w.stranger, w.inactive} {
		l := mkGOST(t, spec{cn: "Лист", from: day(30)}, ca)
		wantVerdict(t, s.Verify(l.cert, nil, Production, day(70)), Untrusted, UnknownIssuer)
	}
	// A reopened store has the list again.
	s2, err := openWithRoots(dataDir(s), []*x509.Certificate{w.head.cert})
	if err != nil {
		t.Fatal(err)
	}
	if s2.TSL() == nil || s2.TSL().Version != 7 || len(s2.accredited) != 1 {
		t.Fatalf("reopened: %+v", s2.TSL())
	}
}
