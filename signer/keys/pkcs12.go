package keys

import (
	"crypto"
	"crypto/x509"
	"errors"
	"strings"

	"github.com/mezhved/mezhved/domain"
	"software.sslmate.com/src/go-pkcs12"
)

// LoadPKCS12 opens a PKCS#12 container (.pfx, .p12) and pairs its key with
// the matching certificate among those in the container: RSA and ECDSA
// keys through go-pkcs12; GOST keys through gost/gostpkcs (PBES2 with
// GOST 28147-89 as R 50.1.112-2016, OpenSSL's GOST engine and CryptoPro
// write it, either GOST MAC rule) and gost/cryptopro (CryptoPro CSP's own
// key bag), also inside a classic 3DES/RC2 PFX. A wrong password gives an
// error with ErrWrongPassword in its chain; a GOST R 34.10-2001 key opens
// but is refused for signing. The password is zeroed before return.
//
// go-pkcs12 takes the password as a string: that short-lived copy cannot be
// zeroed.
func LoadPKCS12(data, password []byte) (Key, error) {
	defer Zero(password)
	if len(data) == 0 || data[0] != 0x30 {
		return nil, errNotKey(nil)
	}
	if isGOSTPFX(data) {
		return loadGOSTPKCS12(data, password)
	}
	priv, leaf, chain, err := pkcs12.DecodeChain(data, string(password))
	if err != nil {
		if strings.Contains(err.Error(), "1.2.643") { // a GOST key under a classic PBE
			return loadGOSTPKCS12(data, password)
		}
		return nil, pkcs12Error(err)
	}
	signer, ok := priv.(crypto.Signer)
	if !ok {
		return nil, domain.Errorf(domain.EUNSUPPORTED, "Тип ключа в контейнере PKCS#12 не поддерживается")
	}
	certs := append([]*x509.Certificate{leaf}, chain...)
	for _, c := range certs {
		if c != nil && checkMatch(signer.Public(), c) == nil {
			return Software(signer, c)
		}
	}
	return nil, domain.Errorf(domain.EINVALID, "В контейнере PKCS#12 нет сертификата этого ключа")
}

func pkcs12Error(err error) error {
	switch {
	case errors.Is(err, pkcs12.ErrIncorrectPassword), errors.Is(err, pkcs12.ErrDecryption):
		return wrongPassword("keys.LoadPKCS12", "")
	case strings.Contains(err.Error(), "unknown") || strings.Contains(err.Error(), "not supported"):
		return domain.Wrap(err, domain.EUNSUPPORTED, "keys.LoadPKCS12", "Алгоритм защиты контейнера PKCS#12 не поддерживается")
	}
	return errNotKey(err)
}

// containsGOSTOID reports whether the DER holds an OID under 1.2.643
// (Russian algorithms: GOST PBE, MAC or keys). A hint for routing only:
// the parsers decide.
func containsGOSTOID(data []byte) bool {
	for i := 0; i+5 <= len(data); i++ {
		if data[i] == 0x06 && data[i+2] == 0x2a && data[i+3] == 0x85 && data[i+4] == 0x03 && data[i+1] >= 5 && data[i+1] <= 12 {
			return true
		}
	}
	return false
}

func errNotKey(cause error) error {
	if cause == nil {
		cause = errors.New("not a key container")
	}
	return domain.Wrap(cause, domain.EINVALID, "keys.Open",
		"Файл не является ключом: нужен контейнер PKCS#12 (.pfx, .p12), PEM с закрытым ключом или папка контейнера КриптоПро")
}
