package signer

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer/c14n"
	"github.com/mezhved/mezhved/signer/keys"
)

// verifyOne checks one ds:Signature: its structure, every Reference's
// digest, the certificate's validity at the moment at, and the value.
func verifyOne(d *xmltree.Doc, sig int32, ids map[string][]int32, opt *VerifyOptions, at time.Time, w *work) Result {
	r := Result{Target: xmltree.None}
	r.ID, _ = d.Attr(sig, "", "Id")
	container := d.Nodes[sig].Parent
	r.Kind, r.Container = containerKind(d, container)
	kids := d.ChildElements(sig)
	if len(kids) < 2 || !d.Is(kids[0], DSigNS, "SignedInfo") || !d.Is(kids[1], DSigNS, "SignatureValue") {
		r.add(ProbMalformed, "ds:Signature must start with SignedInfo and SignatureValue", "Подпись повреждена: нет SignedInfo или SignatureValue")
		return r
	}
	si, sv := kids[0], kids[1]
	certDER, extra := keyInfoCerts(d, kids[2:], &r)
	c14nMethod, refs, ok := readSignedInfo(d, si, &r)
	if !ok || !checkReferences(d, sig, container, refs, ids, opt, &r, w) {
		return r
	}
	c14nAlg, _ := d.Attr(c14nMethod, "", "Algorithm")
	if r.Kind == KindSMEV || r.Kind == KindSystem || r.Kind == KindPersonal {
		if len(refs[0].transforms) != 2 || refs[0].transforms[0] != ExcC14NURI || refs[0].transforms[1] != SMEVTransformURI || c14nAlg != ExcC14NURI {
			r.add(ProbProfile, "SMEV requires exc-c14n then urn://smev-gov-ru/xmldsig/transform and exc-c14n SignedInfo",
				"СМЭВ требует преобразования exc-c14n и urn://smev-gov-ru/xmldsig/transform")
		}
	}
	cert := readCertificate(certDER, extra, at, &r)
	checkValue(d, si, sv, c14nMethod, cert, &r, w)
	return r
}

// containerKind says which SMEV signature the element holding it makes.
func containerKind(d *xmltree.Doc, container int32) (Kind, string) {
	if container == xmltree.None {
		return KindDetached, ""
	}
	name := string(d.Nodes[container].Local)
	switch name {
	case "SMEVSignature":
		return KindSMEV, name
	case "CallerInformationSystemSignature", "SenderInformationSystemSignature":
		return KindSystem, name
	case "PersonalSignature":
		return KindPersonal, name
	}
	return KindDetached, name
}

// readSignedInfo reads SignedInfo: its CanonicalizationMethod element,
// SignatureMethod (into r) and References (at most MaxReferences).
func readSignedInfo(d *xmltree.Doc, si int32, r *Result) (int32, []reference, bool) {
	siKids := d.ChildElements(si)
	if len(siKids) < 3 || !d.Is(siKids[0], DSigNS, "CanonicalizationMethod") || !d.Is(siKids[1], DSigNS, "SignatureMethod") {
		r.add(ProbMalformed, "SignedInfo must hold CanonicalizationMethod, SignatureMethod and References", "Подпись повреждена: неполный SignedInfo")
		return xmltree.None, nil, false
	}
	r.SignatureAlgorithm, _ = d.Attr(siKids[1], "", "Algorithm")
	if len(siKids)-2 > MaxReferences {
		r.add(ProbUnsupported, fmt.Sprintf("more than %d References", MaxReferences), "Подпись содержит слишком много ссылок Reference")
		return xmltree.None, nil, false
	}
	var refs []reference
	for _, k := range siKids[2:] {
		if !d.Is(k, DSigNS, "Reference") {
			r.add(ProbMalformed, "unexpected element in SignedInfo", "Подпись повреждена: лишний элемент в SignedInfo")
			return xmltree.None, nil, false
		}
		ref, ok := parseReference(d, k)
		if !ok {
			r.add(ProbMalformed, "malformed Reference", "Подпись повреждена: неверный элемент Reference")
			return xmltree.None, nil, false
		}
		refs = append(refs, ref)
	}
	if r.Kind != KindDetached && r.Kind != KindEnveloped && len(refs) != 1 {
		r.add(ProbProfile, "an SMEV signature must have exactly one Reference", "Подпись СМЭВ должна иметь ровно одну ссылку Reference")
	}
	return siKids[0], refs, true
}

// checkReferences digests every Reference; false when the work budget ran
// out (the signature is then not checked further).
func checkReferences(d *xmltree.Doc, sig, container int32, refs []reference, ids map[string][]int32, opt *VerifyOptions, r *Result, w *work) bool {
	r.Reference, r.DigestAlgorithm, r.Transforms = refs[0].uri, refs[0].digestAlg, refs[0].transforms
	r.DigestOK = true
	for i, ref := range refs {
		if ch, ok := parseChain(ref.transforms); ok && ch.enveloped && r.Kind == KindDetached {
			r.Kind = KindEnveloped
		}
		if !checkReference(d, sig, container, ref, ids, opt, r, i == 0, w) {
			r.DigestOK = false
		}
		if w.over {
			return false
		}
	}
	return true
}

// readCertificate reads the signer's certificate and judges its validity at
// the moment at; nil when there is none readable.
func readCertificate(der []byte, extra []*x509.Certificate, at time.Time, r *Result) *x509.Certificate {
	if der == nil {
		r.add(ProbCertificate, "no X509Certificate in KeyInfo", "В подписи нет сертификата")
		return nil
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		r.add(ProbCertificate, "certificate cannot be read: "+err.Error(), "Сертификат в подписи не читается")
		return nil
	}
	r.Certificates = append([]*x509.Certificate{c}, extra...)
	r.Certificate = NewCertInfo(c, at)
	if r.Certificate.Expired {
		r.add(ProbCertificate, "certificate expired "+c.NotAfter.UTC().Format(time.RFC3339), "Срок действия сертификата истёк "+c.NotAfter.Format("02.01.2006"))
	} else if r.Certificate.NotYet {
		r.add(ProbCertificate, "certificate not valid before "+c.NotBefore.UTC().Format(time.RFC3339), "Сертификат ещё не действует (с "+c.NotBefore.Format("02.01.2006")+")")
	}
	return c
}

// signedInfoC14N is the canonicalization a CanonicalizationMethod names.
func signedInfoC14N(d *xmltree.Doc, method int32) (c14n.Options, bool) {
	var copt c14n.Options
	alg, _ := d.Attr(method, "", "Algorithm")
	switch alg {
	case ExcC14NURI:
	case ExcC14NCommentsURI:
		copt.WithComments = true
	case c14n.InclusiveURI:
		copt.Inclusive = true
	case c14n.InclusiveWithCommentsURI:
		copt.Inclusive, copt.WithComments = true, true
	default:
		return copt, false
	}
	if d.Nodes[method].FirstChild != xmltree.None {
		copt.InclusivePrefixes = inclusivePrefixes(d, method)
	}
	return copt, true
}

// checkValue verifies SignatureValue over the canonical SignedInfo.
func checkValue(d *xmltree.Doc, si, sv, method int32, cert *x509.Certificate, r *Result, w *work) {
	sigVal, err := decodeB64(d.Text(sv))
	if err != nil {
		r.add(ProbMalformed, "SignatureValue is not base64", "Значение подписи повреждено")
		return
	}
	copt, ok := signedInfoC14N(d, method)
	if !ok {
		alg, _ := d.Attr(method, "", "Algorithm")
		r.add(ProbUnsupported, "unsupported CanonicalizationMethod "+alg, "Неподдерживаемый метод канонизации "+alg)
		return
	}
	h, ch := verifySigHash(r.SignatureAlgorithm)
	if h == nil {
		r.add(ProbUnsupported, "unsupported SignatureMethod "+r.SignatureAlgorithm, "Неподдерживаемый алгоритм подписи "+r.SignatureAlgorithm)
		return
	}
	if cert == nil {
		return
	}
	c14n.Exclusive(w.writer(h), d, si, &copt)
	if w.over {
		r.add(ProbNotChecked, "not checked: the document asks for too much work", "Подпись не проверена: документ требует слишком много работы")
		return
	}
	ok, err = verifyValue(cert, r.SignatureAlgorithm, ch, h.Sum(nil), sigVal)
	if err != nil {
		r.add(ProbUnsupported, err.Error(), "Не удалось проверить подпись: "+err.Error())
		return
	}
	r.SignatureOK = ok
	if !ok {
		r.add(ProbSignature, "signature value does not verify (SignedInfo changed or wrong key)",
			"Значение подписи неверно: SignedInfo изменён или подпись сделана другим ключом")
	}
}

// verifyValue checks a SignatureValue against the SignedInfo digest.
func verifyValue(cert *x509.Certificate, alg string, ch crypto.Hash, digest, sig []byte) (bool, error) {
	pub, err := certPublicKey(cert)
	if err != nil {
		return false, errors.New("the certificate's public key cannot be read")
	}
	switch alg {
	case keys.SigGOST256, keys.SigGOST512, SigGOST2001, SigGOST2001CP:
		if gostVerify == nil {
			return false, errors.New("GOST verification is not available in this build")
		}
		return gostVerify(pub, alg, digest, sig)
	case keys.SigRSA256, SigRSA512:
		p, ok := pub.(*rsa.PublicKey)
		if !ok {
			return false, errors.New("signature method is RSA but the certificate key is not")
		}
		return rsa.VerifyPKCS1v15(p, ch, digest, sig) == nil, nil
	case keys.SigECDSA256, SigECDSA512:
		p, ok := pub.(*ecdsa.PublicKey)
		if !ok {
			return false, errors.New("signature method is ECDSA but the certificate key is not")
		}
		size := (p.Curve.Params().BitSize + 7) / 8
		if len(sig) != 2*size {
			return false, nil
		}
		rr := new(big.Int).SetBytes(sig[:size])
		ss := new(big.Int).SetBytes(sig[size:])
		return ecdsa.Verify(p, digest, rr, ss), nil
	}
	return false, errors.New("unsupported signature method " + alg)
}

// gostVerify is set by gost.go.
var gostVerify func(pub crypto.PublicKey, alg string, digest, sig []byte) (bool, error)

// MaxKeyInfoCerts bounds the certificates read from one KeyInfo.
const MaxKeyInfoCerts = 8

// keyInfoCerts returns the first X509Certificate of KeyInfo (the signer's)
// and the parsed others (a chain's intermediates; unreadable ones are
// left out, at most MaxKeyInfoCerts in all).
func keyInfoCerts(d *xmltree.Doc, kids []int32, r *Result) ([]byte, []*x509.Certificate) {
	var first []byte
	var extra []*x509.Certificate
	n := 0
	for _, k := range kids {
		if !d.Is(k, DSigNS, "KeyInfo") {
			continue
		}
		for _, x := range d.ChildElements(k) {
			if !d.Is(x, DSigNS, "X509Data") {
				continue
			}
			for _, c := range d.ChildElements(x) {
				if !d.Is(c, DSigNS, "X509Certificate") || n >= MaxKeyInfoCerts {
					continue
				}
				n++
				b, err := decodeB64(d.Text(c))
				switch {
				case first == nil && err != nil:
					r.add(ProbCertificate, "X509Certificate is not base64", "Сертификат в подписи повреждён")
					first = []byte{}
				case first == nil:
					first = b
				case err == nil:
					if cert, err := x509.ParseCertificate(b); err == nil {
						extra = append(extra, cert)
					}
				}
			}
		}
	}
	return first, extra
}
