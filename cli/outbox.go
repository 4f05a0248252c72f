package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mezhved/mezhved/store"
)

func init() {
	Register(&Command{
		Path:  "outbox",
		Usage: "[--data-dir DIR] [--state pending,sent,failed] [--json] [--limit N]",
		Short: "list the SMEV outbox: what waits to be sent, its attempts, the next try and the last error",
		Run:   runOutbox,
	})
}

func runOutbox(env *Env) int {
	fs := env.NewFlagSet("outbox")
	dataDir := fs.String("data-dir", "", "data directory (default: $MEZHVED_DATA_DIR or the OS data folder)")
	states := fs.String("state", "", "comma-separated states: pending, sent, failed (default: all)")
	asJSON := fs.Bool("json", false, "print JSON")
	limit := fs.Int("limit", 100, "rows (1..10000)")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "mezhved outbox: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	var st []string
	if *states != "" {
		for _, s := range strings.Split(*states, ",") {
			switch s {
			case store.OutboxPending, store.OutboxSent, store.OutboxFailed:
				st = append(st, s)
			default:
				fmt.Fprintf(env.Stderr, "mezhved outbox: unknown state %q (pending, sent, failed)\n", s)
				return 2
			}
		}
	}
	db, err := openJournal(env, *dataDir)
	if err != nil {
		return env.userError(err)
	}
	defer db.Close()
	items, err := db.ListOutbox(context.Background(), *limit, st...)
	if err != nil {
		return env.userError(err)
	}
	if *asJSON {
		b, _ := json.MarshalIndent(items, "", "  ")
		fmt.Fprintln(env.Stdout, string(b))
		return 0
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(w, "REQUEST\tKIND\tSTATE\tMESSAGE ID\tATTEMPTS\tNEXT / SENT\tLAST ERROR")
	for _, it := range items {
		when := ""
		switch {
		case it.State == store.OutboxSent:
			when = it.SentAt.Local().Format(time.DateTime)
		case it.State == store.OutboxPending:
			when = it.NextAttemptAt.Local().Format(time.DateTime)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%d\t%s\t%s\n", it.RequestID, it.Kind, it.State, it.MessageID, it.Attempts, when, it.LastError)
	}
	w.Flush()
	fmt.Fprintf(env.Stdout, "%d messages\n", len(items))
	return 0
}
