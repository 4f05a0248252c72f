package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// The journal's period is of the clerk's days: a one-day period holds that
// day, a request made after midnight in Moscow (still the day before in
// UTC) belongs to the Moscow day, and one made in the first second of a
// day (with a fraction of a second) is not counted into the day before —
// in the list and in the printed registers alike.
func TestPeriodOfClerksDays(t *testing.T) {
	ctx := context.Background()
	msk := time.FixedZone("MSK", 3*60*60)
	var clock time.Time
	db, err := Open(t.TempDir(), Options{Location: msk, Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	made := map[string]int64{}
	for name, at := range map[string]string{
		"01.11 noon":          "2026-11-01T09:00:00Z",
		"02.11 01:30 MSK":     "2026-11-01T22:30:00Z", // 01.11 in UTC
		"02.11 noon":          "2026-11-02T09:00:00Z",
		"03.11 first second":  "2026-11-02T21:00:00.3Z", // 00:00:00.3 MSK
		"03.11 exactly 00:00": "2026-11-02T21:00:00Z",
	} {
		clock, _ = time.Parse(time.RFC3339Nano, at)
		id, err := db.CreateRequest(ctx, NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelPost, Status: domain.StatusSent,
			Actor: "clerk", Applicant: name})
		if err != nil {
			t.Fatal(err)
		}
		made[name] = id
	}
	ids := func(names ...string) []int64 {
		var out []int64
		for _, n := range names {
			out = append(out, made[n])
		}
		slices.Sort(out)
		return out
	}
	for _, c := range []struct {
		from, to string
		want     []int64
	}{
		{"2026-11-01", "2026-11-01", ids("01.11 noon")},
		{"2026-11-02", "2026-11-02", ids("02.11 01:30 MSK", "02.11 noon")},
		{"2026-11-03", "2026-11-03", ids("03.11 first second", "03.11 exactly 00:00")},
		{"2026-11-02", "2026-11-03", ids("02.11 01:30 MSK", "02.11 noon", "03.11 first second", "03.11 exactly 00:00")},
	} {
		p, err := db.ListRequests(ctx, domain.RequestFilter{From: c.from, To: c.to, Order: "created"})
		if err != nil {
			t.Fatal(err)
		}
		got := pageIDs(p)
		slices.Sort(got)
		if !slices.Equal(got, c.want) || p.Total != len(c.want) {
			t.Errorf("list %s…%s: %v (total %d), want %v", c.from, c.to, got, p.Total, c.want)
		}
		rows, err := db.ReportRows(ctx, "", c.from, c.to, msk)
		if err != nil {
			t.Fatal(err)
		}
		got = nil
		for _, r := range rows {
			got = append(got, r.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("register %s…%s: %v, want %v", c.from, c.to, got, c.want)
		}
	}
}
