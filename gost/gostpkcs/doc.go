// Package gostpkcs opens password-protected private keys: PKCS#12 (PFX)
// files and encrypted PKCS#8 ("ENCRYPTED PRIVATE KEY"), with the GOST
// algorithms of R 50.1.112-2016 and RFC 9337/9548 (PBES2 with PBKDF2 over
// HMAC-Streebog or HMAC-GOST R 34.11-94 and GOST 28147-89 CFB; the PFX MAC
// of the TC26 rule and of the RFC 7292 KDF with GOST R 34.11-94) and the
// common ones the same files carry (PBES2 with AES or 3DES, the PKCS#12
// PBEs with SHA-1 and 3DES or RC2, MACs with SHA-1/SHA-2).
//
// It decrypts and checks; it does not interpret private keys (the caller
// parses the PrivateKeyInfo it returns, see gostx509.ParsePKCS8PrivateKey)
// and leaves CryptoPro's own key bag (1.2.840.113549.1.12.1.80) encrypted
// for package cryptopro. All input is untrusted: sizes, iteration counts
// and nesting are bounded, DER is parsed strictly.
//
// Passwords are UTF-8 bytes; where a scheme wants a BMPString (the RFC 7292
// KDF) they are converted. Derived keys are zeroed after use; returned
// plaintexts belong to the caller, who zeroes them.
package gostpkcs

import (
	"errors"
	"fmt"
)

// ErrWrongPassword is returned when the password does not open the data:
// the MAC does not match, or the decrypted data is not what it must be.
var ErrWrongPassword = errors.New("gostpkcs: wrong password")

// UnsupportedError names an algorithm or structure this package does not
// implement.
type UnsupportedError struct{ What string }

func (e *UnsupportedError) Error() string { return "gostpkcs: unsupported " + e.What }

func unsupported(format string, args ...any) error {
	return &UnsupportedError{What: fmt.Sprintf(format, args...)}
}

// MalformedError says the input is not a well-formed PFX or PKCS#8 file.
type MalformedError struct{ What string }

func (e *MalformedError) Error() string { return "gostpkcs: malformed " + e.What }

func malformed(format string, args ...any) error {
	return &MalformedError{What: fmt.Sprintf(format, args...)}
}

// Bounds on untrusted input.
const (
	// MaxIterations caps every password-based iteration count (PBKDF2, the
	// RFC 7292 KDF, the PFX MAC). Real files use 2000 (CryptoPro, TC26),
	// 2048 (OpenSSL) or 10000 (Java); one iteration of HMAC-Streebog-512 or
	// HMAC-GOST R 34.11-94 costs about 10 µs here, so a hostile count is
	// refused rather than allowed to spin for minutes: at the cap a key
	// costs about a second.
	MaxIterations = 100000
	// MaxInput caps a PFX or PKCS#8 file (a key with a few certificates is
	// a few kilobytes).
	MaxInput = 1 << 20
	// maxEncryptedItems caps how many encrypted containers and key bags a
	// PFX may make us derive keys for (each costs up to MaxIterations).
	maxEncryptedItems = 8
	// maxBags caps the bags of a PFX.
	maxBags = 64
)

// iterationCap is MaxIterations; the fuzz tests lower it so that mutated
// counts do not make each run take seconds.
var iterationCap = MaxIterations
