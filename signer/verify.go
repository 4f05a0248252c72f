package signer

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/big"
	"net/url"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer/c14n"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/signer/smevtransform"
	"github.com/mezhved/mezhved/signer/xmltree"
)

// Kind says which signature of an envelope a ds:Signature is, from the
// element that holds it.
type Kind string

// Kinds of signatures.
const (
	KindSMEV      Kind = "ЭП-СМЭВ" // SMEVSignature
	KindSystem    Kind = "ЭП-ОВ"   // CallerInformationSystemSignature, SenderInformationSystemSignature
	KindPersonal  Kind = "ЭП-СП"   // PersonalSignature
	KindEnveloped Kind = "XMLDSig" // standard enveloped signature
	KindDetached  Kind = "detached"
	// KindNotChecked is a ds:Signature outside the positions a signature
	// has in SMEV (ЭП-СМЭВ, ЭП-ОВ, ЭП-СП containers) and in a signed file
	// (a child of the document element): such signatures, e.g. inside a
	// provider's business content, are not verified at all: no work is
	// spent on them and they count for nothing.
	KindNotChecked Kind = "not-checked"
)

// Problem codes.
const (
	ProbMalformed   = "malformed"         // the ds:Signature structure is broken
	ProbNoTarget    = "no-target"         // no element with the Reference's Id
	ProbWrapping    = "wrapping"          // more than one element with that Id
	ProbPlacement   = "placement"         // the signed element is not where the profile puts it
	ProbUnsupported = "unsupported"       // an algorithm or transform we do not handle
	ProbProfile     = "profile"           // SMEV would reject this signature's form
	ProbDigest      = "digest-mismatch"   // the signed content was changed
	ProbAttachment  = "attachment-needed" // xop:Include without its attachment bytes
	ProbSignature   = "signature-invalid" // SignatureValue does not verify
	ProbCertificate = "certificate"       // missing, unreadable, expired or not yet valid
	ProbNotChecked  = "not-checked"       // outside the signature positions, or over the work budget
)

// Problem is one reason a signature is not valid.
type Problem struct {
	Code string
	Text string // English, for the CLI and the log
	Ru   string // Russian, for the clerk
}

// Result is the verdict on one ds:Signature.
type Result struct {
	ID                 string // the Signature's Id attribute, if any
	Reference          string // the Reference URI ("#SIGNED_BY_SMEV")
	Element            string // path of the signed element (/Envelope/Body/…)
	Container          string // local name of the element holding the signature
	Kind               Kind
	SignatureAlgorithm string
	DigestAlgorithm    string
	Transforms         []string
	DigestOK           bool
	SignatureOK        bool
	// Attachments lists the hrefs (cid:…) of xop:Include elements in the
	// signed content whose bytes were not supplied.
	Attachments []string
	Certificate *CertInfo
	Problems    []Problem
	// Target is the element the (first) Reference resolved to, xmltree.None
	// when it did not: the only element whose data may be trusted when the
	// signature is valid (read it, never an element found by name).
	Target int32 `json:"-"`
	// Certificates are the X509Certificate elements of KeyInfo, parsed:
	// the signer's first, then the rest (intermediate CAs), for a chain.
	Certificates []*x509.Certificate `json:"-"`
}

// Valid reports whether the signature verified with no problem at all
// (certificate validity at the checked moment included).
func (r *Result) Valid() bool {
	return r.DigestOK && r.SignatureOK && len(r.Problems) == 0 && r.Certificate.ValidAt()
}

// Problem returns the problems' English texts joined, "" when none.
func (r *Result) Problem() string {
	var s []string
	for _, p := range r.Problems {
		s = append(s, p.Text)
	}
	return strings.Join(s, "; ")
}

func (r *Result) add(code, text, ru string) {
	r.Problems = append(r.Problems, Problem{Code: code, Text: text, Ru: ru})
}

// VerifyOptions tune Verify.
type VerifyOptions struct {
	// Time is the moment for the certificate validity check (zero: now).
	Time time.Time
	// MaxDigestBytes bounds the bytes canonicalized into digests for the
	// whole document, all signatures together (zero: DigestBudget of its
	// size). Past it the remaining signatures are not checked.
	MaxDigestBytes int64
	// Attachments are MTOM/XOP parts by content id (without "cid:"),
	// substituted for xop:Include in signed content.
	Attachments map[string][]byte
}

// Verify parses an envelope and checks every ds:Signature in it. The error
// is for a document that cannot be read (malformed XML, DOCTYPE, limits);
// signature problems are in the results. No signature: an empty slice.
func Verify(doc []byte, opt *VerifyOptions) ([]Result, error) {
	d, err := xmltree.Parse(doc)
	if err != nil {
		return nil, parseError(err)
	}
	return VerifyDoc(d, opt), nil
}

func parseError(err error) error {
	if errors.Is(err, xmltree.ErrDTD) {
		return domain.Wrap(err, domain.EINVALID, "signer.parse", "Документ содержит DOCTYPE или объявления сущностей: такие документы не принимаются")
	}
	if errors.Is(err, xmltree.ErrTooLarge) {
		return domain.Wrap(err, domain.EINVALID, "signer.parse", "Документ слишком велик или слишком глубоко вложен")
	}
	return domain.Wrap(err, domain.EINVALID, "signer.parse", "Документ не является правильным XML")
}

// VerifyDoc checks every ds:Signature of a parsed document.
func VerifyDoc(d *xmltree.Doc, opt *VerifyOptions) []Result {
	if opt == nil {
		opt = &VerifyOptions{}
	}
	at := opt.Time
	if at.IsZero() {
		at = time.Now()
	}
	ids := indexIDs(d)
	w := &work{left: opt.MaxDigestBytes}
	if w.left <= 0 {
		w.left = DigestBudget(len(d.Src))
	}
	var out []Result
	checked := 0
	for i := range d.Nodes {
		n := int32(i)
		if !d.Is(n, DSigNS, "Signature") {
			continue
		}
		if !inPosition(d, n) {
			r := Result{Kind: KindNotChecked, Element: d.Path(n), Target: xmltree.None}
			r.add(ProbNotChecked, "not checked: not in a signature position of SMEV or of a signed file",
				"Подпись не проверялась: она не на месте подписи СМЭВ или подписи файла (например, внутри сведений)")
			out = append(out, r)
			continue
		}
		if checked >= MaxSignatures || w.over {
			// Each signature digests its target: many signatures over one
			// large element would cost quadratic time.
			r := Result{Kind: KindNotChecked, Element: d.Path(n), Target: xmltree.None}
			r.add(ProbNotChecked, fmt.Sprintf("not checked: the document asks for too much work (over %d signatures or %d bytes to digest)", MaxSignatures, w.budget()),
				"Подпись не проверена: документ требует слишком много работы (слишком много подписей или ссылок на большие части)")
			out = append(out, r)
			continue
		}
		checked++
		out = append(out, verifyOne(d, n, ids, opt, at, w))
	}
	return out
}

// DigestBudget is the default bound on the bytes digested for a document of
// size bytes: four times its size (each signature of an envelope digests a
// part of it once), and at least 1 MiB.
func DigestBudget(size int) int64 { return max(4*int64(size), 1<<20) }

// signatureContainers are the elements that hold an SMEV signature.
var signatureContainers = map[string]bool{
	"SMEVSignature": true, "CallerInformationSystemSignature": true,
	"SenderInformationSystemSignature": true, "PersonalSignature": true,
}

// inPosition reports whether a ds:Signature stands where a signature is
// checked: in an SMEV signature container, as a child of the document
// element (an enveloped signature of a file), as the document itself, or
// enveloped in the element its Reference names by Id (XMLDSig's own form).
func inPosition(d *xmltree.Doc, sig int32) bool {
	parent := d.Nodes[sig].Parent
	if sig == d.Root || parent == d.Root {
		return true
	}
	if parent == xmltree.None {
		return false
	}
	if signatureContainers[string(d.Nodes[parent].Local)] && strings.HasPrefix(string(d.Nodes[parent].URI), "urn://x-artefacts-smev-gov-ru/") {
		return true
	}
	uri := firstReferenceURI(d, sig)
	if !strings.HasPrefix(uri, "#") {
		return false
	}
	for _, a := range d.Attributes(parent) {
		if IDAttr(&a) && string(a.Value) == uri[1:] {
			return true
		}
	}
	return false
}

// firstReferenceURI is the URI of the first Reference of a ds:Signature.
func firstReferenceURI(d *xmltree.Doc, sig int32) string {
	for _, si := range childElems(d, sig) {
		if !d.Is(si, DSigNS, "SignedInfo") {
			continue
		}
		for _, ref := range childElems(d, si) {
			if d.Is(ref, DSigNS, "Reference") {
				uri, _ := d.Attr(ref, "", "URI")
				return uri
			}
		}
	}
	return ""
}

// work counts the bytes digested for one document against its budget.
type work struct {
	left, spent int64
	over        bool
}

func (w *work) budget() int64 { return w.left + w.spent }

// writer wraps h: bytes past the budget are dropped and the work is over.
func (w *work) writer(h hash.Hash) io.Writer { return &budgetWriter{h: h, w: w} }

type budgetWriter struct {
	h hash.Hash
	w *work
}

func (b *budgetWriter) Write(p []byte) (int, error) {
	if b.w.over {
		return len(p), nil
	}
	if int64(len(p)) > b.w.left {
		b.w.over, b.w.spent, b.w.left = true, b.w.spent+b.w.left, 0
		return len(p), nil
	}
	b.w.left -= int64(len(p))
	b.w.spent += int64(len(p))
	return b.h.Write(p)
}

// Bounds on the work one document may ask for.
const (
	MaxSignatures = 32 // ds:Signature elements checked per document
	MaxReferences = 8  // References per ds:Signature
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

// childElems returns the element children of n.
func childElems(d *xmltree.Doc, n int32) []int32 {
	var out []int32
	for c := d.Nodes[n].FirstChild; c != xmltree.None; c = d.Nodes[c].Next {
		if d.Nodes[c].Kind == xmltree.Element {
			out = append(out, c)
		}
	}
	return out
}

// textOf returns the concatenated text children of n.
func textOf(d *xmltree.Doc, n int32) string {
	var b []byte
	for c := d.Nodes[n].FirstChild; c != xmltree.None; c = d.Nodes[c].Next {
		if d.Nodes[c].Kind == xmltree.Text {
			b = append(b, d.Nodes[c].Data...)
		}
	}
	return string(b)
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

func verifyOne(d *xmltree.Doc, sig int32, ids map[string][]int32, opt *VerifyOptions, at time.Time, w *work) Result {
	r := Result{Target: xmltree.None}
	r.ID, _ = d.Attr(sig, "", "Id")
	container := d.Nodes[sig].Parent
	if container != xmltree.None {
		r.Container = string(d.Nodes[container].Local)
	}
	switch r.Container {
	case "SMEVSignature":
		r.Kind = KindSMEV
	case "CallerInformationSystemSignature", "SenderInformationSystemSignature":
		r.Kind = KindSystem
	case "PersonalSignature":
		r.Kind = KindPersonal
	default:
		r.Kind = KindDetached
	}

	kids := childElems(d, sig)
	if len(kids) < 2 || !d.Is(kids[0], DSigNS, "SignedInfo") || !d.Is(kids[1], DSigNS, "SignatureValue") {
		r.add(ProbMalformed, "ds:Signature must start with SignedInfo and SignatureValue", "Подпись повреждена: нет SignedInfo или SignatureValue")
		return r
	}
	si, sv := kids[0], kids[1]
	certDER, extra := keyInfoCerts(d, kids[2:], &r)

	// SignedInfo.
	siKids := childElems(d, si)
	if len(siKids) < 3 || !d.Is(siKids[0], DSigNS, "CanonicalizationMethod") || !d.Is(siKids[1], DSigNS, "SignatureMethod") {
		r.add(ProbMalformed, "SignedInfo must hold CanonicalizationMethod, SignatureMethod and References", "Подпись повреждена: неполный SignedInfo")
		return r
	}
	c14nAlg, _ := d.Attr(siKids[0], "", "Algorithm")
	r.SignatureAlgorithm, _ = d.Attr(siKids[1], "", "Algorithm")
	var refs []reference
	for _, k := range siKids[2:] {
		if !d.Is(k, DSigNS, "Reference") {
			r.add(ProbMalformed, "unexpected element in SignedInfo", "Подпись повреждена: лишний элемент в SignedInfo")
			return r
		}
		ref, ok := parseReference(d, k)
		if !ok {
			r.add(ProbMalformed, "malformed Reference", "Подпись повреждена: неверный элемент Reference")
			return r
		}
		refs = append(refs, ref)
	}
	if len(refs) > MaxReferences {
		r.add(ProbUnsupported, fmt.Sprintf("more than %d References", MaxReferences), "Подпись содержит слишком много ссылок Reference")
		return r
	}
	if len(refs) == 0 {
		r.add(ProbMalformed, "no Reference", "Подпись ничего не подписывает: нет Reference")
		return r
	}
	if r.Kind != KindDetached && r.Kind != KindEnveloped && len(refs) != 1 {
		r.add(ProbProfile, "an SMEV signature must have exactly one Reference", "Подпись СМЭВ должна иметь ровно одну ссылку Reference")
	}

	// References.
	r.Reference = refs[0].uri
	r.DigestAlgorithm = refs[0].digestAlg
	r.Transforms = refs[0].transforms
	r.DigestOK = true
	for i, ref := range refs {
		if ch, ok := parseChain(ref.transforms); ok && ch.enveloped && r.Kind == KindDetached {
			r.Kind = KindEnveloped
		}
		if !checkReference(d, sig, container, ref, ids, opt, &r, i == 0, w) {
			r.DigestOK = false
		}
		if w.over {
			return r
		}
	}
	if r.Kind == KindSMEV || r.Kind == KindSystem || r.Kind == KindPersonal {
		if len(refs[0].transforms) != 2 || refs[0].transforms[0] != ExcC14NURI || refs[0].transforms[1] != SMEVTransformURI || c14nAlg != ExcC14NURI {
			r.add(ProbProfile, "SMEV requires exc-c14n then urn://smev-gov-ru/xmldsig/transform and exc-c14n SignedInfo",
				"СМЭВ требует преобразования exc-c14n и urn://smev-gov-ru/xmldsig/transform")
		}
	}

	// Certificate.
	var cert *x509.Certificate
	if certDER == nil {
		r.add(ProbCertificate, "no X509Certificate in KeyInfo", "В подписи нет сертификата")
	} else if c, err := x509.ParseCertificate(certDER); err != nil {
		r.add(ProbCertificate, "certificate cannot be read: "+err.Error(), "Сертификат в подписи не читается")
	} else {
		cert = c
		r.Certificates = append([]*x509.Certificate{c}, extra...)
		r.Certificate = NewCertInfo(c, at)
		if r.Certificate.Expired {
			r.add(ProbCertificate, "certificate expired "+c.NotAfter.UTC().Format(time.RFC3339), "Срок действия сертификата истёк "+c.NotAfter.Format("02.01.2006"))
		} else if r.Certificate.NotYet {
			r.add(ProbCertificate, "certificate not valid before "+c.NotBefore.UTC().Format(time.RFC3339), "Сертификат ещё не действует (с "+c.NotBefore.Format("02.01.2006")+")")
		}
	}

	// SignatureValue over the canonical SignedInfo.
	sigVal, err := decodeB64(textOf(d, sv))
	if err != nil {
		r.add(ProbMalformed, "SignatureValue is not base64", "Значение подписи повреждено")
		return r
	}
	var copt c14n.Options
	switch c14nAlg {
	case ExcC14NURI:
	case ExcC14NCommentsURI:
		copt.WithComments = true
	case c14n.InclusiveURI:
		copt.Inclusive = true
	case c14n.InclusiveWithCommentsURI:
		copt.Inclusive, copt.WithComments = true, true
	default:
		r.add(ProbUnsupported, "unsupported CanonicalizationMethod "+c14nAlg, "Неподдерживаемый метод канонизации "+c14nAlg)
		return r
	}
	if inc := siKids[0]; d.Nodes[inc].FirstChild != xmltree.None {
		copt.InclusivePrefixes = inclusivePrefixes(d, inc)
	}
	h, ch := verifySigHash(r.SignatureAlgorithm)
	if h == nil {
		r.add(ProbUnsupported, "unsupported SignatureMethod "+r.SignatureAlgorithm, "Неподдерживаемый алгоритм подписи "+r.SignatureAlgorithm)
		return r
	}
	if cert == nil {
		return r
	}
	c14n.Exclusive(w.writer(h), d, si, &copt)
	if w.over {
		r.add(ProbNotChecked, "not checked: the document asks for too much work", "Подпись не проверена: документ требует слишком много работы")
		return r
	}
	digest := h.Sum(nil)
	ok, err := verifyValue(cert, r.SignatureAlgorithm, ch, digest, sigVal)
	if err != nil {
		r.add(ProbUnsupported, err.Error(), "Не удалось проверить подпись: "+err.Error())
		return r
	}
	r.SignatureOK = ok
	if !ok {
		r.add(ProbSignature, "signature value does not verify (SignedInfo changed or wrong key)",
			"Значение подписи неверно: SignedInfo изменён или подпись сделана другим ключом")
	}
	return r
}

func inclusivePrefixes(d *xmltree.Doc, n int32) []string {
	for _, c := range childElems(d, n) {
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
	kids := childElems(d, ref)
	i := 0
	if i < len(kids) && d.Is(kids[i], DSigNS, "Transforms") {
		for _, t := range childElems(d, kids[i]) {
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
	v, err := decodeB64(textOf(d, kids[i+1]))
	if err != nil {
		return r, false
	}
	r.digest = v
	return r, true
}

// checkReference resolves and digests one Reference; false when the digest
// is not confirmed.
func checkReference(d *xmltree.Doc, sig, container int32, ref reference, ids map[string][]int32, opt *VerifyOptions, r *Result, first bool, w *work) bool {
	var target int32
	switch {
	case ref.uri == "":
		target = d.Root
	case strings.HasPrefix(ref.uri, "#") && len(ref.uri) > 1 && !strings.Contains(ref.uri, "("):
		els := ids[ref.uri[1:]]
		switch len(els) {
		case 0:
			r.add(ProbNoTarget, "no element with Id "+ref.uri[1:], "В документе нет подписанного элемента с Id "+ref.uri[1:])
			return false
		case 1:
			target = els[0]
		default:
			r.add(ProbWrapping, fmt.Sprintf("%d elements carry Id %s (signature wrapping)", len(els), ref.uri[1:]),
				fmt.Sprintf("Id %s встречается %d раз: документ подделан (signature wrapping)", ref.uri[1:], len(els)))
			return false
		}
	default:
		r.add(ProbUnsupported, "only same-document references (#Id) are accepted: "+ref.uri, "Подпись ссылается на внешний ресурс: такие ссылки не проверяются")
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
		for _, x := range childElems(d, k) {
			if !d.Is(x, DSigNS, "X509Data") {
				continue
			}
			for _, c := range childElems(d, x) {
				if !d.Is(c, DSigNS, "X509Certificate") || n >= MaxKeyInfoCerts {
					continue
				}
				n++
				b, err := decodeB64(textOf(d, c))
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
