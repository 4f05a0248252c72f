package xmldsig

import (
	"bytes"
	"io"
	"strings"

	"github.com/beevik/etree"
	"github.com/mezhved/mezhved/domain"
)

// MaxDocument bounds the documents this package reads (SMEV itself takes
// at most 5 MB of XML; signer/xmltree allows 32 MB too).
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

// Parse reads an XML document for signing or verification. It refuses a
// DOCTYPE, entity declarations and any other "<!" declaration before the
// parser sees them (nothing is expanded or fetched), refuses entity
// references other than the five predefined ones, duplicate attributes and
// more than one root element, and normalizes literal tab, CR and LF in
// attribute values to spaces as the XML specification requires (Go's
// encoding/xml keeps them, which would break canonical forms).
func Parse(data []byte) (*etree.Document, error) {
	d, _, err := parse(data, false)
	return d, err
}

// span is where an element ends in the input: the offset of its end tag
// "</", or of "/>" for an empty-element tag.
type span struct {
	end         int
	selfClosing bool
}

// parse is Parse that can also return the spans of the elements in
// document order (the order of an etree pre-order walk).
func parse(data []byte, wantSpans bool) (*etree.Document, []span, error) {
	if len(data) > MaxDocument {
		return nil, nil, domain.Errorf(domain.EINVALID, "Документ слишком велик (больше %d МБ)", MaxDocument>>20)
	}
	data, spans, err := prescan(data, wantSpans)
	if err != nil {
		return nil, nil, err
	}
	doc := etree.NewDocument()
	doc.ReadSettings.PreserveDuplicateAttrs = true
	if err := doc.ReadFromBytes(data); err != nil {
		return nil, nil, domain.Wrap(err, domain.EINVALID, "xmldsig.Parse", "Документ не является корректным XML")
	}
	roots := 0
	for _, t := range doc.Child {
		switch t := t.(type) {
		case *etree.Element:
			roots++
		case *etree.CharData:
			if strings.Trim(t.Data, " \t\r\n") != "" {
				return nil, nil, domain.Errorf(domain.EINVALID, "Документ не является корректным XML: текст вне корневого элемента")
			}
		case *etree.Directive:
			return nil, nil, errDoctype()
		}
	}
	if roots != 1 {
		return nil, nil, domain.Errorf(domain.EINVALID, "Документ не является корректным XML: нужен ровно один корневой элемент")
	}
	if err := checkAttrs(doc.Root()); err != nil {
		return nil, nil, err
	}
	return doc, spans, nil
}

func errDoctype() error {
	return domain.Errorf(domain.EINVALID, "Документ содержит DOCTYPE или объявления сущностей: такие документы не принимаются")
}

// Limits that keep canonicalization linear on hostile input: attributes
// (namespace declarations included) on one element, and namespace
// declarations in scope along one chain of ancestors.
const (
	MaxAttrs      = 256
	MaxScopeDecls = 128
)

// checkAttrs refuses duplicate attributes (a well-formedness error that
// encoding/xml lets through), two attributes with the same expanded name
// under different prefixes (Namespaces in XML, 6.3: libxml2 only warns, and
// canonical forms then depend on the prefixes), and elements beyond
// MaxAttrs / MaxScopeDecls.
func checkAttrs(root *etree.Element) error {
	var seen map[[2]string]bool
	var scope []nsBinding
	var walk func(el *etree.Element) error
	walk = func(el *etree.Element) error {
		a := el.Attr
		if len(a) > MaxAttrs {
			return domain.Errorf(domain.EINVALID, "В документе элемент %s с числом атрибутов больше %d: такие документы не принимаются", el.FullTag(), MaxAttrs)
		}
		mark := len(scope)
		scope = appendDecls(scope, el)
		if len(scope) > MaxScopeDecls {
			return domain.Errorf(domain.EINVALID, "В документе больше %d объявлений пространств имён в одной ветви: такие документы не принимаются", MaxScopeDecls)
		}
		// Expanded names: a prefix stands for its URI; xmlns declarations
		// keep their prefix (they are not attributes in the namespace sense).
		key := func(x etree.Attr) [2]string {
			if x.Space == "" || x.Space == "xmlns" {
				return [2]string{x.Space, x.Key}
			}
			if x.Space == "xml" {
				return [2]string{xmlNamespace, x.Key}
			}
			if uri, ok := lookup(scope, x.Space); ok {
				return [2]string{"{" + uri, x.Key}
			}
			return [2]string{x.Space, x.Key} // unbound: canonicalization reports it
		}
		if len(a) <= 16 {
			for i := range a {
				for j := i + 1; j < len(a); j++ {
					if a[i].Key == a[j].Key && key(a[i]) == key(a[j]) {
						return errDupAttr(a[j])
					}
				}
			}
		} else {
			if seen == nil {
				seen = make(map[[2]string]bool, len(a))
			}
			clear(seen)
			for _, x := range a {
				k := key(x)
				if seen[k] {
					return errDupAttr(x)
				}
				seen[k] = true
			}
		}
		for _, c := range el.Child {
			if e, ok := c.(*etree.Element); ok {
				if err := walk(e); err != nil {
					return err
				}
			}
		}
		scope = scope[:mark]
		return nil
	}
	return walk(root)
}

func errDupAttr(a etree.Attr) error {
	return domain.Errorf(domain.EINVALID, "Документ не является корректным XML: атрибут %s повторяется", a.FullKey())
}

// prescan walks the markup once: it refuses "<!" declarations (DOCTYPE,
// ENTITY, ...) outside comments and CDATA, and replaces literal whitespace
// in attribute values by spaces (CRLF counts as one). It copies the input
// only when something changes.
func prescan(data []byte, wantSpans bool) ([]byte, []span, error) {
	var out []byte // nil until the first change
	last := 0      // data[last:] not yet copied to out
	var spans []span
	var open []int // indexes into spans of the elements not yet closed
	malformed := func() error {
		return domain.Errorf(domain.EINVALID, "Документ не является корректным XML: незакрытая разметка")
	}
	for i := 0; i < len(data); {
		j := bytes.IndexByte(data[i:], '<')
		if j < 0 {
			break
		}
		i += j
		rest := data[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			k := bytes.Index(rest[4:], []byte("-->"))
			if k < 0 {
				return nil, nil, malformed()
			}
			i += 4 + k + 3
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			k := bytes.Index(rest[9:], []byte("]]>"))
			if k < 0 {
				return nil, nil, malformed()
			}
			i += 9 + k + 3
		case bytes.HasPrefix(rest, []byte("<!")):
			return nil, nil, errDoctype()
		case bytes.HasPrefix(rest, []byte("<?")):
			k := bytes.Index(rest[2:], []byte("?>"))
			if k < 0 {
				return nil, nil, malformed()
			}
			i += 2 + k + 2
		default: // start or end tag
			var quote byte
			k := i + 1
			for ; k < len(data); k++ {
				c := data[k]
				if quote != 0 {
					if c == quote {
						quote = 0
					} else if c == '\t' || c == '\n' || c == '\r' {
						if out == nil {
							out = make([]byte, 0, len(data))
						}
						out = append(out, data[last:k]...)
						out = append(out, ' ')
						if c == '\r' && k+1 < len(data) && data[k+1] == '\n' {
							k++
						}
						last = k + 1
					}
					continue
				}
				if c == '"' || c == '\'' {
					quote = c
				} else if c == '>' {
					break
				}
			}
			if k >= len(data) {
				return nil, nil, malformed()
			}
			if wantSpans {
				switch {
				case rest[1] == '/':
					if len(open) == 0 {
						return nil, nil, malformed()
					}
					spans[open[len(open)-1]].end = i
					open = open[:len(open)-1]
				case data[k-1] == '/':
					spans = append(spans, span{end: k - 1, selfClosing: true})
				default:
					open = append(open, len(spans))
					spans = append(spans, span{})
				}
			}
			i = k + 1
		}
	}
	if out == nil {
		return data, spans, nil
	}
	return append(out, data[last:]...), spans, nil
}
