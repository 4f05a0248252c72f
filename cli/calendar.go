package cli

import (
	"fmt"
	"os"

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
	return 0
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
