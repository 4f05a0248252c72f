package signer

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"strings"
	"time"
)

// Russian subject attribute OIDs (Приказ ФСБ № 795).
var (
	OIDSNILS  = asn1.ObjectIdentifier{1, 2, 643, 100, 3}
	OIDINN    = asn1.ObjectIdentifier{1, 2, 643, 3, 131, 1, 1}
	OIDINNLE  = asn1.ObjectIdentifier{1, 2, 643, 100, 4}
	OIDOGRN   = asn1.ObjectIdentifier{1, 2, 643, 100, 1}
	OIDOGRNIP = asn1.ObjectIdentifier{1, 2, 643, 100, 5}
)

// CertInfo is what the window and the CLI show about a signer's certificate.
type CertInfo struct {
	Owner     string // CN of the subject
	Subject   string // the full subject, readable
	Issuer    string // CN of the issuer (full name when there is no CN)
	SNILS     string // СНИЛС (1.2.643.100.3)
	INN       string // ИНН of a person (1.2.643.3.131.1.1)
	INNLE     string // ИНН of a legal entity (1.2.643.100.4)
	OGRN      string // ОГРН (1.2.643.100.1)
	OGRNIP    string // ОГРНИП (1.2.643.100.5)
	Serial    string // hexadecimal
	NotBefore time.Time
	NotAfter  time.Time
	CheckedAt time.Time // the moment validity was checked for
	Expired   bool      // NotAfter is before CheckedAt
	NotYet    bool      // NotBefore is after CheckedAt
	PublicKey string    // public key algorithm, readable
	Raw       []byte    `json:"-"` // DER
}

// ValidAt reports whether the certificate was valid at CheckedAt.
func (c *CertInfo) ValidAt() bool { return c != nil && !c.Expired && !c.NotYet }

// Validity is a short phrase: "valid until …", "expired …", "not valid before …".
func (c *CertInfo) Validity() string {
	const f = "2006-01-02"
	switch {
	case c == nil:
		return "no certificate"
	case c.Expired:
		return "expired " + c.NotAfter.UTC().Format(f)
	case c.NotYet:
		return "not valid before " + c.NotBefore.UTC().Format(f)
	}
	return "valid until " + c.NotAfter.UTC().Format(f)
}

// NewCertInfo describes cert as of the moment at.
func NewCertInfo(cert *x509.Certificate, at time.Time) *CertInfo {
	ci := &CertInfo{
		Owner:     cert.Subject.CommonName,
		Subject:   readableName(cert.Subject),
		Issuer:    cert.Issuer.CommonName,
		Serial:    fmt.Sprintf("%X", cert.SerialNumber),
		NotBefore: cert.NotBefore,
		NotAfter:  cert.NotAfter,
		CheckedAt: at,
		Expired:   at.After(cert.NotAfter),
		NotYet:    at.Before(cert.NotBefore),
		PublicKey: publicKeyName(cert),
		Raw:       cert.Raw,
	}
	if ci.Issuer == "" {
		ci.Issuer = readableName(cert.Issuer)
	}
	for _, n := range cert.Subject.Names {
		v := fmt.Sprint(n.Value)
		switch {
		case n.Type.Equal(OIDSNILS):
			ci.SNILS = v
		case n.Type.Equal(OIDINN):
			ci.INN = v
		case n.Type.Equal(OIDINNLE):
			ci.INNLE = v
		case n.Type.Equal(OIDOGRN):
			ci.OGRN = v
		case n.Type.Equal(OIDOGRNIP):
			ci.OGRNIP = v
		}
	}
	return ci
}

var oidNames = map[string]string{
	"2.5.4.3": "CN", "2.5.4.4": "SN", "2.5.4.42": "G", "2.5.4.12": "T", "2.5.4.10": "O",
	"2.5.4.11": "OU", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.9": "STREET", "2.5.4.6": "C",
	"1.2.840.113549.1.9.1": "E", "1.2.643.100.3": "СНИЛС", "1.2.643.3.131.1.1": "ИНН",
	"1.2.643.100.4": "ИНН ЮЛ", "1.2.643.100.1": "ОГРН", "1.2.643.100.5": "ОГРНИП",
}

func readableName(n pkix.Name) string {
	var parts []string
	for _, a := range n.Names {
		k := oidNames[a.Type.String()]
		if k == "" {
			k = a.Type.String()
		}
		parts = append(parts, k+"="+fmt.Sprint(a.Value))
	}
	return strings.Join(parts, ", ")
}

var gostKeyOIDs = map[string]string{
	"1.2.643.7.1.1.1.1": "GOST R 34.10-2012 256",
	"1.2.643.7.1.1.1.2": "GOST R 34.10-2012 512",
	"1.2.643.2.2.19":    "GOST R 34.10-2001",
}

type spki struct {
	Algorithm pkix.AlgorithmIdentifier
	Key       asn1.BitString
}

func publicKeyName(cert *x509.Certificate) string {
	if cert.PublicKeyAlgorithm != x509.UnknownPublicKeyAlgorithm {
		return cert.PublicKeyAlgorithm.String()
	}
	var k spki
	if _, err := asn1.Unmarshal(cert.RawSubjectPublicKeyInfo, &k); err == nil {
		if s, ok := gostKeyOIDs[k.Algorithm.Algorithm.String()]; ok {
			return s
		}
		return k.Algorithm.Algorithm.String()
	}
	return "unknown"
}
