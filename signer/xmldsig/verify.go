package xmldsig

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"math/big"
	"strings"

	"github.com/beevik/etree"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer/keys"
	dsig "github.com/russellhaering/goxmldsig"
)

const excC14NNamespace = "http://www.w3.org/2001/10/xml-exc-c14n#"

// MaxSignatures bounds the signatures Verify checks in one document (each
// may canonicalize the whole document).
const MaxSignatures = 16

// VerifyOptions tunes Verify.
type VerifyOptions struct {
	// IDAttr is an extra Id attribute name (Id, ID and id are always
	// recognised).
	IDAttr string
	// Certificate, when set, is the signer's certificate; otherwise the
	// first X509Certificate in KeyInfo is used. Trust in the certificate is
	// the caller's decision.
	Certificate *x509.Certificate
}

// Result is the outcome of one ds:Signature.
type Result struct {
	URI         string            // Reference URI: "#Id" or "" (the whole document)
	Algorithm   string            // SignatureMethod Algorithm
	DigestOK    bool              // the referenced content matches DigestValue
	SignatureOK bool              // SignatureValue verifies over SignedInfo
	Certificate *x509.Certificate // the signer's certificate, when known
	Err         error             // the first problem found (coded); nil when valid
}

// Valid reports whether both the digest and the signature value verify.
func (r Result) Valid() bool { return r.DigestOK && r.SignatureOK && r.Err == nil }

// Verify checks every ds:Signature of the standard profile in the document
// and returns one Result per signature. The error is for a document that
// cannot be parsed or holds no signature.
func Verify(doc []byte, opts VerifyOptions) ([]Result, error) {
	d, err := Parse(doc)
	if err != nil {
		return nil, err
	}
	return VerifyDocument(d, opts)
}

// VerifyDocument is Verify over a parsed document.
func VerifyDocument(d *etree.Document, opts VerifyOptions) ([]Result, error) {
	var sigs []*etree.Element
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		if e.Tag == "Signature" && nsURI(e) == dsig.Namespace {
			sigs = append(sigs, e)
			return
		}
		for _, c := range e.Child {
			if ce, ok := c.(*etree.Element); ok {
				walk(ce)
			}
		}
	}
	walk(d.Root())
	if len(sigs) == 0 {
		return nil, domain.Errorf(domain.ESIGNATURE, "В документе нет подписи XMLDSig")
	}
	if len(sigs) > MaxSignatures {
		return nil, domain.Errorf(domain.EINVALID, "В документе больше %d подписей: такие документы не проверяются", MaxSignatures)
	}
	out := make([]Result, 0, len(sigs))
	for _, s := range sigs {
		out = append(out, verifyOne(d, s, opts))
	}
	return out, nil
}

func sigErr(format string, args ...any) error {
	return domain.Errorf(domain.ESIGNATURE, format, args...)
}

// nsURI resolves an element's namespace from the declarations in scope.
func nsURI(e *etree.Element) string {
	for p := e; p != nil; p = p.Parent() {
		for _, a := range p.Attr {
			if e.Space == "" && a.Space == "" && a.Key == "xmlns" || e.Space != "" && a.Space == "xmlns" && a.Key == e.Space {
				return a.Value
			}
		}
	}
	return ""
}

// dsChildren returns the element children of e, all of which must be in
// the XMLDSig namespace (or in allowNS).
func dsChildren(e *etree.Element, allowNS string) ([]*etree.Element, error) {
	var out []*etree.Element
	for _, c := range e.ChildElements() {
		ns := nsURI(c)
		if ns != dsig.Namespace && (allowNS == "" || ns != allowNS) {
			return nil, sigErr("Подпись устроена неверно: лишний элемент %s в %s", c.Tag, e.Tag)
		}
		out = append(out, c)
	}
	return out, nil
}

func text(e *etree.Element) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, e.Text())
}

// inclusivePrefixes reads an InclusiveNamespaces PrefixList child.
func inclusivePrefixes(e *etree.Element) ([]string, error) {
	var list []string
	for _, c := range e.ChildElements() {
		if c.Tag != "InclusiveNamespaces" || nsURI(c) != excC14NNamespace {
			return nil, sigErr("Подпись устроена неверно: лишний элемент %s", c.Tag)
		}
		list = append(list, strings.Fields(c.SelectAttrValue("PrefixList", ""))...)
	}
	return list, nil
}

type parsedSig struct {
	signedInfo, sigValue, cert *etree.Element
	c14nPrefixes               []string
	method, uri                string
	enveloped                  bool
	refPrefixes                []string
	digest                     []byte
}

func parseSignature(sig *etree.Element) (*parsedSig, error) {
	p := &parsedSig{}
	kids, err := dsChildren(sig, "")
	if err != nil {
		return nil, err
	}
	var keyInfo *etree.Element
	for _, c := range kids {
		switch c.Tag {
		case "SignedInfo":
			if p.signedInfo != nil {
				return nil, sigErr("Подпись устроена неверно: два SignedInfo")
			}
			p.signedInfo = c
		case "SignatureValue":
			if p.sigValue != nil {
				return nil, sigErr("Подпись устроена неверно: два SignatureValue")
			}
			p.sigValue = c
		case "KeyInfo":
			if keyInfo != nil {
				return nil, sigErr("Подпись устроена неверно: два KeyInfo")
			}
			keyInfo = c
		case "Object":
		default:
			return nil, sigErr("Подпись устроена неверно: лишний элемент %s", c.Tag)
		}
	}
	if p.signedInfo == nil || p.sigValue == nil {
		return nil, sigErr("Подпись устроена неверно: нет SignedInfo или SignatureValue")
	}
	if keyInfo != nil {
		for _, x := range keyInfo.ChildElements() {
			if x.Tag == "X509Data" && nsURI(x) == dsig.Namespace {
				for _, c := range x.ChildElements() {
					if c.Tag == "X509Certificate" && nsURI(c) == dsig.Namespace && p.cert == nil {
						p.cert = c
					}
				}
			}
		}
	}
	si, err := dsChildren(p.signedInfo, "")
	if err != nil {
		return nil, err
	}
	var ref *etree.Element
	for i, c := range si {
		switch {
		case i == 0 && c.Tag == "CanonicalizationMethod":
			if alg := c.SelectAttrValue("Algorithm", ""); alg != string(dsig.CanonicalXML10ExclusiveAlgorithmId) {
				return nil, domain.Errorf(domain.EUNSUPPORTED, "Метод канонизации %q не поддерживается", alg)
			}
			if p.c14nPrefixes, err = inclusivePrefixes(c); err != nil {
				return nil, err
			}
		case i == 1 && c.Tag == "SignatureMethod":
			p.method = c.SelectAttrValue("Algorithm", "")
		case i == 2 && c.Tag == "Reference":
			ref = c
		case c.Tag == "Reference":
			return nil, domain.Errorf(domain.EUNSUPPORTED, "Подпись с несколькими ссылками (Reference) не поддерживается")
		default:
			return nil, sigErr("Подпись устроена неверно: SignedInfo")
		}
	}
	if ref == nil {
		return nil, sigErr("Подпись устроена неверно: нет Reference")
	}
	uriAttr := ref.SelectAttr("URI")
	if uriAttr == nil {
		return nil, domain.Errorf(domain.EUNSUPPORTED, "Ссылка подписи без URI не поддерживается")
	}
	p.uri = uriAttr.Value
	rk, err := dsChildren(ref, "")
	if err != nil {
		return nil, err
	}
	var digestMethod, digestValue *etree.Element
	c14n := false
	for i, c := range rk {
		switch {
		case i == 0 && c.Tag == "Transforms":
			ts, err := dsChildren(c, "")
			if err != nil {
				return nil, err
			}
			for j, t := range ts {
				alg := t.SelectAttrValue("Algorithm", "")
				switch {
				case t.Tag != "Transform":
					return nil, sigErr("Подпись устроена неверно: Transforms")
				case alg == string(dsig.EnvelopedSignatureAltorithmId) && j == 0:
					p.enveloped = true
				case alg == string(dsig.CanonicalXML10ExclusiveAlgorithmId) && j == len(ts)-1:
					c14n = true
					if p.refPrefixes, err = inclusivePrefixes(t); err != nil {
						return nil, err
					}
				default:
					return nil, domain.Errorf(domain.EUNSUPPORTED, "Преобразование %q не поддерживается в стандартном профиле XMLDSig", alg)
				}
			}
		case c.Tag == "DigestMethod" && digestMethod == nil:
			digestMethod = c
		case c.Tag == "DigestValue" && digestMethod != nil && digestValue == nil:
			digestValue = c
		default:
			return nil, sigErr("Подпись устроена неверно: Reference")
		}
	}
	if !c14n {
		return nil, domain.Errorf(domain.EUNSUPPORTED, "Ссылка подписи без исключающей канонизации не поддерживается")
	}
	if digestMethod == nil || digestValue == nil {
		return nil, sigErr("Подпись устроена неверно: нет DigestMethod или DigestValue")
	}
	if alg := digestMethod.SelectAttrValue("Algorithm", ""); alg != keys.DigestSHA256 {
		return nil, domain.Errorf(domain.EUNSUPPORTED, "Алгоритм хэширования %q не поддерживается в стандартном профиле XMLDSig", alg)
	}
	if p.digest, err = base64.StdEncoding.DecodeString(text(digestValue)); err != nil || len(p.digest) != sha256.Size {
		return nil, sigErr("Подпись устроена неверно: DigestValue")
	}
	return p, nil
}

func verifyOne(d *etree.Document, sig *etree.Element, opts VerifyOptions) (res Result) {
	p, err := parseSignature(sig)
	if err != nil {
		res.Err = err
		return res
	}
	res.URI, res.Algorithm = p.uri, p.method
	res.Certificate = opts.Certificate
	if res.Certificate == nil && p.cert != nil {
		der, err := base64.StdEncoding.DecodeString(text(p.cert))
		if err == nil {
			res.Certificate, err = x509.ParseCertificate(der)
		}
		if err != nil {
			res.Err = sigErr("Сертификат в подписи повреждён")
			return res
		}
	}

	// The signature value over the canonical SignedInfo.
	si, err := (&ExcC14N{InclusivePrefixes: p.c14nPrefixes}).Canonicalize(p.signedInfo)
	if err != nil {
		res.Err = err
		return res
	}
	switch {
	case res.Certificate == nil:
		res.Err = sigErr("В подписи нет сертификата подписанта")
	default:
		res.SignatureOK, res.Err = checkValue(p.method, res.Certificate, si, text(p.sigValue))
	}

	// The digest of the referenced element.
	var target *etree.Element
	whole := false
	switch {
	case p.uri == "":
		target, whole = d.Root(), true
	case strings.HasPrefix(p.uri, "#") && len(p.uri) > 1:
		found := FindByID(d.Root(), p.uri[1:], opts.IDAttr)
		switch len(found) {
		case 0:
			return withErr(res, sigErr("Подписанный элемент %s не найден в документе", p.uri))
		case 1:
			target = found[0]
		default:
			return withErr(res, sigErr("В документе несколько элементов с Id %s: подпись недействительна (возможна подмена)", p.uri))
		}
	default:
		return withErr(res, domain.Errorf(domain.EUNSUPPORTED, "Ссылка подписи %q не поддерживается", p.uri))
	}
	c := &ExcC14N{InclusivePrefixes: p.refPrefixes, WholeDocument: whole}
	if p.enveloped {
		c.Exclude = sig
	}
	var buf bytes.Buffer
	if err := c.WriteTo(&buf, target); err != nil {
		return withErr(res, err)
	}
	sum := sha256.Sum256(buf.Bytes())
	res.DigestOK = bytes.Equal(sum[:], p.digest)
	if !res.DigestOK {
		res = withErr(res, sigErr("Хэш подписанного элемента %s не совпадает: документ изменён после подписания", p.uri))
	}
	if !res.SignatureOK && res.Err == nil {
		res.Err = sigErr("Значение подписи неверно")
	}
	return res
}

func withErr(r Result, err error) Result {
	if r.Err == nil {
		r.Err = err
	}
	return r
}

// checkValue verifies a SignatureValue over the canonical SignedInfo.
func checkValue(method string, cert *x509.Certificate, signedInfo []byte, b64 string) (bool, error) {
	sig, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return false, sigErr("Подпись устроена неверно: SignatureValue")
	}
	h := sha256.Sum256(signedInfo)
	switch method {
	case keys.SigRSA256:
		pub, ok := cert.PublicKey.(*rsa.PublicKey)
		if !ok {
			return false, sigErr("Алгоритм подписи не совпадает с ключом сертификата")
		}
		if rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig) != nil {
			return false, sigErr("Значение подписи неверно")
		}
		return true, nil
	case keys.SigECDSA256:
		pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
		if !ok {
			return false, sigErr("Алгоритм подписи не совпадает с ключом сертификата")
		}
		n := (pub.Curve.Params().BitSize + 7) / 8
		if len(sig) != 2*n {
			return false, sigErr("Значение подписи ECDSA должно быть r‖s длиной %d байт", 2*n)
		}
		r, s := new(big.Int).SetBytes(sig[:n]), new(big.Int).SetBytes(sig[n:])
		if !ecdsa.Verify(pub, h[:], r, s) {
			return false, sigErr("Значение подписи неверно")
		}
		return true, nil
	}
	return false, domain.Errorf(domain.EUNSUPPORTED, "Алгоритм подписи %q не поддерживается в стандартном профиле XMLDSig", method)
}
