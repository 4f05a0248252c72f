package gostpkcs

import "encoding/asn1"

// encryptedPrivateKeyInfo is EncryptedPrivateKeyInfo (RFC 5958 section 3).
type encryptedPrivateKeyInfo struct {
	Algorithm     algorithmIdentifier
	EncryptedData []byte
}

// DecryptPKCS8 opens an EncryptedPrivateKeyInfo (the DER of an "ENCRYPTED
// PRIVATE KEY" PEM block or a PFX shrouded key bag) and returns the
// PrivateKeyInfo DER, which the caller zeroes after use. A password that
// does not open it gives ErrWrongPassword.
func DecryptPKCS8(der, password []byte) ([]byte, error) {
	if len(der) > MaxInput {
		return nil, malformed("encrypted key of %d bytes", len(der))
	}
	var e encryptedPrivateKeyInfo
	if err := parseDER(der, &e, "EncryptedPrivateKeyInfo"); err != nil {
		return nil, err
	}
	return decryptKeyInfo(e, password)
}

func decryptKeyInfo(e encryptedPrivateKeyInfo, password []byte) ([]byte, error) {
	pt, err := decrypt(e.Algorithm, password, e.EncryptedData)
	if err != nil {
		return nil, err
	}
	if !isPrivateKeyInfo(pt) {
		clear(pt)
		return nil, ErrWrongPassword
	}
	return pt, nil
}

// isPrivateKeyInfo reports whether b looks like a PrivateKeyInfo: a
// well-formed DER SEQUENCE starting with a small INTEGER version and an
// AlgorithmIdentifier. A wrong CFB key yields random bytes that fail this
// with overwhelming probability.
func isPrivateKeyInfo(b []byte) bool {
	if !isDERSequence(b) {
		return false
	}
	var head struct {
		Version   int
		Algorithm algorithmIdentifier
		Rest      asn1.RawValue
	}
	_, err := asn1.Unmarshal(b, &head)
	return err == nil && (head.Version == 0 || head.Version == 1)
}
