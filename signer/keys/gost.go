package keys

import (
	"crypto"
	"crypto/x509"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gostx509"
	"github.com/mezhved/mezhved/gost/streebog"
)

// gostScheme returns the scheme of a GOST R 34.10-2012 public key.
func gostScheme(pub crypto.PublicKey) (scheme, bool) {
	p, ok := pub.(*gost3410.PublicKey)
	if !ok || p.Curve == nil {
		return scheme{}, false
	}
	switch p.Curve.Size() {
	case 32:
		return scheme{alg: AlgGOST256, newHash: streebog.New256, gost: true}, true
	case 64:
		return scheme{alg: AlgGOST512, newHash: streebog.New512, gost: true}, true
	}
	return scheme{}, false
}

// gostCertificateKey reads a GOST public key from a certificate.
func gostCertificateKey(cert *x509.Certificate) (crypto.PublicKey, error) {
	return gostx509.PublicKeyFromCertificate(cert)
}

// parseGOSTPKCS8 parses a GOST PKCS#8 private key as OpenSSL's GOST engine writes it.
func parseGOSTPKCS8(der []byte) (crypto.Signer, error) {
	return gostx509.ParsePKCS8PrivateKey(der)
}
