package calendar

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// oracleDays reads the embedded calendar files on their own, with
// encoding/xml and time.Time only (none of this package's parsing or
// tables), and returns which civil dates are working days.
func oracleDays(t *testing.T) (map[string]bool, int, int) {
	t.Helper()
	type day struct {
		D string `xml:"d,attr"`
		T string `xml:"t,attr"`
	}
	type file struct {
		Year int   `xml:"year,attr"`
		Days []day `xml:"days>day"`
	}
	names, _ := filepath.Glob("data/*.xml")
	working := map[string]bool{}
	first, last := 9999, 0
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var f file
		if err := xml.Unmarshal(b, &f); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		first, last = min(first, f.Year), max(last, f.Year)
		for day := time.Date(f.Year, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() == f.Year; day = day.AddDate(0, 0, 1) {
			wd := day.Weekday()
			working[day.Format(time.DateOnly)] = wd != time.Saturday && wd != time.Sunday
		}
		for _, x := range f.Days {
			m, _ := strconv.Atoi(x.D[:2])
			dd, _ := strconv.Atoi(x.D[3:])
			key := time.Date(f.Year, time.Month(m), dd, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
			working[key] = x.T != "1" // t=1 day off; t=2 shortened, t=3 working weekend
		}
	}
	return working, first, last
}

// Every due date from every day of 2020–2027, for the answer and the send
// terms, equals a day-by-day count on the calendar files read independently;
// where the term runs past the last year, the error names the missing year.
func TestDueDatesMatchIndependentCount(t *testing.T) {
	working, first, last := oracleDays(t)
	if first != 2020 || last != 2027 {
		t.Fatalf("embedded years %d–%d, want 2020–2027", first, last)
	}
	c := Builtin()
	start := time.Date(first, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(last, 12, 31, 0, 0, 0, 0, time.UTC)
	checked := 0
	for from := start; !from.After(end); from = from.AddDate(0, 0, 1) {
		for _, term := range []int{1, SendTerm, DefaultAnswerTerm, 10, 30} {
			want, day, n := "", from, 0
			for n < term {
				day = day.AddDate(0, 0, 1)
				w, known := working[day.Format(time.DateOnly)]
				if !known {
					want = ""
					break
				}
				if w {
					n++
				}
				want = day.Format(time.DateOnly)
			}
			got, err := c.AddWorkingDays(d(from.Format(time.DateOnly)), term)
			switch {
			case n < term && MissingYear(err) != last+1:
				t.Fatalf("%s + %d runs past %d: got %v, %v", from.Format(time.DateOnly), term, last, got, err)
			case n == term && (err != nil || got.String() != want):
				t.Fatalf("%s + %d: got %v %v, want %s", from.Format(time.DateOnly), term, got, err, want)
			}
			checked++
		}
	}
	if checked < 8*365*5 {
		t.Fatalf("only %d due dates checked", checked)
	}
}
