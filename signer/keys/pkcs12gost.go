package keys

import (
	"bytes"
	"crypto"
	"crypto/x509"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/gost/cryptopro"
	"github.com/mezhved/mezhved/gost/gostpkcs"
)

// cryptoProKeyBagOID is the DER of 1.2.840.113549.1.12.1.80, the key bag
// encryption of CryptoPro CSP's PFX export.
var cryptoProKeyBagOID = []byte{0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x50}

// isGOSTPFX reports whether a PFX visibly uses GOST algorithms or
// CryptoPro's key bag; those go to gostpkcs instead of go-pkcs12.
func isGOSTPFX(data []byte) bool {
	return containsGOSTOID(data) || bytes.Contains(data, cryptoProKeyBagOID)
}

// loadGOSTPKCS12 opens a PFX with package gostpkcs (R 50.1.112-2016 GOST
// PFX, CryptoPro CSP exports, classic PBEs around a GOST key): the key is
// decrypted and paired with its certificate from the file.
func loadGOSTPKCS12(data, password []byte) (Key, error) {
	const op = "keys.LoadPKCS12"
	p, err := gostpkcs.ParsePFX(data, password)
	if err != nil {
		return nil, protectionError(op, "контейнер PKCS#12", err)
	}
	var certs []*x509.Certificate
	for _, der := range p.Certificates {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, domain.Wrap(err, domain.EINVALID, op, "Сертификат в контейнере PKCS#12 повреждён")
		}
		certs = append(certs, c)
	}
	if len(p.Keys) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "В контейнере PKCS#12 нет закрытого ключа")
	}
	if len(p.Keys) > 1 {
		return nil, domain.Errorf(domain.EUNSUPPORTED, "В контейнере PKCS#12 несколько закрытых ключей: выгрузите нужный ключ отдельно")
	}
	signer, err := openKeyBag(p.Keys[0], password)
	if err != nil {
		return nil, err
	}
	for _, c := range certs {
		if checkMatch(signer.Public(), c) == nil {
			return Software(signer, c)
		}
	}
	return nil, domain.Errorf(domain.EINVALID, "В контейнере PKCS#12 нет сертификата этого ключа")
}

// openKeyBag decrypts a key bag: CryptoPro's with package cryptopro, the
// standard ones to a PrivateKeyInfo that is parsed and zeroed.
func openKeyBag(bag *gostpkcs.KeyBag, password []byte) (crypto.Signer, error) {
	const op = "keys.LoadPKCS12"
	if bag.Algorithm.Equal(gostpkcs.OIDCryptoProKeyBag) {
		k, err := cryptopro.DecryptKeyBag(bag.AlgorithmDER, bag.Encrypted, password)
		if err != nil {
			return nil, protectionError(op, "ключ в контейнере PKCS#12 КриптоПро", err)
		}
		return k, nil
	}
	info, err := bag.Decrypt(password)
	if err != nil {
		return nil, protectionError(op, "контейнер PKCS#12", err)
	}
	defer Zero(info)
	return parsePrivateKeyDER(info)
}
