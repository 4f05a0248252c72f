// Package xmldsig is the standard XMLDSig profile: an enveloped signature
// with exclusive c14n, RSA-SHA256 or ECDSA-SHA256 (raw r ‖ s), SHA-256
// digests and the certificate in KeyInfo, built with goxmldsig and etree and
// interoperable with xmlsec1 both ways. Its canonicalizer (ExcC14N) plugs
// into goxmldsig's Canonicalizer interface.
package xmldsig

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"io"

	"github.com/beevik/etree"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer/keys"
	dsig "github.com/russellhaering/goxmldsig"
)

// DefaultIDAttr is the attribute that holds element Ids.
const DefaultIDAttr = "Id"

// Options says what Sign signs.
type Options struct {
	// ID is the Id of the element to sign; empty signs the root element.
	ID string
	// IDAttr is the name of the Id attribute; empty means "Id".
	IDAttr string
}

// Sign signs the element with opts.ID (the root when empty) of an XML
// document with an enveloped ds:Signature, appended as the element's last
// child, and returns the signed document. The key must be RSA or ECDSA
// (keys.DigestSigner); a Reference to an element carries URI="#Id", one to
// an Id-less root URI="".
func Sign(doc []byte, key keys.Key, opts Options) ([]byte, error) {
	d, spans, err := parse(doc, true)
	if err != nil {
		return nil, err
	}
	target, sig, err := signDocument(d, key, opts)
	if err != nil {
		return nil, err
	}
	// The signature goes into the input bytes, which stay as they were.
	idx := preorderIndex(d.Root(), target)
	if idx < 0 || idx >= len(spans) {
		return nil, domain.Errorf(domain.EINTERNAL, "Не удалось вставить подпись в документ")
	}
	sp := spans[idx]
	var buf bytes.Buffer
	buf.Grow(len(doc) + 4096)
	buf.Write(doc[:sp.end])
	if sp.selfClosing {
		buf.WriteByte('>')
	}
	sig.WriteTo(&buf, &etree.WriteSettings{CanonicalAttrVal: true, CanonicalText: true})
	if sp.selfClosing {
		buf.WriteString("</")
		buf.WriteString(target.FullTag())
		buf.WriteByte('>')
		buf.Write(doc[sp.end+2:])
	} else {
		buf.Write(doc[sp.end:])
	}
	return buf.Bytes(), nil
}

// preorderIndex is the position of el among the elements under root in
// document order, or -1.
func preorderIndex(root, el *etree.Element) int {
	n := 0
	var walk func(e *etree.Element) bool
	walk = func(e *etree.Element) bool {
		if e == el {
			return true
		}
		n++
		for _, c := range e.Child {
			if ce, ok := c.(*etree.Element); ok && walk(ce) {
				return true
			}
		}
		return false
	}
	if walk(root) {
		return n
	}
	return -1
}

// WriteDocument serializes a document so that a conforming parser reads back
// the same values: TAB, LF and CR in attribute values and CR in text are
// written as character references.
func WriteDocument(w io.Writer, d *etree.Document) error {
	d.WriteSettings = etree.WriteSettings{CanonicalAttrVal: true, CanonicalText: true}
	if _, err := d.WriteTo(w); err != nil {
		return domain.Wrap(err, domain.EUNAVAILABLE, "xmldsig.WriteDocument", "Не удалось записать подписанный документ")
	}
	return nil
}

// SignDocument signs a parsed document in place (see Sign); write it with
// WriteDocument.
func SignDocument(d *etree.Document, key keys.Key, opts Options) error {
	target, sig, err := signDocument(d, key, opts)
	if err == nil {
		target.AddChild(sig)
	}
	return err
}

func signDocument(d *etree.Document, key keys.Key, opts Options) (target, sig *etree.Element, err error) {
	idAttr := opts.IDAttr
	if idAttr == "" {
		idAttr = DefaultIDAttr
	}
	root := d.Root()
	target = root
	if opts.ID != "" {
		found := FindByID(root, opts.ID, idAttr)
		switch len(found) {
		case 0:
			return nil, nil, domain.Errorf(domain.EINVALID, "В документе нет элемента с %s=%q", idAttr, opts.ID)
		case 1:
			target = found[0]
		default:
			return nil, nil, domain.Errorf(domain.EINVALID, "В документе несколько элементов с %s=%q: подписать нельзя", idAttr, opts.ID)
		}
	} else if id := root.SelectAttrValue(idAttr, ""); id != "" {
		if len(FindByID(root, id, idAttr)) != 1 {
			return nil, nil, domain.Errorf(domain.EINVALID, "В документе несколько элементов с %s=%q: подписать нельзя", idAttr, id)
		}
	}
	ds, ok := key.(keys.DigestSigner)
	if !ok {
		return nil, nil, domain.Errorf(domain.EUNSUPPORTED, "Этот ключ не подходит для стандартной подписи XMLDSig")
	}
	switch key.Public().(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey:
	default:
		return nil, nil, domain.Errorf(domain.EUNSUPPORTED, "Стандартная подпись XMLDSig делается ключом RSA или ECDSA; ключ ГОСТ подписывает в профиле СМЭВ")
	}
	ctx, err := dsig.NewSigningContext(digestSigner{key, ds}, [][]byte{key.Certificate().Raw})
	if err != nil {
		return nil, nil, domain.Wrap(err, domain.EINTERNAL, "xmldsig.Sign", "Не удалось подготовить подпись")
	}
	ctx.Hash = crypto.SHA256
	ctx.IdAttribute = idAttr
	ctx.Prefix = "ds"
	wholeDoc := target == root && root.SelectAttrValue(idAttr, "") == ""
	ctx.Canonicalizer = &ExcC14N{WholeDocument: wholeDoc}
	sig, err = ctx.ConstructSignature(target, true)
	if err != nil {
		if domain.ErrorCode(err) != domain.EINTERNAL {
			return nil, nil, err
		}
		return nil, nil, domain.Wrap(err, domain.ESIGNATURE, "xmldsig.Sign", "Не удалось подписать документ")
	}
	return target, sig, nil
}

// digestSigner is the crypto.Signer goxmldsig calls with the SignedInfo
// digest. It returns the value exactly as ds:SignatureValue holds it (for
// ECDSA raw r ‖ s, not the DER goxmldsig would otherwise write).
type digestSigner struct {
	key keys.Key
	ds  keys.DigestSigner
}

func (s digestSigner) Public() crypto.PublicKey { return s.key.Public() }

func (s digestSigner) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if opts.HashFunc() != crypto.SHA256 {
		return nil, domain.Errorf(domain.EINTERNAL, "Неожиданный алгоритм хэширования")
	}
	return s.ds.SignDigest(digest)
}

// FindByID returns the elements under (and including) root whose attribute
// idAttr, or any of Id, ID, id, equals id. A Reference is valid only when
// exactly one is found.
func FindByID(root *etree.Element, id, idAttr string) []*etree.Element {
	var out []*etree.Element
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		for _, a := range e.Attr {
			if a.Space == "" && a.Value == id && (a.Key == idAttr || a.Key == "Id" || a.Key == "ID" || a.Key == "id") {
				out = append(out, e)
				break
			}
		}
		for _, c := range e.Child {
			if ce, ok := c.(*etree.Element); ok {
				walk(ce)
			}
		}
	}
	walk(root)
	return out
}
