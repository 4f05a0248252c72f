package store

import (
	"context"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
)

func TestReportRows(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	clock := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	db.now = func() time.Time { return clock }
	// A request starts as a draft, queued (ours) or received (theirs), and
	// moves on as the journal lets it.
	mk := func(dir domain.Direction, st domain.Status, due string) int64 {
		start := domain.StatusQueued
		switch {
		case st == domain.StatusDraft || st == domain.StatusReceived:
			start = st
		case dir == domain.Incoming:
			t.Fatalf("incoming %s: not a fixture", st)
		}
		id, err := db.CreateRequest(ctx, NewRequest{Direction: dir, Channel: domain.ChannelSMEV, Status: start,
			DueOn: due, Provider: "Росреестр", TemplateTitle: "Выписка", Actor: "t"})
		if err != nil {
			t.Fatal(err)
		}
		if start == domain.StatusQueued {
			if err := db.SetStatus(ctx, id, domain.StatusSent, "t", ""); err != nil {
				t.Fatal(err)
			}
			if st != domain.StatusSent {
				clock = clock.Add(10 * 24 * time.Hour)
				if err := db.SetStatus(ctx, id, st, "t", ""); err != nil {
					t.Fatal(err)
				}
				clock = clock.Add(-10 * 24 * time.Hour)
			}
		}
		return id
	}
	mk(domain.Outgoing, domain.StatusAnswered, "2026-07-08") // answered 07-11: late
	mk(domain.Outgoing, domain.StatusAnswered, "2026-07-20") // in term
	mk(domain.Outgoing, domain.StatusSent, "2026-07-03")     // open, overdue by 07-05
	mk(domain.Outgoing, domain.StatusDraft, "")              // not in registers
	mk(domain.Incoming, domain.StatusReceived, "2026-07-08")
	clock = time.Date(2026, 8, 1, 9, 0, 0, 0, time.UTC)
	mk(domain.Outgoing, domain.StatusSent, "2026-08-08") // outside July

	rows, err := db.ReportRows(ctx, domain.Outgoing, "2026-07-01", "2026-07-31", time.UTC)
	if err != nil || len(rows) != 3 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	late := 0
	for _, r := range rows {
		if r.Late("2026-07-05", time.UTC) {
			late++
		}
	}
	if late != 2 {
		t.Fatalf("late = %d, want 2", late)
	}
	if rows, _ := db.ReportRows(ctx, "", "2026-07-01", "2026-07-31", time.UTC); len(rows) != 4 {
		t.Fatalf("both directions: %d", len(rows))
	}
	for _, p := range [][2]string{{"2026-07-31", "2026-07-01"}, {"июль", "2026-07-31"}} {
		if _, err := db.ReportRows(ctx, "", p[0], p[1], time.UTC); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%v: %v", p, err)
		}
	}
}
