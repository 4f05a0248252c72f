package region

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/mezhved/mezhved/domain"

	"github.com/mezhved/mezhved/region/regionsync"
)

// CA is the region's certificate authority for the sync channel (ECDSA
// P-256: the channel's TLS, not a qualified signature).
type CA struct {
	Cert *x509.Certificate
	Key  *ecdsa.PrivateKey
}

// NewCA makes a self-signed CA valid for ten years.
func NewCA(name string, now time.Time) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          regionsync.RandSerial(),
		Subject:               pkix.Name{CommonName: name, Organization: []string{"Межвед: региональный сервер"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &CA{Cert: cert, Key: key}, nil
}

// Issued is a new certificate with its key.
type Issued struct {
	Cert *x509.Certificate
	Key  *ecdsa.PrivateKey
}

func (ca *CA) issue(tmpl *x509.Certificate) (*Issued, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Issued{Cert: cert, Key: key}, nil
}

// IssueServer issues the server's TLS certificate for hosts (names or IP
// addresses).
func (ca *CA) IssueServer(hosts []string, now time.Time) (*Issued, error) {
	tmpl := &x509.Certificate{
		SerialNumber: regionsync.RandSerial(),
		Subject:      pkix.Name{CommonName: hosts[0]},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(2, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	return ca.issue(tmpl)
}

// IssueWorkstation issues a workstation's client certificate: the
// settlement's OKTMO in Subject.SerialNumber, the workstation's name in
// CommonName, the settlement's name in Organization.
func (ca *CA) IssueWorkstation(oktmo, settlementName, workstation string, now time.Time) (*Issued, error) {
	if !regionsync.ValidOKTMO(oktmo) {
		return nil, domain.Errorf(domain.EINVALID, "Неверный код ОКТМО: %q.", oktmo)
	}
	if !regionsync.ValidWorkstation(workstation) {
		return nil, domain.Errorf(domain.EINVALID, "Неверное имя рабочего места %q: латинские буквы, цифры, «.», «_», «-», до 64 знаков.", workstation)
	}
	tmpl := &x509.Certificate{
		SerialNumber: regionsync.RandSerial(),
		Subject:      pkix.Name{CommonName: workstation, SerialNumber: oktmo, Organization: []string{settlementName}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(3, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	return ca.issue(tmpl)
}

// PEM files.

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

func keyPEM(k *ecdsa.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// WritePair writes cert.pem-style and key files (the key with mode 0600).
func WritePair(certPath, keyPath string, c *x509.Certificate, k *ecdsa.PrivateKey) error {
	kp, err := keyPEM(k)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(certPath), 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(certPath, certPEM(c), 0o644); err != nil {
		return err
	}
	return os.WriteFile(keyPath, kp, 0o600)
}

// WriteCert writes a certificate as PEM.
func WriteCert(path string, c *x509.Certificate) error {
	return os.WriteFile(path, certPEM(c), 0o644)
}

// LoadCA reads ca.pem and ca.key from dir.
func LoadCA(dir string) (*CA, error) {
	cert, err := regionsync.ReadCert(filepath.Join(dir, "ca.pem"))
	if err != nil {
		return nil, err
	}
	kb, err := os.ReadFile(filepath.Join(dir, "ca.key"))
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(kb)
	if blk == nil {
		return nil, errors.New("ca.key: no PEM key")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, err
	}
	ek, ok := k.(*ecdsa.PrivateKey)
	if !ok {
		return nil, errors.New("ca.key: not an ECDSA key")
	}
	return &CA{Cert: cert, Key: ek}, nil
}

// TLSCertificate turns an issued pair into a tls.Certificate.
func (i *Issued) TLSCertificate() tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{i.Cert.Raw}, PrivateKey: i.Key, Leaf: i.Cert}
}
