package keys

import (
	"bytes"
	"errors"
	"io"
	"os"

	"github.com/mezhved/mezhved/domain"
)

// maxKeyFile bounds key, certificate and PIN files.
const maxKeyFile = 1 << 20

// Open loads a key: a PKCS#12 container (.pfx, .p12; secret is its
// password), PEM or DER (the private key, encrypted PKCS#8 with secret as
// its password, and, in the same file or in certPath, its certificate), a
// CryptoPro container folder or its header.key (secret is the PIN; certPath
// when the header has no certificate), or a key on a token named by an RFC
// 7512 pkcs11: URI (secret is the PIN; certPath is used when the token holds
// no certificate for the key). certPath may be empty. The secret is zeroed
// before Open returns.
func Open(keyPath, certPath string, secret []byte) (Key, error) {
	defer Zero(secret)
	if IsPKCS11URI(keyPath) {
		cfg, err := ParsePKCS11URI(keyPath)
		if err != nil {
			return nil, err
		}
		cfg.CertFile = certPath
		return OpenPKCS11(cfg, secret)
	}
	if dir, ok := isContainerPath(keyPath); ok {
		var certData []byte
		if certPath != "" {
			var err error
			if certData, err = readBounded(certPath); err != nil {
				return nil, err
			}
		}
		return openContainer(dir, certData, secret)
	}
	data, err := readBounded(keyPath)
	if err != nil {
		return nil, err
	}
	var certData []byte
	if certPath != "" {
		if certData, err = readBounded(certPath); err != nil {
			return nil, err
		}
	}
	if isPEM(data) {
		return LoadPEM(data, certData, secret)
	}
	if _, err := parsePrivateKeyDER(data); err == nil {
		return LoadPEM(data, certData, nil) // a bare DER private key
	}
	return LoadPKCS12(data, secret)
}

// ReadSecretFile reads a PIN or password from a file (bounded), dropping one
// trailing newline. The caller zeroes the result with Zero after use.
func ReadSecretFile(path string) ([]byte, error) {
	b, err := readBounded(path)
	if err != nil {
		return nil, err
	}
	n := len(b)
	if n > 0 && b[n-1] == '\n' {
		n--
	}
	if n > 0 && b[n-1] == '\r' {
		n--
	}
	out := append([]byte(nil), b[:n]...)
	Zero(b)
	return out, nil
}

// Zero overwrites a secret in memory.
func Zero(b []byte) {
	for i := range b {
		b[i] = 0
	}
}

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, domain.Wrap(err, domain.ENOTFOUND, "keys.Open", "Файл ключа или сертификата не найден")
		}
		return nil, domain.Wrap(err, domain.EPERMISSION, "keys.Open", "Нет доступа к файлу ключа или сертификата")
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, domain.Wrap(err, domain.EPERMISSION, "keys.Open", "Не удалось прочитать файл ключа или сертификата")
	}
	if len(b) > maxKeyFile {
		return nil, domain.Errorf(domain.EINVALID, "Файл слишком велик для ключа или сертификата")
	}
	return b, nil
}

func isPEM(b []byte) bool {
	return bytes.Contains(b, []byte("-----BEGIN "))
}
