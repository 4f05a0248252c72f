package xmldsig

import (
	"io"

	"github.com/beevik/etree"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
)

// The etree trees of this package are written here, not by etree: with the
// escaping of internal/xmltree, the one signer/c14n writes, so that what is
// written reads back as the same values (TAB, LF and CR in attribute values
// and CR in text as character references) and canonicalizes as it was
// signed.

// WriteDocument serializes a document (one from Parse, or signed by
// SignDocument) so that a conforming parser reads back the same values.
func WriteDocument(w io.Writer, d *etree.Document) error {
	var b []byte
	var err error
	for _, t := range d.Child {
		if b, err = appendToken(b, t, true); err != nil {
			return err
		}
	}
	if _, err := w.Write(b); err != nil {
		return domain.Wrap(err, domain.EUNAVAILABLE, "xmldsig.WriteDocument", "Не удалось записать подписанный документ")
	}
	return nil
}

// appendElement appends el as XML. extra are namespace declarations
// written first on its start tag (those in scope from its ancestors, when
// el is written on its own).
func appendElement(b []byte, el *etree.Element, extra []etree.Attr) ([]byte, error) {
	b = append(b, '<')
	b = appendName(b, el.Space, el.Tag)
	for _, attrs := range [][]etree.Attr{extra, el.Attr} {
		for _, a := range attrs {
			b = append(b, ' ')
			b = appendName(b, a.Space, a.Key)
			b = append(b, `="`...)
			b = xmltree.AppendAttr(b, a.Value)
			b = append(b, '"')
		}
	}
	b = append(b, '>')
	var err error
	for _, t := range el.Child {
		if b, err = appendToken(b, t, false); err != nil {
			return nil, err
		}
	}
	b = append(b, "</"...)
	b = appendName(b, el.Space, el.Tag)
	return append(b, '>'), nil
}

// appendToken appends one node; the XML declaration only when withDecl.
func appendToken(b []byte, t etree.Token, withDecl bool) ([]byte, error) {
	switch t := t.(type) {
	case *etree.Element:
		return appendElement(b, t, nil)
	case *etree.CharData:
		return xmltree.AppendText(b, t.Data), nil
	case *etree.Comment:
		b = append(b, "<!--"...)
		b = append(b, t.Data...)
		return append(b, "-->"...), nil
	case *etree.ProcInst:
		if t.Target == "xml" && !withDecl {
			return b, nil
		}
		b = append(b, "<?"...)
		b = append(b, t.Target...)
		if t.Inst != "" {
			b = append(b, ' ')
			b = append(b, t.Inst...)
		}
		return append(b, "?>"...), nil
	case *etree.Directive:
		return nil, domain.Errorf(domain.EINVALID, "Документ содержит DOCTYPE или объявления сущностей: такие документы не принимаются")
	}
	return b, nil
}

func appendName(b []byte, space, local string) []byte {
	if space != "" {
		b = append(b, space...)
		b = append(b, ':')
	}
	return append(b, local...)
}
