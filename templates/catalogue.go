package templates

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/fsutil"
)

//go:embed builtin/*.xml builtin/xsd
var builtinFS embed.FS

// Catalogue is a set of templates by ID. It is immutable.
type Catalogue struct {
	byID map[string]*Template
	// earlier holds imported cards that a newer version of their kind of
	// data replaced, by ID, oldest first: requests sent with them are still
	// in flight, and their answers are read with their schema.
	earlier map[string][]*Template
}

// Earlier returns the earlier versions of card id kept for requests in
// flight, oldest first.
func (c *Catalogue) Earlier(id string) []*Template { return c.earlier[id] }

var (
	builtinOnce sync.Once
	builtinCat  *Catalogue
)

// Builtin returns the catalogue of built-in templates.
func Builtin() *Catalogue {
	builtinOnce.Do(func() {
		builtinCat = &Catalogue{byID: map[string]*Template{}}
		names, _ := fs.Glob(builtinFS, "builtin/*.xml")
		for _, name := range names {
			data, _ := builtinFS.ReadFile(name)
			t, err := Parse(bytes.NewReader(data))
			if err != nil {
				panic(fmt.Sprintf("templates: built-in %s: %v", name, err)) // a build defect, caught by tests
			}
			if name != "builtin/"+t.ID+".xml" || builtinCat.byID[t.ID] != nil {
				panic("templates: built-in " + name + " is not named after its id " + t.ID)
			}
			t.Builtin = true
			builtinCat.byID[t.ID] = t
			remember(t)
		}
	})
	return builtinCat
}

// List returns the templates ordered by ID.
func (c *Catalogue) List() []*Template {
	out := make([]*Template, 0, len(c.byID))
	for _, t := range c.byID {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Requests returns the request cards (not the answer cards), ordered by ID:
// what the clerk chooses from for a new request.
func (c *Catalogue) Requests() []*Template {
	var out []*Template
	for _, t := range c.List() {
		if t.AnswersRoot == "" {
			out = append(out, t)
		}
	}
	return out
}

// AnswerFor returns the answer card for requests of a type of data (the
// request body's namespace and root element); ENOTFOUND when the catalogue
// has none.
func (c *Catalogue) AnswerFor(namespace, requestRoot string) (*Template, error) {
	var found *Template
	for _, t := range c.List() {
		if t.AnswersRoot == requestRoot && t.DataType.Namespace == namespace {
			found = t // the last by ID, as List orders them
		}
	}
	if found == nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "Для этого вида сведений нет шаблона ответа: ответьте отказом с пояснением или запросите шаблон у региона.")
	}
	return found, nil
}

// Get returns the template id; ENOTFOUND when there is none.
func (c *Catalogue) Get(id string) (*Template, error) {
	if t := c.byID[id]; t != nil {
		return t, nil
	}
	return nil, domain.Errorf(domain.ENOTFOUND, "Шаблона %q нет в каталоге", id)
}

func (c *Catalogue) with(t *Template) *Catalogue {
	m := make(map[string]*Template, len(c.byID)+1)
	for k, v := range c.byID {
		m[k] = v
	}
	m[t.ID] = t
	return &Catalogue{byID: m, earlier: c.earlier}
}

// Load returns the built-in catalogue with the templates imported into dir
// (files <id>.xml written by Import) added; an imported template replaces a
// built-in one with the same ID (the region's card wins over a training
// one). A missing dir is not an error; a damaged file is.
func Load(dir string) (*Catalogue, error) {
	c := Builtin()
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	} else if err != nil {
		return nil, domain.Wrap(err, domain.EPERMISSION, "templates.Load", "Папка шаблонов не читается: "+dir)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".xml") {
			continue // temporary files of an interrupted import end in .tmp
		}
		t, err := parseFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, domain.Wrap(err, domain.ECORRUPT, "templates.Load",
				fmt.Sprintf("Шаблон %s в папке %s повреждён: %s", e.Name(), dir, domain.ErrorMessage(err)))
		}
		if e.Name() != t.ID+".xml" {
			return nil, domain.Errorf(domain.ECORRUPT, "Файл шаблона %s содержит шаблон %q", e.Name(), t.ID)
		}
		remember(t)
		c = c.with(t)
	}
	return c.withEarlier(filepath.Join(dir, earlierDir))
}

// earlierDir is the subfolder of the templates folder where Import keeps a
// card replaced by a newer version of its kind of data, as <id>@<version>.xml.
const earlierDir = "earlier"

// withEarlier adds the earlier versions kept in dir; their schemas become
// known to Describe.
func (c *Catalogue) withEarlier(dir string) (*Catalogue, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	} else if err != nil {
		return nil, domain.Wrap(err, domain.EPERMISSION, "templates.Load", "Папка шаблонов не читается: "+dir)
	}
	earlier := map[string][]*Template{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".xml") {
			continue
		}
		t, err := parseFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, domain.Wrap(err, domain.ECORRUPT, "templates.Load",
				fmt.Sprintf("Прежняя версия шаблона %s в папке %s повреждена: %s", e.Name(), dir, domain.ErrorMessage(err)))
		}
		if e.Name() != earlierName(t) {
			return nil, domain.Errorf(domain.ECORRUPT, "Файл %s в папке %s содержит шаблон %q версии %d", e.Name(), dir, t.ID, t.Version)
		}
		remember(t)
		earlier[t.ID] = append(earlier[t.ID], t)
	}
	for _, list := range earlier {
		sort.Slice(list, func(i, j int) bool { return list[i].Version < list[j].Version })
	}
	return &Catalogue{byID: c.byID, earlier: earlier}, nil
}

func earlierName(t *Template) string { return fmt.Sprintf("%s@%d.xml", t.ID, t.Version) }

func parseFile(path string) (*Template, error) {
	data, err := readBounded(path)
	if err != nil {
		return nil, err
	}
	return Parse(bytes.NewReader(data))
}

// Import reads a template file given by the region (src), checks it fully
// (Parse, with the self-test of its examples), and keeps it in dir as
// <id>.xml, written to a temporary file and renamed, so the catalogue in dir
// is never half-written. An invalid file is refused with the reason and dir
// is left unchanged. A template with an ID already imported is replaced only
// by a higher version; when the new version is on another version of its
// kind of data (another namespace), the old card is kept in dir/earlier for
// the requests sent with it.
func Import(dir, src string) (*Template, error) {
	data, err := readBounded(src)
	if err != nil {
		return nil, err
	}
	t, err := Parse(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	target := filepath.Join(dir, t.ID+".xml")
	old, err := parseFile(target)
	if err == nil && old.Version >= t.Version {
		return nil, domain.Errorf(domain.ECONFLICT, "Шаблон %q версии %d уже загружен; загружаемая версия %d не новее", t.ID, old.Version, t.Version)
	}
	if err == nil && old.DataType.Namespace != t.DataType.Namespace {
		if err := os.MkdirAll(filepath.Join(dir, earlierDir), 0o755); err != nil {
			return nil, domain.Wrap(err, domain.EPERMISSION, "templates.Import", "Шаблон не сохранён: нет доступа к папке "+dir)
		}
		if err := writeAtomic(filepath.Join(dir, earlierDir), earlierName(old), old.raw); err != nil {
			return nil, err
		}
	}
	if err := writeAtomic(dir, t.ID+".xml", data); err != nil {
		return nil, err
	}
	return t, nil
}

// readBounded reads at most MaxFileSize+1 bytes of path (Parse refuses more).
func readBounded(path string) ([]byte, error) {
	data, err := fsutil.ReadFileLimited(path, MaxFileSize)
	if err != nil {
		return nil, domain.Wrap(err, domain.EPERMISSION, "templates", "Файл шаблона не читается: "+path)
	}
	return data, nil
}

func writeAtomic(dir, name string, data []byte) error {
	if err := fsutil.WriteFileAtomic(filepath.Join(dir, name), data, 0o644); err != nil {
		return domain.Wrap(err, domain.EPERMISSION, "templates.Import", "Шаблон не сохранён: нет доступа к папке "+dir)
	}
	return nil
}
