package gostx509

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
	"io"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gost341194"
)

// PublicKeyFromCertificate returns the GOST public key of cert (which
// crypto/x509 parses with PublicKey nil), or ErrNotGOST.
func PublicKeyFromCertificate(cert *x509.Certificate) (*gost3410.PublicKey, error) {
	if cert == nil {
		return nil, errors.New("gostx509: nil certificate")
	}
	return ParsePKIXPublicKey(cert.RawSubjectPublicKeyInfo)
}

type certificate struct {
	TBS       asn1.RawValue
	Algorithm algorithmIdentifier
	Signature asn1.BitString
}

// SignatureAlgorithmOID returns the OID of cert's outer signature algorithm.
func SignatureAlgorithmOID(cert *x509.Certificate) (asn1.ObjectIdentifier, error) {
	var c certificate
	if _, err := asn1.Unmarshal(cert.Raw, &c); err != nil {
		return nil, fmt.Errorf("gostx509: bad certificate: %v", err)
	}
	return c.Algorithm.Algorithm, nil
}

// ParseCertificate parses a DER certificate with crypto/x509 and returns it
// with its GOST public key (nil, without error, if the key is not GOST).
func ParseCertificate(der []byte) (*x509.Certificate, *gost3410.PublicKey, error) {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	pub, err := PublicKeyFromCertificate(cert)
	if errors.Is(err, ErrNotGOST) {
		return cert, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return cert, pub, nil
}

// CheckSignature verifies a GOST signature (s ‖ r, as a certificate's or
// CRL's BIT STRING carries it) over signed with pub, for the algorithm OID
// 1.2.643.7.1.1.3.2 (Streebog-256), 1.2.643.7.1.1.3.3 (Streebog-512) or the
// legacy 1.2.643.2.2.3 (GOST R 34.11-94 with GOST R 34.10-2001, CryptoPro
// hash parameters; verification only), which must fit the key's size.
func CheckSignature(alg asn1.ObjectIdentifier, signed, sig []byte, pub *gost3410.PublicKey) error {
	if pub == nil || pub.Curve == nil {
		return errors.New("gostx509: no GOST public key")
	}
	var h hash.Hash
	verify := gost3410.VerifyDigest
	bits := pub.Curve.BitSize()
	switch {
	case alg.Equal(OIDSignature256) && bits == 256, alg.Equal(OIDSignature512) && bits == 512:
		h = pub.Curve.NewHash()
	case alg.Equal(OIDSignature2001) && bits == 256:
		h, verify = gost341194.New(), gost3410.VerifyDigest2001
	default:
		return fmt.Errorf("gostx509: signature algorithm %s does not fit a %d-bit GOST key", alg, bits)
	}
	h.Write(signed)
	if !verify(pub, h.Sum(nil), sig) {
		return errors.New("gostx509: GOST signature is invalid")
	}
	return nil
}

// CheckSignatureFrom verifies that cert's GOST signature was made by
// parent's key, with any algorithm CheckSignature knows (so a certificate
// signed by a GOST R 34.10-2001 CA checks against it). Like crypto/x509, a
// v3 parent must be a CA (basicConstraints) and, if it states key usage,
// allow certSign.
// Validity periods and names are not checked here.
func CheckSignatureFrom(cert, parent *x509.Certificate) error {
	if cert == nil || parent == nil {
		return errors.New("gostx509: nil certificate")
	}
	if parent.Version == 3 && (!parent.BasicConstraintsValid || !parent.IsCA) {
		return errors.New("gostx509: issuer is not a CA")
	}
	if parent.KeyUsage != 0 && parent.KeyUsage&x509.KeyUsageCertSign == 0 {
		return errors.New("gostx509: issuer key usage does not allow signing certificates")
	}
	pub, err := PublicKeyFromCertificate(parent)
	if err != nil {
		return err
	}
	alg, err := SignatureAlgorithmOID(cert)
	if err != nil {
		return err
	}
	return CheckSignature(alg, cert.RawTBSCertificate, cert.Signature, pub)
}

// CreateCertificate creates a certificate like x509.CreateCertificate, for
// the GOST public key pub, signed by the GOST key priv with
// 1.2.643.7.1.1.3.2/3 (Streebog of the tbsCertificate, signature s ‖ r in
// the BIT STRING, as OpenSSL's GOST engine writes it).
//
// crypto/x509 builds the tbsCertificate (names, extensions, ExtraNames):
// it is first made with a throwaway ECDSA key, then its signature algorithm
// and SubjectPublicKeyInfo are replaced by the GOST ones before signing. If
// template.SubjectKeyId is empty it is set to SHA-1 of the GOST public key
// (RFC 5280, 4.2.1.2 method 1); the authority key identifier comes from
// parent.SubjectKeyId as crypto/x509 does it. parent is the template itself
// (self-signed) or the parsed issuer certificate; for a parsed issuer the
// key priv must be the issuer's.
func CreateCertificate(rnd io.Reader, template, parent *x509.Certificate, pub *gost3410.PublicKey, priv *gost3410.PrivateKey) ([]byte, error) {
	if template == nil || parent == nil || pub == nil || priv == nil {
		return nil, errors.New("gostx509: nil argument")
	}
	if parent.Raw != nil {
		ppub, err := PublicKeyFromCertificate(parent)
		if err != nil {
			return nil, err
		}
		if !ppub.Equal(&priv.PublicKey) {
			return nil, errors.New("gostx509: private key does not match the issuer's public key")
		}
	}
	spki, err := MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	tmpl := *template
	if len(tmpl.SubjectKeyId) == 0 {
		var s struct {
			Algorithm algorithmIdentifier
			PublicKey asn1.BitString
		}
		if _, err := asn1.Unmarshal(spki, &s); err != nil {
			return nil, err
		}
		sum := sha1.Sum(s.PublicKey.Bytes)
		tmpl.SubjectKeyId = sum[:]
	}
	tmpl.SignatureAlgorithm = x509.UnknownSignatureAlgorithm
	tmpl.PublicKey = nil
	par := parent
	if parent == template {
		par = &tmpl
	} else {
		pc := *parent
		pc.PublicKey = nil
		par = &pc
	}
	throwaway, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	proto, err := x509.CreateCertificate(rand.Reader, &tmpl, par, &throwaway.PublicKey, throwaway)
	if err != nil {
		return nil, err
	}
	tbs, err := replaceTBSFields(proto, SignatureAlgorithm(priv.Curve), spki)
	if err != nil {
		return nil, err
	}
	h := priv.Curve.NewHash()
	h.Write(tbs)
	sig, err := priv.Sign(rnd, h.Sum(nil), nil)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(certificate{
		TBS:       asn1.RawValue{FullBytes: tbs},
		Algorithm: algorithmIdentifier{Algorithm: SignatureAlgorithm(priv.Curve)},
		Signature: asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)},
	})
}

// replaceTBSFields takes the DER certificate made by crypto/x509 and
// returns its tbsCertificate with the signature algorithm (field 3) and the
// SubjectPublicKeyInfo (field 7) replaced.
func replaceTBSFields(certDER []byte, sigAlg asn1.ObjectIdentifier, spki []byte) ([]byte, error) {
	var c certificate
	if _, err := asn1.Unmarshal(certDER, &c); err != nil {
		return nil, err
	}
	var seq asn1.RawValue
	if _, err := asn1.Unmarshal(c.TBS.FullBytes, &seq); err != nil {
		return nil, err
	}
	var fields []asn1.RawValue
	for rest := seq.Bytes; len(rest) > 0; {
		var f asn1.RawValue
		var err error
		rest, err = asn1.Unmarshal(rest, &f)
		if err != nil {
			return nil, err
		}
		fields = append(fields, f)
	}
	// version [0], serial, signature, issuer, validity, subject, spki, ...
	if len(fields) < 7 || fields[0].Class != asn1.ClassContextSpecific || fields[0].Tag != 0 {
		return nil, errors.New("gostx509: unexpected tbsCertificate layout")
	}
	alg, err := asn1.Marshal(algorithmIdentifier{Algorithm: sigAlg})
	if err != nil {
		return nil, err
	}
	fields[2] = asn1.RawValue{FullBytes: alg}
	fields[6] = asn1.RawValue{FullBytes: spki}
	var body []byte
	for _, f := range fields {
		body = append(body, f.FullBytes...)
	}
	return asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: body})
}
