package gostpkcs

import (
	"crypto/hmac"
	"crypto/sha1"
	"hash"

	"github.com/mezhved/mezhved/gost/streebog"
)

type macData struct {
	Mac        digestInfo
	Salt       []byte
	Iterations int `asn1:"optional,default:1"`
}

type digestInfo struct {
	Algorithm algorithmIdentifier
	Digest    []byte
}

// verifyMAC checks the PFX MAC over the authSafe content. The key comes
// from one of two rules, chosen by the digest:
//
//   - the TC26 rule (R 50.1.112-2016 section 5.1, as OpenSSL's GOST engine
//     writes it) for the Streebog digests and GOST R 34.11-94: PBKDF2 over
//     the UTF-8 password, 96 bytes, the last 32 are the HMAC key. The PRF
//     is HMAC over the MAC's own digest (what OpenSSL does); R 50.1.112's
//     HMAC-Streebog-512 is tried too when the MAC is Streebog-256;
//   - the RFC 7292 KDF (appendix B, ID 3, BMPString password) for the SHA
//     digests and, as CryptoPro CSP and Bouncy Castle write it, for
//     GOST R 34.11-94.
//
// No rule matching is a wrong password.
func verifyMAC(m *macData, content, password []byte) error {
	d := lookupHash(digests, m.Mac.Algorithm.Algorithm)
	if d == nil {
		return unsupported("PFX MAC digest %v", m.Mac.Algorithm.Algorithm)
	}
	if err := checkIterations(m.Iterations); err != nil {
		return err
	}
	for _, key := range macKeys(d, m, password) {
		mac := hmac.New(d.new, key)
		mac.Write(content)
		ok := hmac.Equal(mac.Sum(nil), m.Mac.Digest)
		clear(key)
		if ok {
			return nil
		}
	}
	return ErrWrongPassword
}

// macKeys returns the candidate HMAC keys for the digest, most likely
// first. At most three are derived (each costs up to MaxIterations).
func macKeys(d *namedHash, m *macData, password []byte) [][]byte {
	tc26 := func(prf func() hash.Hash) []byte {
		k := PBKDF2(prf, password, m.Salt, m.Iterations, 96)
		key := append([]byte(nil), k[64:]...)
		clear(k)
		return key
	}
	rfc7292 := func(newHash func() hash.Hash) [][]byte {
		var keys [][]byte
		for _, pw := range bmpCandidates(password) {
			keys = append(keys, pkcs12KDF(newHash, pw, m.Salt, kdfMAC, m.Iterations, newHash().Size()))
			clear(pw)
		}
		return keys
	}
	switch {
	case d.oid.Equal(oidStreebog512):
		return [][]byte{tc26(streebog.New512)}
	case d.oid.Equal(oidStreebog256):
		return [][]byte{tc26(streebog.New256), tc26(streebog.New512)}
	case d.oid.Equal(oidGOST94):
		return append(rfc7292(d.new), tc26(d.new))
	case d.oid.Equal(oidSHA1):
		return rfc7292(sha1.New)
	}
	return rfc7292(d.new)
}

// bmpCandidates are the BMPString forms of the password: the RFC 7292
// one, and for an empty password also the empty string that some writers
// use instead of the two zero bytes.
func bmpCandidates(password []byte) [][]byte {
	bmp, ok := bmpPassword(password)
	if !ok {
		return nil
	}
	if len(password) == 0 {
		return [][]byte{bmp, {}}
	}
	return [][]byte{bmp}
}
