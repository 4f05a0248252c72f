package calendar

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func FuzzParseYear(f *testing.F) {
	files, _ := filepath.Glob("data/*.xml")
	files = append(files, "testdata/fixture-2028.xml")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "b">]><calendar year="2027"/>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		y, err := ParseYear(bytes.NewReader(data))
		if err != nil {
			return
		}
		if n := len(y.kinds); n != 365 && n != 366 {
			t.Fatalf("%d days", n)
		}
		if y.kinds[0] != DayOff {
			t.Fatal("accepted without 1 January off")
		}
		c, _ := New(y)
		if _, err := c.AddWorkingDays(MustDate(y.Year, 1, 1), 1); err != nil && MissingYear(err) != y.Year+1 {
			t.Fatal(err)
		}
	})
}
