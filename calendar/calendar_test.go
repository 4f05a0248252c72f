package calendar

import (
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/quick"
	"time"

	"github.com/mezhved/mezhved/domain"
)

func d(s string) Date {
	v, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestBuiltinYears(t *testing.T) {
	c := Builtin()
	got := c.Years()
	if len(got) != 8 || got[0] != 2020 || got[7] != 2027 {
		t.Fatalf("years %v, want 2020..2027", got)
	}
	// Official totals of working days (production calendars of the Ministry of Labour).
	for year, want := range map[int]int{2022: 247, 2023: 247, 2024: 248, 2025: 247, 2026: 247, 2027: 247} {
		if n := c.years[year].WorkingDays(); n != want {
			t.Errorf("%d: %d working days, want %d", year, n, want)
		}
	}
}

func TestKinds(t *testing.T) {
	c := Builtin()
	for _, tc := range []struct {
		day  string
		want Kind
	}{
		{"2025-01-01", DayOff},
		{"2025-01-09", Workday},
		{"2024-04-27", WorkingWeekend}, // Saturday worked for 29 April
		{"2024-12-28", WorkingWeekend}, // Saturday worked for 30 December
		{"2024-04-29", DayOff},         // Monday, the day off moved from 27 April
		{"2025-11-01", ShortDay},       // a shortened working Saturday
		{"2025-04-30", ShortDay},
		{"2025-05-03", Weekend},
		{"2025-05-08", DayOff}, // Thursday, moved from 23 February
		{"2020-04-15", DayOff}, // pandemic non-working day with pay
		{"2021-11-02", DayOff},
		{"2026-01-09", DayOff}, // Friday, moved from 3 January
		{"2026-05-11", DayOff},
	} {
		k, err := c.Kind(d(tc.day))
		if err != nil || k != tc.want {
			t.Errorf("%s: %v, %v; want %v", tc.day, k, err, tc.want)
		}
		if w, _ := c.IsWorkingDay(d(tc.day)); w != tc.want.Working() {
			t.Errorf("%s: IsWorkingDay %v", tc.day, w)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := Builtin()
	for _, tc := range []struct {
		from string
		n    int
		want string
		why  string
	}{
		{"2024-12-27", 5, "2025-01-14", "New Year, across the working Saturday 28.12.2024"},
		{"2024-12-27", 1, "2024-12-28", "the working Saturday is day 1"},
		{"2025-12-30", 5, "2026-01-16", "31.12.2025 moved off, 1–11 January 2026 off"},
		{"2025-12-30", 2, "2026-01-13", "send term across the New Year"},
		{"2025-04-29", 1, "2025-04-30", "the shortened day before 1 May counts"},
		{"2025-04-30", 5, "2025-05-13", "May holidays 2025: 1–4 and 8–11 May off"},
		{"2024-04-26", 1, "2024-04-27", "working Saturday 27.04.2024"},
		{"2024-04-26", 5, "2024-05-07", "29, 30 April and 1 May 2024 off"},
		{"2024-05-08", 1, "2024-05-13", "shortened 8 May, then 9–12 May off"},
		{"2025-10-31", 1, "2025-11-01", "shortened working Saturday 01.11.2025"},
		{"2025-10-31", 5, "2025-11-10", "3 and 4 November 2025 off"},
		{"2025-03-08", 5, "2025-03-14", "day 0 a holiday: counting starts on Monday 10 March"},
		{"2025-03-07", 1, "2025-03-10", "shortened Friday is day 0, next working day Monday"},
		{"2024-02-21", 2, "2024-02-26", "shortened 22.02.2024 counts, 23 February off"},
		{"2025-06-10", 5, "2025-06-19", "shortened 11 June counts, 12 and 13 June 2025 off"},
		{"2021-10-29", 5, "2021-11-12", "pandemic days off 30.10–07.11.2021"},
		{"2025-07-01", 0, "2025-07-01", "zero term"},
		{"2023-02-21", 2, "2023-02-27", "shortened 22.02.2023, 23 and 24 February 2023 off (24 moved from 1 January)"},
		{"2020-03-27", 5, "2020-05-18", "2020: non-working days with pay 30.03–08.05 and the May holidays"},
		{"2021-02-19", 1, "2021-02-20", "working shortened Saturday 20.02.2021"},
	} {
		got, err := c.AddWorkingDays(d(tc.from), tc.n)
		if err != nil || got != d(tc.want) {
			t.Errorf("%s + %d (%s): %v, %v; want %s", tc.from, tc.n, tc.why, got, err, tc.want)
		}
		if n, err := c.WorkingDaysBetween(d(tc.from), got); err != nil || n != tc.n {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, %v; want %d", tc.from, got, n, err, tc.n)
		}
	}
	if got, err := c.AnswerDue(d("2024-12-27"), 0); err != nil || got != d("2025-01-14") {
		t.Errorf("AnswerDue default term: %v %v", got, err)
	}
	if got, err := c.AnswerDue(d("2024-12-27"), 10); err != nil || got != d("2025-01-21") {
		t.Errorf("AnswerDue 10 days: %v %v", got, err)
	}
	if got, err := c.SendBy(d("2025-04-30")); err != nil || got != d("2025-05-06") {
		t.Errorf("SendBy: %v %v", got, err)
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := Builtin()
	if n, err := c.WorkingDaysBetween(d("2024-12-31"), d("2025-12-31")); err != nil || n != 247 {
		t.Errorf("whole 2025: %d %v", n, err)
	}
	if n, err := c.WorkingDaysBetween(d("2025-05-13"), d("2025-04-30")); err != nil || n != -5 {
		t.Errorf("backwards: %d %v", n, err)
	}
	if n, _ := c.WorkingDaysBetween(d("2025-05-03"), d("2025-05-03")); n != 0 {
		t.Errorf("same day: %d", n)
	}
}

func TestYearNotCovered(t *testing.T) {
	c := Builtin()
	_, err := c.AddWorkingDays(d("2027-12-28"), 5)
	if MissingYear(err) != 2028 || domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("want a 2028 error, got %v", err)
	}
	if !strings.Contains(domain.ErrorMessage(err), "2028") {
		t.Errorf("message does not name the year: %q", domain.ErrorMessage(err))
	}
	if _, err := c.IsWorkingDay(d("2019-12-31")); MissingYear(err) != 2019 {
		t.Errorf("2019: %v", err)
	}
	if _, err := c.WorkingDaysBetween(d("2027-01-01"), d("2028-01-10")); MissingYear(err) != 2028 {
		t.Errorf("between into 2028: %v", err)
	}
	if _, err := c.AddWorkingDays(d("2025-01-01"), -1); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("negative term: %v", err)
	}
	// A gap between covered years is an error too, never weekends-only.
	gap, err := New(c.years[2024], c.years[2026])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gap.AddWorkingDays(d("2024-12-28"), 5); MissingYear(err) != 2025 {
		t.Errorf("gap year: %v", err)
	}
	if _, err := gap.WorkingDaysBetween(d("2024-12-28"), d("2026-02-01")); MissingYear(err) != 2025 {
		t.Errorf("gap year between: %v", err)
	}
	if _, err := New(c.years[2024], c.years[2024]); err == nil {
		t.Error("a year twice accepted")
	}
}

// The due date is always a working day exactly n working days after from,
// and no earlier day is: checked against a day-by-day count.
func TestPropertyDueDate(t *testing.T) {
	c := Builtin()
	first, last := d("2020-01-01"), d("2027-10-31")
	span := last.Sub(first)
	prop := func(off uint16, n uint8) bool {
		from := first.AddDays(int(off) % span)
		term := int(n)%40 + 1
		due, err := c.AddWorkingDays(from, term)
		if err != nil {
			t.Logf("%s + %d: %v", from, term, err)
			return false
		}
		if w, _ := c.IsWorkingDay(due); !w || !due.After(from) {
			return false
		}
		count := 0
		for day := from.AddDays(1); !day.After(due); day = day.AddDays(1) {
			if w, _ := c.IsWorkingDay(day); w {
				count++
			}
		}
		between, _ := c.WorkingDaysBetween(from, due)
		return count == term && between == term
	}
	cfg := &quick.Config{MaxCount: 3000, Rand: rand.New(rand.NewSource(20240427))}
	if err := quick.Check(prop, cfg); err != nil {
		t.Fatal(err)
	}
}

func TestRemind(t *testing.T) {
	c := Builtin()
	for _, tc := range []struct {
		today, due string
		want       Urgency
	}{
		{"2025-05-13", "2025-05-12", Overdue},
		{"2025-05-13", "2025-05-13", DueToday},
		{"2025-05-13", "2025-05-14", DueTomorrow},
		{"2025-05-13", "2025-05-15", NotDue},
		{"2025-05-16", "2025-05-19", DueTomorrow}, // Friday → Monday
		{"2025-05-07", "2025-05-12", DueTomorrow}, // before the 8–11 May days off
		{"2025-05-07", "2025-05-13", NotDue},
		{"2025-05-10", "2025-05-12", DueTomorrow}, // seen on a Saturday
	} {
		got, err := c.Remind(d(tc.today), d(tc.due))
		if err != nil || got != tc.want {
			t.Errorf("today %s due %s: %v %v, want %v", tc.today, tc.due, got, err, tc.want)
		}
	}
	if DueToday.Text(Incoming) == "" || DueToday.Text(Incoming) == DueToday.Text(Outgoing) || NotDue.Text(Outgoing) != "" {
		t.Error("reminder texts")
	}
	if Overdue.Text(Unsent) != "Срок отправки запроса истёк" {
		t.Errorf("unsent overdue: %q", Overdue.Text(Unsent))
	}
	if _, err := c.Remind(d("2025-05-13"), Date{}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("no due date: %v", err)
	}
	if _, err := c.Remind(d("2027-12-31"), d("2028-01-20")); MissingYear(err) != 2028 {
		t.Errorf("remind past the calendar: %v", err)
	}
}

func TestParseYearRejects(t *testing.T) {
	ok := `<calendar year="2027"><holidays><holiday id="1" title="x"/></holidays><days><day d="01.01" t="1" h="1"/>%s</days></calendar>`
	for name, body := range map[string]string{
		"doctype":     `<!DOCTYPE calendar [<!ENTITY x "y">]><calendar year="2027"><days><day d="01.01" t="1"/></days></calendar>`,
		"no year":     `<calendar><days><day d="01.01" t="1"/></days></calendar>`,
		"weekday t=3": strings.Replace(ok, "%s", `<day d="01.05" t="3"/>`, 1),
		"bad type":    strings.Replace(ok, "%s", `<day d="01.05" t="4"/>`, 1),
		"no such day": strings.Replace(ok, "%s", `<day d="02.29" t="1"/>`, 1),
		"bad form":    strings.Replace(ok, "%s", `<day d="1.5" t="1"/>`, 1),
		"twice":       strings.Replace(ok, "%s", `<day d="01.01" t="1"/>`, 1),
		"bad holiday": strings.Replace(ok, "%s", `<day d="01.04" t="1" h="7"/>`, 1),
		"bad move":    strings.Replace(ok, "%s", `<day d="01.04" t="1" f="13.40"/>`, 1),
		"other elem":  strings.Replace(ok, "%s", `<week n="1"/>`, 1),
		"text":        strings.Replace(ok, "%s", `hello`, 1),
		"no jan 1":    `<calendar year="2027"><days><day d="01.04" t="1"/></days></calendar>`,
		"not xml":     `<calendar year="2027"><days>`,
		"empty":       ``,
		"two roots":   strings.Replace(ok, "%s", "", 1) + `<calendar year="2028"/>`,
		"huge":        strings.Replace(ok, "%s", strings.Repeat(" ", MaxFileSize), 1),
		"namespaced":  `<c:calendar xmlns:c="urn:x" year="2027"/>`,
	} {
		_, err := ParseYear(strings.NewReader(body))
		if err == nil {
			t.Errorf("%s: accepted", name)
		} else if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), "календар") {
			t.Errorf("%s: %v (%s)", name, err, domain.ErrorMessage(err))
		}
	}
}

func TestImportAndLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "calendars")
	bad := filepath.Join(t.TempDir(), "bad.xml")
	os.WriteFile(bad, []byte(`<calendar year="2027"><days><day d="01.05" t="3"/></days></calendar>`), 0o644)
	if _, err := Import(dir, bad); err == nil {
		t.Fatal("invalid file imported")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("an invalid import left files: %v", entries)
	}
	y, err := Import(dir, "testdata/fixture-2028.xml")
	if err != nil || y.Year != 2028 {
		t.Fatalf("import: %v %v", y, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "2028.xml" {
		t.Fatalf("dir holds %v", entries)
	}
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.AddWorkingDays(d("2027-12-29"), 5)
	// 30.12.2027 day 1; 31.12.2027 moved off (official 2027); 1–9 January
	// 2028 off (the fixture: 1–8 January holidays, 9 a Sunday); 10–13 days 2–5.
	if err != nil || got != d("2028-01-13") {
		t.Errorf("across into the imported year: %v %v", got, err)
	}
	if _, err := Builtin().AddWorkingDays(d("2027-12-29"), 5); MissingYear(err) != 2028 {
		t.Error("the built-in calendar changed")
	}
	if c, err := Load(filepath.Join(dir, "missing")); err != nil || len(c.Years()) != 8 {
		t.Errorf("missing dir: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "2029.xml"), []byte("junk"), 0o644)
	if _, err := Load(dir); err == nil {
		t.Error("a damaged file in the directory was ignored")
	}
}

func TestDate(t *testing.T) {
	a := MustDate(2024, time.February, 29)
	if a.String() != "2024-02-29" || a.Russian() != "29.02.2024" || a.Weekday() != time.Thursday {
		t.Errorf("%s %s %v", a, a.Russian(), a.Weekday())
	}
	if b, err := ParseDate("29.02.2024"); err != nil || b != a {
		t.Errorf("Russian form: %v %v", b, err)
	}
	for _, s := range []string{"2025-02-29", "2025-13-01", "2025-1-01", "01/02/2025", "", "2025-00-10", "32.01.2025", "２０２５-01-01"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	var z Date
	if !z.IsZero() || z.String() != "" || MustDate(1, 1, 1).IsZero() {
		t.Error("zero date")
	}
	if err := z.UnmarshalText([]byte("2025-05-09")); err != nil || z != MustDate(2025, 5, 9) {
		t.Errorf("unmarshal: %v %v", z, err)
	}
	if v, _ := a.Value(); v != "2024-02-29" {
		t.Errorf("Value: %v", v)
	}
	if v, _ := (Date{}).Value(); v != nil {
		t.Errorf("zero Value: %v", v)
	}
	var s Date
	if err := s.Scan([]byte("2024-02-29")); err != nil || s != a {
		t.Errorf("Scan: %v %v", s, err)
	}
	if err := s.Scan(nil); err != nil || !s.IsZero() {
		t.Errorf("Scan NULL: %v", err)
	}
	if err := s.Scan(int64(5)); err == nil {
		t.Error("Scan of a number")
	}
	if got := DateOf(time.Date(2025, 1, 1, 1, 0, 0, 0, time.FixedZone("MSK", 3*3600))); got != MustDate(2025, 1, 1) {
		t.Errorf("DateOf keeps the zone's day: %v", got)
	}
	if a.AddDays(1).Sub(a) != 1 || !a.Before(a.AddDays(1)) || a.Compare(a) != 0 || a.AddDays(1).String() != "2024-03-01" {
		t.Error("arithmetic")
	}
}
