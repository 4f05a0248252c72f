// Package gost3410 implements GOST R 34.10-2012 signatures (256 and 512
// bit) on the standard parameter sets: CryptoPro-A, -B, -C, -XchA, -XchB
// (RFC 4357), TC26 256-A..D and 512-A..C (RFC 7836; the twisted Edwards
// sets 256-A and 512-C through their Weierstrass forms) and the test sets of
// the standard, each with its OID (CurveByOID).
//
// Conventions, as SMEV, XMLDSig (cpxmlsec), CMS and OpenSSL's GOST engine
// use them and as the real SMEV vectors prove:
//
//   - the digest is the Streebog hash as it emits it (package streebog);
//     it is read as a LITTLE-endian integer e (the digest bytes reversed
//     give e's big-endian form), e = e mod q, and e = 1 if that is zero;
//   - the signature is s ‖ r, each Size() bytes big-endian (RFC 4491 2.2.2);
//   - the public key in certificates is LE(X) ‖ LE(Y) (NewPublicKeyLE,
//     (*PublicKey).RawLE); the private key in PKCS#8 is LE(d)
//     (NewPrivateKeyLE, (*PrivateKey).PrivateRawLE).
//
// The digest must be the curve's size: Streebog-256 for 256-bit curves,
// Streebog-512 for 512-bit curves ((*Curve).NewHash).
//
// GOST R 34.10-2001 signatures (RFC 5832: the same curves and equation,
// digest GOST R 34.11-94) are verified by VerifyDigest2001 and Verify2001;
// nothing here makes them for the product.
//
// See CONSTANT_TIME.md for what signing does and does not guarantee about
// timing.
package gost3410
