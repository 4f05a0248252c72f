package signer

import (
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
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
	return domain.Wrap(err, domain.EINVALID, "signer.parse", xmltree.Problem(err))
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

// Bounds on the work one document may ask for.
const (
	MaxSignatures = 32 // ds:Signature elements checked per document
	MaxReferences = 8  // References per ds:Signature
)
