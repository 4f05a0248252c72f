package trust

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/mezhved/mezhved/gost/gostx509"
)

// Verdict is the outcome for a signature's certificate.
type Verdict int

// The verdicts. The zero value is Untrusted, so that a forgotten Result
// never reads as trusted.
const (
	// Untrusted: the signature is mathematically correct, but its
	// certificate does not lead to an anchor of the contour, or a link is
	// not valid at the moment, revoked, of unknown revocation status, or
	// not allowed to sign.
	Untrusted Verdict = iota
	// Trusted: a chain to an anchor of the contour, every link valid at the
	// moment, none revoked.
	Trusted
	// Invalid: the signature's math is wrong. This package never returns
	// it; the signer decides it and may put it into a Result.
	Invalid
)

// String returns "trusted", "untrusted" or "invalid".
func (v Verdict) String() string {
	switch v {
	case Trusted:
		return "trusted"
	case Invalid:
		return "invalid"
	}
	return "untrusted"
}

// Code names one reason why a certificate is not trusted (or a note on a
// trusted one, see RevocationUnknown with RevocationBestEffort).
type Code string

// The reason codes.
const (
	NoCertificate     Code = "no-certificate"     // no leaf certificate was given
	UnknownIssuer     Code = "unknown-issuer"     // no path to an anchor of the contour
	SelfSigned        Code = "self-signed"        // the leaf is self-signed and not an anchor
	BadSignature      Code = "bad-signature"      // a certificate's signature does not verify with its issuer's key
	UnsupportedAlg    Code = "unsupported"        // a certificate's signature algorithm cannot be checked
	Expired           Code = "expired"            // a link had expired at the moment
	NotYetValid       Code = "not-yet-valid"      // a link was not yet valid at the moment
	Revoked           Code = "revoked"            // a link is revoked in its issuer's CRL
	RevocationUnknown Code = "revocation-unknown" // no usable CRL for a link
	KeyUsage          Code = "key-usage"          // key usage forbids signing (leaf) or issuing (CA)
	NotCA             Code = "not-ca"             // an issuer is not a CA (basicConstraints)
	PathTooLong       Code = "path-too-long"      // the path is longer than MaxPathLength or a CA's pathLen
)

var codeTexts = map[Code][2]string{
	NoCertificate:     {"сертификат подписи не найден", "no signing certificate"},
	UnknownIssuer:     {"издатель сертификата неизвестен (нет цепочки до доверенного удостоверяющего центра)", "unknown issuer (no chain to a trust anchor)"},
	SelfSigned:        {"сертификат самоподписанный", "self-signed certificate"},
	BadSignature:      {"подпись сертификата в цепочке неверна", "a certificate's signature in the chain is invalid"},
	UnsupportedAlg:    {"алгоритм подписи сертификата в цепочке не поддерживается", "unsupported signature algorithm in the chain"},
	Expired:           {"срок действия сертификата истёк", "certificate expired"},
	NotYetValid:       {"срок действия сертификата ещё не начался", "certificate not yet valid"},
	Revoked:           {"сертификат отозван", "certificate revoked"},
	RevocationUnknown: {"статус отзыва не проверен", "revocation status not checked"},
	KeyUsage:          {"назначение ключа не допускает этого использования", "key usage does not allow this use"},
	NotCA:             {"издатель не является удостоверяющим центром", "the issuer is not a CA"},
	PathTooLong:       {"цепочка сертификатов слишком длинная", "certificate path too long"},
}

// Text returns the Russian phrase for the clerk.
func (c Code) Text() string { return codeTexts[c][0] }

// English returns the English phrase for the CLI.
func (c Code) English() string { return codeTexts[c][1] }

// Reason is one finding about the chain.
type Reason struct {
	Code Code
	// Cert is the index in Result.Chain of the certificate concerned, -1
	// when none (no chain was found).
	Cert int
	// Detail is English, for the log and the CLI: the subject concerned,
	// dates, the URL tried. It never holds secrets.
	Detail string
	// When is the revocation time (Revoked), or the end or start of
	// validity (Expired, NotYetValid).
	When time.Time
}

// ChainCert describes one certificate of the chain, leaf first.
type ChainCert struct {
	Subject   string // CN of the subject (the full name when there is no CN)
	Issuer    string // CN of the issuer (the full name when there is no CN)
	Serial    string // hexadecimal, upper case
	NotBefore time.Time
	NotAfter  time.Time
	SHA256    string            // fingerprint of the DER, hexadecimal
	OGRN      string            // ОГРН of the subject, if any (e.g. the SMEV operator)
	INNLE     string            // ИНН ЮЛ of the subject, if any
	Anchor    bool              // this certificate is the trust anchor
	Cert      *x509.Certificate `json:"-"`
}

// Result is the trust verdict on a certificate at a moment.
type Result struct {
	Verdict Verdict
	Contour Contour
	At      time.Time   // the moment judged
	Chain   []ChainCert // leaf first, anchor last; only the leaf when no path was found
	Reasons []Reason    // why Untrusted; for Trusted, notes (revocation not checked in best effort)
	// RevocationChecked is true when the revocation status of every link
	// but the anchor was established from a verified CRL.
	RevocationChecked bool
}

// Trusted reports whether the verdict is Trusted.
func (r Result) Trusted() bool { return r.Verdict == Trusted }

// Has reports whether one of the reasons has the code c.
func (r Result) Has(c Code) bool {
	for _, x := range r.Reasons {
		if x.Code == c {
			return true
		}
	}
	return false
}

// Text is the Russian verdict for the clerk: «действительна», or
// «математически верна, но сертификат не доверенный: <why>».
func (r Result) Text() string {
	switch r.Verdict {
	case Trusted:
		if r.Has(RevocationUnknown) {
			return "действительна (" + RevocationUnknown.Text() + ")"
		}
		return "действительна"
	case Invalid:
		return "недействительна: подпись математически неверна"
	}
	return "математически верна, но сертификат не доверенный: " + r.why(Code.Text, r.ruSubject)
}

// English is the verdict for the CLI.
func (r Result) English() string {
	switch r.Verdict {
	case Trusted:
		if r.Has(RevocationUnknown) {
			return "valid (" + RevocationUnknown.English() + ")"
		}
		return "valid"
	case Invalid:
		return "invalid: the signature does not verify"
	}
	return "mathematically correct, but the certificate is not trusted: " + r.why(Code.English, r.enSubject)
}

func (r Result) why(text func(Code) string, subject func(Reason) string) string {
	if len(r.Reasons) == 0 {
		return text(UnknownIssuer)
	}
	var parts []string
	for _, x := range r.Reasons {
		parts = append(parts, text(x.Code)+subject(x))
	}
	return strings.Join(parts, "; ")
}

func (r Result) ruSubject(x Reason) string {
	s := ""
	if x.Cert >= 0 && x.Cert < len(r.Chain) {
		s = " («" + r.Chain[x.Cert].Subject + "»"
		if !x.When.IsZero() {
			s += ", " + x.When.UTC().Format("02.01.2006")
		}
		s += ")"
	}
	return s
}

func (r Result) enSubject(x Reason) string {
	s := ""
	if x.Cert >= 0 && x.Cert < len(r.Chain) {
		s = " (" + r.Chain[x.Cert].Subject
		if !x.When.IsZero() {
			s += ", " + x.When.UTC().Format("2006-01-02")
		}
		s += ")"
	}
	if x.Detail != "" {
		s += ": " + x.Detail
	}
	return s
}

// describe fills a ChainCert.
func describe(c *x509.Certificate, anchor bool) ChainCert {
	sum := sha256.Sum256(c.Raw)
	ids := gostx509.RussianIDsFromName(c.Subject)
	return ChainCert{
		Subject: nameOf(c.Subject.CommonName, c.Subject.String()), Issuer: nameOf(c.Issuer.CommonName, c.Issuer.String()),
		Serial: fmt.Sprintf("%X", c.SerialNumber), NotBefore: c.NotBefore, NotAfter: c.NotAfter,
		SHA256: hex.EncodeToString(sum[:]), OGRN: ids.OGRN, INNLE: ids.INNLE, Anchor: anchor, Cert: c,
	}
}

func nameOf(cn, full string) string {
	if cn != "" {
		return cn
	}
	return full
}
