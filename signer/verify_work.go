package signer

import (
	"hash"
	"io"
	"strings"

	"github.com/mezhved/mezhved/internal/xmltree"
)

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
	for _, si := range d.ChildElements(sig) {
		if !d.Is(si, DSigNS, "SignedInfo") {
			continue
		}
		for _, ref := range d.ChildElements(si) {
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
