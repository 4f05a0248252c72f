package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCalendarImport(t *testing.T) {
	dir := t.TempDir()
	// A 2027 calendar in the xmlcalendar format (made up for the test: only
	// New Year holidays).
	file := filepath.Join(t.TempDir(), "2027.xml")
	os.WriteFile(file, []byte(`<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2027" lang="ru" date="2026.11.01">
  <holidays><holiday id="1" title="Новогодние каникулы"/></holidays>
  <days>
    <day d="01.01" t="1" h="1"/><day d="01.04" t="1" h="1"/><day d="01.05" t="1" h="1"/>
    <day d="01.06" t="1" h="1"/><day d="01.07" t="1" h="1"/><day d="01.08" t="1" h="1"/>
  </days>
</calendar>`), 0o644)
	if code, _, errs := run(t, nil, "deadline", "--from", "2026-12-30", "--data-dir", dir); code != 2 || !strings.Contains(errs, "2027") {
		t.Fatalf("before import: %d %s", code, errs)
	}
	if code, out, errs := run(t, nil, "calendar", "import", "--data-dir", dir, file); code != 0 || !strings.Contains(out, "2027") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	if _, out, _ := run(t, nil, "calendar", "years", "--data-dir", dir); !strings.Contains(out, "2027") {
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
