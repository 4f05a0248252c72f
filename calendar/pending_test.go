package calendar

import (
	"strings"
	"testing"
)

func TestDueOnKeepsAMissingYearApart(t *testing.T) {
	c := Builtin()
	if due, y, err := c.DueOn("2026-12-25", 5); err != nil || y != 0 || due != "2027-01-12" {
		t.Fatalf("into 2027: %q %d %v", due, y, err)
	}
	if due, y, err := c.DueOn("2027-12-28", 5); err != nil || y != 2028 || due != "" {
		t.Fatalf("into 2028: %q %d %v", due, y, err)
	}
	if _, _, err := c.DueOn("28.12.2027x", 5); err == nil {
		t.Fatal("a bad date accepted")
	}
	if PendingNote(2028) != "срок не рассчитан: нет производственного календаря на 2028 год" {
		t.Fatalf("note %q", PendingNote(2028))
	}
}

func TestNoticeFromOctober(t *testing.T) {
	c := Builtin() // 2020–2027
	for _, tc := range []struct {
		today string
		year  string // the year named, "" for no notice
	}{
		{"2027-09-30", ""},
		{"2027-10-01", "2028"},
		{"2027-12-31", "2028"},
		{"2026-10-01", ""}, // 2027 is there
		{"2028-01-01", "2028"},
		{"2028-06-15", "2028"},
	} {
		n := c.Notice(d(tc.today))
		if (tc.year == "") != (n == "") || !strings.Contains(n, tc.year) {
			t.Errorf("%s: %q", tc.today, n)
		}
		if n != "" && (!strings.Contains(n, "Загрузить календарь") || !strings.Contains(n, "региона") || !strings.Contains(n, "mezhved calendar import")) {
			t.Errorf("%s: the notice does not say where the calendar comes from: %q", tc.today, n)
		}
	}
	// With 2028 imported there is nothing to say in late 2027.
	y, err := ParseYear(strings.NewReader(`<calendar year="2028"><days><day d="01.01" t="1"/></days></calendar>`))
	if err != nil {
		t.Fatal(err)
	}
	if n := c.With(y).Notice(d("2027-11-15")); n != "" {
		t.Errorf("with 2028: %q", n)
	}
}
