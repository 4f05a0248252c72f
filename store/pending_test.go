package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// A request sent into a year the calendar lacks keeps no due date, says
// which year is missing, and gets its deadline when the year arrives; the
// incoming one as well.
func TestPendingDeadlinesResolveWhenTheYearArrives(t *testing.T) {
	ctx := context.Background()
	db := openOutboxDB(t)
	out := enqueue(t, db, mid1)
	item, err := db.OutboxByMessageID(ctx, mid1)
	if err != nil {
		t.Fatal(err)
	}
	sent := time.Date(2027, 12, 28, 9, 0, 0, 0, time.UTC)
	pend := &PendingDeadline{From: "2027-12-28", Days: 5, MissingYear: 2028}
	if err := db.OutboxSentMany(ctx, []SentRecord{{ID: item.ID, At: sent, Pending: pend}}); err != nil {
		t.Fatal(err)
	}
	in, err := db.CreateRequest(ctx, NewRequest{Direction: domain.Incoming, Channel: domain.ChannelSMEV, Status: domain.StatusReceived,
		Provider: "ФНС", DueFrom: "2027-12-29", DueDays: 5, DueMissingYear: 2028, Actor: "smev"})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{out, in} {
		r, _ := db.Request(ctx, id)
		if r.DueOn != "" || r.DueMissingYear != 2028 {
			t.Fatalf("request %d before: due %q missing %d", id, r.DueOn, r.DueMissingYear)
		}
	}
	if p, _ := db.PendingDeadlines(ctx); len(p) != 2 {
		t.Fatalf("pending %+v", p)
	}

	// The calendar still lacks the year: nothing changes.
	still := func(from string, days int) (string, int, error) { return "", 2028, nil }
	if n, err := db.ResolvePendingDeadlines(ctx, still); err != nil || n != 0 {
		t.Fatalf("still missing: %d %v", n, err)
	}
	// A failing computation changes nothing either.
	boom := errors.New("boom")
	if _, err := db.ResolvePendingDeadlines(ctx, func(string, int) (string, int, error) { return "", 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("error: %v", err)
	}
	if p, _ := db.PendingDeadlines(ctx); len(p) != 2 {
		t.Fatalf("pending after failures %+v", p)
	}

	// The year arrives.
	var asked []string
	arrived := func(from string, days int) (string, int, error) {
		asked = append(asked, from)
		return map[string]string{"2027-12-28": "2028-01-13", "2027-12-29": "2028-01-14"}[from], 0, nil
	}
	if n, err := db.ResolvePendingDeadlines(ctx, arrived); err != nil || n != 2 || len(asked) != 2 {
		t.Fatalf("resolved %d %v %v", n, err, asked)
	}
	for id, want := range map[int64]string{out: "2028-01-13", in: "2028-01-14"} {
		r, _ := db.Request(ctx, id)
		if r.DueOn != want || r.DueMissingYear != 0 {
			t.Fatalf("request %d after: due %q missing %d", id, r.DueOn, r.DueMissingYear)
		}
		ds, _ := db.Deadlines(ctx, id)
		if len(ds) != 1 || ds[0].DueOn != want || ds[0].Days != 5 {
			t.Fatalf("deadlines of %d: %+v", id, ds)
		}
	}
	if p, _ := db.PendingDeadlines(ctx); len(p) != 0 {
		t.Fatalf("left pending %+v", p)
	}
	// Overdue lists see the computed due date.
	page, err := db.ListRequests(ctx, domain.RequestFilter{OverdueOn: "2028-01-20"})
	if err != nil || page.Total != 2 {
		t.Fatalf("overdue after: %+v %v", page, err)
	}
}

func TestPendingDeadlineBadInputWritesNothing(t *testing.T) {
	ctx := context.Background()
	db := openOutboxDB(t)
	for _, n := range []NewRequest{
		{DueFrom: "28.12.2027", DueDays: 5, DueMissingYear: 2028},
		{DueFrom: "2027-12-28", DueDays: 0, DueMissingYear: 2028},
	} {
		n.Direction, n.Channel, n.Status, n.Actor = domain.Incoming, domain.ChannelSMEV, domain.StatusReceived, "smev"
		if _, err := db.CreateRequest(ctx, n); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("%+v: %v", n, err)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM requests`); n != 0 {
		t.Fatalf("%d requests written", n)
	}
}

// SMEV's "accepted" may be recorded before the confirmation of the send:
// the request keeps its status, and still gets its sending time and its
// answer deadline (or its waiting one).
func TestStatusBeforeSentStillGetsTheDeadline(t *testing.T) {
	ctx := context.Background()
	db := openOutboxDB(t)
	for i, c := range []struct {
		id      string
		due     string
		pending *PendingDeadline
	}{
		{mid1, "2027-03-15", nil},
		{mid2, "", &PendingDeadline{From: "2027-12-28", Days: 3, MissingYear: 2028}},
	} {
		rid := enqueue(t, db, c.id)
		if err := db.RecordSMEVStatus(ctx, c.id, domain.StatusAccepted, "СМЭВ: requestIsAcceptedBySmev"); err != nil {
			t.Fatal(err)
		}
		item, _ := db.OutboxByMessageID(ctx, c.id)
		at := time.Date(2027, 3, 10, 9, 0, 0, 0, time.UTC)
		if err := db.OutboxSentMany(ctx, []SentRecord{{ID: item.ID, At: at, DueOn: c.due, Pending: c.pending}}); err != nil {
			t.Fatal(err)
		}
		r, _ := db.Request(ctx, rid)
		if r.Status != domain.StatusAccepted || r.SentAt.IsZero() {
			t.Fatalf("case %d: %s sent %v", i, r.Status, r.SentAt)
		}
		if c.pending == nil && (r.DueOn != c.due || r.DueMissingYear != 0) {
			t.Fatalf("case %d: due %q", i, r.DueOn)
		}
		if c.pending != nil && (r.DueOn != "" || r.DueMissingYear != 2028) {
			t.Fatalf("case %d: due %q missing %d", i, r.DueOn, r.DueMissingYear)
		}
	}
}
