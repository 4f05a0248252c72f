package signer

import (
	"crypto"
	"crypto/x509"
	"errors"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gostx509"
	"github.com/mezhved/mezhved/signer/keys"
)

// certPublicKey returns the public key of a certificate (GOST keys, which
// crypto/x509 leaves nil, included).
func certPublicKey(cert *x509.Certificate) (crypto.PublicKey, error) {
	if pub, err := keys.CertificatePublicKey(cert); err == nil {
		return pub, nil
	}
	return gostx509.PublicKeyFromCertificate(cert)
}

func init() {
	gostVerify = func(pub crypto.PublicKey, alg string, digest, sig []byte) (bool, error) {
		p, ok := pub.(*gost3410.PublicKey)
		if !ok {
			return false, errors.New("signature method is GOST but the certificate key is not")
		}
		if (alg == keys.SigGOST256) != (p.Curve.Size() == 32) {
			return false, errors.New("GOST signature method does not match the key size")
		}
		return gost3410.VerifyDigest(p, digest, sig), nil
	}
}
