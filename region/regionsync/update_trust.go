package regionsync

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"fmt"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/trust"
)

// preparePayload checks a file before it is signed: a list of accredited
// CAs must be a TSL trust.ParseTSL reads, a CRL one x509 reads (PEM is
// turned into DER, which is what travels). Templates and calendars are
// checked by their importers on the workstation.
func preparePayload(kind string, payload []byte) ([]byte, error) {
	switch kind {
	case KindTrust:
		if _, err := trust.ParseTSL(payload); err != nil {
			return nil, err
		}
	case KindCRL:
		return crlDER(payload)
	}
	return payload, nil
}

// crlDER returns the DER of a CRL given in DER or PEM («X509 CRL»), after
// checking that it parses.
func crlDER(payload []byte) ([]byte, error) {
	der := payload
	if blk, rest := pem.Decode(payload); blk != nil {
		if blk.Type != "X509 CRL" || len(bytes.TrimSpace(rest)) > 0 {
			return nil, invalid("Файл PEM должен содержать ровно один список отзыва (BEGIN X509 CRL), а не %q.", blk.Type)
		}
		der = blk.Bytes
	}
	if len(der) > trust.MaxCRLSize {
		return nil, invalid("Список отзыва больше %d МБ.", trust.MaxCRLSize>>20)
	}
	crl, err := x509.ParseRevocationList(der)
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "region.SignUpdate", "Файл не является списком отзыва сертификатов (CRL в DER или PEM).")
	}
	return crl.Raw, nil
}

// trustStore returns the trust store in use, or opens the one of the data
// directory (offline: it only imports).
func (o ApplyOptions) trustStore() (*trust.Store, error) {
	if o.Trust != nil {
		return o.Trust, nil
	}
	ts, err := trust.Open(o.DataDir)
	if err != nil {
		return nil, err
	}
	ts.SetFetcher(nil)
	return ts, nil
}

// applyTSL imports the list of accredited CAs. An older Версия than the
// list in force is refused by the store (ECONFLICT), which keeps its own.
func (u *Update) applyTSL(o ApplyOptions) (string, error) {
	ts, err := o.trustStore()
	if err != nil {
		return "", err
	}
	rep, err := ts.ImportTSL(bytes.NewReader(u.Payload))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Список аккредитованных УЦ, версия %d, загружен: удостоверяющих центров %d (действующих %d), сертификатов УЦ для проверки подписей %d.",
		rep.Version, rep.CAs, rep.ActiveCAs, rep.Accepted), nil
}

// applyCRL adds a CRL to the trust store; one whose issuer the store does
// not know, or whose signature does not verify, is refused by it.
func (u *Update) applyCRL(o ApplyOptions) (string, error) {
	crl, err := x509.ParseRevocationList(u.Payload)
	if err != nil {
		return "", domain.Wrap(err, domain.EINVALID, "region.Apply", "Файл не является списком отзыва сертификатов.")
	}
	ts, err := o.trustStore()
	if err != nil {
		return "", err
	}
	if err := ts.AddCRL(u.Payload); err != nil {
		return "", err
	}
	return fmt.Sprintf("Список отзыва сертификатов УЦ «%s» от %s принят (отозванных сертификатов %d).",
		crlIssuerName(crl), crl.ThisUpdate.In(Moscow).Format("02.01.2006"), len(crl.RevokedCertificateEntries)), nil
}

// crlIssuerName is the CN of a CRL's issuer, or its whole name without one.
func crlIssuerName(crl *x509.RevocationList) string {
	if crl.Issuer.CommonName != "" {
		return crl.Issuer.CommonName
	}
	return crl.Issuer.String()
}
