package keys

import (
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/gost/cryptopro"
)

// OpenContainer opens a CryptoPro CSP key container: the folder (such as
// xxxxxxxx.000 on a USB stick) with header.key, masks.key, primary.key and
// name.key, its key decrypted with pin and checked against the public key
// the header records, paired with the certificate the header carries. A
// wrong PIN gives an error with ErrWrongPassword in its chain; a
// GOST R 34.10-2001 container opens but is refused for signing. Nothing is
// written; the PIN is zeroed before return.
func OpenContainer(dir string, pin []byte) (Key, error) {
	defer Zero(pin)
	return openContainer(dir, nil, pin)
}

// isContainerPath reports whether path is a container folder or its
// header.key, returning the folder.
func isContainerPath(path string) (string, bool) {
	if filepath.Base(path) == "header.key" {
		path = filepath.Dir(path)
	}
	fi, err := os.Stat(path)
	if err != nil || !fi.IsDir() {
		return "", false
	}
	return path, true
}

// openContainer opens the container in dir; certData, when given, holds
// more candidate certificates (for a header without one).
func openContainer(dir string, certData, pin []byte) (Key, error) {
	const op = "keys.OpenContainer"
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		if errors.Is(err, os.ErrNotExist) {
			return nil, domain.Wrap(err, domain.ENOTFOUND, op, "Папка контейнера ключа не найдена")
		}
		return nil, domain.Errorf(domain.EINVALID, "Контейнер КриптоПро — это папка с файлами header.key, masks.key, primary.key")
	}
	c, err := cryptopro.ReadContainer(os.DirFS(dir))
	if err != nil {
		var fe *cryptopro.FormatError
		if errors.As(err, &fe) {
			return nil, protectionError(op, "контейнер КриптоПро", err)
		}
		return nil, domain.Wrap(err, domain.EPERMISSION, op, "Нет доступа к файлам контейнера ключа")
	}
	var certs []*x509.Certificate
	if c.Certificate != nil {
		cert, err := x509.ParseCertificate(c.Certificate)
		if err != nil {
			return nil, domain.Wrap(err, domain.EINVALID, op, "Сертификат в контейнере КриптоПро повреждён")
		}
		certs = append(certs, cert)
	}
	if len(certData) > 0 {
		more, err := parseCertificates(certData)
		if err != nil {
			return nil, err
		}
		certs = append(certs, more...)
	}
	if len(certs) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "В контейнере КриптоПро нет сертификата: укажите файл сертификата")
	}
	priv, err := c.PrivateKey(pin)
	if errors.Is(err, cryptopro.ErrWrongPassword) {
		return nil, wrongPassword(op, "Неверный PIN-код контейнера ключа: проверьте раскладку клавиатуры и Caps Lock и введите PIN-код ещё раз")
	}
	if err != nil {
		return nil, protectionError(op, "контейнер КриптоПро", err)
	}
	var mismatch error
	for _, cert := range certs {
		if mismatch = checkMatch(priv.Public(), cert); mismatch == nil {
			return Software(priv, cert)
		}
	}
	return nil, mismatch
}
