package keys

// XMLDSig algorithm URIs.
const (
	SigGOST256  = "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102012-gostr34112012-256"
	SigGOST512  = "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102012-gostr34112012-512"
	SigRSA256   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	SigECDSA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"

	DigestGOST256 = "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34112012-256"
	DigestGOST512 = "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34112012-512"
	DigestSHA256  = "http://www.w3.org/2001/04/xmlenc#sha256"
)

var (
	// AlgGOST256 is GOST R 34.10-2012 with a 256-bit key over Streebog-256.
	AlgGOST256 = Algorithm{Signature: SigGOST256, Digest: DigestGOST256}
	// AlgGOST512 is GOST R 34.10-2012 with a 512-bit key over Streebog-512.
	AlgGOST512 = Algorithm{Signature: SigGOST512, Digest: DigestGOST512}
	// AlgRSA256 is RSA PKCS#1 v1.5 over SHA-256.
	AlgRSA256 = Algorithm{Signature: SigRSA256, Digest: DigestSHA256}
	// AlgECDSA256 is ECDSA over SHA-256, the value written as raw r ‖ s.
	AlgECDSA256 = Algorithm{Signature: SigECDSA256, Digest: DigestSHA256}
)
