// Package xmldsig is the standard XMLDSig profile: an enveloped signature
// with exclusive c14n, RSA-SHA256 or ECDSA-SHA256 (raw r ‖ s), SHA-256
// digests and the certificate in KeyInfo, built with goxmldsig and etree and
// interoperable with xmlsec1 both ways. Documents are read by the strict
// reader of internal/xmltree, and canonicalized by signer/c14n, the
// canonicalizer of the SMEV profile, which plugs into goxmldsig as its
// Canonicalizer.
package xmldsig

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"io"

	"github.com/beevik/etree"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
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

func (o Options) idAttr() string {
	if o.IDAttr == "" {
		return DefaultIDAttr
	}
	return o.IDAttr
}

// Sign signs the element with opts.ID (the root when empty) of an XML
// document with an enveloped ds:Signature, appended as the element's last
// child, and returns the signed document: the input bytes with the
// signature inserted. The key must be RSA or ECDSA (keys.DigestSigner); a
// Reference to an element carries URI="#Id", one to an Id-less root URI="".
func Sign(doc []byte, key keys.Key, opts Options) ([]byte, error) {
	d, err := parseTree(doc)
	if err != nil {
		return nil, err
	}
	target, idName, err := findTarget(d, opts)
	if err != nil {
		return nil, err
	}
	el := standIn(d, target)
	c := &Canonicalizer{WholeDocument: target == d.Root && idName == "", bound: el, doc: d, node: target}
	sig, err := construct(el, key, idName, c)
	if err != nil {
		return nil, err
	}
	return insert(d, target, sig)
}

// findTarget returns the element Sign signs and the name of its Id
// attribute ("" for an Id-less root).
func findTarget(d *xmltree.Doc, opts Options) (int32, string, error) {
	idAttr := opts.idAttr()
	if opts.ID == "" {
		switch id, _ := d.Attr(d.Root, "", idAttr); {
		case id == "":
			return d.Root, "", nil
		case len(findID(d, id, idAttr)) != 1:
			return 0, "", errAmbiguous(idAttr, id)
		}
		return d.Root, idAttr, nil
	}
	found := findID(d, opts.ID, idAttr)
	if err := oneTarget(len(found), idAttr, opts.ID); err != nil {
		return 0, "", err
	}
	for _, a := range d.Attributes(found[0]) {
		if isID(len(a.URI) > 0, string(a.Local), string(a.Value), opts.ID, idAttr) {
			return found[0], string(a.Local), nil
		}
	}
	return 0, "", domain.Errorf(domain.EINTERNAL, "Не удалось найти атрибут Id подписываемого элемента")
}

// findID returns the elements whose attribute idAttr, or any of Id, ID,
// id (in no namespace), equals id. A Reference is valid only when exactly
// one is found.
func findID(d *xmltree.Doc, id, idAttr string) []int32 {
	var out []int32
	for i := range d.Nodes {
		if d.Nodes[i].Kind != xmltree.Element {
			continue
		}
		for _, a := range d.Attributes(int32(i)) {
			if isID(len(a.URI) > 0, string(a.Local), string(a.Value), id, idAttr) {
				out = append(out, int32(i))
				break
			}
		}
	}
	return out
}

// isID reports whether an attribute (qualified or not, its local name and
// value) carries the Id id.
func isID(qualified bool, local, value, id, idAttr string) bool {
	return !qualified && value == id && (local == idAttr || local == "Id" || local == "ID" || local == "id")
}

// oneTarget says why n elements with that Id cannot be signed (nil for one).
func oneTarget(n int, idAttr, id string) error {
	switch n {
	case 0:
		return domain.Errorf(domain.EINVALID, "В документе нет элемента с %s=%q", idAttr, id)
	case 1:
		return nil
	}
	return errAmbiguous(idAttr, id)
}

func errAmbiguous(idAttr, id string) error {
	return domain.Errorf(domain.EINVALID, "В документе несколько элементов с %s=%q: подписать нельзя", idAttr, id)
}

// standIn is the element goxmldsig signs on behalf of node n: its name,
// its attributes in no namespace (the Id among them) and every namespace
// declaration in scope at it, which is all goxmldsig reads of it; the
// content is canonicalized from the parsed input by the Canonicalizer
// bound to it.
func standIn(d *xmltree.Doc, n int32) *etree.Element {
	nd := &d.Nodes[n]
	el := etree.NewElement(xmltree.QName(nd.Prefix, nd.Local))
	d.InScope(n, func(prefix, uri []byte) {
		ns := xmltree.NSDecl{Prefix: prefix}
		el.CreateAttr(ns.Name(), string(uri))
	})
	for _, a := range d.Attributes(n) {
		if len(a.Prefix) == 0 {
			el.CreateAttr(string(a.Local), string(a.Value))
		}
	}
	return el
}

// insert returns the input with sig as the last child of element n; every
// other byte stays as it was.
func insert(d *xmltree.Doc, n int32, sig *etree.Element) ([]byte, error) {
	nd := &d.Nodes[n]
	out := make([]byte, 0, len(d.Src)+4096)
	if nd.SelfClosing {
		out = append(out, d.Src[:nd.End-2]...) // up to "/>"
		out = append(out, '>')
	} else {
		out = append(out, d.Src[:nd.EndTagStart]...)
	}
	out, err := appendElement(out, sig, nil)
	if err != nil {
		return nil, err
	}
	if nd.SelfClosing {
		out = append(out, "</"...)
		out = append(out, xmltree.QName(nd.Prefix, nd.Local)...)
		out = append(out, '>')
		return append(out, d.Src[nd.End:]...), nil
	}
	return append(out, d.Src[nd.EndTagStart:]...), nil
}

// SignDocument signs an element of an etree document in place (see Sign
// for opts): the signature is appended to it. Write the document with
// WriteDocument.
func SignDocument(d *etree.Document, key keys.Key, opts Options) error {
	idAttr := opts.idAttr()
	root := d.Root()
	target, idName := root, ""
	if opts.ID != "" {
		found := FindByID(root, opts.ID, idAttr)
		if err := oneTarget(len(found), idAttr, opts.ID); err != nil {
			return err
		}
		target = found[0]
		for _, a := range target.Attr {
			if isID(a.Space != "", a.Key, a.Value, opts.ID, idAttr) {
				idName = a.Key
				break
			}
		}
	} else if id := plainAttr(root, idAttr); id != "" {
		if len(FindByID(root, id, idAttr)) != 1 {
			return errAmbiguous(idAttr, id)
		}
		idName = idAttr
	}
	c := &Canonicalizer{WholeDocument: target == root && idName == ""}
	sig, err := construct(target, key, idName, c)
	if err == nil {
		target.AddChild(sig)
	}
	return err
}

// plainAttr returns the value of e's attribute key in no namespace.
func plainAttr(e *etree.Element, key string) string {
	for _, a := range e.Attr {
		if a.Space == "" && a.Key == key {
			return a.Value
		}
	}
	return ""
}

// FindByID returns the elements under (and including) root whose attribute
// idAttr, or any of Id, ID, id, equals id.
func FindByID(root *etree.Element, id, idAttr string) []*etree.Element {
	var out []*etree.Element
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		for _, a := range e.Attr {
			if isID(a.Space != "", a.Key, a.Value, id, idAttr) {
				out = append(out, e)
				break
			}
		}
		for _, c := range e.ChildElements() {
			walk(c)
		}
	}
	walk(root)
	return out
}

// construct has goxmldsig build the enveloped signature of el, its
// Reference naming el by the attribute idName ("": URI="").
func construct(el *etree.Element, key keys.Key, idName string, c *Canonicalizer) (*etree.Element, error) {
	ds, ok := key.(keys.DigestSigner)
	if !ok {
		return nil, domain.Errorf(domain.EUNSUPPORTED, "Этот ключ не подходит для стандартной подписи XMLDSig")
	}
	switch key.Public().(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey:
	default:
		return nil, domain.Errorf(domain.EUNSUPPORTED, "Стандартная подпись XMLDSig делается ключом RSA или ECDSA; ключ ГОСТ подписывает в профиле СМЭВ")
	}
	ctx, err := dsig.NewSigningContext(digestSigner{key, ds}, [][]byte{key.Certificate().Raw})
	if err != nil {
		return nil, domain.Wrap(err, domain.EINTERNAL, "xmldsig.Sign", "Не удалось подготовить подпись")
	}
	ctx.Hash = crypto.SHA256
	ctx.IdAttribute = idName // "": no attribute, goxmldsig writes URI=""
	ctx.Prefix = "ds"
	ctx.Canonicalizer = c
	sig, err := ctx.ConstructSignature(el, true)
	if err != nil {
		if domain.ErrorCode(err) != domain.EINTERNAL {
			return nil, err
		}
		return nil, domain.Wrap(err, domain.ESIGNATURE, "xmldsig.Sign", "Не удалось подписать документ")
	}
	return sig, nil
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
