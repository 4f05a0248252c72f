package trust

import (
	"bytes"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
)

// Bounds of a TSL (the real one is a few MiB with some hundreds of CAs).
const (
	MaxTSLSize         = 64 << 20 // bytes of XML
	MaxTSLCAs          = 4096     // УдостоверяющийЦентр elements
	MaxTSLCertificates = 16384    // ДанныеСертификата elements in all
	maxTSLURLs         = 64       // CRL addresses of one key
	maxURLLength       = 2048
	maxTSLNodes        = 1 << 20
)

// ActiveStatus is the accreditation status of a CA in force.
const ActiveStatus = "Действует"

// TSL is the Ministry's list of accredited CAs (TSL.xml, root element
// АккредитованныеУдостоверяющиеЦентры).
type TSL struct {
	Version int64     // Версия
	Date    time.Time // Дата; zero when absent
	CAs     []CA
	// Unreadable lists certificates crypto/x509 could not parse: they are
	// left out, the rest of the list is used.
	Unreadable []Rejected
}

// CA is one accredited certification authority (УдостоверяющийЦентр).
type CA struct {
	Name           string // Название
	ShortName      string // КраткоеНазвание
	INN            string // ИНН
	OGRN           string // ОГРН
	RegistryNumber string // РеестровыйНомер
	Status         string // СтатусАккредитации/Статус ("Действует", "Прекращена", "Аннулирована"…); "" if absent
	StatusSince    string // СтатусАккредитации/ДействуетС, as written
	Keys           []CAKey
}

// Active reports whether the CA's accreditation is in force (or the list
// does not say).
func (ca *CA) Active() bool { return ca.Status == "" || ca.Status == ActiveStatus }

// CAKey is one signing key of a CA (Ключ): its certificates and the
// addresses of the CRLs it issues.
type CAKey struct {
	KeyID        []byte   // ИдентификаторКлюча: the authority key identifier of certificates it issued
	CRLURLs      []string // АдресаСписковОтзыва/Адрес (http and https only)
	Certificates []*x509.Certificate
}

// Rejected is a certificate of the TSL that is not used, and why.
type Rejected struct {
	CA      string // the CA's name
	Subject string // the certificate's subject CN ("" if unreadable)
	SHA1    string // fingerprint as the TSL states it
	Reason  string // English
}

func tslError(format string, args ...any) error {
	return domain.Errorf(domain.EINVALID, "Список аккредитованных УЦ (TSL) не принят: "+format, args...)
}

// ParseTSL reads a TSL.xml with the strict XML reader (no DTD, no
// entities, bounded). Every certificate's Отпечаток must be the SHA-1 of
// its DER: a mismatch refuses the whole list, as does a broken structure.
// Certificates crypto/x509 cannot read are listed in Unreadable.
func ParseTSL(data []byte) (*TSL, error) {
	if len(data) > MaxTSLSize {
		return nil, tslError("файл больше %d МиБ", MaxTSLSize>>20)
	}
	doc, err := xmltree.ParseLimits(data, xmltree.Limits{MaxBytes: MaxTSLSize, MaxDepth: 32, MaxAttrs: 64, MaxNodes: maxTSLNodes})
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "trust.ParseTSL", "Список аккредитованных УЦ (TSL) не принят: файл не является корректным XML")
	}
	root := doc.Root
	if !doc.Is(root, "", "АккредитованныеУдостоверяющиеЦентры") {
		return nil, tslError("корневой элемент не АккредитованныеУдостоверяющиеЦентры")
	}
	t := &TSL{}
	v := childText(doc, root, "Версия")
	if t.Version, err = strconv.ParseInt(v, 10, 64); err != nil || t.Version < 0 {
		return nil, tslError("версия «%s» не число", clip(v))
	}
	if d := childText(doc, root, "Дата"); d != "" {
		if t.Date, err = parseXSDateTime(d); err != nil {
			return nil, tslError("дата «%s» не прочитана", clip(d))
		}
	}
	p := &tslParser{doc: doc, t: t}
	var perr error
	eachChild(doc, root, "УдостоверяющийЦентр", func(n int32) bool {
		if len(t.CAs) >= MaxTSLCAs {
			perr = tslError("больше %d удостоверяющих центров", MaxTSLCAs)
			return false
		}
		var ca CA
		ca, perr = p.ca(n)
		t.CAs = append(t.CAs, ca)
		return perr == nil
	})
	if perr != nil {
		return nil, perr
	}
	return t, nil
}

type tslParser struct {
	doc   *xmltree.Doc
	t     *TSL
	certs int
}

func (p *tslParser) ca(n int32) (CA, error) {
	d := p.doc
	ca := CA{Name: childText(d, n, "Название"), ShortName: childText(d, n, "КраткоеНазвание"),
		INN: childText(d, n, "ИНН"), OGRN: childText(d, n, "ОГРН"), RegistryNumber: childText(d, n, "РеестровыйНомер")}
	if st := d.ChildElement(n, "", "СтатусАккредитации"); st != xmltree.None {
		ca.Status = childText(d, st, "Статус")
		ca.StatusSince = childText(d, st, "ДействуетС")
	}
	var err error
	if paks := d.ChildElement(n, "", "ПрограммноАппаратныеКомплексы"); paks != xmltree.None {
		eachChild(d, paks, "ПрограммноАппаратныйКомплекс", func(pak int32) bool {
			keys := d.ChildElement(pak, "", "КлючиУполномоченныхЛиц")
			if keys == xmltree.None {
				return true
			}
			eachChild(d, keys, "Ключ", func(k int32) bool {
				var key CAKey
				key, err = p.key(&ca, k)
				ca.Keys = append(ca.Keys, key)
				return err == nil
			})
			return err == nil
		})
	}
	return ca, err
}

func (p *tslParser) key(ca *CA, n int32) (CAKey, error) {
	d := p.doc
	var key CAKey
	if id := strings.ReplaceAll(childText(d, n, "ИдентификаторКлюча"), " ", ""); id != "" {
		key.KeyID, _ = hex.DecodeString(id) // not hex: no identifier, the certificates still count
	}
	if crls := d.ChildElement(n, "", "АдресаСписковОтзыва"); crls != xmltree.None {
		eachChild(d, crls, "Адрес", func(a int32) bool {
			if u := text(d, a); isFetchableURL(u) && len(key.CRLURLs) < maxTSLURLs {
				key.CRLURLs = append(key.CRLURLs, u)
			}
			return true
		})
	}
	certs := d.ChildElement(n, "", "Сертификаты")
	if certs == xmltree.None {
		return key, nil
	}
	var err error
	eachChild(d, certs, "ДанныеСертификата", func(c int32) bool {
		if p.certs++; p.certs > MaxTSLCertificates {
			err = tslError("больше %d сертификатов", MaxTSLCertificates)
			return false
		}
		var cert *x509.Certificate
		cert, err = p.certificate(ca, c)
		if cert != nil {
			key.Certificates = append(key.Certificates, cert)
		}
		return err == nil
	})
	return key, err
}

// certificate decodes one ДанныеСертификата and checks its fingerprint.
// An unparseable but intact certificate is recorded in Unreadable.
func (p *tslParser) certificate(ca *CA, n int32) (*x509.Certificate, error) {
	d := p.doc
	thumb := strings.ToUpper(strings.Join(strings.Fields(childText(d, n, "Отпечаток")), ""))
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(childText(d, n, "Данные")), ""))
	if err != nil || len(der) == 0 {
		return nil, tslError("сертификат УЦ «%s» (отпечаток %s): данные не в base64", clip(ca.Name), clip(thumb))
	}
	sum := sha1.Sum(der)
	if got := strings.ToUpper(hex.EncodeToString(sum[:])); got != thumb {
		return nil, tslError("отпечаток сертификата УЦ «%s» не совпадает с его данными (в списке %s, вычислен %s): файл повреждён или подменён",
			clip(ca.Name), clip(thumb), got)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		p.t.Unreadable = append(p.t.Unreadable, Rejected{CA: ca.Name, SHA1: thumb, Reason: "unreadable certificate: " + err.Error()})
		return nil, nil
	}
	return cert, nil
}

// text returns the character data of element n (its Text children,
// comments left out), trimmed.
func text(d *xmltree.Doc, n int32) string { return strings.TrimSpace(d.Text(n)) }

func childText(d *xmltree.Doc, n int32, local string) string {
	c := d.ChildElement(n, "", local)
	if c == xmltree.None {
		return ""
	}
	return text(d, c)
}

// eachChild calls f for every child element of n with that local name and
// no namespace, until f returns false.
func eachChild(d *xmltree.Doc, n int32, local string, f func(int32) bool) {
	d.Children(n, func(c int32) bool {
		if d.Is(c, "", local) {
			return f(c)
		}
		return true
	})
}

// moscow is the zone of dates written without one.
var moscow = time.FixedZone("MSK", 3*3600)

// parseXSDateTime reads an xs:dateTime; without a zone it is Moscow time.
func parseXSDateTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, moscow); err == nil {
		return t, nil
	}
	return time.ParseInLocation("2006-01-02", s, moscow)
}

// isFetchableURL accepts absolute http and https URLs of bounded length.
func isFetchableURL(s string) bool {
	if len(s) > maxURLLength {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// clip shortens untrusted text quoted in a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}

var errNotHeadCA = errors.New("not issued by a head CA root")

// headCAIssued checks that an accredited CA's certificate was signed by one
// of the head CA roots and is a CA certificate. It returns the root.
func headCAIssued(c *x509.Certificate, roots []*x509.Certificate) (*x509.Certificate, error) {
	if !c.BasicConstraintsValid || !c.IsCA {
		return nil, errors.New("not a CA certificate (basicConstraints)")
	}
	var last error = errNotHeadCA
	for _, r := range roots {
		if !bytes.Equal(c.RawIssuer, r.RawSubject) {
			continue
		}
		if len(c.AuthorityKeyId) > 0 && len(r.SubjectKeyId) > 0 && !bytes.Equal(c.AuthorityKeyId, r.SubjectKeyId) {
			continue
		}
		err := checkCertSignature(c, r)
		if err == nil {
			return r, nil
		}
		last = fmt.Errorf("signature by %s: %v", r.Subject.CommonName, err)
	}
	return nil, last
}
