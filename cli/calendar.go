package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
)

func init() {
	Register(&Command{
		Path:  "calendar import",
		Usage: "[--data-dir DIR] FILE",
		Short: "check a production calendar file for a year (xmlcalendar format) and add it",
		Run:   calendarImport,
	})
	Register(&Command{
		Path:  "calendar years",
		Usage: "[--data-dir DIR]",
		Short: "list the years the production calendar covers",
		Run:   calendarYears,
	})
}

func calendarImport(env *Env) int {
	fs := env.NewFlagSet("calendar import")
	dataDir := fs.String("data-dir", "", "data directory (default: $MEZHVED_DATA_DIR or the OS data folder)")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(env.Stderr, "mezhved calendar import: give one calendar file")
		return 2
	}
	dir, explicit := store.ResolveDir(*dataDir, env.Getenv)
	if _, err := os.Stat(dir); err != nil && explicit {
		return env.userError(domain.Wrap(err, domain.ENOTFOUND, "cli.calendar", "Папка данных не найдена: "+dir))
	}
	y, err := calendar.Import(calendarDir(dir), fs.Arg(0))
	if err != nil {
		return env.userError(err)
	}
	fmt.Fprintf(env.Stdout, "imported the production calendar for %d\n", y.Year)
	n, err := resolvePending(dir)
	if err != nil {
		// The calendar is kept; the window computes them when it starts.
		fmt.Fprintf(env.Stderr, "mezhved calendar import: deadlines waiting for %d not computed now: %s\n", y.Year, domain.ErrorMessage(err))
		return 0
	}
	if n > 0 {
		fmt.Fprintf(env.Stdout, "computed %d deadlines that waited for it\n", n)
	}
	return 0
}

// resolvePending computes, in the journal of dir (when there is one), the
// deadlines that waited for a calendar year.
func resolvePending(dir string) (int, error) {
	if _, err := os.Stat(filepath.Join(dir, store.FileName)); err != nil {
		return 0, nil
	}
	cal, err := calendar.Load(calendarDir(dir))
	if err != nil {
		return 0, err
	}
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	return db.ResolvePendingDeadlines(context.Background(), cal.DueOn)
}

func calendarYears(env *Env) int {
	fs := env.NewFlagSet("calendar years")
	dataDir := fs.String("data-dir", "", "data directory (default: $MEZHVED_DATA_DIR or the OS data folder)")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	dir, _ := store.ResolveDir(*dataDir, env.Getenv)
	cal, err := calendar.Load(calendarDir(dir))
	if err != nil {
		return env.userError(err)
	}
	for _, y := range cal.Years() {
		fmt.Fprintln(env.Stdout, y)
	}
	return 0
}
