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

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer/c14n"
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
	d, err := parseTree(doc)
	if err != nil {
		return nil, err
	}
	var sigs []int32
	var walk func(n int32)
	walk = func(n int32) {
		if d.Is(n, dsig.Namespace, "Signature") {
			sigs = append(sigs, n)
			return
		}
		for _, c := range d.ChildElements(n) {
			walk(c)
		}
	}
	walk(d.Root)
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

// dsChildren returns the element children of e, all of which must be in
// the XMLDSig namespace.
func dsChildren(d *xmltree.Doc, e int32) ([]int32, error) {
	kids := d.ChildElements(e)
	for _, c := range kids {
		if string(d.Nodes[c].URI) != dsig.Namespace {
			return nil, sigErr("Подпись устроена неверно: лишний элемент %s в %s", d.Nodes[c].Local, d.Nodes[e].Local)
		}
	}
	return kids, nil
}

// text returns the character data of e without white space (base64).
func text(d *xmltree.Doc, e int32) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, d.Text(e))
}

func local(d *xmltree.Doc, e int32) string { return string(d.Nodes[e].Local) }

func algorithm(d *xmltree.Doc, e int32) string {
	v, _ := d.Attr(e, "", "Algorithm")
	return v
}

// inclusivePrefixes reads an InclusiveNamespaces PrefixList child.
func inclusivePrefixes(d *xmltree.Doc, e int32) ([]string, error) {
	var list []string
	for _, c := range d.ChildElements(e) {
		if !d.Is(c, excC14NNamespace, "InclusiveNamespaces") {
			return nil, sigErr("Подпись устроена неверно: лишний элемент %s", local(d, c))
		}
		v, _ := d.Attr(c, "", "PrefixList")
		list = append(list, strings.Fields(v)...)
	}
	return list, nil
}

type parsedSig struct {
	signedInfo, sigValue, cert int32
	c14nPrefixes               []string
	method, uri                string
	enveloped                  bool
	refPrefixes                []string
	digest                     []byte
}

func parseSignature(d *xmltree.Doc, sig int32) (*parsedSig, error) {
	p := &parsedSig{signedInfo: xmltree.None, sigValue: xmltree.None, cert: xmltree.None}
	kids, err := dsChildren(d, sig)
	if err != nil {
		return nil, err
	}
	keyInfo := xmltree.None
	for _, c := range kids {
		var slot *int32
		switch local(d, c) {
		case "SignedInfo":
			slot = &p.signedInfo
		case "SignatureValue":
			slot = &p.sigValue
		case "KeyInfo":
			slot = &keyInfo
		case "Object":
			continue
		default:
			return nil, sigErr("Подпись устроена неверно: лишний элемент %s", local(d, c))
		}
		if *slot != xmltree.None {
			return nil, sigErr("Подпись устроена неверно: два %s", local(d, c))
		}
		*slot = c
	}
	if p.signedInfo == xmltree.None || p.sigValue == xmltree.None {
		return nil, sigErr("Подпись устроена неверно: нет SignedInfo или SignatureValue")
	}
	if keyInfo != xmltree.None {
		p.cert = firstCertificate(d, keyInfo)
	}
	ref, err := p.readSignedInfo(d)
	if err != nil {
		return nil, err
	}
	return p, p.readReference(d, ref)
}

// firstCertificate returns the first X509Data/X509Certificate of KeyInfo.
func firstCertificate(d *xmltree.Doc, keyInfo int32) int32 {
	for _, x := range d.ChildElements(keyInfo) {
		if !d.Is(x, dsig.Namespace, "X509Data") {
			continue
		}
		if c := d.ChildElement(x, dsig.Namespace, "X509Certificate"); c != xmltree.None {
			return c
		}
	}
	return xmltree.None
}

// readSignedInfo reads CanonicalizationMethod, SignatureMethod and the one
// Reference, which it returns.
func (p *parsedSig) readSignedInfo(d *xmltree.Doc) (int32, error) {
	si, err := dsChildren(d, p.signedInfo)
	if err != nil {
		return 0, err
	}
	ref := xmltree.None
	for i, c := range si {
		switch name := local(d, c); {
		case i == 0 && name == "CanonicalizationMethod":
			if alg := algorithm(d, c); alg != string(dsig.CanonicalXML10ExclusiveAlgorithmId) {
				return 0, domain.Errorf(domain.EUNSUPPORTED, "Метод канонизации %q не поддерживается", alg)
			}
			if p.c14nPrefixes, err = inclusivePrefixes(d, c); err != nil {
				return 0, err
			}
		case i == 1 && name == "SignatureMethod":
			p.method = algorithm(d, c)
		case i == 2 && name == "Reference":
			ref = c
		case name == "Reference":
			return 0, domain.Errorf(domain.EUNSUPPORTED, "Подпись с несколькими ссылками (Reference) не поддерживается")
		default:
			return 0, sigErr("Подпись устроена неверно: SignedInfo")
		}
	}
	if ref == xmltree.None {
		return 0, sigErr("Подпись устроена неверно: нет Reference")
	}
	return ref, nil
}

// readReference reads the URI, the transforms and the digest of ref.
func (p *parsedSig) readReference(d *xmltree.Doc, ref int32) error {
	uri, ok := d.Attr(ref, "", "URI")
	if !ok {
		return domain.Errorf(domain.EUNSUPPORTED, "Ссылка подписи без URI не поддерживается")
	}
	p.uri = uri
	rk, err := dsChildren(d, ref)
	if err != nil {
		return err
	}
	digestMethod, digestValue := xmltree.None, xmltree.None
	c14nDone := false
	for i, c := range rk {
		switch name := local(d, c); {
		case i == 0 && name == "Transforms":
			if c14nDone, err = p.readTransforms(d, c); err != nil {
				return err
			}
		case name == "DigestMethod" && digestMethod == xmltree.None:
			digestMethod = c
		case name == "DigestValue" && digestMethod != xmltree.None && digestValue == xmltree.None:
			digestValue = c
		default:
			return sigErr("Подпись устроена неверно: Reference")
		}
	}
	if !c14nDone {
		return domain.Errorf(domain.EUNSUPPORTED, "Ссылка подписи без исключающей канонизации не поддерживается")
	}
	if digestMethod == xmltree.None || digestValue == xmltree.None {
		return sigErr("Подпись устроена неверно: нет DigestMethod или DigestValue")
	}
	if alg := algorithm(d, digestMethod); alg != keys.DigestSHA256 {
		return domain.Errorf(domain.EUNSUPPORTED, "Алгоритм хэширования %q не поддерживается в стандартном профиле XMLDSig", alg)
	}
	if p.digest, err = base64.StdEncoding.DecodeString(text(d, digestValue)); err != nil || len(p.digest) != sha256.Size {
		return sigErr("Подпись устроена неверно: DigestValue")
	}
	return nil
}

// readTransforms reads the enveloped-signature transform (optional, first)
// and exclusive c14n (last), which it reports.
func (p *parsedSig) readTransforms(d *xmltree.Doc, transforms int32) (c14nDone bool, err error) {
	ts, err := dsChildren(d, transforms)
	if err != nil {
		return false, err
	}
	for j, t := range ts {
		alg := algorithm(d, t)
		switch {
		case local(d, t) != "Transform":
			return false, sigErr("Подпись устроена неверно: Transforms")
		case alg == string(dsig.EnvelopedSignatureAltorithmId) && j == 0:
			p.enveloped = true
		case alg == string(dsig.CanonicalXML10ExclusiveAlgorithmId) && j == len(ts)-1:
			c14nDone = true
			if p.refPrefixes, err = inclusivePrefixes(d, t); err != nil {
				return false, err
			}
		default:
			return false, domain.Errorf(domain.EUNSUPPORTED, "Преобразование %q не поддерживается в стандартном профиле XMLDSig", alg)
		}
	}
	return c14nDone, nil
}

func verifyOne(d *xmltree.Doc, sig int32, opts VerifyOptions) (res Result) {
	p, err := parseSignature(d, sig)
	if err != nil {
		res.Err = err
		return res
	}
	res.URI, res.Algorithm = p.uri, p.method
	res.Certificate = opts.Certificate
	if res.Certificate == nil && p.cert != xmltree.None {
		der, err := base64.StdEncoding.DecodeString(text(d, p.cert))
		if err == nil {
			res.Certificate, err = x509.ParseCertificate(der)
		}
		if err != nil {
			res.Err = sigErr("Сертификат в подписи повреждён")
			return res
		}
	}
	// The signature value over the canonical SignedInfo.
	si := c14n.ExclusiveBytes(d, p.signedInfo, &c14n.Options{InclusivePrefixes: p.c14nPrefixes})
	if res.Certificate == nil {
		res.Err = sigErr("В подписи нет сертификата подписанта")
	} else {
		res.SignatureOK, res.Err = checkValue(p.method, res.Certificate, si, text(d, p.sigValue))
	}
	res = checkDigest(d, sig, p, opts, res)
	if !res.SignatureOK && res.Err == nil {
		res.Err = sigErr("Значение подписи неверно")
	}
	return res
}

// checkDigest canonicalizes what the Reference names (the whole document,
// or the one element with that Id) and compares its digest.
func checkDigest(d *xmltree.Doc, sig int32, p *parsedSig, opts VerifyOptions, res Result) Result {
	opt := &c14n.Options{InclusivePrefixes: p.refPrefixes}
	if p.enveloped {
		opt.Exclude = []int32{sig}
	}
	h := sha256.New()
	switch {
	case p.uri == "":
		if err := c14n.Document(h, d, opt); err != nil {
			return withErr(res, err)
		}
	case strings.HasPrefix(p.uri, "#") && len(p.uri) > 1:
		found := findID(d, p.uri[1:], opts.IDAttr)
		switch len(found) {
		case 0:
			return withErr(res, sigErr("Подписанный элемент %s не найден в документе", p.uri))
		case 1:
		default:
			return withErr(res, sigErr("В документе несколько элементов с Id %s: подпись недействительна (возможна подмена)", p.uri))
		}
		if err := c14n.Exclusive(h, d, found[0], opt); err != nil {
			return withErr(res, err)
		}
	default:
		return withErr(res, domain.Errorf(domain.EUNSUPPORTED, "Ссылка подписи %q не поддерживается", p.uri))
	}
	res.DigestOK = bytes.Equal(h.Sum(nil), p.digest)
	if !res.DigestOK {
		res = withErr(res, sigErr("Хэш подписанного элемента %s не совпадает: документ изменён после подписания", p.uri))
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
