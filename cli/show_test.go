package cli

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/workstation"
)

func TestJournalShow(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(dir, store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	id, err := db.CreateRequest(context.Background(), store.NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV,
		Status: domain.StatusSent, Provider: "Росреестр", TemplateTitle: "Выписка из ЕГРН", DueOn: "2026-11-30", Actor: "t"})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	sid := func(n int64) string { return strconv.FormatInt(n, 10) }

	code, out, errs := run(t, nil, "journal", "show", "--data-dir", dir, sid(id))
	for _, want := range []string{"Запрос № " + sid(id), domain.StatusSent.Title(), "Выписка из ЕГРН", "Росреестр", "2026-11-30", "История:"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("code %d, no %q in:\n%s%s", code, want, out, errs)
		}
	}
	code, out, _ = run(t, nil, "journal", "show", "--json", "--data-dir", dir, sid(id))
	var tl workstation.Timeline
	if code != 0 || json.Unmarshal([]byte(out), &tl) != nil || tl.Request.ID != id || tl.Status != domain.StatusSent.Title() || len(tl.Events) == 0 {
		t.Fatalf("json: code %d %s", code, out)
	}

	for name, args := range map[string][]string{
		"no number":      {"journal", "show", "--data-dir", dir},
		"two numbers":    {"journal", "show", "--data-dir", dir, "1", "2"},
		"not a number":   {"journal", "show", "--data-dir", dir, "first"},
		"zero":           {"journal", "show", "--data-dir", dir, "0"},
		"no such":        {"journal", "show", "--data-dir", dir, "999"},
		"no such folder": {"journal", "show", "--data-dir", dir + "/nope", "1"},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errs := run(t, nil, args...)
			if code != 2 || out != "" || errs == "" {
				t.Fatalf("code %d, stdout %q, stderr %q", code, out, errs)
			}
		})
	}
}
