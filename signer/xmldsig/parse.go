package xmldsig

import (
	"io"

	"github.com/beevik/etree"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
)

// MaxDocument bounds the documents this package reads: the size limit of
// internal/xmltree's DefaultLimits (SMEV itself takes at most 5 MB of XML).
const MaxDocument = 32 << 20

// ReadDocument reads at most MaxDocument bytes from r.
func ReadDocument(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxDocument+1))
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "xmldsig.ReadDocument", "Не удалось прочитать документ")
	}
	if len(b) > MaxDocument {
		return nil, domain.Errorf(domain.EINVALID, "Документ слишком велик (больше %d МБ)", MaxDocument>>20)
	}
	return b, nil
}

// Parse reads an XML document with the strict reader of internal/xmltree
// (no DOCTYPE, no entities but the five predefined ones, no duplicate
// attributes, namespaces checked, sizes bounded; attribute values
// normalized as XML requires) and returns it as an etree document, the
// form goxmldsig works on. etree itself never reads the input.
func Parse(data []byte) (*etree.Document, error) {
	d, err := parseTree(data)
	if err != nil {
		return nil, err
	}
	return toEtree(d), nil
}

// parseTree reads a document with the strict reader; its error is coded.
func parseTree(data []byte) (*xmltree.Doc, error) {
	d, err := xmltree.Parse(data)
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "xmldsig.Parse", xmltree.Problem(err))
	}
	return d, nil
}

// toEtree builds the etree form of a parsed document: elements with their
// names as written, namespace declarations as xmlns attributes (first),
// attributes, text, comments and processing instructions.
func toEtree(d *xmltree.Doc) *etree.Document {
	doc := etree.NewDocument()
	for _, t := range d.Top {
		addNode(&doc.Element, d, t)
	}
	return doc
}

func addNode(parent *etree.Element, d *xmltree.Doc, n int32) {
	nd := &d.Nodes[n]
	switch nd.Kind {
	case xmltree.Text:
		parent.CreateText(string(nd.Data))
	case xmltree.Comment:
		parent.CreateComment(string(nd.Data))
	case xmltree.ProcInst:
		parent.CreateProcInst(string(nd.Local), string(nd.Data))
	case xmltree.Element:
		el := parent.CreateElement(xmltree.QName(nd.Prefix, nd.Local))
		for _, ns := range d.Decls(n) {
			el.CreateAttr(ns.Name(), string(ns.URI))
		}
		for _, a := range d.Attributes(n) {
			el.CreateAttr(xmltree.QName(a.Prefix, a.Local), string(a.Value))
		}
		for c := nd.FirstChild; c != xmltree.None; c = d.Nodes[c].Next {
			addNode(el, d, c)
		}
	}
}
