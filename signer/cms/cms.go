// Package cms makes and checks detached CMS (PKCS#7) signatures of files
// sent with SMEV messages: GOST R 34.10-2012 with the signed attributes
// SMEV and CryptoPro expect, RSA and ECDSA for tests.
package cms

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gostx509"
	"github.com/mezhved/mezhved/signer/keys"
)

// The minimal CMS (RFC 5652) an SMEV attachment signature needs: a
// detached SignedData with one GOST R 34.10-2012 signer, signed attributes
// (contentType, messageDigest, signingTime) and the signer's certificate,
// as CryptoPro and OpenSSL's GOST engine write it.

var (
	oidData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningTime   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
)

type algID struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue // [0] EXPLICIT: the SignedData is in Bytes
}

type encapContent struct {
	EContentType asn1.ObjectIdentifier
	EContent     asn1.RawValue `asn1:"optional,explicit,tag:0"`
}

type issuerSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue `asn1:"set"`
}

type signerInfo struct {
	Version     int
	SID         issuerSerial
	DigestAlg   algID
	SignedAttrs asn1.RawValue `asn1:"optional,tag:0"`
	SigAlg      algID
	Signature   []byte
}

type signedData struct {
	Version      int
	DigestAlgs   []algID `asn1:"set"`
	Encap        encapContent
	Certificates asn1.RawValue `asn1:"optional,tag:0"`
	SignerInfos  []signerInfo  `asn1:"set"`
}

func gostOIDs(pub *gost3410.PublicKey) (digest, sig asn1.ObjectIdentifier, err error) {
	switch pub.Curve.BitSize() {
	case 256:
		return gostx509.OIDDigest256, gostx509.OIDPublicKey256, nil
	case 512:
		return gostx509.OIDDigest512, gostx509.OIDPublicKey512, nil
	}
	return nil, nil, errors.New("cms: unsupported GOST key size")
}

func attr(t asn1.ObjectIdentifier, v any) (attribute, error) {
	b, err := asn1.Marshal(v)
	if err != nil {
		return attribute{}, err
	}
	return attribute{Type: t, Values: asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: b}}, nil
}

// SignDetached makes a detached PKCS#7 (CMS SignedData) over content with
// a GOST key (the official's key for an attachment's SignaturePKCS7).
func SignDetached(content []byte, key keys.Key, at time.Time) ([]byte, error) {
	fail := func(err error) ([]byte, error) {
		return nil, domain.Wrap(err, domain.ESIGNATURE, "transport.SignDetached", "Не удалось подписать вложение (PKCS#7).")
	}
	pub, ok := key.Public().(*gost3410.PublicKey)
	cert := key.Certificate()
	if !ok || cert == nil {
		return fail(errors.New("cms: a GOST key with a certificate is needed"))
	}
	digestOID, sigOID, err := gostOIDs(pub)
	if err != nil {
		return fail(err)
	}
	h := pub.Curve.NewHash()
	h.Write(content)
	var attrs []attribute
	for _, a := range []struct {
		t asn1.ObjectIdentifier
		v any
	}{{oidContentType, oidData}, {oidSigningTime, at.UTC()}, {oidMessageDigest, h.Sum(nil)}} {
		x, err := attr(a.t, a.v)
		if err != nil {
			return fail(err)
		}
		attrs = append(attrs, x)
	}
	set, err := asn1.MarshalWithParams(attrs, "set")
	if err != nil {
		return fail(err)
	}
	sig, err := key.SignData(set) // the DER SET OF is what is signed
	if err != nil {
		return fail(err)
	}
	var setContent asn1.RawValue
	if _, err := asn1.Unmarshal(set, &setContent); err != nil {
		return fail(err)
	}
	sd := signedData{
		Version:      1,
		DigestAlgs:   []algID{{Algorithm: digestOID}},
		Encap:        encapContent{EContentType: oidData},
		Certificates: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: cert.Raw},
		SignerInfos: []signerInfo{{
			Version:     1,
			SID:         issuerSerial{Issuer: asn1.RawValue{FullBytes: cert.RawIssuer}, Serial: cert.SerialNumber},
			DigestAlg:   algID{Algorithm: digestOID},
			SignedAttrs: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: setContent.Bytes},
			SigAlg:      algID{Algorithm: sigOID},
			Signature:   sig,
		}},
	}
	sdDER, err := asn1.Marshal(sd)
	if err != nil {
		return fail(err)
	}
	out, err := asn1.Marshal(contentInfo{ContentType: oidSignedData, Content: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sdDER}})
	if err != nil {
		return fail(err)
	}
	return out, nil
}

// MaxCMSSize bounds a detached signature.
const MaxCMSSize = 256 << 10

// VerifyDetached checks a detached PKCS#7 over content: the digest in
// the signed attributes, the GOST signature over them, with the certificate
// carried in the SignedData. It returns that certificate. Trust in the
// certificate (the chain to an accredited CA) is not judged here.
func VerifyDetached(content, p7 []byte) (*x509.Certificate, error) {
	fail := func(format string, args ...any) (*x509.Certificate, error) {
		err := fmt.Errorf("cms: "+format, args...)
		return nil, domain.Wrap(err, domain.ESIGNATURE, "cms.VerifyDetached", "Подпись вложения (PKCS#7) не прошла проверку.")
	}
	sd, err := readSignedData(p7)
	if err != nil {
		return fail("%v", err)
	}
	si := &sd.SignerInfos[0]
	cert := signerCertificate(sd, si)
	if cert == nil {
		return fail("the signer's certificate is not in the signature")
	}
	pub, err := gostx509.PublicKeyFromCertificate(cert)
	if err != nil {
		return fail("certificate key: %v", err)
	}
	digestOID, _, err := gostOIDs(pub)
	if err != nil || !si.DigestAlg.Algorithm.Equal(digestOID) {
		return fail("digest algorithm %s does not fit the key", si.DigestAlg.Algorithm)
	}
	digest, err := signedDigest(si)
	if err != nil {
		return fail("%v", err)
	}
	h := pub.Curve.NewHash()
	h.Write(content)
	if digest == nil || !bytes.Equal(digest, h.Sum(nil)) {
		return fail("the attachment does not match the signed digest")
	}
	set := bytes.Clone(si.SignedAttrs.FullBytes)
	set[0] = 0x31 // [0] IMPLICIT → SET OF, as it was signed
	sigOID := gostx509.OIDSignature256
	if pub.Curve.BitSize() == 512 {
		sigOID = gostx509.OIDSignature512
	}
	if err := gostx509.CheckSignature(sigOID, set, si.Signature, pub); err != nil {
		return fail("%v", err)
	}
	return cert, nil
}

// readSignedData reads a detached SignedData with one signer, bounded.
func readSignedData(p7 []byte) (*signedData, error) {
	if len(p7) > MaxCMSSize {
		return nil, fmt.Errorf("signature larger than %d bytes", MaxCMSSize)
	}
	var ci contentInfo
	if rest, err := asn1.Unmarshal(p7, &ci); err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("not a ContentInfo: %v", err)
	}
	if !ci.ContentType.Equal(oidSignedData) || ci.Content.Class != asn1.ClassContextSpecific || ci.Content.Tag != 0 {
		return nil, fmt.Errorf("content type %s is not SignedData", ci.ContentType)
	}
	var sd signedData
	if rest, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("bad SignedData: %v", err)
	}
	if len(sd.Encap.EContent.Bytes) > 0 {
		return nil, fmt.Errorf("the signature is not detached")
	}
	if len(sd.SignerInfos) != 1 {
		return nil, fmt.Errorf("%d signers, want 1", len(sd.SignerInfos))
	}
	return &sd, nil
}

// signerCertificate finds the signer's certificate among those carried,
// by issuer and serial; nil when it is not there (or a list is broken).
func signerCertificate(sd *signedData, si *signerInfo) *x509.Certificate {
	for rest := sd.Certificates.Bytes; len(rest) > 0; {
		var raw asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &raw); err != nil {
			return nil
		}
		c, _, err := gostx509.ParseCertificate(raw.FullBytes)
		if err == nil && bytes.Equal(c.RawIssuer, si.SID.Issuer.FullBytes) && c.SerialNumber.Cmp(si.SID.Serial) == 0 {
			return c
		}
	}
	return nil
}

// signedDigest is the messageDigest among the signed attributes.
func signedDigest(si *signerInfo) ([]byte, error) {
	if len(si.SignedAttrs.Bytes) == 0 {
		return nil, fmt.Errorf("no signed attributes")
	}
	var attrs []attribute
	if _, err := asn1.UnmarshalWithParams(si.SignedAttrs.FullBytes, &attrs, "set,tag:0"); err != nil {
		return nil, fmt.Errorf("bad signed attributes: %v", err)
	}
	var digest []byte
	for _, a := range attrs {
		if a.Type.Equal(oidMessageDigest) {
			if _, err := asn1.Unmarshal(a.Values.Bytes, &digest); err != nil {
				return nil, fmt.Errorf("bad messageDigest: %v", err)
			}
		}
	}
	return digest, nil
}
