package signer

import (
	"encoding/base64"
	"errors"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer/c14n"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/signer/smevtransform"
)

// SignOptions tune signing.
type SignOptions struct {
	// Attachments are the bytes of MTOM/XOP parts by content id (without
	// "cid:"): an xop:Include in the signed content is digested as its
	// base64 text, as SMEV does. An Include without its bytes is an error.
	Attachments map[string][]byte
}

// SignatureFor returns a detached SMEV ds:Signature over the element of doc
// with Id=id: one Reference "#id", transforms exc-c14n then the SMEV
// transform, SignedInfo in exc-c14n, the key's certificate in KeyInfo. The
// element declares its own namespace, so it can be put into any container
// (CallerInformationSystemSignature, PersonalSignature) as it is.
func SignatureFor(doc []byte, id string, key keys.Key) ([]byte, error) {
	d, err := xmltree.Parse(doc)
	if err != nil {
		return nil, parseError(err)
	}
	return SignatureForDoc(d, id, key, nil)
}

// SignatureForDoc is SignatureFor on a parsed document.
func SignatureForDoc(d *xmltree.Doc, id string, key keys.Key, opt *SignOptions) ([]byte, error) {
	target, err := findTarget(d, id)
	if err != nil {
		return nil, err
	}
	return signatureFor(d, target, id, key, opt)
}

// Sign signs the element with Id=id and writes the signature into its
// empty container, returning the new document; every other byte of doc is
// kept. kind KindSystem (ЭП-ОВ): the CallerInformationSystemSignature next
// to the element (SenderProvidedRequestData, SenderProvidedResponseData,
// MessageTypeSelector, AckTargetMessage, Timestamp). KindPersonal (ЭП-СП):
// the element must be the one under MessagePrimaryContent, the container is
// the PersonalSignature next to MessagePrimaryContent. Sign ЭП-СП before
// ЭП-ОВ: the latter covers the former.
func Sign(doc []byte, id string, kind Kind, key keys.Key, opt *SignOptions) ([]byte, error) {
	d, err := xmltree.Parse(doc)
	if err != nil {
		return nil, parseError(err)
	}
	return SignDoc(d, id, kind, key, opt)
}

// SignDoc is Sign on a document already read with Parse (read once, sign
// without reading again).
func SignDoc(d *xmltree.Doc, id string, kind Kind, key keys.Key, opt *SignOptions) ([]byte, error) {
	target, err := findTarget(d, id)
	if err != nil {
		return nil, err
	}
	container, err := FindContainer(d, target, kind)
	if err != nil {
		return nil, err
	}
	sig, err := signatureFor(d, target, id, key, opt)
	if err != nil {
		return nil, err
	}
	return Insert(d, container, sig)
}

func findTarget(d *xmltree.Doc, id string) (int32, error) {
	if id == "" {
		return 0, domain.Errorf(domain.EINVALID, "Не указан Id подписываемого элемента")
	}
	var found []int32
	for i := range d.Nodes {
		if d.Nodes[i].Kind != xmltree.Element {
			continue
		}
		for _, a := range d.Attributes(int32(i)) {
			if IDAttr(&a) && string(a.Value) == id {
				found = append(found, int32(i))
				break
			}
		}
	}
	switch len(found) {
	case 0:
		return 0, domain.Errorf(domain.EINVALID, "В документе нет элемента с Id %q", id)
	case 1:
		return found[0], nil
	}
	return 0, domain.Errorf(domain.EINVALID, "Id %q встречается в документе %d раз: подписать можно только единственный элемент", id, len(found))
}

// FindContainer returns the empty element that receives the signature of
// target for kind (KindSystem or KindPersonal).
func FindContainer(d *xmltree.Doc, target int32, kind Kind) (int32, error) {
	var parent int32
	var name string
	switch kind {
	case KindSystem:
		parent, name = d.Nodes[target].Parent, "CallerInformationSystemSignature"
	case KindPersonal:
		mpc := d.Nodes[target].Parent
		if mpc == xmltree.None || string(d.Nodes[mpc].Local) != "MessagePrimaryContent" {
			return 0, domain.Errorf(domain.EINVALID, "ЭП-СП ставится на элемент внутри MessagePrimaryContent")
		}
		parent, name = d.Nodes[mpc].Parent, "PersonalSignature"
	default:
		return 0, domain.Errorf(domain.EINVALID, "Неизвестный вид подписи %q", kind)
	}
	if parent == xmltree.None {
		return 0, domain.Errorf(domain.EINVALID, "Рядом с подписываемым элементом нет элемента %s", name)
	}
	found := xmltree.None
	for c := d.Nodes[parent].FirstChild; c != xmltree.None; c = d.Nodes[c].Next {
		if d.Nodes[c].Kind == xmltree.Element && string(d.Nodes[c].Local) == name {
			if found != xmltree.None {
				return 0, domain.Errorf(domain.EINVALID, "Элемент %s встречается дважды", name)
			}
			found = c
		}
	}
	if found == xmltree.None {
		return 0, domain.Errorf(domain.EINVALID, "Рядом с подписываемым элементом нет пустого элемента %s для подписи", name)
	}
	for c := d.Nodes[found].FirstChild; c != xmltree.None; c = d.Nodes[c].Next {
		if n := &d.Nodes[c]; n.Kind == xmltree.Element || (n.Kind == xmltree.Text && !blank(n.Data)) {
			return 0, domain.Errorf(domain.EINVALID, "Элемент %s уже содержит подпись", name)
		}
	}
	return found, nil
}

func blank(b []byte) bool {
	for _, c := range b {
		if c > ' ' {
			return false
		}
	}
	return true
}

// Insert returns a copy of d.Src with sig as the only content of element
// container (whitespace in it is replaced; <a/> becomes <a>sig</a>).
func Insert(d *xmltree.Doc, container int32, sig []byte) ([]byte, error) {
	n := &d.Nodes[container]
	src := d.Src
	out := make([]byte, 0, len(src)+len(sig)+len(n.Prefix)+len(n.Local)+4)
	if n.SelfClosing {
		tag := src[n.Start : n.StartTagEnd-2]
		out = append(out, src[:n.Start]...)
		out = append(out, tag...)
		out = append(out, '>')
		out = append(out, sig...)
		out = append(out, "</"...)
		out = append(out, src[n.Start+1:n.Start+1+len(n.Prefix)+len(n.Local)+btoi(len(n.Prefix) > 0)]...)
		out = append(out, '>')
		out = append(out, src[n.End:]...)
		return out, nil
	}
	out = append(out, src[:n.StartTagEnd]...)
	out = append(out, sig...)
	out = append(out, src[n.EndTagStart:]...)
	return out, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

const dsPrefix = `<ds:SignedInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">`

func signatureFor(d *xmltree.Doc, target int32, id string, key keys.Key, opt *SignOptions) ([]byte, error) {
	alg := key.Algorithm()
	h := newDigest(alg.Digest)
	if h == nil {
		return nil, domain.Errorf(domain.EUNSUPPORTED, "Алгоритм хэширования ключа не поддерживается: %s", alg.Digest)
	}
	if hs, _ := sigHash(alg.Signature); hs == nil {
		return nil, domain.Errorf(domain.EUNSUPPORTED, "Алгоритм подписи ключа не поддерживается: %s", alg.Signature)
	}
	cert := key.Certificate()
	if cert == nil {
		return nil, domain.Errorf(domain.EINVALID, "У ключа нет сертификата: укажите файл сертификата")
	}
	var missing []string
	copt := &c14n.Options{Attachment: func(href string) ([]byte, bool) {
		var m map[string][]byte
		if opt != nil {
			m = opt.Attachments
		}
		b, ok := lookupAttachment(m, href)
		if !ok {
			missing = append(missing, href)
		}
		return b, ok
	}}
	if err := smevtransform.Write(h, d, target, copt); err != nil {
		return nil, domain.Wrap(err, domain.EINTERNAL, "signer.digest", "Не удалось вычислить хэш документа")
	}
	if len(missing) > 0 {
		return nil, domain.Errorf(domain.EINVALID, "Подписываемый элемент ссылается на вложение %s (xop:Include): нужно его содержимое", missing[0])
	}
	digest := h.Sum(nil)

	// SignedInfo written directly in its canonical form.
	b := make([]byte, 0, 1024+len(cert.Raw)*4/3)
	b = append(b, `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">`...)
	siStart := len(b)
	b = append(b, `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="`+ExcC14NURI+`"></ds:CanonicalizationMethod><ds:SignatureMethod Algorithm="`...)
	b = appendAttr(b, alg.Signature)
	b = append(b, `"></ds:SignatureMethod><ds:Reference URI="#`...)
	b = appendAttr(b, id)
	b = append(b, `"><ds:Transforms><ds:Transform Algorithm="`+ExcC14NURI+`"></ds:Transform><ds:Transform Algorithm="`+SMEVTransformURI+`"></ds:Transform></ds:Transforms><ds:DigestMethod Algorithm="`...)
	b = appendAttr(b, alg.Digest)
	b = append(b, `"></ds:DigestMethod><ds:DigestValue>`...)
	b = base64.StdEncoding.AppendEncode(b, digest)
	b = append(b, `</ds:DigestValue></ds:Reference></ds:SignedInfo>`...)
	si := b[siStart:]
	canon := make([]byte, 0, len(si)+64)
	canon = append(canon, dsPrefix...)
	canon = append(canon, si[len("<ds:SignedInfo>"):]...)

	value, err := key.SignData(canon)
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) {
			return nil, err
		}
		return nil, domain.Wrap(err, domain.ESIGNATURE, "signer.sign", "Ключ не смог подписать документ")
	}
	b = append(b, `<ds:SignatureValue>`...)
	b = base64.StdEncoding.AppendEncode(b, value)
	b = append(b, `</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>`...)
	b = base64.StdEncoding.AppendEncode(b, cert.Raw)
	b = append(b, `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>`...)
	return b, nil
}

func appendAttr(b []byte, s string) []byte {
	o := c14n.Out{Buf: b}
	o.AttrValue([]byte(s))
	return o.Buf
}

// Parse reads a document with the strict reader (no DOCTYPE, no entities,
// bounded) and returns coded errors for the clerk.
func Parse(doc []byte) (*xmltree.Doc, error) {
	d, err := xmltree.Parse(doc)
	if err != nil {
		return nil, parseError(err)
	}
	return d, nil
}

// InsertNamed puts sig into the one empty element of doc whose local name
// is container ("CallerInformationSystemSignature", "PersonalSignature"),
// keeping every other byte. Zero or several such elements, or one that
// already has content, is an error.
func InsertNamed(doc []byte, container string, sig []byte) ([]byte, error) {
	d, err := Parse(doc)
	if err != nil {
		return nil, err
	}
	found := xmltree.None
	for i := range d.Nodes {
		if d.Nodes[i].Kind == xmltree.Element && string(d.Nodes[i].Local) == container {
			if found != xmltree.None {
				return nil, domain.Errorf(domain.EINVALID, "Элемент %s встречается в документе несколько раз", container)
			}
			found = int32(i)
		}
	}
	if found == xmltree.None {
		return nil, domain.Errorf(domain.EINVALID, "В документе нет элемента %s для подписи", container)
	}
	for c := d.Nodes[found].FirstChild; c != xmltree.None; c = d.Nodes[c].Next {
		if n := &d.Nodes[c]; n.Kind == xmltree.Element || (n.Kind == xmltree.Text && !blank(n.Data)) {
			return nil, domain.Errorf(domain.EINVALID, "Элемент %s уже содержит подпись", container)
		}
	}
	return Insert(d, found, sig)
}
