package gostpkcs

import (
	"crypto/aes"
	"crypto/des"
)

// cipherSpec is one encryption scheme of PBES2 (RFC 8018 section 6.2).
type cipherSpec struct {
	name   string
	keyLen int // bytes of key PBKDF2 derives when its keyLength is absent
	// decrypt deciphers ct under key with the scheme's parameters (the DER
	// of the AlgorithmIdentifier's parameters). A failed padding or
	// integrity check returns ErrWrongPassword; parameters it cannot read
	// return a MalformedError or UnsupportedError.
	decrypt func(key, params, ct []byte) ([]byte, error)
}

// pbes2Ciphers are the PBES2 encryption schemes by OID: an entry gets the
// PBKDF2 output and the scheme's parameters. Kuznyechik and Magma in
// CTR-ACPKM (with OMAC or without, RFC 9337) join them in
// cipher_gost2015.go.
var pbes2Ciphers = map[string]cipherSpec{
	"1.2.643.2.2.21":          {"GOST 28147-89 CFB", 32, decryptGOST28147},
	"2.16.840.1.101.3.4.1.2":  {"AES-128-CBC", 16, decryptCBC(aes.NewCipher)},
	"2.16.840.1.101.3.4.1.22": {"AES-192-CBC", 24, decryptCBC(aes.NewCipher)},
	"2.16.840.1.101.3.4.1.42": {"AES-256-CBC", 32, decryptCBC(aes.NewCipher)},
	"1.2.840.113549.3.7":      {"DES-EDE3-CBC", 24, decryptCBC(des.NewTripleDESCipher)},
}
