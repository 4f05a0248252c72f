// Package gostx509 reads and writes GOST R 34.10-2012 keys and certificates,
// which crypto/x509 cannot handle (it leaves PublicKey nil): the
// SubjectPublicKeyInfo (RFC 4491, RFC 9215), PKCS#8 private keys as
// OpenSSL's GOST engine writes them, certificates signed with GOST keys,
// and the Russian subject attributes (СНИЛС, ИНН, ОГРН, ...). Legacy
// GOST R 34.10-2001 keys (1.2.643.2.2.19) are read and signatures
// 1.2.643.2.2.3 (GOST R 34.11-94) verified, for old CA chains; nothing is
// ever signed with them.
//
// Byte orders: the public key is an OCTET STRING of LE(X) ‖ LE(Y) inside
// the BIT STRING; the private key is LE(d); a certificate's signature BIT
// STRING holds s ‖ r, big-endian halves, and the signed digest is
// Streebog(tbsCertificate) read as a little-endian integer (gost3410).
package gostx509

import (
	"encoding/asn1"
	"errors"
	"fmt"

	"github.com/mezhved/mezhved/gost/gost3410"
)

type algorithmIdentifier struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

type subjectPublicKeyInfo struct {
	Algorithm algorithmIdentifier
	PublicKey asn1.BitString
}

// ErrNotGOST reports a key or certificate whose algorithm is not GOST R 34.10.
var ErrNotGOST = errors.New("gostx509: not a GOST R 34.10 key")

func isKeyAlgorithm(oid asn1.ObjectIdentifier) bool {
	return oid.Equal(OIDPublicKey256) || oid.Equal(OIDPublicKey512) || oid.Equal(OIDPublicKey2001)
}

// curveFromAlgorithm checks the key algorithm and returns the curve named by
// its parameters.
func curveFromAlgorithm(alg algorithmIdentifier) (*gost3410.Curve, error) {
	if !isKeyAlgorithm(alg.Algorithm) {
		return nil, ErrNotGOST
	}
	if len(alg.Parameters.FullBytes) == 0 {
		return nil, errors.New("gostx509: GOST key without parameters")
	}
	var p keyParams
	rest, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p)
	if err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("gostx509: bad GOST key parameters: %v", err)
	}
	c := gost3410.CurveByOID(p.Curve)
	if c == nil {
		return nil, fmt.Errorf("gostx509: unknown GOST parameter set %s", p.Curve)
	}
	want := 256
	if alg.Algorithm.Equal(OIDPublicKey512) {
		want = 512
	}
	if c.BitSize() != want {
		return nil, fmt.Errorf("gostx509: parameter set %s does not fit algorithm %s", c.Name, alg.Algorithm)
	}
	return c, nil
}

// ParsePKIXPublicKey parses a DER SubjectPublicKeyInfo with a GOST R 34.10
// key (1.2.643.7.1.1.1.1, 1.2.643.7.1.1.1.2 or the legacy 1.2.643.2.2.19).
func ParsePKIXPublicKey(der []byte) (*gost3410.PublicKey, error) {
	var spki subjectPublicKeyInfo
	rest, err := asn1.Unmarshal(der, &spki)
	if err != nil {
		return nil, fmt.Errorf("gostx509: bad SubjectPublicKeyInfo: %v", err)
	}
	if len(rest) != 0 {
		return nil, errors.New("gostx509: trailing data after SubjectPublicKeyInfo")
	}
	c, err := curveFromAlgorithm(spki.Algorithm)
	if err != nil {
		return nil, err
	}
	if spki.PublicKey.BitLength%8 != 0 {
		return nil, errors.New("gostx509: public key BIT STRING with unused bits")
	}
	var raw []byte
	rest, err = asn1.Unmarshal(spki.PublicKey.Bytes, &raw)
	if err != nil || len(rest) != 0 {
		return nil, errors.New("gostx509: GOST public key is not an OCTET STRING")
	}
	return gost3410.NewPublicKeyLE(c, raw)
}

// MarshalPKIXPublicKey returns the DER SubjectPublicKeyInfo for pub, with
// parameters as OpenSSL's GOST engine writes them.
func MarshalPKIXPublicKey(pub *gost3410.PublicKey) ([]byte, error) {
	if pub == nil || pub.Curve == nil {
		return nil, errors.New("gostx509: nil public key")
	}
	alg, err := algorithmFor(pub.Curve)
	if err != nil {
		return nil, err
	}
	octets, err := asn1.Marshal(pub.RawLE())
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(subjectPublicKeyInfo{
		Algorithm: alg,
		PublicKey: asn1.BitString{Bytes: octets, BitLength: 8 * len(octets)},
	})
}

func algorithmFor(c *gost3410.Curve) (algorithmIdentifier, error) {
	params, err := asn1.Marshal(paramsFor(c))
	if err != nil {
		return algorithmIdentifier{}, err
	}
	return algorithmIdentifier{Algorithm: keyAlgorithm(c), Parameters: asn1.RawValue{FullBytes: params}}, nil
}
