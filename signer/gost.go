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
// crypto/x509 leaves nil, included; legacy GOST R 34.10-2001 keys,
// 1.2.643.2.2.19, too).
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
		if isGOST2001(alg) {
			// GOST R 34.10-2001: 256-bit keys, digest GOST R 34.11-94.
			if p.Curve.Size() != 32 {
				return false, errors.New("GOST R 34.10-2001 signature method needs a 256-bit key")
			}
			return gost3410.VerifyDigest2001(p, digest, sig), nil
		}
		if (alg == keys.SigGOST256) != (p.Curve.Size() == 32) {
			return false, errors.New("GOST signature method does not match the key size")
		}
		return gost3410.VerifyDigest(p, digest, sig), nil
	}
}
