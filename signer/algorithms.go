// Package signer makes and checks the XML signatures of SMEV 3 envelopes:
// detached ds:Signature elements with one Reference "#Id", transforms
// exclusive c14n then urn://smev-gov-ru/xmldsig/transform (ЭП-ОВ, ЭП-СП,
// ЭП-СМЭВ), and verifies standard enveloped XMLDSig too.
//
// Documents are read with internal/xmltree (no DOCTYPE, no entities, bounded),
// canonicalized with signer/c14n and transformed with signer/smevtransform
// from one parsed tree. Keys are signer/keys.Key.
package signer

import (
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"hash"

	"github.com/mezhved/mezhved/gost/gost341194"
	"github.com/mezhved/mezhved/gost/streebog"
	"github.com/mezhved/mezhved/signer/keys"
)

// Algorithm URIs beyond those in signer/keys.
const (
	DSigNS             = "http://www.w3.org/2000/09/xmldsig#"
	EnvelopedURI       = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
	ExcC14NURI         = "http://www.w3.org/2001/10/xml-exc-c14n#"
	ExcC14NCommentsURI = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
	SMEVTransformURI   = "urn://smev-gov-ru/xmldsig/transform"

	SigECDSA512  = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512"
	SigRSA512    = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
	DigestSHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"

	// Legacy GOST R 34.10-2001 with the GOST R 34.11-94 digest (CryptoPro
	// parameters), under the W3C and the CryptoPro names: verified (archived
	// messages, signatures made before 2019), never made. They are absent
	// from newDigest and sigHash on purpose: signing refuses them there.
	SigGOST2001      = "http://www.w3.org/2001/04/xmldsig-more#gostr34102001-gostr3411"
	DigestGOST2001   = "http://www.w3.org/2001/04/xmldsig-more#gostr3411"
	SigGOST2001CP    = "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102001-gostr3411"
	DigestGOST2001CP = "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr3411"
)

// isGOST2001 reports whether uri is a GOST R 34.10-2001 SignatureMethod.
func isGOST2001(uri string) bool { return uri == SigGOST2001 || uri == SigGOST2001CP }

// verifyDigestHash returns the hash of a DigestMethod URI for checking a
// Reference: every newDigest algorithm, and GOST R 34.11-94.
func verifyDigestHash(uri string) hash.Hash {
	if uri == DigestGOST2001 || uri == DigestGOST2001CP {
		return gost341194.New()
	}
	return newDigest(uri)
}

// verifySigHash returns the hash a SignatureMethod URI signs over, for
// checking a SignatureValue: every sigHash algorithm, and GOST R 34.10-2001
// (over GOST R 34.11-94).
func verifySigHash(uri string) (hash.Hash, crypto.Hash) {
	if isGOST2001(uri) {
		return gost341194.New(), 0
	}
	return sigHash(uri)
}

// newDigest returns the hash of a DigestMethod URI (signing and verifying).
func newDigest(uri string) hash.Hash {
	switch uri {
	case keys.DigestGOST256:
		return streebog.New256()
	case keys.DigestGOST512:
		return streebog.New512()
	case keys.DigestSHA256:
		return sha256.New()
	case DigestSHA512:
		return sha512.New()
	}
	return nil
}

// sigHash returns the hash a SignatureMethod URI signs over (signing and
// verifying).
func sigHash(uri string) (hash.Hash, crypto.Hash) {
	switch uri {
	case keys.SigGOST256:
		return streebog.New256(), 0
	case keys.SigGOST512:
		return streebog.New512(), 0
	case keys.SigRSA256, keys.SigECDSA256:
		return sha256.New(), crypto.SHA256
	case SigRSA512, SigECDSA512:
		return sha512.New(), crypto.SHA512
	}
	return nil, 0
}

// AlgorithmName is a short readable name of a signature method URI.
func AlgorithmName(uri string) string {
	switch uri {
	case keys.SigGOST256:
		return "GOST R 34.10-2012 256"
	case keys.SigGOST512:
		return "GOST R 34.10-2012 512"
	case keys.SigRSA256:
		return "RSA-SHA256"
	case SigRSA512:
		return "RSA-SHA512"
	case keys.SigECDSA256:
		return "ECDSA-SHA256"
	case SigECDSA512:
		return "ECDSA-SHA512"
	case SigGOST2001, SigGOST2001CP:
		return "GOST R 34.10-2001 (устаревший)"
	}
	return uri
}
