package gost3410

import "github.com/mezhved/mezhved/gost/gost341194"

// GOST R 34.10-2001 (RFC 5832) is the 256-bit case of GOST R 34.10-2012:
// the same curves (CryptoPro-A, -B, -C, -XchA, -XchB and the test set), the
// same signing equation, the same s ‖ r layout and the same little-endian
// reading of the digest. Only the digest differs: GOST R 34.11-94 with the
// CryptoPro parameter set (package gost341194) instead of Streebog-256.
// Mezhved verifies such signatures (archived messages, old CA chains) and
// never makes them.

// VerifyDigest2001 reports whether sig (s ‖ r, big-endian halves) is a
// valid GOST R 34.10-2001 signature of digest, the GOST R 34.11-94 hash as
// gost341194 emits it (read as a little-endian integer), under pub. Keys on
// 512-bit curves are refused: 2001 has none.
func VerifyDigest2001(pub *PublicKey, digest, sig []byte) bool {
	if pub == nil || pub.Curve == nil || pub.Curve.g == nil || pub.Curve.Size() != 32 {
		return false
	}
	return VerifyDigest(pub, digest, sig)
}

// Verify2001 hashes msg with GOST R 34.11-94 (CryptoPro parameter set) and
// reports whether sig is a valid GOST R 34.10-2001 signature of it under pub.
func Verify2001(pub *PublicKey, msg, sig []byte) bool {
	sum := gost341194.Sum(msg)
	return VerifyDigest2001(pub, sum[:], sig)
}
