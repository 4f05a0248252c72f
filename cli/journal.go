package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/workstation"
)

func init() {
	Register(&Command{
		Path:  "journal list",
		Usage: "[--data-dir DIR] [--json] [--direction out|in] [--status S,...] [--query WORDS] [--limit N]",
		Short: "list requests in the journal, nearest deadline first",
		Run:   journalList,
	})
}

// openJournal opens the journal of the chosen data directory. A directory
// the user named must exist; the OS default is created on first use.
func openJournal(env *Env, flagDir string) (*store.DB, error) {
	dir, explicit := store.ResolveDir(flagDir, env.Getenv)
	return store.Open(dir, store.Options{Create: !explicit})
}

// openWorkstation opens the core on the data directory of --data-dir,
// $MEZHVED_DATA_DIR or the OS convention (created unless named).
func openWorkstation(env *Env, flagDir string) (*workstation.Workstation, error) {
	dir, explicit := store.ResolveDir(flagDir, env.Getenv)
	return workstation.Open(workstation.Config{DataDir: dir, Explicit: explicit, Log: quietLog})
}

// userError prints a coded error the way the CLI shows it: the user message,
// then the details.
func (env *Env) userError(err error) int {
	fmt.Fprintf(env.Stderr, "mezhved: %s\n", domain.ErrorMessage(err))
	fmt.Fprintf(env.Stderr, "  (%s: %v)\n", domain.ErrorCode(err), err)
	return 2
}

func journalList(env *Env) int {
	fs := env.NewFlagSet("journal list")
	dataDir := fs.String("data-dir", "", "data directory (default: $MEZHVED_DATA_DIR or the OS data folder)")
	asJSON := fs.Bool("json", false, "print JSON")
	direction := fs.String("direction", "", "out or in")
	status := fs.String("status", "", "comma-separated statuses")
	query := fs.String("query", "", "words to find")
	limit := fs.Int("limit", 50, "rows (1..500)")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "mezhved journal list: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	db, err := openJournal(env, *dataDir)
	if err != nil {
		return env.userError(err)
	}
	defer db.Close()
	f := domain.RequestFilter{Direction: domain.Direction(*direction), Query: *query, Limit: *limit}
	if *status != "" {
		for _, s := range strings.Split(*status, ",") {
			f.Statuses = append(f.Statuses, domain.Status(strings.TrimSpace(s)))
		}
	}
	page, err := db.ListRequests(context.Background(), f)
	if err != nil {
		return env.userError(err)
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.Encode(page)
		return 0
	}
	if page.Total == 0 {
		fmt.Fprintln(env.Stdout, "The journal has no such requests.")
		return 0
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDIR\tSTATUS\tDUE\tPROVIDER\tTEMPLATE\tAPPLICANT\tMESSAGE ID")
	for _, r := range page.Requests {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Direction, r.Status, dash(r.DueOn),
			dash(r.Provider), dash(r.TemplateTitle), dash(r.Applicant), dash(r.MessageID))
	}
	tw.Flush()
	if page.TotalAtLeast {
		fmt.Fprintf(env.Stdout, "%d of more than %d (common words are not counted: narrow the search)\n", len(page.Requests), page.Total-1)
	} else {
		fmt.Fprintf(env.Stdout, "%d of %d\n", len(page.Requests), page.Total)
	}
	return 0
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// quietLog keeps the core's log lines (they are for the window's log file)
// off the command's output; errors still reach the user as coded errors.
var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))
