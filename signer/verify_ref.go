package signer

import (
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer/c14n"
	"github.com/mezhved/mezhved/signer/smevtransform"
)

// IDAttr reports whether a is an identifier attribute: Id, ID, id without
// a namespace, or wsu:Id.
func IDAttr(a *xmltree.Attr) bool {
	switch len(a.URI) {
	case 0:
		l := string(a.Local)
		return l == "Id" || l == "ID" || l == "id"
	default:
		return string(a.Local) == "Id" && string(a.URI) == wsuNS
	}
}

const wsuNS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"

// indexIDs maps every identifier value to the elements carrying it.
func indexIDs(d *xmltree.Doc) map[string][]int32 {
	ids := map[string][]int32{}
	for i := range d.Nodes {
		if d.Nodes[i].Kind != xmltree.Element {
			continue
		}
		for _, a := range d.Attributes(int32(i)) {
			if IDAttr(&a) {
				l := ids[string(a.Value)]
				if len(l) == 0 || l[len(l)-1] != int32(i) {
					ids[string(a.Value)] = append(l, int32(i))
				}
			}
		}
	}
	return ids
}

func decodeB64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
	return base64.StdEncoding.DecodeString(s)
}

// reference is a parsed ds:Reference.
type reference struct {
	uri        string
	transforms []string
	inclusive  []string // InclusiveNamespaces of the exc-c14n transform
	digestAlg  string
	digest     []byte
}

// chain is a transform sequence we can compute.
type chain struct {
	enveloped, c14n, comments, smev bool
	inclusive                       bool // Canonical XML 1.0 instead of exclusive
}

func parseChain(tr []string) (chain, bool) {
	var c chain
	i := 0
	if i < len(tr) && tr[i] == EnvelopedURI {
		c.enveloped = true
		i++
	}
	if i < len(tr) {
		switch tr[i] {
		case ExcC14NURI, ExcC14NCommentsURI:
			c.c14n, c.comments = true, tr[i] == ExcC14NCommentsURI
			i++
		case c14n.InclusiveURI, c14n.InclusiveWithCommentsURI:
			c.c14n, c.inclusive, c.comments = true, true, tr[i] == c14n.InclusiveWithCommentsURI
			i++
		}
	}
	if i < len(tr) && tr[i] == SMEVTransformURI && !c.inclusive {
		c.smev = true
		i++
	}
	if !c.c14n && !c.smev {
		// The node set becomes octets by Canonical XML 1.0 without comments.
		c.inclusive = true
	}
	return c, i == len(tr)
}

func inclusivePrefixes(d *xmltree.Doc, n int32) []string {
	for _, c := range d.ChildElements(n) {
		if string(d.Nodes[c].Local) == "InclusiveNamespaces" && string(d.Nodes[c].URI) == ExcC14NURI {
			v, _ := d.Attr(c, "", "PrefixList")
			return strings.Fields(v)
		}
	}
	return nil
}

func parseReference(d *xmltree.Doc, ref int32) (reference, bool) {
	var r reference
	uri, ok := d.Attr(ref, "", "URI")
	if !ok {
		return r, false
	}
	r.uri = uri
	kids := d.ChildElements(ref)
	i := 0
	if i < len(kids) && d.Is(kids[i], DSigNS, "Transforms") {
		for _, t := range d.ChildElements(kids[i]) {
			if !d.Is(t, DSigNS, "Transform") {
				return r, false
			}
			a, _ := d.Attr(t, "", "Algorithm")
			r.transforms = append(r.transforms, a)
			if a == ExcC14NURI || a == ExcC14NCommentsURI {
				r.inclusive = inclusivePrefixes(d, t)
			}
		}
		i++
	}
	if i+2 != len(kids) || !d.Is(kids[i], DSigNS, "DigestMethod") || !d.Is(kids[i+1], DSigNS, "DigestValue") {
		return r, false
	}
	r.digestAlg, _ = d.Attr(kids[i], "", "Algorithm")
	v, err := decodeB64(d.Text(kids[i+1]))
	if err != nil {
		return r, false
	}
	r.digest = v
	return r, true
}

// checkReference resolves and digests one Reference; false when the digest
// is not confirmed.
func checkReference(d *xmltree.Doc, sig, container int32, ref reference, ids map[string][]int32, opt *VerifyOptions, r *Result, first bool, w *work) bool {
	target, ok := resolveTarget(d, ref.uri, ids, r)
	if !ok {
		return false
	}
	if first {
		r.Element, r.Target = d.Path(target), target
	}
	ch, ok := parseChain(ref.transforms)
	if !ok {
		r.add(ProbUnsupported, "unsupported transforms "+strings.Join(ref.transforms, ", "), "Неподдерживаемые преобразования в подписи")
		return false
	}
	// Where the signed element must be.
	switch r.Kind {
	case KindSMEV, KindSystem:
		if d.Nodes[target].Parent != d.Nodes[container].Parent || target == container {
			r.add(ProbPlacement, "the signed element is not next to "+r.Container, "Подписан не тот элемент: он должен стоять рядом с "+r.Container)
			return false
		}
	case KindPersonal:
		mpc := d.Nodes[target].Parent
		if mpc == xmltree.None || string(d.Nodes[mpc].Local) != "MessagePrimaryContent" || d.Nodes[mpc].Parent != d.Nodes[container].Parent {
			r.add(ProbPlacement, "ЭП-СП must sign the element under MessagePrimaryContent next to PersonalSignature", "ЭП-СП должна подписывать элемент внутри MessagePrimaryContent рядом с PersonalSignature")
			return false
		}
	}
	if ch.enveloped && !d.Contains(target, sig) {
		r.add(ProbPlacement, "enveloped-signature transform but the signature is outside the signed element", "Подпись не вложена в подписанный элемент")
		return false
	}
	if !ch.enveloped && d.Contains(target, sig) {
		r.add(ProbPlacement, "the signature is inside the element it signs without the enveloped-signature transform", "Подпись вложена в подписанный элемент без преобразования enveloped-signature")
		return false
	}
	h := verifyDigestHash(ref.digestAlg)
	if h == nil {
		r.add(ProbUnsupported, "unsupported DigestMethod "+ref.digestAlg, "Неподдерживаемый алгоритм хэширования "+ref.digestAlg)
		return false
	}
	copt := &c14n.Options{InclusivePrefixes: ref.inclusive, WithComments: ch.comments, Inclusive: ch.inclusive}
	if ch.enveloped {
		copt.Exclude = []int32{sig}
	}
	var missing []string
	copt.Attachment = func(href string) ([]byte, bool) {
		if b, ok := lookupAttachment(opt.Attachments, href); ok {
			return b, true
		}
		missing = append(missing, href)
		return nil, false
	}
	if w.over {
		r.add(ProbNotChecked, "not checked: the document asks for too much work", "Подпись не проверена: документ требует слишком много работы")
		return false
	}
	digestInto(w.writer(h), d, target, ch, ref.uri == "", copt)
	if w.over {
		r.add(ProbNotChecked, fmt.Sprintf("not checked: the document asks for more than %d bytes of digesting", w.budget()),
			"Подпись не проверена: документ требует слишком много работы (ссылки на большие части документа)")
		return false
	}
	if subtle.ConstantTimeCompare(h.Sum(nil), ref.digest) == 1 {
		return true
	}
	if len(missing) > 0 {
		r.Attachments = append(r.Attachments, missing...)
		r.add(ProbAttachment, "digest does not match: the signed content holds xop:Include "+strings.Join(missing, ", ")+"; attachment content needed",
			"Хэш не совпадает: подписанный элемент ссылается на вложение (xop:Include), нужно содержимое вложения")
		return false
	}
	r.add(ProbDigest, "digest does not match: the signed element "+d.Path(target)+" was changed", "Подписанные данные изменены после подписания (хэш не совпадает)")
	return false
}

// resolveTarget finds the one element a Reference URI names: "" the whole
// document, "#Id" exactly one element carrying that Id (two or more is
// signature wrapping); anything else (external resources) is refused.
func resolveTarget(d *xmltree.Doc, uri string, ids map[string][]int32, r *Result) (int32, bool) {
	switch {
	case uri == "":
		return d.Root, true
	case strings.HasPrefix(uri, "#") && len(uri) > 1 && !strings.Contains(uri, "("):
		els := ids[uri[1:]]
		switch len(els) {
		case 0:
			r.add(ProbNoTarget, "no element with Id "+uri[1:], "В документе нет подписанного элемента с Id "+uri[1:])
			return xmltree.None, false
		case 1:
			return els[0], true
		}
		r.add(ProbWrapping, fmt.Sprintf("%d elements carry Id %s (signature wrapping)", len(els), uri[1:]),
			fmt.Sprintf("Id %s встречается %d раз: документ подделан (signature wrapping)", uri[1:], len(els)))
		return xmltree.None, false
	}
	r.add(ProbUnsupported, "only same-document references (#Id) are accepted: "+uri, "Подпись ссылается на внешний ресурс: такие ссылки не проверяются")
	return xmltree.None, false
}

func digestInto(h io.Writer, d *xmltree.Doc, target int32, ch chain, whole bool, copt *c14n.Options) {
	switch {
	case ch.smev:
		smevtransform.Write(h, d, target, copt)
	case whole:
		c14n.Document(h, d, copt)
	default:
		c14n.Exclusive(h, d, target, copt)
	}
}

func lookupAttachment(m map[string][]byte, href string) ([]byte, bool) {
	if m == nil {
		return nil, false
	}
	id := strings.TrimPrefix(href, "cid:")
	if b, ok := m[id]; ok {
		return b, true
	}
	if u, err := url.PathUnescape(id); err == nil {
		if b, ok := m[u]; ok {
			return b, true
		}
	}
	b, ok := m[href]
	return b, ok
}
