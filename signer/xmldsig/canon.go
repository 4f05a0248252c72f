package xmldsig

import (
	"bytes"

	"github.com/beevik/etree"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer/c14n"
	dsig "github.com/russellhaering/goxmldsig"
)

// Canonicalizer is Exclusive XML Canonicalization 1.0 without comments
// (http://www.w3.org/2001/10/xml-exc-c14n#) for goxmldsig, which calls it
// with the element to digest and with the SignedInfo it builds. It
// canonicalizes through signer/c14n over an internal/xmltree tree, the code
// of the SMEV profile: an etree element is written out (with the escaping
// of internal/xmltree) together with the namespaces in scope from its
// ancestors, read back by the strict reader and canonicalized there. The
// tree is never changed.
type Canonicalizer struct {
	// InclusivePrefixes is the InclusiveNamespaces PrefixList ("#default"
	// for the default namespace).
	InclusivePrefixes []string
	// WholeDocument canonicalizes the document an element is the root of
	// (a Reference URI=""): processing instructions outside the root
	// element are part of the output then.
	WholeDocument bool

	// bound, when set, stands for node of doc: Sign hands goxmldsig an
	// element with the name, the Id and the namespaces of the element it
	// signs, whose content is canonicalized straight from the parsed input.
	bound *etree.Element
	doc   *xmltree.Doc
	node  int32
}

var _ dsig.Canonicalizer = (*Canonicalizer)(nil)

// Algorithm returns the exclusive c14n URI.
func (c *Canonicalizer) Algorithm() dsig.AlgorithmID {
	return dsig.CanonicalXML10ExclusiveAlgorithmId
}

// Canonicalize returns the canonical form of el.
func (c *Canonicalizer) Canonicalize(el *etree.Element) ([]byte, error) {
	d, n, whole := c.doc, c.node, c.WholeDocument
	if c.bound == nil || el != c.bound {
		var err error
		if d, n, whole, err = readBack(el, c.WholeDocument); err != nil {
			return nil, err
		}
	}
	opt := &c14n.Options{InclusivePrefixes: c.InclusivePrefixes}
	if !whole || n != d.Root {
		return c14n.ExclusiveBytes(d, n, opt), nil
	}
	var buf bytes.Buffer
	if err := c14n.Document(&buf, d, opt); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// readBack writes el (its whole document when whole and el is the root of
// one) and reads it with the strict reader; whole reports whether the
// result is a whole document.
func readBack(el *etree.Element, whole bool) (*xmltree.Doc, int32, bool, error) {
	var b []byte
	var err error
	if doc := el.Parent(); whole && doc != nil && doc.Parent() == nil && doc.Tag == "" {
		for _, t := range doc.Child {
			if b, err = appendToken(b, t, false); err != nil {
				return nil, 0, false, err
			}
		}
	} else {
		whole = false
		if b, err = appendElement(b, el, inherited(el)); err != nil {
			return nil, 0, false, err
		}
	}
	d, err := xmltree.Parse(b)
	if err != nil {
		return nil, 0, false, domain.Wrap(err, domain.EINVALID, "xmldsig.Canonicalize", xmltree.Problem(err))
	}
	return d, d.Root, whole, nil
}

// inherited returns the namespace declarations in scope at el from its
// ancestors (the nearest of each prefix) that el does not make itself.
func inherited(el *etree.Element) []etree.Attr {
	var out []etree.Attr
	seen := map[string]bool{}
	for e := el; e != nil; e = e.Parent() {
		for _, a := range e.Attr {
			prefix, ok := declared(a)
			if !ok || seen[prefix] {
				continue
			}
			seen[prefix] = true
			if e != el {
				out = append(out, a)
			}
		}
	}
	return out
}

// declared reports whether a is a namespace declaration, and of which
// prefix ("" the default namespace).
func declared(a etree.Attr) (string, bool) {
	switch {
	case a.Space == "xmlns":
		return a.Key, true
	case a.Space == "" && a.Key == "xmlns":
		return "", true
	}
	return "", false
}
