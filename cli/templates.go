package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
)

// The "templates" commands: the catalogue of technological cards.

func init() {
	Register(&Command{
		Path:  "templates list",
		Usage: "[--data-dir DIR] [--json]",
		Short: "list the request templates: ID, title, provider, answer term",
		Run:   templatesList,
	})
	Register(&Command{
		Path:  "templates import",
		Usage: "[--data-dir DIR] FILE",
		Short: "check a template file given by the region and add it to the catalogue",
		Run:   templatesImport,
	})
}

// templatesDir is where imported templates live inside the data directory.
func templatesDir(dataDir string) string { return filepath.Join(dataDir, "templates") }

// loadCatalogue returns the built-in templates plus those imported into the
// data directory.
func loadCatalogue(env *Env, flagDir string) (*templates.Catalogue, error) {
	dir, _ := store.ResolveDir(flagDir, env.Getenv)
	return templates.Load(templatesDir(dir))
}

func templatesList(env *Env) int {
	fs := env.NewFlagSet("templates list")
	dataDir := fs.String("data-dir", "", "data directory (default: $MEZHVED_DATA_DIR or the OS data folder)")
	asJSON := fs.Bool("json", false, "print the templates with their fields as JSON")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "mezhved templates list: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	cat, err := loadCatalogue(env, *dataDir)
	if err != nil {
		return env.userError(err)
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		list := make([]listedCard, 0, len(cat.List()))
		for _, t := range cat.List() {
			list = append(list, listedCard{Template: t, Namespace: t.DataType.Namespace, Root: t.DataType.Root,
				Published: !t.Training && t.Schemas != nil})
		}
		enc.Encode(list)
		return 0
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	for _, t := range cat.List() {
		mark := "\tpublished schema " + t.DataType.Version
		if t.Training {
			mark = "\ttraining"
		} else if t.Schemas == nil {
			mark = "\tregion's card"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d working days%s\n", t.ID, t.Title, t.Provider.Short, t.TermDays, mark)
	}
	tw.Flush()
	return 0
}

// listedCard is a card as `templates list --json` prints it: the card,
// and at its top its kind of data and whether it is on a published schema
// (published) or a training one (training).
type listedCard struct {
	*templates.Template
	Namespace string `json:"namespace"`
	Root      string `json:"root"`
	Published bool   `json:"published"`
}

func templatesImport(env *Env) int {
	fs := env.NewFlagSet("templates import")
	dataDir := fs.String("data-dir", "", "data directory (default: $MEZHVED_DATA_DIR or the OS data folder)")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(env.Stderr, "mezhved templates import: give one template file")
		return 2
	}
	dir, explicit := store.ResolveDir(*dataDir, env.Getenv)
	if _, err := os.Stat(dir); err != nil && explicit {
		return env.userError(domain.Wrap(err, domain.ENOTFOUND, "cli.templates", "Папка данных не найдена: "+dir))
	}
	t, err := templates.Import(templatesDir(dir), fs.Arg(0))
	if err != nil {
		return env.userError(err)
	}
	fmt.Fprintf(env.Stdout, "imported %s version %d: %s\n", t.ID, t.Version, t.Title)
	return 0
}
