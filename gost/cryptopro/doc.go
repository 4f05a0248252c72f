// Package cryptopro opens the keys CryptoPro CSP writes: its key
// containers (a folder such as xxxxxxxx.000 with header.key, masks.key,
// primary.key, …) and the key bag of its PFX export (PBE OID
// 1.2.840.113549.1.12.1.80), for GOST R 34.10-2012 keys (256 and 512) and,
// for containers, GOST R 34.10-2001 keys.
//
// CryptoPro does not publish these formats. What is implemented follows the
// public descriptions of independent readers (the PIN key derivation, the
// blob layout) and the standards they use: GOST 28147-89 (ECB, CFB) with
// the S-box of RFC 4357 / RFC 7836, GOST R 34.11-94 and GOST R 34.11-2012,
// KDF_GOSTR3411_2012_256 of R 50.1.113-2016 (RFC 7836 section 4.5), the
// key wrap of RFC 4357 section 6. Every key is checked: a container's
// against the public key fingerprint its header records, a key bag's by
// the MAC of its wrap. A wrong PIN or password gives ErrWrongPassword.
//
// All input is untrusted: file sizes and iteration counts are bounded and
// DER is parsed strictly. Derived keys and decrypted key material are
// zeroed after use.
package cryptopro

import (
	"encoding/asn1"
	"fmt"

	"github.com/mezhved/mezhved/gost/gostpkcs"
)

// ErrWrongPassword is returned when a PIN or password does not open the
// key; it is the same value as gostpkcs.ErrWrongPassword.
var ErrWrongPassword = gostpkcs.ErrWrongPassword

// FormatError says the container or key bag is damaged or of a kind this
// package does not read; What names it.
type FormatError struct{ What string }

func (e *FormatError) Error() string { return "cryptopro: " + e.What }

func formatErr(format string, args ...any) error {
	return &FormatError{What: fmt.Sprintf(format, args...)}
}

// Key algorithm OIDs a container header or key blob names.
var (
	oidDH2001     = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 98}
	oidKey2001    = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 19}
	oidDH2012256  = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 6, 1}
	oidDH2012512  = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 6, 2}
	oidKey2012256 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 1, 1}
	oidKey2012512 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 1, 2}
)

// Is2001 reports whether a key algorithm OID is GOST R 34.10-2001.
func is2001(oid asn1.ObjectIdentifier) bool { return oid.Equal(oidDH2001) || oid.Equal(oidKey2001) }

func is2012(oid asn1.ObjectIdentifier) bool {
	return oid.Equal(oidDH2012256) || oid.Equal(oidDH2012512) || oid.Equal(oidKey2012256) || oid.Equal(oidKey2012512)
}

// parseDER unmarshals exactly one DER value.
func parseDER(der []byte, v any, what string) error {
	rest, err := asn1.Unmarshal(der, v)
	if err != nil {
		return formatErr("%s is damaged: %v", what, err)
	}
	if len(rest) != 0 {
		return formatErr("%s is damaged: trailing data", what)
	}
	return nil
}
