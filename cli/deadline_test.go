package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDeadline(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--from", "2024-12-27"}, "2025-01-14"},
		{[]string{"--from", "2025-04-30", "--days", "5"}, "2025-05-13"},
		{[]string{"--from", "2024-04-26", "--days", "1"}, "2024-04-27"},
		{[]string{"--from", "2025-12-30", "--days", "2"}, "2026-01-13"},
		{[]string{"--from", "2026-12-25"}, "2027-01-12"}, // the last week of December into the embedded 2027
		{[]string{"--from", "2026-12-30"}, "2027-01-15"},
	} {
		code, out, errs := runIn(t, dir, append([]string{"deadline"}, c.args...)...)
		if code != 0 || out != c.want+"\n" {
			t.Errorf("%v: %d %q %s", c.args, code, out, errs)
		}
	}
	code, out, errs := runIn(t, dir, "deadline", "--from", "2027-12-29")
	if code != 2 || out != "" || !strings.Contains(errs, "срок не рассчитан: нет производственного календаря на 2028 год") {
		t.Errorf("a year not covered: %d %q %s", code, out, errs)
	}
	for _, bad := range [][]string{{"deadline"}, {"deadline", "--from", "2025-02-30"}, {"deadline", "--from", "2025-01-10", "--days", "0"}, {"deadline", "--from", "x", "y"}} {
		if code, out, _ := runIn(t, dir, bad...); code != 2 || out != "" {
			t.Errorf("%v: %d %q", bad, code, out)
		}
	}
	// An imported year is used.
	os.MkdirAll(filepath.Join(dir, "calendar"), 0o755)
	b, _ := os.ReadFile("../calendar/testdata/fixture-2028.xml")
	os.WriteFile(filepath.Join(dir, "calendar", "2028.xml"), b, 0o644)
	if code, out, errs := runIn(t, dir, "deadline", "--from", "2027-12-29"); code != 0 || out != "2028-01-13\n" {
		t.Errorf("with 2028 imported: %d %q %s", code, out, errs)
	}
}
