// Package trust decides whether a signature's certificate is trusted: it
// holds the trust store and builds and verifies certificate chains, so that
// a signature counts only when its certificate chains to a trusted anchor.
//
// crypto/x509 cannot verify GOST signatures, so path building is done
// here: GOST R 34.10-2012 (256, 512) and 34.10-2001 links are checked with
// gost/gostx509, RSA and ECDSA links (the training node's TLS PKI) with
// crypto/x509.
//
// # Anchors and contours
//
// A Contour is the SMEV environment: Production, Test or Training. The head
// CA (Минкомсвязь / Минцифры России) root certificates are built in
// (BuiltinRoots, embedded from roots/) and are the anchors of Production
// and Test, where the SMEV operator's certificate (ЭП-СМЭВ) is issued by an
// accredited CA. The administrator adds anchors per contour (AddAnchor,
// saved). Training trusts only its own anchors: the training node's
// throwaway CA is registered for the run with AddTrainingAnchor (make the
// node's key with keys.NewDemoGOST, which returns that CA, and pass it to
// node.Options.Key).
//
// # The list of accredited CAs
//
// ImportTSL reads the Ministry's TSL.xml (ParseTSL: the strict bounded
// XML reader, at most MaxTSLSize bytes, MaxTSLCAs CAs, MaxTSLCertificates
// certificates; every Отпечаток must be the SHA-1 of its certificate).
// The certificates of CAs in force that are signed by a head CA root become
// candidate intermediates in Production and Test (never anchors); the rest
// are listed in the ImportReport. The TSL's CRL addresses are used for the
// certificates a CA key issued.
//
// # Verification
//
// Store.Verify (or VerifyContext with Options) searches paths from the
// leaf to an anchor, by issuer name and authority/subject key identifier,
// with the extra certificates of the signature (KeyInfo) as candidates;
// at most MaxPathLength certificates per path and MaxSignatureChecks
// signatures per call, a certificate at most once per path. Every link must
// be valid at the moment judged (the time the message arrived, so that a
// later reprint judges it as it was), issuers must be CAs allowed to sign
// certificates within their path length, and the leaf's key usage, if
// stated, must allow digitalSignature or nonRepudiation.
//
// Revocation: each link but the anchor is looked up in its issuer's CRL,
// taken from the cache when it is usable for the moment, else downloaded
// from the certificate's CRL distribution points and the TSL's addresses
// (HTTPFetcher: http(s), FetchTimeout, MaxCRLSize; SetFetcher(nil) works
// offline). A CRL is used only when its signature verifies with the
// issuer's key (GOST CRLs through gostx509 over the tbsCertList). CRLs
// delivered by the region are added with AddCRL. A certificate revoked after
// the moment was good then, unless the reason is a key compromise. When no
// usable CRL is found the status is unknown: Untrusted by default
// (RevocationRequired), or Trusted with a note in RevocationBestEffort;
// never silently valid.
//
// # Verdicts
//
// The Result carries the Verdict (Trusted or Untrusted; Invalid is the
// signer's, for wrong math), the chain (leaf first), the Reason codes and
// the texts: Text for the clerk («действительна», «математически верна, но
// сертификат не доверенный: <почему>»), English for the CLI.
//
// # Storage
//
// Open(dataDir) keeps everything in dataDir/trust (mode 0700): tsl.xml,
// anchors-<contour>.pem and crl/<issuer key>.crl (files 0600), each
// written atomically (temporary file, fsync, rename, directory fsync). A
// malformed or older TSL is refused and the stored one stays in force.
//
// # Limits
//
// Name constraints, certificate policies and extended key usage are not
// evaluated, and unknown critical extensions are not refused (no real
// qualified certificate was at hand to show which ones occur); a CRL's
// issuing distribution point (partitioned or indirect CRLs) is not
// interpreted; delta CRLs are not used; the accreditation history of a CA
// is not read (only its current status). An algorithm gostx509 or
// crypto/x509 report as unsupported gives the reason UnsupportedAlg.
package trust
