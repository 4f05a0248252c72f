package keys

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"strings"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/gost/gostpkcs"
)

// LoadPEM reads a private key (PKCS#8 "PRIVATE KEY" including GOST keys as
// OpenSSL's GOST engine writes them, PKCS#1 "RSA PRIVATE KEY", SEC1 "EC
// PRIVATE KEY"; PEM or bare DER; encrypted PKCS#8 "ENCRYPTED PRIVATE KEY"
// opened with password, see gost/gostpkcs) and its certificate from
// keyData and, when given, certData. Either may hold both; the certificate
// that matches the key is chosen. The legacy OpenSSL encryption
// ("Proc-Type: 4,ENCRYPTED") is not supported. The password may be nil for
// an unencrypted key; it is zeroed before return.
func LoadPEM(keyData, certData, password []byte) (Key, error) {
	defer Zero(password)
	var signer crypto.Signer
	var certs []*x509.Certificate
	var sawKey bool
	for _, data := range [][]byte{keyData, certData} {
		if !isPEM(data) {
			if len(data) > 0 && signer == nil && !sawKey {
				s, err := parsePrivateKeyDER(data)
				if err != nil {
					return nil, err
				}
				signer, sawKey = s, true
			} else if len(data) > 0 {
				c, err := x509.ParseCertificate(data)
				if err != nil {
					return nil, domain.Wrap(err, domain.EINVALID, "keys.LoadPEM", "Файл сертификата повреждён или не является сертификатом X.509")
				}
				certs = append(certs, c)
			}
			continue
		}
		for rest := data; ; {
			var b *pem.Block
			b, rest = pem.Decode(rest)
			if b == nil {
				break
			}
			switch {
			case b.Type == "CERTIFICATE":
				c, err := x509.ParseCertificate(b.Bytes)
				if err != nil {
					return nil, domain.Wrap(err, domain.EINVALID, "keys.LoadPEM", "Сертификат в файле повреждён")
				}
				certs = append(certs, c)
			case b.Headers["Proc-Type"] != "":
				return nil, domain.Errorf(domain.EUNSUPPORTED, "Ключ PEM зашифрован старым способом OpenSSL, который не поддерживается: перешифруйте его в PKCS#8 (openssl pkcs8 -topk8) или используйте контейнер PKCS#12")
			case strings.HasSuffix(b.Type, "PRIVATE KEY"):
				if sawKey {
					return nil, domain.Errorf(domain.EINVALID, "В файле больше одного закрытого ключа")
				}
				s, err := parsePrivateKey(b.Type, b.Bytes, password)
				if err != nil {
					return nil, err
				}
				signer, sawKey = s, true
			}
		}
	}
	if signer == nil {
		return nil, errNotKey(nil)
	}
	if len(certs) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "Нет сертификата ключа: укажите файл сертификата")
	}
	var mismatch error
	for _, c := range certs {
		if mismatch = checkMatch(signer.Public(), c); mismatch == nil {
			return Software(signer, c)
		}
	}
	return nil, mismatch
}

func parsePrivateKey(typ string, der, password []byte) (crypto.Signer, error) {
	var k any
	var err error
	switch typ {
	case "ENCRYPTED PRIVATE KEY":
		return decryptPKCS8(der, password)
	case "RSA PRIVATE KEY":
		k, err = x509.ParsePKCS1PrivateKey(der)
	case "EC PRIVATE KEY":
		k, err = x509.ParseECPrivateKey(der)
	case "PRIVATE KEY":
		return parsePrivateKeyDER(der)
	default:
		return nil, domain.Errorf(domain.EUNSUPPORTED, "Вид закрытого ключа %q не поддерживается", typ)
	}
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "keys.LoadPEM", "Закрытый ключ в файле повреждён")
	}
	return k.(crypto.Signer), nil
}

// decryptPKCS8 opens an EncryptedPrivateKeyInfo (PBES2 with GOST 28147-89,
// AES or 3DES; PKCS#12 PBEs) and parses the key inside.
func decryptPKCS8(der, password []byte) (crypto.Signer, error) {
	info, err := gostpkcs.DecryptPKCS8(der, password)
	if err != nil {
		return nil, protectionError("keys.LoadPEM", "зашифрованный ключ PEM", err)
	}
	defer Zero(info)
	return parsePrivateKeyDER(info)
}

// parsePrivateKeyDER parses PKCS#8 (standard or GOST).
func parsePrivateKeyDER(der []byte) (crypto.Signer, error) {
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err == nil {
		s, ok := k.(crypto.Signer)
		if !ok {
			return nil, domain.Errorf(domain.EUNSUPPORTED, "Тип закрытого ключа не поддерживается")
		}
		return s, nil
	}
	if containsGOSTOID(der) {
		s, gerr := parseGOSTPKCS8(der)
		if gerr != nil {
			return nil, domain.Wrap(gerr, domain.EINVALID, "keys.LoadPEM", "Ключ ГОСТ в файле не читается")
		}
		return s, nil
	}
	if k, err2 := x509.ParseECPrivateKey(der); err2 == nil {
		return k, nil
	}
	if k, err2 := x509.ParsePKCS1PrivateKey(der); err2 == nil {
		return k, nil
	}
	return nil, errNotKey(err)
}

// parseCertificates reads certificates from PEM or DER.
func parseCertificates(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	if !isPEM(data) {
		c, err := x509.ParseCertificate(data)
		if err != nil {
			return nil, domain.Wrap(err, domain.EINVALID, "keys.parseCertificates", "Файл сертификата повреждён или не является сертификатом X.509")
		}
		return append(certs, c), nil
	}
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if b.Type == "CERTIFICATE" {
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, domain.Wrap(err, domain.EINVALID, "keys.parseCertificates", "Сертификат в файле повреждён")
			}
			certs = append(certs, c)
		}
	}
	if len(certs) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "В файле нет сертификата")
	}
	return certs, nil
}
