package gostpkcs

import (
	"encoding/asn1"
)

var (
	oidPBES2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
)

type pbes2Params struct {
	KDF    algorithmIdentifier
	Scheme algorithmIdentifier
}

// pbkdf2Params are PBKDF2-params (RFC 8018 appendix A.2) with the salt
// "specified" (an OCTET STRING; otherSource is not used by anyone).
type pbkdf2Params struct {
	Salt       []byte
	Iterations int
	KeyLength  int                 `asn1:"optional"`
	PRF        algorithmIdentifier `asn1:"optional"`
}

// maxKeyLength bounds the key PBKDF2 is asked for.
const maxKeyLength = 64

// decryptPBES2 deciphers ct with PBES2 (RFC 8018 section 6.2): PBKDF2
// over the password as given (UTF-8, as OpenSSL, CryptoPro and R 50.1.112
// do) and a scheme of pbes2Ciphers.
func decryptPBES2(params, password, ct []byte) ([]byte, error) {
	var p pbes2Params
	if err := parseDER(params, &p, "PBES2 parameters"); err != nil {
		return nil, err
	}
	if !p.KDF.Algorithm.Equal(oidPBKDF2) {
		return nil, unsupported("PBES2 key derivation %v", p.KDF.Algorithm)
	}
	spec, ok := pbes2Ciphers[p.Scheme.Algorithm.String()]
	if !ok {
		return nil, unsupported("PBES2 encryption scheme %v", p.Scheme.Algorithm)
	}
	var k pbkdf2Params
	if err := parseDER(p.KDF.params(), &k, "PBKDF2 parameters"); err != nil {
		return nil, err
	}
	if err := checkIterations(k.Iterations); err != nil {
		return nil, err
	}
	prf := lookupHash(prfs, oidHMACSHA1) // the default of RFC 8018
	if len(k.PRF.Algorithm) > 0 {
		if prf = lookupHash(prfs, k.PRF.Algorithm); prf == nil {
			return nil, unsupported("PBKDF2 PRF %v", k.PRF.Algorithm)
		}
	}
	keyLen := spec.keyLen
	if k.KeyLength != 0 {
		if k.KeyLength != spec.keyLen || k.KeyLength > maxKeyLength {
			return nil, malformed("PBKDF2 key length %d for %s", k.KeyLength, spec.name)
		}
		keyLen = k.KeyLength
	}
	key := PBKDF2(prf.new, password, k.Salt, k.Iterations, keyLen)
	defer clear(key)
	return spec.decrypt(key, p.Scheme.params(), ct)
}

func checkIterations(n int) error {
	if n < 1 {
		return malformed("iteration count %d", n)
	}
	if n > iterationCap {
		return unsupported("iteration count %d (more than %d)", n, iterationCap)
	}
	return nil
}
