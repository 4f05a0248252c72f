package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/fsutil"
)

func init() {
	Register(&Command{
		Path:  "compose",
		Usage: "--template ID [--example] --set field=value ... [--out FILE] [--today YYYY-MM-DD] [--data-dir DIR]",
		Short: "write the business XML of a request (the content of MessagePrimaryContent); lists every problem on a bad field",
		Run:   compose,
	})
}

// setFlags collects repeated --set field=value.
type setFlags map[string]string

func (s setFlags) String() string { return "" }

func (s setFlags) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(name) == "" {
		return fmt.Errorf("want field=value, got %q", v)
	}
	name = strings.TrimSpace(name)
	if _, dup := s[name]; dup {
		return fmt.Errorf("field %s set twice", name)
	}
	s[name] = value
	return nil
}

func compose(env *Env) int {
	fs := env.NewFlagSet("compose")
	id := fs.String("template", "", "template ID (see mezhved templates list)")
	out := fs.String("out", "", "write the XML to FILE instead of stdout")
	todayFlag := fs.String("today", "", "the date of the request (default: today)")
	dataDir := fs.String("data-dir", "", "data directory, for imported templates")
	example := fs.Bool("example", false, "start from the card's example values (--set overrides them)")
	values := setFlags{}
	fs.Var(values, "set", "a field value, field=value (repeat)")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	if *id == "" || fs.NArg() > 0 {
		fmt.Fprintln(env.Stderr, "mezhved compose: give --template ID and --set field=value for its fields (no other arguments)")
		return 2
	}
	today := calendar.DateOf(time.Now())
	if *todayFlag != "" {
		d, err := calendar.ParseDate(*todayFlag)
		if err != nil {
			return env.userError(err)
		}
		today = d
	}
	cat, err := loadCatalogue(env, *dataDir)
	if err != nil {
		return env.userError(err)
	}
	t, err := cat.Get(*id)
	if err != nil {
		return env.userError(err)
	}
	if *example {
		for k, v := range t.Examples() {
			if _, set := values[k]; !set {
				values[k] = v
			}
		}
	}
	doc, problems := t.Compose(values, today)
	if len(problems) > 0 {
		fmt.Fprintf(env.Stderr, "mezhved compose: %s — %d problem(s):\n", t.ID, len(problems))
		for _, p := range problems {
			fmt.Fprintf(env.Stderr, "  %s\t%s\n", p.Field, p)
		}
		return 2
	}
	if t.Training {
		fmt.Fprintf(env.Stderr, "mezhved compose: note: %s is a training template, not for real requests\n", t.ID)
	}
	doc = append(doc, '\n')
	if *out == "" {
		env.Stdout.Write(doc)
		return 0
	}
	if err := writeFileAtomic(*out, doc); err != nil {
		return env.userError(err)
	}
	return 0
}

// writeFileAtomic writes an output file through fsutil, so it is never left
// half-written, with a coded error for the user.
func writeFileAtomic(path string, data []byte) error {
	if err := fsutil.WriteFileAtomic(path, data, 0o600); err != nil {
		return domain.Wrap(err, domain.EPERMISSION, "cli.write", "Файл не записан: "+path)
	}
	return nil
}
