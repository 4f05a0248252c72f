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
	"encoding/xml"
	"github.com/mezhved/mezhved/templates/internal/xmltree"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/mezhved/mezhved/domain"
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

	body      *bnode
	schema    *xsd.Schema
	schemaXML []byte
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
	root, err := parseXML(data)
	if err != nil {
		return nil, bad("это неправильный XML: %v", err)
	}
	t, err := fromTree(root)
	if err != nil {
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

// one returns the only child element called name; required says whether it
// must be there.
func one(parent *xmltree.Node, name string, required bool) (*xmltree.Node, error) {
	var found *xmltree.Node
	for _, k := range parent.Elements() {
		if k.Name == (xml.Name{Local: name}) {
			if found != nil {
				return nil, bad("элемент <%s> указан дважды", name)
			}
			found = k
		}
	}
	if found == nil && required {
		return nil, bad("нет элемента <%s>", name)
	}
	return found, nil
}

func needAttr(n *xmltree.Node, name string) (string, error) {
	v, _ := n.Attr(name)
	if strings.TrimSpace(v) == "" {
		return "", bad("у <%s> нет атрибута %s", n.Name.Local, name)
	}
	return strings.TrimSpace(v), nil
}

func boolAttr(n *xmltree.Node, name string) (bool, error) {
	switch v, _ := n.Attr(name); v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	default:
		return false, bad("атрибут %s=%q: ожидается true или false", name, v)
	}
}

var topLevel = map[string]bool{"title": true, "note": true, "services": true, "provider": true, "data-type": true,
	"channels": true, "term": true, "personal-signature": true, "fields": true, "body": true, "schema": true, "answers": true}

func fromTree(root *xmltree.Node) (*Template, error) {
	if root.Name != (xml.Name{Local: "template"}) {
		return nil, bad("корневой элемент должен быть <template>")
	}
	tpl := ""
	for _, a := range root.Attrs {
		switch {
		case a.Name.Space == "xmlns" && a.Value == NS:
			tpl = a.Name.Local
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			return nil, bad("у <template> не должно быть пространства имён по умолчанию")
		case a.Name.Space == "" && (a.Name.Local == "format" || a.Name.Local == "id" || a.Name.Local == "version" || a.Name.Local == "training"):
		default:
			return nil, bad("неизвестный атрибут %s у <template>", xmltree.QName(a.Name))
		}
	}
	if f, _ := root.Attr("format"); f != "1" {
		return nil, bad("формат %q не поддерживается (ожидается format=\"1\")", f)
	}
	t := &Template{}
	var err error
	if t.ID, err = needAttr(root, "id"); err != nil {
		return nil, err
	}
	if !reID.MatchString(t.ID) {
		return nil, bad("идентификатор %q: только строчные латинские буквы, цифры и дефис, от 2 до 64 знаков", t.ID)
	}
	v, _ := root.Attr("version")
	if t.Version, err = strconv.Atoi(v); err != nil || t.Version < 1 {
		return nil, bad("версия %q: ожидается целое число от 1", v)
	}
	if t.Training, err = boolAttr(root, "training"); err != nil {
		return nil, err
	}
	for _, k := range root.Elements() {
		if !topLevel[k.Name.Local] || k.Name.Space != "" {
			return nil, bad("неизвестный элемент <%s>", xmltree.QName(k.Name))
		}
	}
	title, err := one(root, "title", true)
	if err != nil {
		return nil, err
	}
	if t.Title = strings.TrimSpace(title.TextContent()); t.Title == "" {
		return nil, bad("пустое название")
	}
	if note, _ := one(root, "note", false); note != nil {
		t.Note = strings.TrimSpace(note.TextContent())
	}
	if err := t.readMeta(root); err != nil {
		return nil, err
	}
	fields, err := one(root, "fields", true)
	if err != nil {
		return nil, err
	}
	for _, f := range fields.Elements() {
		fd, err := readField(f)
		if err != nil {
			return nil, err
		}
		if t.Field(fd.Name) != nil {
			return nil, bad("поле %s указано дважды", fd.Name)
		}
		t.Fields = append(t.Fields, fd)
	}
	if len(t.Fields) == 0 {
		return nil, bad("нет ни одного поля")
	}
	if err := t.readBody(root, tpl); err != nil {
		return nil, err
	}
	if err := t.readSchema(root); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *Template) readMeta(root *xmltree.Node) error {
	services, err := one(root, "services", true)
	if err != nil {
		return err
	}
	for _, s := range services.Elements() {
		if s.Name.Local != "service" || strings.TrimSpace(s.TextContent()) == "" {
			return bad("в <services> ожидаются непустые <service>")
		}
		t.Services = append(t.Services, strings.TrimSpace(s.TextContent()))
	}
	if len(t.Services) == 0 {
		return bad("не указана ни одна муниципальная услуга")
	}
	p, err := one(root, "provider", true)
	if err != nil {
		return err
	}
	if t.Provider.Name, err = needAttr(p, "name"); err != nil {
		return err
	}
	if t.Provider.Short, err = needAttr(p, "short"); err != nil {
		return err
	}
	if t.Provider.SMEVID, err = needAttr(p, "smev-id"); err != nil {
		return err
	}
	dt, err := one(root, "data-type", true)
	if err != nil {
		return err
	}
	if t.DataType.Namespace, err = needAttr(dt, "namespace"); err != nil {
		return err
	}
	if t.DataType.Root, err = needAttr(dt, "root"); err != nil {
		return err
	}
	if t.DataType.Version, err = needAttr(dt, "version"); err != nil {
		return err
	}
	if t.Training != strings.HasPrefix(t.DataType.Namespace, "urn://mezhved/training/") {
		return bad("учебный шаблон (training=\"true\") и только он использует пространство имён urn://mezhved/training/…")
	}
	ch, err := one(root, "channels", true)
	if err != nil {
		return err
	}
	for _, c := range ch.Elements() {
		v := Channel(strings.TrimSpace(c.TextContent()))
		if c.Name.Local != "channel" || (v != SMEV && v != Fax && v != Post && v != Courier) {
			return bad("канал %q: ожидается smev, fax, post или courier", v)
		}
		for _, have := range t.Channels {
			if have == v {
				return bad("канал %s указан дважды", v)
			}
		}
		t.Channels = append(t.Channels, v)
	}
	if len(t.Channels) == 0 {
		return bad("не указан ни один канал")
	}
	t.TermDays = 5
	if term, _ := one(root, "term", false); term != nil {
		v, _ := term.Attr("working-days")
		if t.TermDays, err = strconv.Atoi(v); err != nil || t.TermDays < 1 || t.TermDays > 60 {
			return bad("срок ответа %q: ожидается от 1 до 60 рабочих дней", v)
		}
	}
	if ps, _ := one(root, "personal-signature", false); ps != nil {
		if t.PersonalSignature, err = boolAttr(ps, "required"); err != nil {
			return err
		}
	}
	if ans, _ := one(root, "answers", false); ans != nil {
		if t.AnswersRoot, err = needAttr(ans, "request-root"); err != nil {
			return err
		}
		if !reNCName.MatchString(t.AnswersRoot) || t.AnswersRoot == t.DataType.Root {
			return bad("<answers request-root=%q>: корневой элемент запроса, отличный от корня ответа", t.AnswersRoot)
		}
		t.AnswersTitle, _ = ans.Attr("request-title")
		if t.AnswersTitle = strings.TrimSpace(t.AnswersTitle); t.AnswersTitle == "" {
			t.AnswersTitle = t.Title
		}
	}
	return nil
}

// reNCName is an XML local name as the cards use them.
var reNCName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9._-]{0,127}$`)

func readField(f *xmltree.Node) (Field, error) {
	if f.Name.Local != "field" {
		return Field{}, bad("в <fields> ожидаются только <field>, а не <%s>", f.Name.Local)
	}
	var fd Field
	var err error
	if fd.Name, err = needAttr(f, "name"); err != nil {
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
	if fd.Type, err = needAttr(f, "type"); err != nil {
		return fd, err
	}
	if fieldTypes[fd.Type] == nil {
		return fd, bad("поле %s: неизвестный тип %q (есть: %s)", fd.Name, fd.Type, strings.Join(FieldTypes(), ", "))
	}
	if fd.Required, err = boolAttr(f, "required"); err != nil {
		return fd, err
	}
	if v, ok := f.Attr("maxlen"); ok {
		if fd.MaxLen, err = strconv.Atoi(v); err != nil || fd.MaxLen < 1 || fd.Type != "text" {
			return fd, bad("поле %s: maxlen=%q (только для text, целое число)", fd.Name, v)
		}
	}
	fd.Example, _ = f.Attr("example")
	for _, k := range f.Elements() {
		text := strings.TrimSpace(k.TextContent())
		switch k.Name.Local {
		case "label":
			fd.Label = text
		case "help":
			fd.Help = text
		case "option":
			val, ok := k.Attr("value")
			if !ok || val == "" || text == "" {
				return fd, bad("поле %s: у <option> нужны value и подпись", fd.Name)
			}
			fd.Options = append(fd.Options, Option{Value: val, Label: text})
		default:
			return fd, bad("поле %s: неизвестный элемент <%s>", fd.Name, k.Name.Local)
		}
	}
	if fd.Label == "" {
		return fd, bad("у поля %s нет подписи <label>", fd.Name)
	}
	if (fd.Type == "choice") != (len(fd.Options) > 0) {
		return fd, bad("поле %s: варианты <option> нужны у типа choice и только у него", fd.Name)
	}
	if fd.Example == "" {
		return fd, bad("у поля %s нет примера (атрибут example)", fd.Name)
	}
	return fd, nil
}

func (t *Template) readSchema(root *xmltree.Node) error {
	s, err := one(root, "schema", false)
	if err != nil || s == nil {
		return err
	}
	els := s.Elements()
	if len(els) != 1 || len(s.Kids) != 1 {
		return bad("в <schema> ожидается ровно один элемент xs:schema")
	}
	var b bytes.Buffer
	els[0].Write(&b)
	// The schema must be self-contained: compiling it alone proves every
	// prefix it uses is declared inside it.
	sc, err := xsd.Compile(b.Bytes())
	if err != nil {
		return bad("схема XSD: %v", err)
	}
	t.schema, t.schemaXML, t.HasSchema = sc, b.Bytes(), true
	return nil
}
