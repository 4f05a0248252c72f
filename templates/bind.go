package templates

import (
	"crypto/sha1"
	"encoding/xml"
	"fmt"
	"sort"
	"strings"

	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/templates/xsd"
	"github.com/mezhved/mezhved/validate"
)

// bindSchema finds, for every field that alone fills an element's text or
// an attribute's value, the schema's simple type of that place: the value
// is then checked against the schema's patterns, lengths and enumerations
// under the field's own label, a text field without maxlen takes the
// schema's, and a choice field without options takes the enumeration with
// the Russian meanings from xs:documentation.
func (t *Template) bindSchema() error {
	t.bound = map[string][]*xsd.SimpleType{}
	if t.schema != nil {
		if root := t.schema.Root(xml.Name{Space: t.body.space, Local: t.body.local}); root != nil {
			t.bindNode(t.body, root)
		}
	}
	for i := range t.Fields {
		f := &t.Fields[i]
		types := t.bound[f.Name]
		if f.Type == "text" && f.MaxLen == 0 {
			for _, st := range types {
				if n := st.MaxLength(); n > 0 && (f.MaxLen == 0 || n < f.MaxLen) {
					f.MaxLen = n
				}
			}
		}
		if f.Type == "choice" && len(f.Options) == 0 {
			for _, st := range types {
				for _, v := range st.EnumValues() {
					label := st.EnumDocs[v]
					if label == "" {
						label = v
					}
					f.Options = append(f.Options, Option{Value: v, Label: label})
				}
				break
			}
			if len(f.Options) == 0 {
				return bad("поле %s: у выбора нет вариантов ни в карточке, ни в схеме", f.Name)
			}
		}
	}
	return nil
}

// fieldOf returns the field s is exactly a placeholder of ("{{name}}").
func fieldOf(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "{{") || !strings.HasSuffix(s, "}}") || strings.Count(s, "{{") != 1 {
		return ""
	}
	return strings.TrimSpace(s[2 : len(s)-2])
}

func (t *Template) bindNode(b *bnode, el *xsd.Element) {
	if el.Simple != nil {
		if len(b.kids) == 1 && b.kids[0].name == "" {
			if f := fieldOf(b.kids[0].text); f != "" {
				t.bound[f] = append(t.bound[f], el.Simple)
			}
		}
		return
	}
	ct := el.Complex
	for _, a := range b.attrs {
		if a.local == "" {
			continue
		}
		f := fieldOf(a.value)
		if f == "" {
			continue
		}
		for _, ad := range ct.Attrs {
			if ad.Name == (xml.Name{Space: a.space, Local: a.local}) {
				t.bound[f] = append(t.bound[f], ad.Type)
			}
		}
	}
	for _, k := range b.kids {
		if k.name == "" || ct.Content == nil {
			continue
		}
		if d := findElement(ct.Content, xml.Name{Space: k.space, Local: k.local}); d != nil {
			t.bindNode(k, d)
		}
	}
}

// findElement returns the declaration of the element name in a content
// model (the first: XSD requires every declaration of one name in a
// content model to have the same type).
func findElement(p *xsd.Particle, name xml.Name) *xsd.Element {
	switch p.Kind {
	case xsd.PElement:
		if p.Elem.Name == name {
			return p.Elem
		}
	case xsd.PSequence, xsd.PChoice:
		for _, k := range p.Kids {
			if e := findElement(k, name); e != nil {
				return e
			}
		}
	}
	return nil
}

// checkBound checks the canonical values against the schema types of the
// places they fill.
func (t *Template) checkBound(canon map[string]string) validate.Problems {
	var ps validate.Problems
	for i := range t.Fields {
		f := &t.Fields[i]
		v, ok := canon[f.Name]
		if !ok {
			continue
		}
		for _, st := range t.bound[f.Name] {
			if msg := st.Check(v); msg != "" {
				ps = append(ps, validate.Problem{Field: f.Name, Label: f.Label, Message: "по схеме вида сведений: " + msg})
				break
			}
		}
	}
	return ps
}

// readRules reads <rules>: <one-of fields="a b">message</one-of>.
func (t *Template) readRules(d *xmltree.Doc, root int32) error {
	r, err := one(d, root, "rules", false)
	if err != nil || r == xmltree.None {
		return err
	}
	for _, k := range d.ChildElements(r) {
		if string(d.Nodes[k].Local) != "one-of" {
			return bad("в <rules> ожидаются <one-of>")
		}
		g := OneOf{Fields: strings.Fields(attr(d, k, "fields")), Message: text(d, k)}
		if len(g.Fields) < 2 || g.Message == "" {
			return bad("<one-of>: нужны не меньше двух полей и пояснение")
		}
		for _, name := range g.Fields {
			if f := t.Field(name); f == nil || f.Required {
				return bad("<one-of>: поле %s не найдено или обязательное", name)
			}
		}
		t.OneOf = append(t.OneOf, g)
	}
	return nil
}

// checkOneOf returns a problem for each group with none or several of its
// fields filled.
func (t *Template) checkOneOf(canon map[string]string) validate.Problems {
	var ps validate.Problems
	for _, g := range t.OneOf {
		n := 0
		for _, f := range g.Fields {
			if canon[f] != "" {
				n++
			}
		}
		if n != 1 {
			f := t.Field(g.Fields[0])
			ps = append(ps, validate.Problem{Field: f.Name, Label: f.Label, Message: g.Message})
		}
	}
	return ps
}

// requestID derives the identifier of a request from the card, the values
// and the day, as a name-based UUID (RFC 9562 version 5 layout).
func (t *Template) requestID(canon map[string]string) string {
	keys := make([]string, 0, len(canon))
	for k := range canon {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha1.New()
	fmt.Fprintf(h, "%s\x00%d\x00", t.ID, t.Version)
	for _, k := range keys {
		fmt.Fprintf(h, "%s\x00%s\x00", k, canon[k])
	}
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
