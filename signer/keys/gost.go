package keys

import (
	"crypto"
	"crypto/x509"
	"errors"
)

// gostScheme returns the scheme of a GOST R 34.10-2012 public key.
func gostScheme(pub crypto.PublicKey) (scheme, bool) { return scheme{}, false }

// gostCertificateKey reads a GOST public key from a certificate.
func gostCertificateKey(cert *x509.Certificate) (crypto.PublicKey, error) {
	return nil, errors.New("GOST not wired yet")
}

// parseGOSTPKCS8 parses a GOST PKCS#8 private key as OpenSSL's GOST engine writes it.
func parseGOSTPKCS8(der []byte) (crypto.Signer, error) { return nil, errors.New("GOST not wired yet") }
