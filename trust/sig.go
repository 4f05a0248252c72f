package trust

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"

	"github.com/mezhved/mezhved/gost/gostx509"
)

// errUnsupported marks a signature whose algorithm cannot be checked (as
// opposed to one that is checked and wrong).
var errUnsupported = errors.New("unsupported signature algorithm")

var oidGOST = asn1.ObjectIdentifier{1, 2, 643}

// isGOST reports whether alg is under the Russian arc 1.2.643.
func isGOST(alg asn1.ObjectIdentifier) bool {
	return len(alg) > len(oidGOST) && alg[:len(oidGOST)].Equal(oidGOST)
}

// signed is the outer shape shared by certificates and CRLs.
type signed struct {
	TBS       asn1.RawValue
	Algorithm struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue `asn1:"optional"`
	}
	Signature asn1.BitString
}

// outerAlgorithm returns the OID of the outer signature algorithm of a
// certificate or CRL.
func outerAlgorithm(der []byte) (asn1.ObjectIdentifier, error) {
	var s signed
	if _, err := asn1.Unmarshal(der, &s); err != nil {
		return nil, fmt.Errorf("malformed signed structure: %v", err)
	}
	return s.Algorithm.Algorithm, nil
}

// checkSigned verifies that tbs/sig (with the outer algorithm of der,
// x509alg as crypto/x509 read it) was signed by issuer's key: GOST R
// 34.10-2012 and 2001 through gostx509, anything else through crypto/x509.
// Constraints on the issuer (CA, key usage) are not checked here.
func checkSigned(der, tbs, sig []byte, x509alg x509.SignatureAlgorithm, issuer *x509.Certificate) error {
	alg, err := outerAlgorithm(der)
	if err != nil {
		return err
	}
	if isGOST(alg) {
		pub, err := gostx509.PublicKeyFromCertificate(issuer)
		if err != nil {
			return fmt.Errorf("issuer key: %w", err)
		}
		err = gostx509.CheckSignature(alg, tbs, sig, pub)
		// gostx509 says "not supported" for algorithms it recognises but
		// cannot check.
		if err != nil && strings.Contains(err.Error(), "not supported") {
			return fmt.Errorf("%w: %v", errUnsupported, err)
		}
		return err
	}
	err = issuer.CheckSignature(x509alg, tbs, sig)
	if errors.Is(err, x509.ErrUnsupportedAlgorithm) || errors.As(err, new(x509.InsecureAlgorithmError)) {
		return fmt.Errorf("%w: %v", errUnsupported, err)
	}
	return err
}

// checkCertSignature verifies child's signature with parent's key.
func checkCertSignature(child, parent *x509.Certificate) error {
	return checkSigned(child.Raw, child.RawTBSCertificate, child.Signature, child.SignatureAlgorithm, parent)
}

// checkCRLSignature verifies a CRL with its issuer's key; an issuer that
// states key usage must allow cRLSign.
func checkCRLSignature(crl *x509.RevocationList, issuer *x509.Certificate) error {
	if issuer.KeyUsage != 0 && issuer.KeyUsage&x509.KeyUsageCRLSign == 0 {
		return errors.New("the issuer's key usage does not allow signing CRLs")
	}
	return checkSigned(crl.Raw, crl.RawTBSRevocationList, crl.Signature, crl.SignatureAlgorithm, issuer)
}
