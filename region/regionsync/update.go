package regionsync

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gostx509"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/trust"
)

// Update kinds sent down from the region.
const (
	KindTemplate = "template" // a technological card, for templates.Import
	KindCalendar = "calendar" // a production calendar year, for calendar.Import
	KindTrust    = "trust"    // the Ministry's list of accredited CAs (TSL.xml), for trust.Store.ImportTSL
	KindCRL      = "crl"      // a certificate revocation list (DER), for trust.Store.AddCRL
)

// knownKind reports whether kind is one of the update kinds.
func knownKind(kind string) bool {
	switch kind {
	case KindTemplate, KindCalendar, KindTrust, KindCRL:
		return true
	}
	return false
}

// MaxUpdateBytes bounds a signed template or calendar update.
const MaxUpdateBytes = 4 << 20

// MaxTrustUpdateBytes bounds a signed TSL or CRL: their payloads may reach
// trust.MaxTSLSize and trust.MaxCRLSize (the CRLs of large CAs run to tens
// of MiB), and the signed file carries the payload in base64.
const MaxTrustUpdateBytes = (max(trust.MaxTSLSize, trust.MaxCRLSize)+2)/3*4 + 64<<10

// maxSignedBytes bounds the signed file of an update of kind.
func maxSignedBytes(kind string) int {
	if kind == KindTrust || kind == KindCRL {
		return MaxTrustUpdateBytes
	}
	return MaxUpdateBytes
}

// Update is a file from the region with what it is.
type Update struct {
	Kind    string    `json:"kind"`
	Name    string    `json:"name"` // the file's name, for messages and logs
	Issued  time.Time `json:"issued"`
	Payload []byte    `json:"-"`
}

// signedUpdate is the file format: JSON with the payload and a GOST R
// 34.10-2012 signature (Streebog of signedBytes, s ‖ r) by the region's
// update key.
type signedUpdate struct {
	Format    string `json:"format"`
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Issued    string `json:"issued"`
	Payload   []byte `json:"payload"`
	Signature []byte `json:"signature"`
}

const updateFormat = "mezhved-update/1"

var updateNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// signedBytes binds kind, name and time to the payload, so that a calendar
// cannot pass as a template or an old file as a new one.
func signedBytes(kind, name, issued string, payload []byte) []byte {
	b := []byte(updateFormat + "\x00" + kind + "\x00" + name + "\x00" + issued + "\x00")
	return append(b, payload...)
}

// SignUpdate signs a file with the region's GOST key. A list of accredited
// CAs must pass trust.ParseTSL and a CRL x509.ParseRevocationList first (a
// CRL in PEM is signed as its DER); a file that does not is refused with a
// Russian message (EINVALID) and nothing is signed.
func SignUpdate(kind, name string, payload []byte, issued time.Time, key *gost3410.PrivateKey) ([]byte, error) {
	if !knownKind(kind) {
		return nil, invalid("Неизвестный вид обновления %q: template, calendar, trust или crl.", kind)
	}
	if !updateNameRe.MatchString(name) {
		return nil, invalid("Неверное имя файла обновления %q.", name)
	}
	payload, err := preparePayload(kind, payload)
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "region.SignUpdate", "Обновление не опубликовано: "+domain.ErrorMessage(err))
	}
	is := issued.UTC().Format(time.RFC3339)
	h := key.Curve.NewHash()
	h.Write(signedBytes(kind, name, is, payload))
	sig, err := key.Sign(rand.Reader, h.Sum(nil), nil)
	if err != nil {
		return nil, err
	}
	out, err := json.Marshal(signedUpdate{Format: updateFormat, Kind: kind, Name: name, Issued: is, Payload: payload, Signature: sig})
	if err == nil && len(out) > maxSignedBytes(kind) {
		return nil, invalid("Обновление не опубликовано: файл %s слишком велик (подписанный больше %d МБ).", name, maxSignedBytes(kind)>>20)
	}
	return out, err
}

func rejected(err error, format string, args ...any) error {
	return domain.Wrap(err, domain.ESIGNATURE, "region.VerifyUpdate", "Обновление от региона отклонено: "+fmt.Sprintf(format, args...))
}

// VerifyUpdate checks a signed update against the region's update
// certificate (trusted, pinned on the workstation at enrollment) and returns
// it. Anything else — a damaged file, another key, an expired certificate, a
// time in the future — is refused with a Russian message (ESIGNATURE) and
// nothing is returned.
func VerifyUpdate(data []byte, trusted *x509.Certificate, now time.Time) (*Update, error) {
	if trusted == nil {
		return nil, rejected(nil, "на рабочем месте нет сертификата региона для проверки обновлений.")
	}
	if len(data) > MaxTrustUpdateBytes {
		return nil, rejected(nil, "файл больше %d МБ.", MaxTrustUpdateBytes>>20)
	}
	var su signedUpdate
	if err := json.Unmarshal(data, &su); err != nil || su.Format != updateFormat {
		return nil, rejected(err, "файл повреждён или это не обновление Межведа.")
	}
	if !knownKind(su.Kind) {
		return nil, rejected(nil, "неизвестный вид обновления.")
	}
	if len(data) > maxSignedBytes(su.Kind) {
		return nil, rejected(nil, "файл больше %d МБ.", maxSignedBytes(su.Kind)>>20)
	}
	if !updateNameRe.MatchString(su.Name) {
		return nil, rejected(nil, "неверное имя файла.")
	}
	issued, err := time.Parse(time.RFC3339, su.Issued)
	if err != nil {
		return nil, rejected(err, "неверная дата выпуска.")
	}
	if issued.After(now.Add(24 * time.Hour)) {
		return nil, rejected(nil, "дата выпуска %s ещё не наступила; проверьте часы компьютера.", issued.Format("02.01.2006"))
	}
	if now.Before(trusted.NotBefore) || now.After(trusted.NotAfter) {
		return nil, rejected(nil, "срок действия сертификата региона (до %s) истёк или не начался.", trusted.NotAfter.Format("02.01.2006"))
	}
	pub, err := gostx509.PublicKeyFromCertificate(trusted)
	if err != nil {
		return nil, rejected(err, "сертификат региона не содержит ключа ГОСТ Р 34.10-2012.")
	}
	h := pub.Curve.NewHash()
	h.Write(signedBytes(su.Kind, su.Name, su.Issued, su.Payload))
	if !gost3410.VerifyDigest(pub, h.Sum(nil), su.Signature) {
		return nil, rejected(nil, "подпись региона не подтверждена — файл изменён или подписан не ключом региона. Файл не загружен.")
	}
	return &Update{Kind: su.Kind, Name: su.Name, Issued: issued, Payload: su.Payload}, nil
}

// ApplyOptions says where verified updates go on a workstation.
type ApplyOptions struct {
	// DataDir is the workstation's data directory: templates are imported
	// into TemplatesDir(DataDir), calendar years into CalendarDir(DataDir),
	// the list of accredited CAs and CRLs into its trust store.
	DataDir string
	// Trust is the trust store in use (the one the running app verifies
	// signatures with), so that it sees the new list and CRLs at once; nil:
	// trust.Open(DataDir) for the update.
	Trust *trust.Store
}

// Apply hands a verified update to its importer: templates.Import,
// calendar.Import, trust.Store.ImportTSL or trust.Store.AddCRL. It returns
// what was loaded, in Russian; an error (a coded one with a Russian message)
// says why the update was not taken, and what was in force stays.
func (u *Update) Apply(o ApplyOptions) (string, error) {
	if o.DataDir == "" {
		return "", domain.Errorf(domain.EINVALID, "Не указан каталог данных для обновления.")
	}
	switch u.Kind {
	case KindTemplate:
		var t *templates.Template
		err := withPayloadFile(u.Payload, func(src string) (err error) {
			t, err = templates.Import(TemplatesDir(o.DataDir), src)
			return err
		})
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Шаблон «%s» (версия %d) загружен.", t.Title, t.Version), nil
	case KindCalendar:
		var y *calendar.Year
		err := withPayloadFile(u.Payload, func(src string) (err error) {
			y, err = calendar.Import(CalendarDir(o.DataDir), src)
			return err
		})
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Производственный календарь на %d год загружен.", y.Year), nil
	case KindTrust:
		return u.applyTSL(o)
	case KindCRL:
		return u.applyCRL(o)
	}
	return "", domain.Errorf(domain.EINVALID, "Неизвестный вид обновления.")
}

// withPayloadFile writes payload to a temporary file for an importer that
// reads files, and removes it afterwards.
func withPayloadFile(payload []byte, f func(src string) error) error {
	tmp, err := os.MkdirTemp("", "mezhved-update-*")
	if err != nil {
		return domain.Wrap(err, domain.EPERMISSION, "region.Apply", "Не удалось сохранить обновление во временную папку.")
	}
	defer os.RemoveAll(tmp)
	src := filepath.Join(tmp, "update.xml")
	if err := os.WriteFile(src, payload, 0o600); err != nil {
		return domain.Wrap(err, domain.EPERMISSION, "region.Apply", "Не удалось сохранить обновление во временную папку.")
	}
	return f(src)
}

// NewUpdateKey makes the region's update-signing key (GOST R 34.10-2012,
// 256 bits, TC26 set A) and its self-signed certificate, which every
// workstation pins.
func NewUpdateKey(region string, now time.Time) (*gost3410.PrivateKey, *x509.Certificate, error) {
	key, err := gost3410.GenerateKey(gost3410.CurveTC26256A(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          RandSerial(),
		Subject:               pkix.Name{CommonName: region + ": подпись обновлений", Organization: []string{"Межвед"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(5, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	der, err := gostx509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	return key, cert, nil
}

// WriteUpdateKey writes the GOST key as PKCS#8 PEM (mode 0600).
func WriteUpdateKey(path string, key *gost3410.PrivateKey) error {
	der, err := gostx509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
}

// ReadUpdateKey reads the GOST key written by WriteUpdateKey.
func ReadUpdateKey(path string) (*gost3410.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, errors.New(path + ": no PEM key")
	}
	return gostx509.ParsePKCS8PrivateKey(blk.Bytes)
}
