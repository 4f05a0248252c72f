package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
)

func TestCalendarImport(t *testing.T) {
	dir := t.TempDir()
	// A 2028 calendar in the xmlcalendar format (made up for the test: only
	// New Year holidays).
	file := filepath.Join(t.TempDir(), "2028.xml")
	os.WriteFile(file, []byte(`<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2028" lang="ru" date="2027.11.01">
  <holidays><holiday id="1" title="Новогодние каникулы"/></holidays>
  <days>
    <day d="01.01" t="1" h="1"/><day d="01.03" t="1" h="1"/><day d="01.04" t="1" h="1"/><day d="01.05" t="1" h="1"/>
    <day d="01.06" t="1" h="1"/><day d="01.07" t="1" h="1"/><day d="01.08" t="1" h="1"/>
  </days>
</calendar>`), 0o644)
	if code, _, errs := run(t, nil, "deadline", "--from", "2027-12-29", "--data-dir", dir); code != 2 || !strings.Contains(errs, "2028") {
		t.Fatalf("before import: %d %s", code, errs)
	}
	if code, out, errs := run(t, nil, "calendar", "import", "--data-dir", dir, file); code != 0 || !strings.Contains(out, "2028") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	if _, out, _ := run(t, nil, "calendar", "years", "--data-dir", dir); !strings.Contains(out, "2028") {
		t.Fatalf("years: %s", out)
	}
	bad := filepath.Join(t.TempDir(), "bad.xml")
	os.WriteFile(bad, []byte(`<!DOCTYPE x [<!ENTITY a "b">]><calendar year="2028"/>`), 0o644)
	if code, out, errs := run(t, nil, "calendar", "import", "--data-dir", dir, bad); code != 2 || out != "" || errs == "" {
		t.Fatalf("bad file: %d %q %q", code, out, errs)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "calendar")); len(entries) != 1 {
		t.Fatalf("calendar folder holds %d files, want 1", len(entries))
	}
}

// A request whose term ran into a year without a calendar gets its
// deadline when `calendar import` brings the year.
func TestCalendarImportComputesWaitingDeadlines(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id, err := db.CreateRequest(context.Background(), store.NewRequest{Direction: domain.Incoming, Channel: domain.ChannelSMEV,
		Status: domain.StatusReceived, Provider: "ФНС", DueFrom: "2027-12-28", DueDays: 5, DueMissingYear: 2028, Actor: "smev"})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, errs := run(t, nil, "calendar", "import", "--data-dir", dir, "../calendar/testdata/fixture-2028.xml")
	if code != 0 || !strings.Contains(out, "computed 1 deadlines") {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	db, err = store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if r, _ := db.Request(context.Background(), id); r.DueOn != "2028-01-12" || r.DueMissingYear != 0 {
		t.Fatalf("after import: %+v", r)
	}
}
