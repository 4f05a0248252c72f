package gostpkcs

import (
	"crypto/cipher"
	"crypto/des"
	"crypto/sha1"
	"encoding/asn1"
)

// The PKCS#12 PBEs (RFC 7292 appendix C) over SHA-1 that PFX files still
// carry around GOST keys: the key and IV from the RFC 7292 KDF, CBC with
// PKCS#7 padding.
var (
	oidPBEWithSHA3DES    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3}
	oidPBEWithSHA128RC2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 5}
	oidPBEWithSHA40RC2   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 6}
	oidCryptoProKeyBagPB = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 80}
)

type pbeParams struct {
	Salt       []byte
	Iterations int
}

type pbeSpec struct {
	keyLen    int
	newCipher func(key []byte) (cipher.Block, error)
}

func pbeSpecFor(oid asn1.ObjectIdentifier) (pbeSpec, bool) {
	switch {
	case oid.Equal(oidPBEWithSHA3DES):
		return pbeSpec{24, des.NewTripleDESCipher}, true
	case oid.Equal(oidPBEWithSHA40RC2):
		return pbeSpec{5, func(k []byte) (cipher.Block, error) { return newRC2(k, 40) }}, true
	case oid.Equal(oidPBEWithSHA128RC2):
		return pbeSpec{16, func(k []byte) (cipher.Block, error) { return newRC2(k, 128) }}, true
	}
	return pbeSpec{}, false
}

// decryptPBE deciphers ct with a PKCS#12 PBE; password is UTF-8.
func decryptPBE(spec pbeSpec, params, password, ct []byte) ([]byte, error) {
	var p pbeParams
	if err := parseDER(params, &p, "PKCS#12 PBE parameters"); err != nil {
		return nil, err
	}
	if err := checkIterations(p.Iterations); err != nil {
		return nil, err
	}
	bmp, ok := bmpPassword(password)
	if !ok {
		return nil, ErrWrongPassword
	}
	defer clear(bmp)
	key := pkcs12KDF(sha1.New, bmp, p.Salt, kdfKey, p.Iterations, spec.keyLen)
	defer clear(key)
	iv := pkcs12KDF(sha1.New, bmp, p.Salt, kdfIV, p.Iterations, 8)
	b, err := spec.newCipher(key)
	if err != nil {
		return nil, err
	}
	return cbcDecrypt(b, iv, ct)
}

// decrypt deciphers ct with the password-based scheme a: PBES2
// (pbes2Ciphers) or a PKCS#12 PBE. CryptoPro's key bag scheme
// (1.2.840.113549.1.12.1.80) is package cryptopro's. The result is not
// checked; callers check its structure.
func decrypt(a algorithmIdentifier, password, ct []byte) ([]byte, error) {
	if a.Algorithm.Equal(oidPBES2) {
		return decryptPBES2(a.params(), password, ct)
	}
	if spec, ok := pbeSpecFor(a.Algorithm); ok {
		return decryptPBE(spec, a.params(), password, ct)
	}
	if a.Algorithm.Equal(oidCryptoProKeyBagPB) {
		return nil, unsupported("CryptoPro key bag encryption outside a PFX key bag")
	}
	return nil, unsupported("password-based encryption %v", a.Algorithm)
}
