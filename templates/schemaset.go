package templates

import (
	"encoding/base64"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/templates/xsd"
)

// A card on a published schema names its schema set in <xsd set="…"
// main="…">: the folder of the kind of data and its version
// ("fns-egrul-vipul/4.0.6") and the main file in it. The files come from
// the card itself (<file path="…">base64</file>, how the region sends a
// card with its schema) or, when the card holds none, from the schema
// sets built into the program (templates/builtin/xsd, byte for byte as
// published).

var (
	reSet  = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}/[0-9][0-9.]{0,15}$`)
	rePath = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,100}(/[A-Za-z0-9_.-]{1,100}){0,4}$`)
)

// maxSchemaFiles bounds the files of a card's schema set.
const maxSchemaFiles = 32

// SchemaSet is the schema files of a card.
type SchemaSet struct {
	Set   string            `json:"set"`  // "fns-egrul-vipul/4.0.6"
	Main  string            `json:"main"` // the main file, relative to the set
	Files map[string][]byte `json:"-"`    // path in the set → content
}

// builtinSet returns the files of a schema set built into the program.
func builtinSet(set string) (map[string][]byte, bool) {
	root := "builtin/xsd/" + set
	files := map[string][]byte{}
	err := fs.WalkDir(builtinFS, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".xsd") {
			data, err := builtinFS.ReadFile(p)
			if err != nil {
				return err
			}
			files[strings.TrimPrefix(p, root+"/")] = data
		}
		return nil
	})
	return files, err == nil && len(files) > 0
}

// BuiltinSets lists the schema sets built into the program.
func BuiltinSets() []string {
	var out []string
	kinds, _ := fs.ReadDir(builtinFS, "builtin/xsd")
	for _, k := range kinds {
		versions, _ := fs.ReadDir(builtinFS, "builtin/xsd/"+k.Name())
		for _, v := range versions {
			out = append(out, k.Name()+"/"+v.Name())
		}
	}
	sort.Strings(out)
	return out
}

// readSchemaSet reads <xsd set main> with its optional <file> children
// and compiles the set.
func (t *Template) readSchemaSet(d *xmltree.Doc, n int32) error {
	set, main := strings.TrimSpace(attr(d, n, "set")), strings.TrimSpace(attr(d, n, "main"))
	if !reSet.MatchString(set) || !rePath.MatchString(main) || strings.Contains(main, "..") {
		return bad("<xsd set=%q main=%q>: ожидается папка вида «вид-сведений/версия» и путь главного файла", set, main)
	}
	files := map[string][]byte{}
	for _, f := range d.ChildElements(n) {
		p := strings.TrimSpace(attr(d, f, "path"))
		if string(d.Nodes[f].Local) != "file" || !rePath.MatchString(p) || strings.Contains(p, "..") {
			return bad("в <xsd> ожидаются <file path=\"…\"> с относительным путём")
		}
		if _, dup := files[p]; dup {
			return bad("файл схемы %s указан дважды", p)
		}
		data, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(d.Text(f)), ""))
		if err != nil || len(data) == 0 {
			return bad("файл схемы %s: содержимое не в base64", p)
		}
		files[p] = data
	}
	if len(files) > maxSchemaFiles {
		return bad("в наборе схем больше %d файлов", maxSchemaFiles)
	}
	if len(files) == 0 {
		var ok bool
		if files, ok = builtinSet(set); !ok {
			return bad("набора схем %s нет ни в карточке, ни в программе", set)
		}
	}
	sc, err := xsd.CompileSet(main, files)
	if err != nil {
		return bad("схема XSD %s не компилируется: %v", set, err)
	}
	t.schema, t.HasSchema = sc, true
	t.Schemas = &SchemaSet{Set: set, Main: main, Files: files}
	t.schemaXML = files[path.Clean(main)]
	return nil
}

// Packed returns the card's file with its schema files inside (base64),
// so it travels alone: what the region publishes. A card without a schema
// set is returned as read.
func (t *Template) Packed() []byte {
	if t.Schemas == nil || t.raw == nil {
		return t.raw
	}
	src := string(t.raw)
	open := strings.Index(src, "<xsd ")
	if open < 0 {
		return t.raw
	}
	end := strings.Index(src[open:], ">")
	tag := src[open : open+end+1]
	closeTag := "</xsd>"
	rest := src[open+end+1:]
	if strings.HasSuffix(tag, "/>") {
		tag = strings.TrimSuffix(tag, "/>") + ">"
	} else if i := strings.Index(rest, closeTag); i >= 0 {
		rest = rest[i+len(closeTag):]
	}
	var b strings.Builder
	b.WriteString(src[:open] + tag + "\n")
	paths := make([]string, 0, len(t.Schemas.Files))
	for p := range t.Schemas.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		b.WriteString(`    <file path="` + p + `">` + base64.StdEncoding.EncodeToString(t.Schemas.Files[p]) + "</file>\n")
	}
	b.WriteString("  " + closeTag + rest)
	return []byte(b.String())
}

// SchemaFiles returns the card's schema as files (path → content) and the
// main file's path: the published set, or the inline schema as
// "schema.xsd"; nil without a schema.
func (t *Template) SchemaFiles() (string, map[string][]byte) {
	switch {
	case t.Schemas != nil:
		return t.Schemas.Main, t.Schemas.Files
	case t.schemaXML != nil:
		return "schema.xsd", map[string][]byte{"schema.xsd": t.schemaXML}
	}
	return "", nil
}

// SchemaOf returns the compiled schema of the card (nil without one).
func (t *Template) SchemaOf() *xsd.Schema { return t.schema }
