package gostpkcs

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"hash"

	"github.com/mezhved/mezhved/gost/gost341194"
	"github.com/mezhved/mezhved/gost/streebog"
)

// OIDs of the PRFs of PBKDF2 (RFC 8018 appendix B.1, RFC 9337 for the
// Streebog ones, RFC 4357 for HMAC-GOST R 34.11-94) and of the digests of
// the PFX MAC.
var (
	oidHMACSHA1        = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA256      = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACSHA384      = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10}
	oidHMACSHA512      = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
	oidHMACStreebog256 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 4, 1}
	oidHMACStreebog512 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 4, 2}
	oidHMACGOST94      = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 10}

	oidSHA1        = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA256      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	oidGOST94      = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 9}
	oidStreebog256 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 2, 2}
	oidStreebog512 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 2, 3}
)

type namedHash struct {
	oid  asn1.ObjectIdentifier
	name string
	new  func() hash.Hash
}

// prfs are the PBKDF2 PRFs by OID: HMAC over the hash.
var prfs = []namedHash{
	{oidHMACStreebog512, "HMAC-Streebog-512", streebog.New512},
	{oidHMACStreebog256, "HMAC-Streebog-256", streebog.New256},
	{oidHMACGOST94, "HMAC-GOST R 34.11-94", gost341194.New},
	{oidHMACSHA1, "HMAC-SHA1", sha1.New},
	{oidHMACSHA256, "HMAC-SHA256", sha256.New},
	{oidHMACSHA384, "HMAC-SHA384", sha512.New384},
	{oidHMACSHA512, "HMAC-SHA512", sha512.New},
}

// digests are the PFX MAC digests by OID.
var digests = []namedHash{
	{oidStreebog512, "Streebog-512", streebog.New512},
	{oidStreebog256, "Streebog-256", streebog.New256},
	{oidGOST94, "GOST R 34.11-94", gost341194.New},
	{oidSHA1, "SHA-1", sha1.New},
	{oidSHA256, "SHA-256", sha256.New},
	{oidSHA384, "SHA-384", sha512.New384},
	{oidSHA512, "SHA-512", sha512.New},
}

func lookupHash(table []namedHash, oid asn1.ObjectIdentifier) *namedHash {
	for i := range table {
		if table[i].oid.Equal(oid) {
			return &table[i]
		}
	}
	return nil
}
