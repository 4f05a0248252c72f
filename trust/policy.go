package trust

import (
	"crypto/x509"
	"fmt"
	"time"
)

// leafUsage is what a signing certificate's key usage must allow (one of).
const leafUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment

// checkPath applies the rules of RFC 5280 that matter here to a path found
// by the builder (leaf first, anchor last): every link valid at at, every
// issuer a CA allowed to sign certificates within its path length, the
// leaf's key usage allowing signatures. Revocation is checked elsewhere.
func checkPath(path []*candidate, at time.Time) []Reason {
	var rs []Reason
	for i, x := range path {
		c := x.cert
		if at.Before(c.NotBefore) {
			rs = append(rs, Reason{Code: NotYetValid, Cert: i, When: c.NotBefore,
				Detail: fmt.Sprintf("valid from %s, checked at %s", c.NotBefore.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))})
		}
		if at.After(c.NotAfter) {
			rs = append(rs, Reason{Code: Expired, Cert: i, When: c.NotAfter,
				Detail: fmt.Sprintf("valid until %s, checked at %s", c.NotAfter.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))})
		}
		if i == 0 {
			if len(path) > 1 && c.KeyUsage != 0 && c.KeyUsage&leafUsage == 0 {
				rs = append(rs, Reason{Code: KeyUsage, Cert: i, Detail: "neither digitalSignature nor nonRepudiation"})
			}
			continue
		}
		rs = append(rs, checkIssuer(c, i, x.anchor)...)
	}
	return rs
}

// checkIssuer checks a certificate at position i (> 0) of a path.
func checkIssuer(c *x509.Certificate, i int, anchor bool) []Reason {
	var rs []Reason
	// A version 1 certificate has no basicConstraints: accepted only as
	// the anchor itself, as crypto/x509 does.
	v1Anchor := anchor && c.Version < 3 && !c.BasicConstraintsValid
	if !v1Anchor && (!c.BasicConstraintsValid || !c.IsCA) {
		rs = append(rs, Reason{Code: NotCA, Cert: i, Detail: "basicConstraints CA:FALSE or absent"})
	}
	if c.KeyUsage != 0 && c.KeyUsage&x509.KeyUsageCertSign == 0 {
		rs = append(rs, Reason{Code: KeyUsage, Cert: i, Detail: "keyCertSign not allowed"})
	}
	// i-1 CA certificates stand between this issuer and the leaf.
	if c.BasicConstraintsValid && (c.MaxPathLen > 0 || c.MaxPathLenZero) && i-1 > c.MaxPathLen {
		rs = append(rs, Reason{Code: PathTooLong, Cert: i, Detail: fmt.Sprintf("pathLenConstraint %d, %d CA certificates below", c.MaxPathLen, i-1)})
	}
	return rs
}
