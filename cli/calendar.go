package cli

import (
	"fmt"
	"os"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/workstation"
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
	imp, err := workstation.ImportCalendarFile(dir, fs.Arg(0))
	if err != nil {
		return env.userError(err)
	}
	fmt.Fprintf(env.Stdout, "imported the production calendar for %d\n", imp.Year)
	if imp.Deferred != nil {
		fmt.Fprintf(env.Stderr, "mezhved calendar import: deadlines waiting for %d are computed when the window starts: %s\n", imp.Year, domain.ErrorMessage(imp.Deferred))
	}
	if imp.Computed > 0 {
		fmt.Fprintf(env.Stdout, "computed %d deadlines that waited for it\n", imp.Computed)
	}
	return 0
}

func calendarYears(env *Env) int {
	fs := env.NewFlagSet("calendar years")
	dataDir := fs.String("data-dir", "", "data directory (default: $MEZHVED_DATA_DIR or the OS data folder)")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	dir, _ := store.ResolveDir(*dataDir, env.Getenv)
	cal, err := workstation.LoadCalendar(dir)
	if err != nil {
		return env.userError(err)
	}
	for _, y := range cal.Years() {
		fmt.Fprintln(env.Stdout, y)
	}
	return 0
}
