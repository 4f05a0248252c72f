package templates

import (
	"encoding/xml"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/mezhved/mezhved/templates/xsd"
)

// A document of a published kind of data is shown to people under the
// Russian words of its schema: every element and attribute under the
// first line of its xs:documentation, a code under the documentation of
// its enumeration value, nested parts as sections. The schema is found by
// the document's own root element and namespace, among every schema the
// program knows (the cards, the imported cards, and every built-in schema
// set, older versions included): an answer to a request sent before a
// card was upgraded is shown with the schema of the version it was sent
// with, because the namespace names the version.

// Section is a titled group of data of a document: fields under labels,
// or, for a part that repeats with simple data only (the persons of a
// household, the payments of a year), a table: a column per datum, a row
// per occurrence.
type Section struct {
	Title   string     `json:"title"`
	Fields  []Labeled  `json:"fields"`
	Columns []string   `json:"columns,omitempty"`
	Rows    [][]string `json:"rows,omitempty"`
}

// Labeled is one datum under its Russian label.
type Labeled struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

var known = struct {
	sync.Mutex
	byRoot map[xml.Name]*xsd.Schema
	sets   bool
}{byRoot: map[xml.Name]*xsd.Schema{}}

// remember makes the schema of t known for Describe.
func remember(t *Template) {
	if t.schema == nil || t.Training {
		return
	}
	known.Lock()
	defer known.Unlock()
	for _, r := range []string{t.DataType.Root, strings.TrimSuffix(t.DataType.Root, "Request") + "Response"} {
		n := xml.Name{Space: t.DataType.Namespace, Local: r}
		if t.schema.Root(n) != nil {
			known.byRoot[n] = t.schema
		}
	}
}

// schemaFor finds the schema declaring the global element n.
func schemaFor(n xml.Name) *xsd.Schema {
	Builtin()
	known.Lock()
	defer known.Unlock()
	if s := known.byRoot[n]; s != nil || known.sets {
		return s
	}
	known.sets = true
	for _, set := range BuiltinSets() { // older versions without a card of their own
		files, _ := builtinSet(set)
		entries, _ := fs.ReadDir(builtinFS, "builtin/xsd/"+set)
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".xsd") {
				continue
			}
			if s, err := xsd.CompileSet(e.Name(), files); err == nil {
				for _, r := range s.Roots() {
					if known.byRoot[r] == nil {
						known.byRoot[r] = s
					}
				}
			}
		}
	}
	return known.byRoot[n]
}

// Describe returns the data of a document of a published kind of data in
// sections under the schema's Russian labels; nil when no schema of its
// kind is known or it is not well-formed.
func Describe(body []byte) []Section {
	d, err := parseXML(body)
	if err != nil {
		return nil
	}
	nd := &d.Nodes[d.Root]
	s := schemaFor(xml.Name{Space: string(nd.URI), Local: string(nd.Local)})
	if s == nil {
		return nil
	}
	root, _ := s.Check(body)
	if root == nil || root.Decl == nil {
		return nil
	}
	w := &describer{}
	w.node(root, label(root.Decl.Docs, root.Name.Local), true)
	return w.out
}

type describer struct{ out []Section }

func label(docs []string, fallback string) string {
	if len(docs) == 0 {
		if l := undocumented[fallback]; l != "" {
			return l
		}
		return fallback
	}
	l := docs[0]
	if r := []rune(l); len(r) > 150 {
		l = string(r[:150]) + "…"
	}
	return l
}

// node writes the simple data of n into a section titled title and each
// complex child as a section of its own (repeated ones numbered).
func (w *describer) node(n *Node, title string, top bool) {
	sec := Section{Title: title}
	for _, a := range n.Attrs {
		if a.Decl != nil {
			sec.Fields = append(sec.Fields, Labeled{Label: label(a.Decl.Docs, a.Name.Local), Value: show(a.Value, a.Decl.Type)})
		}
	}
	var nested []*Node
	count := map[xml.Name]int{}
	for _, k := range n.Kids {
		count[k.Name]++
		if k.Decl == nil {
			continue
		}
		if k.Decl.Simple != nil {
			sec.Fields = append(sec.Fields, Labeled{Label: label(k.Decl.Docs, k.Name.Local), Value: show(k.Text, k.Decl.Simple)})
		} else {
			nested = append(nested, k)
		}
	}
	if len(sec.Fields) > 0 || top {
		w.out = append(w.out, sec)
	}
	seen := map[xml.Name]int{}
	tabled := map[xml.Name]bool{}
	for _, k := range nested {
		seen[k.Name]++
		t := label(k.Decl.Docs, k.Name.Local)
		if count[k.Name] > 1 {
			if tabled[k.Name] {
				continue
			}
			if sec, ok := tableOf(nested, k.Name, t); ok {
				tabled[k.Name] = true
				w.out = append(w.out, sec)
				continue
			}
			t = fmt.Sprintf("%s (%d)", t, seen[k.Name])
		}
		w.node(k, t, false)
	}
}

// tableOf makes one table of the repeated elements named name when each
// holds simple data only: the columns are the data any of them has, in the
// order first met.
func tableOf(nested []*Node, name xml.Name, title string) (Section, bool) {
	sec := Section{Title: title}
	col := map[string]int{}
	var rows []map[int]string
	for _, k := range nested {
		if k.Name != name {
			continue
		}
		row := map[int]string{}
		add := func(l, v string) {
			i, ok := col[l]
			if !ok {
				i = len(sec.Columns)
				col[l] = i
				sec.Columns = append(sec.Columns, l)
			}
			row[i] = v
		}
		for _, a := range k.Attrs {
			if a.Decl != nil {
				add(label(a.Decl.Docs, a.Name.Local), show(a.Value, a.Decl.Type))
			}
		}
		for _, c := range k.Kids {
			if c.Decl == nil {
				continue
			}
			if c.Decl.Simple == nil {
				return Section{}, false // nested deeper: numbered sections read better
			}
			add(label(c.Decl.Docs, c.Name.Local), show(c.Text, c.Decl.Simple))
		}
		rows = append(rows, row)
	}
	if len(sec.Columns) == 0 {
		return Section{}, false
	}
	for _, r := range rows {
		cells := make([]string, len(sec.Columns))
		for i := range cells {
			cells[i] = r[i]
		}
		sec.Rows = append(sec.Rows, cells)
	}
	return sec, true
}

// show is a value as people read it: the meaning of a code, a date as
// ДД.ММ.ГГГГ.
func show(v string, t *xsd.SimpleType) string {
	v = strings.TrimSpace(v)
	if d := t.EnumDocs[v]; d != "" {
		return d + " (" + v + ")"
	}
	if d, err := time.Parse(time.DateOnly, v); err == nil {
		return d.Format("02.01.2006")
	}
	switch v {
	case "true":
		return "да"
	case "false":
		return "нет"
	}
	return v
}

// Node is a checked document's element with its declaration.
type Node = xsd.Node
