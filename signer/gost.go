package signer

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/signer/keys"
)

var (
	oidGOST256 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 1, 1}
	oidGOST512 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 1, 2}
)

// certPublicKey returns the public key of a certificate: through
// signer/keys, and for GOST R 34.10-2012 keys that it cannot read yet,
// from the SubjectPublicKeyInfo (parameters: curve OID; key: OCTET STRING
// of LE X ‖ LE Y).
func certPublicKey(cert *x509.Certificate) (crypto.PublicKey, error) {
	if pub, err := keys.CertificatePublicKey(cert); err == nil {
		return pub, nil
	}
	return gostPublicKey(cert.RawSubjectPublicKeyInfo)
}

func gostPublicKey(rawSPKI []byte) (*gost3410.PublicKey, error) {
	var info struct {
		Algorithm pkix.AlgorithmIdentifier
		Key       asn1.BitString
	}
	if _, err := asn1.Unmarshal(rawSPKI, &info); err != nil {
		return nil, err
	}
	alg := info.Algorithm.Algorithm
	if !alg.Equal(oidGOST256) && !alg.Equal(oidGOST512) {
		return nil, errors.New("not a GOST R 34.10-2012 key")
	}
	var params struct {
		Curve asn1.ObjectIdentifier
		Rest  asn1.RawValue `asn1:"optional"`
	}
	if _, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params); err != nil {
		return nil, err
	}
	curve := gost3410.CurveByOID(params.Curve)
	if curve == nil {
		return nil, errors.New("unknown GOST curve " + params.Curve.String())
	}
	var raw []byte
	if _, err := asn1.Unmarshal(info.Key.RightAlign(), &raw); err != nil {
		return nil, err
	}
	return gost3410.NewPublicKeyLE(curve, raw)
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
