// Package templates holds the technological cards of interagency
// interaction (ТКМВ) as templates: what a request asks, of whom, with which
// fields, the XML body the fields fill, the channels and the answer term. It
// composes a request's business XML (the content of MessagePrimaryContent)
// from the values a clerk typed, listing every problem in Russian, and keeps
// a catalogue: the built-in templates plus those imported from the region.
// The file format is described in docs/TEMPLATES.md.
//
// Everything here is pure: the journal keeps drafts and applications, the
// transport sends what Compose returns.
package templates

import (
	"bytes"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/templates/xsd"
)

// NS is the namespace of the template attributes inside a body (t:if).
const NS = "urn://mezhved/template/1"

// MaxFileSize bounds a template file.
const MaxFileSize = 1 << 20

// Channel is a way a request may be sent.
type Channel string

const (
	SMEV    Channel = "smev"    // electronically through SMEV 3
	Fax     Channel = "fax"     // by fax, when SMEV is down or the provider is not connected
	Post    Channel = "post"    // on paper by post
	Courier Channel = "courier" // on paper by courier
)

// Provider is the authority that holds the data.
type Provider struct {
	Name   string `json:"name"`   // full name ("Федеральная служба государственной регистрации, кадастра и картографии")
	Short  string `json:"short"`  // short name ("Росреестр")
	SMEVID string `json:"smevId"` // its identifier as the recipient in SMEV 3 (the mnemonic of its system)
}

// DataType is the type of data (вид сведений) registered in SMEV 3: the
// namespace and the root element of the body identify it.
type DataType struct {
	Namespace string `json:"namespace"`
	Root      string `json:"root"`
	Version   string `json:"version"`
	Registry  string `json:"registry,omitempty"` // the number of the kind of data in the SMEV registry, when known
}

// Option is one allowed value of a "choice" field.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Field is one value of the form.
type Field struct {
	Name     string   `json:"name"`  // "applicant.snils"; see Prefill for the names filled from an application
	Label    string   `json:"label"` // what the clerk sees: "СНИЛС заявителя"
	Type     string   `json:"type"`  // one of FieldTypes
	Required bool     `json:"required"`
	MaxLen   int      `json:"maxLen,omitempty"` // for "text": the longest value, in characters
	Help     string   `json:"help,omitempty"`
	Example  string   `json:"example"` // a valid value, shown as a hint and used to test the template
	Options  []Option `json:"options,omitempty"`
}

// Template is one technological card. Its fields are read-only after Parse.
type Template struct {
	ID                string    `json:"id"`
	Version           int       `json:"version"`
	Title             string    `json:"title"`
	Training          bool      `json:"training"` // no public schema of the type of data was used: not for real requests
	Note              string    `json:"note,omitempty"`
	Services          []string  `json:"services"` // municipal services this request serves
	Provider          Provider  `json:"provider"`
	DataType          DataType  `json:"dataType"`
	Channels          []Channel `json:"channels"`
	TermDays          int       `json:"termDays"`          // answer term in working days
	PersonalSignature bool      `json:"personalSignature"` // the official's ЭП-СП is required
	// AnswersRoot makes the card an answer card: it composes the
	// settlement's answer to requests of the same type of data (namespace)
	// whose root element is AnswersRoot; the body is the answer.
	AnswersRoot string `json:"answersRoot,omitempty"`
	// AnswersTitle names the requests the card answers, for the journal
	// ("Выписка из похозяйственной книги"); the card's title when empty.
	AnswersTitle string  `json:"answersTitle,omitempty"`
	Fields       []Field `json:"fields"`
	HasSchema    bool    `json:"hasSchema"`
	Builtin      bool    `json:"builtin"`
	// Schemas is the published schema set of the kind of data (nil for a
	// card with an inline schema of its own or none).
	Schemas *SchemaSet `json:"schemas,omitempty"`
	// OneOf lists groups of fields of which exactly one must be filled
	// (the schema's xs:choice: ОГРН or ИНН).
	OneOf []OneOf `json:"oneOf,omitempty"`

	body      *bnode
	schema    *xsd.Schema
	schemaXML []byte
	raw       []byte
	bound     map[string][]*xsd.SimpleType // field → the schema types of the places it fills
}

// OneOf is a group of fields of which exactly one must be filled.
type OneOf struct {
	Fields  []string `json:"fields"`
	Message string   `json:"message"` // what the clerk reads when none or several are filled
}

// Field returns the field called name, or nil.
func (t *Template) Field(name string) *Field {
	for i := range t.Fields {
		if t.Fields[i].Name == name {
			return &t.Fields[i]
		}
	}
	return nil
}

// Schema returns the XSD of the body as a standalone document, or nil.
func (t *Template) Schema() []byte { return t.schemaXML }

var (
	reID        = regexp.MustCompile(`^[a-z][a-z0-9-]{1,63}$`)
	reFieldName = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)
	rePlace     = regexp.MustCompile(`\{\{([^{}]*)\}\}`)
)

// Parse reads and checks a template file fully: its structure, every field
// (type, label, a valid example), the body (one element in the type of
// data's namespace, every placeholder a field, optional fields only inside
// elements conditioned on them), the schema (compiled; the body composed
// from the examples must satisfy it). Any problem is an EINVALID error whose
// message names it in Russian.
func Parse(r io.Reader) (*Template, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "templates.Parse", "Файл шаблона не прочитан")
	}
	if len(data) > MaxFileSize {
		return nil, bad("файл больше %d КБ", MaxFileSize>>10)
	}
	d, err := parseXML(data)
	if err != nil {
		return nil, bad("это неправильный XML: %v", err)
	}
	t, err := fromTree(d)
	if err != nil {
		return nil, err
	}
	t.raw = data
	if err := t.bindSchema(); err != nil {
		return nil, err
	}
	if err := t.selfTest(); err != nil {
		return nil, err
	}
	return t, nil
}

func bad(format string, args ...any) error {
	return domain.Errorf(domain.EINVALID, "Шаблон не принят: "+format, args...)
}

// one returns the only child element of parent called name (in no
// namespace), or None; required says whether it must be there.
func one(d *xmltree.Doc, parent int32, name string, required bool) (int32, error) {
	found := xmltree.None
	for _, k := range d.ChildElements(parent) {
		if d.Is(k, "", name) {
			if found != xmltree.None {
				return xmltree.None, bad("элемент <%s> указан дважды", name)
			}
			found = k
		}
	}
	if found == xmltree.None && required {
		return xmltree.None, bad("нет элемента <%s>", name)
	}
	return found, nil
}

// onlyElement returns the one child element of n when n holds nothing else
// (comments and white space aside).
func onlyElement(d *xmltree.Doc, n int32) (int32, bool) {
	els := d.ChildElements(n)
	if len(els) != 1 || strings.TrimSpace(d.Text(n)) != "" {
		return xmltree.None, false
	}
	return els[0], true
}

// attr returns the unprefixed attribute name of n ("" when absent).
func attr(d *xmltree.Doc, n int32, name string) string {
	v, _ := d.Attr(n, "", name)
	return v
}

// text returns the character data of n, trimmed.
func text(d *xmltree.Doc, n int32) string { return strings.TrimSpace(d.Text(n)) }

func needAttr(d *xmltree.Doc, n int32, name string) (string, error) {
	v := strings.TrimSpace(attr(d, n, name))
	if v == "" {
		return "", bad("у <%s> нет атрибута %s", d.Nodes[n].Local, name)
	}
	return v, nil
}

func boolAttr(d *xmltree.Doc, n int32, name string) (bool, error) {
	switch v := attr(d, n, name); v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	default:
		return false, bad("атрибут %s=%q: ожидается true или false", name, v)
	}
}

var topLevel = map[string]bool{"title": true, "note": true, "services": true, "provider": true, "data-type": true,
	"channels": true, "term": true, "personal-signature": true, "fields": true, "body": true, "schema": true, "answers": true, "xsd": true, "rules": true}

var rootAttrs = map[string]bool{"format": true, "id": true, "version": true, "training": true}

func fromTree(d *xmltree.Doc) (*Template, error) {
	root := d.Root
	if !d.Is(root, "", "template") {
		return nil, bad("корневой элемент должен быть <template>")
	}
	tpl, err := templatePrefix(d, root)
	if err != nil {
		return nil, err
	}
	t, err := readHead(d, root)
	if err != nil {
		return nil, err
	}
	if err := t.readMeta(d, root); err != nil {
		return nil, err
	}
	if err := t.readDelivery(d, root); err != nil {
		return nil, err
	}
	if err := t.readFields(d, root); err != nil {
		return nil, err
	}
	if err := t.readBody(d, root, tpl); err != nil {
		return nil, err
	}
	if err := t.readSchema(d, root); err != nil {
		return nil, err
	}
	if err := t.readRules(d, root); err != nil {
		return nil, err
	}
	return t, nil
}

// templatePrefix checks the attributes and namespace declarations of
// <template> and returns the prefix bound to NS there ("" when none).
func templatePrefix(d *xmltree.Doc, root int32) (string, error) {
	tpl := ""
	for _, ns := range d.Decls(root) {
		switch {
		case len(ns.Prefix) == 0:
			return "", bad("у <template> не должно быть пространства имён по умолчанию")
		case string(ns.URI) != NS:
			return "", bad("неизвестный атрибут xmlns:%s у <template>", ns.Prefix)
		}
		tpl = string(ns.Prefix)
	}
	for _, a := range d.Attributes(root) {
		if len(a.URI) > 0 || !rootAttrs[string(a.Local)] {
			return "", bad("неизвестный атрибут %s у <template>", xmltree.QName(a.Prefix, a.Local))
		}
	}
	return tpl, nil
}

// readHead reads the attributes of <template>, checks that every element
// under it is known, and reads the title and the note.
func readHead(d *xmltree.Doc, root int32) (*Template, error) {
	if f := attr(d, root, "format"); f != "1" {
		return nil, bad("формат %q не поддерживается (ожидается format=\"1\")", f)
	}
	t := &Template{}
	var err error
	if t.ID, err = needAttr(d, root, "id"); err != nil {
		return nil, err
	}
	if !reID.MatchString(t.ID) {
		return nil, bad("идентификатор %q: только строчные латинские буквы, цифры и дефис, от 2 до 64 знаков", t.ID)
	}
	v := attr(d, root, "version")
	if t.Version, err = strconv.Atoi(v); err != nil || t.Version < 1 {
		return nil, bad("версия %q: ожидается целое число от 1", v)
	}
	if t.Training, err = boolAttr(d, root, "training"); err != nil {
		return nil, err
	}
	for _, k := range d.ChildElements(root) {
		if nd := &d.Nodes[k]; !topLevel[string(nd.Local)] || len(nd.URI) != 0 {
			return nil, bad("неизвестный элемент <%s>", xmltree.QName(nd.Prefix, nd.Local))
		}
	}
	title, err := one(d, root, "title", true)
	if err != nil {
		return nil, err
	}
	if t.Title = text(d, title); t.Title == "" {
		return nil, bad("пустое название")
	}
	if note, _ := one(d, root, "note", false); note != xmltree.None {
		t.Note = text(d, note)
	}
	return t, nil
}

// readMeta reads the services, the provider and the type of data.
func (t *Template) readMeta(d *xmltree.Doc, root int32) error {
	services, err := one(d, root, "services", true)
	if err != nil {
		return err
	}
	for _, s := range d.ChildElements(services) {
		if string(d.Nodes[s].Local) != "service" || text(d, s) == "" {
			return bad("в <services> ожидаются непустые <service>")
		}
		t.Services = append(t.Services, text(d, s))
	}
	if len(t.Services) == 0 {
		return bad("не указана ни одна муниципальная услуга")
	}
	p, err := one(d, root, "provider", true)
	if err != nil {
		return err
	}
	if err := needAttrs(d, p, []string{"name", "short", "smev-id"}, &t.Provider.Name, &t.Provider.Short, &t.Provider.SMEVID); err != nil {
		return err
	}
	dt, err := one(d, root, "data-type", true)
	if err != nil {
		return err
	}
	if err := needAttrs(d, dt, []string{"namespace", "root", "version"}, &t.DataType.Namespace, &t.DataType.Root, &t.DataType.Version); err != nil {
		return err
	}
	t.DataType.Registry = strings.TrimSpace(attr(d, dt, "registry"))
	if t.Training != strings.HasPrefix(t.DataType.Namespace, "urn://mezhved/training/") {
		return bad("учебный шаблон (training=\"true\") и только он использует пространство имён urn://mezhved/training/…")
	}
	return nil
}

// needAttrs reads the required attributes names of n into dst, in order.
func needAttrs(d *xmltree.Doc, n int32, names []string, dst ...*string) error {
	for i, name := range names {
		v, err := needAttr(d, n, name)
		if err != nil {
			return err
		}
		*dst[i] = v
	}
	return nil
}

// readDelivery reads the channels, the answer term, the personal signature
// and what an answer card answers.
func (t *Template) readDelivery(d *xmltree.Doc, root int32) error {
	if err := t.readChannels(d, root); err != nil {
		return err
	}
	t.TermDays = 5
	var err error
	if term, _ := one(d, root, "term", false); term != xmltree.None {
		v := attr(d, term, "working-days")
		if t.TermDays, err = strconv.Atoi(v); err != nil || t.TermDays < 1 || t.TermDays > 60 {
			return bad("срок ответа %q: ожидается от 1 до 60 рабочих дней", v)
		}
	}
	if ps, _ := one(d, root, "personal-signature", false); ps != xmltree.None {
		if t.PersonalSignature, err = boolAttr(d, ps, "required"); err != nil {
			return err
		}
	}
	ans, _ := one(d, root, "answers", false)
	if ans == xmltree.None {
		return nil
	}
	if t.AnswersRoot, err = needAttr(d, ans, "request-root"); err != nil {
		return err
	}
	if !reNCName.MatchString(t.AnswersRoot) || t.AnswersRoot == t.DataType.Root {
		return bad("<answers request-root=%q>: корневой элемент запроса, отличный от корня ответа", t.AnswersRoot)
	}
	if t.AnswersTitle = strings.TrimSpace(attr(d, ans, "request-title")); t.AnswersTitle == "" {
		t.AnswersTitle = t.Title
	}
	return nil
}

func (t *Template) readChannels(d *xmltree.Doc, root int32) error {
	ch, err := one(d, root, "channels", true)
	if err != nil {
		return err
	}
	for _, c := range d.ChildElements(ch) {
		v := Channel(text(d, c))
		if string(d.Nodes[c].Local) != "channel" || (v != SMEV && v != Fax && v != Post && v != Courier) {
			return bad("канал %q: ожидается smev, fax, post или courier", v)
		}
		if slices.Contains(t.Channels, v) {
			return bad("канал %s указан дважды", v)
		}
		t.Channels = append(t.Channels, v)
	}
	if len(t.Channels) == 0 {
		return bad("не указан ни один канал")
	}
	return nil
}

// reNCName is an XML local name as the cards use them.
var reNCName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9._-]{0,127}$`)

func (t *Template) readFields(d *xmltree.Doc, root int32) error {
	fields, err := one(d, root, "fields", true)
	if err != nil {
		return err
	}
	for _, f := range d.ChildElements(fields) {
		fd, err := readField(d, f)
		if err != nil {
			return err
		}
		if t.Field(fd.Name) != nil {
			return bad("поле %s указано дважды", fd.Name)
		}
		t.Fields = append(t.Fields, fd)
	}
	if len(t.Fields) == 0 {
		return bad("нет ни одного поля")
	}
	return nil
}

func readField(d *xmltree.Doc, f int32) (Field, error) {
	if local := string(d.Nodes[f].Local); local != "field" {
		return Field{}, bad("в <fields> ожидаются только <field>, а не <%s>", local)
	}
	var fd Field
	var err error
	if fd.Name, err = needAttr(d, f, "name"); err != nil {
		return fd, err
	}
	if !reFieldName.MatchString(fd.Name) {
		return fd, bad("имя поля %q: строчные латинские буквы, цифры, _ и точки", fd.Name)
	}
	if strings.Contains(fd.Name, ".") {
		prefix, _, _ := strings.Cut(fd.Name, ".")
		if known, reserved := reservedPrefixes[prefix]; reserved && !known[fd.Name] {
			return fd, bad("поле %s: имена %s.* заполняются из заявления, такого нет (есть: %s)", fd.Name, prefix, strings.Join(sortedKeys(known), ", "))
		}
	}
	if fd.Type, err = needAttr(d, f, "type"); err != nil {
		return fd, err
	}
	if fieldTypes[fd.Type] == nil {
		return fd, bad("поле %s: неизвестный тип %q (есть: %s)", fd.Name, fd.Type, strings.Join(FieldTypes(), ", "))
	}
	if fd.Required, err = boolAttr(d, f, "required"); err != nil {
		return fd, err
	}
	if v, ok := d.Attr(f, "", "maxlen"); ok {
		if fd.MaxLen, err = strconv.Atoi(v); err != nil || fd.MaxLen < 1 || fd.Type != "text" {
			return fd, bad("поле %s: maxlen=%q (только для text, целое число)", fd.Name, v)
		}
	}
	fd.Example = attr(d, f, "example")
	if err := fd.readParts(d, f); err != nil {
		return fd, err
	}
	if fd.Label == "" {
		return fd, bad("у поля %s нет подписи <label>", fd.Name)
	}
	if fd.Type != "choice" && len(fd.Options) > 0 {
		return fd, bad("поле %s: варианты <option> нужны у типа choice и только у него", fd.Name)
	}
	if fd.Example == "" {
		return fd, bad("у поля %s нет примера (атрибут example)", fd.Name)
	}
	return fd, nil
}

// readParts reads the label, the help and the options of a field.
func (fd *Field) readParts(d *xmltree.Doc, f int32) error {
	for _, k := range d.ChildElements(f) {
		txt := text(d, k)
		switch local := string(d.Nodes[k].Local); local {
		case "label":
			fd.Label = txt
		case "help":
			fd.Help = txt
		case "option":
			val, ok := d.Attr(k, "", "value")
			if !ok || val == "" || txt == "" {
				return bad("поле %s: у <option> нужны value и подпись", fd.Name)
			}
			fd.Options = append(fd.Options, Option{Value: val, Label: txt})
		default:
			return bad("поле %s: неизвестный элемент <%s>", fd.Name, local)
		}
	}
	return nil
}

// readSchema compiles the xs:schema under <schema>, kept as it is written
// in the file. It must be self-contained: compiling it alone proves every
// prefix it uses is declared inside it.
func (t *Template) readSchema(d *xmltree.Doc, root int32) error {
	s, err := one(d, root, "schema", false)
	if err != nil {
		return err
	}
	set, err := one(d, root, "xsd", false)
	if err != nil {
		return err
	}
	if set != xmltree.None {
		if s != xmltree.None {
			return bad("указаны и <schema>, и <xsd>: нужно что-то одно")
		}
		return t.readSchemaSet(d, set)
	}
	if s == xmltree.None {
		return nil
	}
	el, ok := onlyElement(d, s)
	if !ok {
		return bad("в <schema> ожидается ровно один элемент xs:schema")
	}
	src := bytes.Clone(d.Src[d.Nodes[el].Start:d.Nodes[el].End])
	sc, err := xsd.Compile(src)
	if err != nil {
		return bad("схема XSD: %v", err)
	}
	t.schema, t.schemaXML, t.HasSchema = sc, src, true
	return nil
}
