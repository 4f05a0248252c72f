package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mezhved/mezhved/workstation"
)

func init() {
	Register(&Command{
		Path:  "journal show",
		Usage: "[--data-dir DIR] [--json] ID",
		Short: "show one request: status, history, deadlines, answers and their signature checks",
		Run:   journalShow,
	})
}

// journalShow prints the page of one request, the same one the window shows
// (workstation.Timeline).
func journalShow(env *Env) int {
	fs := env.NewFlagSet("journal show")
	dataDir := fs.String("data-dir", "", "data directory (default: $MEZHVED_DATA_DIR or the OS data folder)")
	asJSON := fs.Bool("json", false, "print JSON")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(env.Stderr, "mezhved journal show: name one request by its number (see `mezhved journal list`)")
		return 2
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || id <= 0 {
		fmt.Fprintf(env.Stderr, "mezhved journal show: %q is not a request number\n", fs.Arg(0))
		return 2
	}
	ws, err := openWorkstation(env, *dataDir)
	if err != nil {
		return env.userError(err)
	}
	defer ws.Close()
	t, err := ws.Timeline(context.Background(), id)
	if err != nil {
		return env.userError(err)
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.Encode(t)
		return 0
	}
	printTimeline(env.Stdout, t, ws.Zone())
	return 0
}

// printTimeline writes a request's page as text.
func printTimeline(w io.Writer, t *workstation.Timeline, zone *time.Location) {
	r := t.Request
	fmt.Fprintf(w, "Запрос № %d: %s\n", r.ID, t.Status)
	if r.TemplateTitle != "" {
		fmt.Fprintf(w, "Вид сведений: %s\n", r.TemplateTitle)
	}
	if r.Provider != "" {
		fmt.Fprintf(w, "Поставщик: %s\n", r.Provider)
	}
	switch {
	case r.DueOn != "":
		fmt.Fprintf(w, "Срок ответа: %s\n", r.DueOn)
	case t.DueNote != "":
		fmt.Fprintf(w, "Срок ответа: %s\n", t.DueNote)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if len(t.Readable) > 0 {
		fmt.Fprintln(tw, "\nЧто запрошено:")
		for _, v := range t.Readable {
			fmt.Fprintf(tw, "  %s\t%s\n", v.Label, v.Value)
		}
	}
	fmt.Fprintln(tw, "\nИстория:")
	for _, e := range t.Events {
		line := fmt.Sprintf("  %s\t%s", e.At.In(zone).Format("02.01.2006 15:04"), e.Title)
		if e.Note != "" {
			line += " (" + e.Note + ")"
		}
		fmt.Fprintln(tw, line)
	}
	tw.Flush()
	for _, rep := range t.Replies {
		verdict := "подпись не подтверждена"
		if rep.Valid {
			verdict = "подпись действительна"
		}
		fmt.Fprintf(w, "\n%s от %s: %s\n", rep.KindTitle, rep.ReceivedAt.In(zone).Format("02.01.2006 15:04"), verdict)
		if rep.RejectText != "" {
			fmt.Fprintf(w, "  %s\n", rep.RejectText)
		}
		for _, s := range rep.Signatures {
			text := s.VerdictText
			if text == "" {
				text = s.Problem
			}
			fmt.Fprintf(w, "  %s (%s): %s\n", s.Kind, strings.TrimSpace(s.Owner), text)
		}
		for _, v := range rep.Readable {
			fmt.Fprintf(w, "  %s: %s\n", v.Label, v.Value)
		}
	}
}
