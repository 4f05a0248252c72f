package keys

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/gost/cryptopro"
)

// What a key file or folder is, as Peek tells it.
const (
	FormatPKCS12    = "pkcs12"    // .pfx, .p12
	FormatPEM       = "pem"       // PEM or DER private key (PKCS#8, PKCS#1, SEC1)
	FormatContainer = "container" // a CryptoPro CSP container folder
)

// Peeked is what can be read of a key without its password or PIN: its
// format, its certificates (public), whether opening it asks for a secret.
type Peeked struct {
	Format string
	// Path is what Open takes: the file, or the container's folder (when
	// header.key was named).
	Path string
	// Name is the container's name (name.key), when it has one.
	Name string
	// Certificates are those readable without the secret: the container
	// header's, a PEM file's, a PFX's certificate bags stored unencrypted.
	// Empty when they are encrypted with the key (most PFX files): then
	// the certificate is seen once the key is opened.
	Certificates []*x509.Certificate
	// Protected: the key is encrypted (a PFX, an encrypted PEM, a
	// container: a container always asks for its PIN, even an empty one).
	Protected bool
	// Legacy: a GOST R 34.10-2001 key, which opens but does not sign.
	Legacy bool
}

// Peek reads what a key file or container folder shows without its
// secret: nothing is decrypted, nothing written. A PFX's certificates are
// read only from the parts stored unencrypted, and its MAC is not checked
// (that needs the password): they are for showing, and Open checks that
// the key and its certificate match.
func Peek(path string) (Peeked, error) {
	if IsPKCS11URI(path) {
		return Peeked{}, domain.Errorf(domain.EINVALID, "Ключ на токене читается через PKCS#11, а не как файл")
	}
	if dir, ok := isContainerPath(path); ok {
		if _, ok := ContainerDir(dir); !ok {
			return Peeked{}, domain.Errorf(domain.EINVALID, "В папке %s нет контейнера КриптоПро (файла header.key): выберите папку контейнера, например xxxxxxxx.000", filepath.Base(dir))
		}
		return peekContainer(dir)
	}
	data, err := readBounded(path)
	if err != nil {
		return Peeked{}, err
	}
	p := Peeked{Path: path}
	switch {
	case isPEM(data):
		p.Format = FormatPEM
		return p, peekPEM(data, &p)
	case len(data) > 0 && data[0] == 0x30:
		if _, err := parsePrivateKeyDER(data); err == nil {
			p.Format = FormatPEM
			return p, nil
		}
		if c, err := x509.ParseCertificate(data); err == nil && c != nil {
			return Peeked{}, errCertNotKey()
		}
		p.Format, p.Protected = FormatPKCS12, true
		certs, err := pfxPublicCertificates(data)
		if err != nil {
			return Peeked{}, errNotKey(err)
		}
		p.Certificates = certs
		return p, nil
	}
	return Peeked{}, errNotKey(nil)
}

func errCertNotKey() error {
	return domain.Errorf(domain.EINVALID, "Это файл сертификата, а не ключа: выберите файл ключа (.pfx, .p12, .pem) или папку контейнера КриптоПро")
}

func peekContainer(dir string) (Peeked, error) {
	c, err := cryptopro.ReadContainer(os.DirFS(dir))
	if err != nil {
		var fe *cryptopro.FormatError
		if errors.As(err, &fe) {
			return Peeked{}, protectionError("keys.Peek", "контейнер КриптоПро", err)
		}
		return Peeked{}, domain.Wrap(err, domain.EPERMISSION, "keys.Peek", "Нет доступа к файлам контейнера ключа")
	}
	p := Peeked{Format: FormatContainer, Path: dir, Name: c.Name, Protected: true, Legacy: c.Legacy()}
	if c.Certificate != nil {
		if cert, err := x509.ParseCertificate(c.Certificate); err == nil {
			p.Certificates = append(p.Certificates, cert)
		}
	}
	return p, nil
}

// peekPEM reads the certificates of a PEM file and whether its key is
// encrypted.
func peekPEM(data []byte, p *Peeked) error {
	sawKey := false
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		switch {
		case b.Type == "CERTIFICATE":
			if c, err := x509.ParseCertificate(b.Bytes); err == nil {
				p.Certificates = append(p.Certificates, c)
			}
		case strings.HasSuffix(b.Type, "PRIVATE KEY"):
			sawKey = true
			if b.Type == "ENCRYPTED PRIVATE KEY" || b.Headers["Proc-Type"] != "" {
				p.Protected = true
			}
		}
	}
	if !sawKey {
		if len(p.Certificates) > 0 {
			return errCertNotKey()
		}
		return errNotKey(nil)
	}
	return nil
}

// The PKCS#12 structures Peek reads (RFC 7292): only the parts stored as
// plain data; encryptedData parts are skipped.
type peekPFX struct {
	Version  int
	AuthSafe struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue `asn1:"tag:0,explicit,optional"`
	}
	MacData asn1.RawValue `asn1:"optional"`
}

type peekContentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"tag:0,explicit,optional"`
}

type peekSafeBag struct {
	ID         asn1.ObjectIdentifier
	Value      asn1.RawValue `asn1:"tag:0,explicit"`
	Attributes asn1.RawValue `asn1:"optional"`
}

type peekCertBag struct {
	ID   asn1.ObjectIdentifier
	Data []byte `asn1:"tag:0,explicit"`
}

var (
	oidPKCS7Data   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidPFXCertBag  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 3}
	oidPFXX509Cert = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 22, 1}
)

// maxPeekBags bounds the bags read from one PFX.
const maxPeekBags = 64

// pfxPublicCertificates returns the X.509 certificates of a PFX's
// unencrypted parts (none when they are all encrypted). An error means the
// file is not a PFX at all.
func pfxPublicCertificates(data []byte) ([]*x509.Certificate, error) {
	var pdu peekPFX
	if rest, err := asn1.Unmarshal(data, &pdu); err != nil || len(rest) != 0 {
		return nil, errors.New("not a PFX")
	}
	if pdu.Version != 3 || !pdu.AuthSafe.ContentType.Equal(oidPKCS7Data) {
		return nil, errors.New("not a password-protected PFX")
	}
	var authSafe []byte
	if _, err := asn1.Unmarshal(pdu.AuthSafe.Content.Bytes, &authSafe); err != nil {
		return nil, errors.New("PFX authSafe")
	}
	var infos []peekContentInfo
	if _, err := asn1.Unmarshal(authSafe, &infos); err != nil {
		return nil, errors.New("PFX authenticated safe")
	}
	var certs []*x509.Certificate
	for _, ci := range infos {
		if !ci.ContentType.Equal(oidPKCS7Data) {
			continue // encryptedData: needs the password
		}
		var contents []byte
		if _, err := asn1.Unmarshal(ci.Content.Bytes, &contents); err != nil {
			continue
		}
		var bags []peekSafeBag
		if _, err := asn1.Unmarshal(contents, &bags); err != nil || len(bags) > maxPeekBags {
			continue
		}
		for _, bag := range bags {
			var cb peekCertBag
			if !bag.ID.Equal(oidPFXCertBag) {
				continue
			}
			if _, err := asn1.Unmarshal(bag.Value.Bytes, &cb); err != nil || !cb.ID.Equal(oidPFXX509Cert) {
				continue
			}
			if c, err := x509.ParseCertificate(cb.Data); err == nil {
				certs = append(certs, c)
			}
		}
	}
	return certs, nil
}

// PeekCertificateFile reads the certificates of a certificate file (PEM or
// DER), for a key whose certificate lies beside it.
func PeekCertificateFile(path string) ([]*x509.Certificate, error) {
	data, err := readBounded(path)
	if err != nil {
		return nil, err
	}
	return parseCertificates(data)
}

// ContainerDir reports whether path is a CryptoPro container folder (or its
// header.key), returning the folder.
func ContainerDir(path string) (string, bool) {
	dir, ok := isContainerPath(path)
	if !ok {
		return "", false
	}
	if _, err := os.Stat(filepath.Join(dir, "header.key")); err != nil {
		return "", false
	}
	return dir, true
}
