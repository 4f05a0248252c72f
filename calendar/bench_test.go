package calendar

import "testing"

// BenchmarkAddWorkingDays: one 5-day term, as for each row of the journal.
func BenchmarkAddWorkingDays(b *testing.B) {
	c := Builtin()
	from := MustDate(2020, 1, 1)
	for i := 0; b.Loop(); i++ {
		if _, err := c.AddWorkingDays(from.AddDays(i%2400), 5); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRemind: one reminder classification.
func BenchmarkRemind(b *testing.B) {
	c := Builtin()
	today := MustDate(2025, 5, 13)
	for i := 0; b.Loop(); i++ {
		if _, err := c.Remind(today, today.AddDays(i%10-3)); err != nil {
			b.Fatal(err)
		}
	}
}
