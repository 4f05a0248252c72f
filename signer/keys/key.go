// Package keys loads the employee's signing key and certificate: PKCS#12
// containers, PEM/PKCS#8 files (GOST keys as OpenSSL's GOST engine writes
// them included) and PKCS#11 tokens. A PIN or password is used once to open
// the key and is never written to disk or to a log.
package keys

import (
	"crypto"
	"crypto/x509"
)

// Algorithm names what a key signs with, as XMLDSig URIs.
type Algorithm struct {
	Signature string // ds:SignatureMethod Algorithm
	Digest    string // ds:DigestMethod Algorithm for references
}

// Key is a signing key with its certificate. Implementations: software keys
// (GOST R 34.10-2012, RSA, ECDSA) and PKCS#11 token keys. A Key is safe for
// concurrent use (a token key signs one at a time on its session).
type Key interface {
	// Public returns the public key: *gost3410.PublicKey, *rsa.PublicKey or
	// *ecdsa.PublicKey.
	Public() crypto.PublicKey
	// Certificate returns the key's X.509 certificate (for GOST keys
	// crypto/x509 leaves PublicKey nil; the gost packages read it).
	Certificate() *x509.Certificate
	// Algorithm returns the XMLDSig URIs of the key's signature and digest.
	Algorithm() Algorithm
	// SignData hashes data with the key's digest and signs it, returning the
	// signature value exactly as ds:SignatureValue holds it (GOST: s ‖ r;
	// ECDSA: r ‖ s; RSA: PKCS#1 v1.5). A token may hash on the chip.
	SignData(data []byte) ([]byte, error)
	// Close releases the key (a token session); safe to call twice.
	Close() error
}

// DigestSigner is implemented by keys that can sign a digest computed
// outside the key (every key of this package does): RSA PKCS#1 v1.5 over a
// DigestInfo, ECDSA over the digest (raw r ‖ s), GOST over the Streebog
// digest (s ‖ r). The digest must come from Algorithm().Digest's function.
type DigestSigner interface {
	SignDigest(digest []byte) ([]byte, error)
}
