package cli

import (
	"fmt"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/workstation"
)

func init() {
	Register(&Command{
		Path:  "deadline",
		Usage: "--from YYYY-MM-DD [--days N] [--data-dir DIR]",
		Short: "print the due date N working days (default 5) after the day of receipt, on the production calendar",
		Run:   deadline,
	})
}

func deadline(env *Env) int {
	fs := env.NewFlagSet("deadline")
	from := fs.String("from", "", "the day of receipt (day 0), YYYY-MM-DD")
	days := fs.Int("days", calendar.DefaultAnswerTerm, "the term in working days")
	dataDir := fs.String("data-dir", "", "data directory, for imported calendar years")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	if *from == "" || fs.NArg() > 0 {
		fmt.Fprintln(env.Stderr, "mezhved deadline: give --from YYYY-MM-DD (and optionally --days N)")
		return 2
	}
	if *days < 1 {
		fmt.Fprintf(env.Stderr, "mezhved deadline: --days must be at least 1, got %d\n", *days)
		return 2
	}
	day, err := calendar.ParseDate(*from)
	if err != nil {
		return env.userError(err)
	}
	dir, _ := store.ResolveDir(*dataDir, env.Getenv)
	cal, err := workstation.LoadCalendar(dir)
	if err != nil {
		return env.userError(err)
	}
	due, err := cal.AddWorkingDays(day, *days)
	if y := calendar.MissingYear(err); y != 0 {
		ys := cal.Years()
		fmt.Fprintf(env.Stderr, "mezhved deadline: %s (календарь есть на %d–%d); он приходит с обновлением от региона или загружается: mezhved calendar import ФАЙЛ\n",
			calendar.PendingNote(y), ys[0], ys[len(ys)-1])
		return 2
	} else if err != nil {
		return env.userError(err)
	}
	fmt.Fprintln(env.Stdout, due.String())
	return 0
}
