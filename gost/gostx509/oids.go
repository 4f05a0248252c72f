package gostx509

import (
	"encoding/asn1"

	"github.com/mezhved/mezhved/gost/gost3410"
)

// Algorithm OIDs (RFC 4491, RFC 9215, TC26).
var (
	// OIDPublicKey256 is id-tc26-gost3410-12-256.
	OIDPublicKey256 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 1, 1}
	// OIDPublicKey512 is id-tc26-gost3410-12-512.
	OIDPublicKey512 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 1, 2}
	// OIDPublicKey2001 is id-GostR3410-2001 (legacy; the same 256-bit curves).
	OIDPublicKey2001 = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 19}

	// OIDDigest256 is id-tc26-gost3411-12-256 (Streebog-256).
	OIDDigest256 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 2, 2}
	// OIDDigest512 is id-tc26-gost3411-12-512 (Streebog-512).
	OIDDigest512 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 2, 3}
	// OIDDigest94CryptoPro is id-GostR3411-94-CryptoProParamSet, the digest
	// parameter of legacy 2001 keys.
	OIDDigest94CryptoPro = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 30, 1}

	// OIDSignature256 is id-tc26-signwithdigest-gost3410-12-256.
	OIDSignature256 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 3, 2}
	// OIDSignature512 is id-tc26-signwithdigest-gost3410-12-512.
	OIDSignature512 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 3, 3}
	// OIDSignature2001 is id-GostR3411-94-with-GostR3410-2001 (GOST R 34.11-94
	// digest, CryptoPro parameters): verified by CheckSignature, never made.
	OIDSignature2001 = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 3}
)

// Russian subject attribute OIDs (Приказ ФСБ № 795, ФЗ-63).
var (
	OIDSNILS  = asn1.ObjectIdentifier{1, 2, 643, 100, 3}       // СНИЛС, NumericString(11)
	OIDINN    = asn1.ObjectIdentifier{1, 2, 643, 3, 131, 1, 1} // ИНН (physical person), NumericString(12)
	OIDINNLE  = asn1.ObjectIdentifier{1, 2, 643, 100, 4}       // ИНН ЮЛ, NumericString(10)
	OIDOGRN   = asn1.ObjectIdentifier{1, 2, 643, 100, 1}       // ОГРН, NumericString(13)
	OIDOGRNIP = asn1.ObjectIdentifier{1, 2, 643, 100, 5}       // ОГРНИП, NumericString(15)
)

// keyAlgorithm returns the public key algorithm OID for a curve: 256-bit
// curves use the 2012-256 OID, 512-bit curves the 2012-512 OID.
func keyAlgorithm(c *gost3410.Curve) asn1.ObjectIdentifier {
	if c.BitSize() == 512 {
		return OIDPublicKey512
	}
	return OIDPublicKey256
}

// SignatureAlgorithm returns the signature algorithm OID for keys on c.
func SignatureAlgorithm(c *gost3410.Curve) asn1.ObjectIdentifier {
	if c.BitSize() == 512 {
		return OIDSignature512
	}
	return OIDSignature256
}

// keyParams are GostR3410-2012-PublicKeyParameters (RFC 9215 section 4.3)
// and GostR3410-2001-PublicKeyParameters (RFC 4491).
type keyParams struct {
	Curve      asn1.ObjectIdentifier
	Digest     asn1.ObjectIdentifier `asn1:"optional"`
	Encryption asn1.ObjectIdentifier `asn1:"optional"`
}

// paramsFor returns the parameters as OpenSSL's GOST engine writes them:
// the digest OID is given except for the TC26 256-bit sets (1.2.643.7.1.2.1.1.*)
// and TC26 512-C, whose OIDs imply it (RFC 9215).
func paramsFor(c *gost3410.Curve) keyParams {
	p := keyParams{Curve: c.OID}
	tc26 := asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 1, 1}
	impliesDigest := (len(c.OID) == 9 && asn1.ObjectIdentifier(c.OID[:8]).Equal(tc26)) ||
		c.OID.Equal(gost3410.CurveTC26512C().OID)
	if !impliesDigest {
		if c.BitSize() == 512 {
			p.Digest = OIDDigest512
		} else {
			p.Digest = OIDDigest256
		}
	}
	return p
}
