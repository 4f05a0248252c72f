package reports

import (
	"context"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/printing"
	"github.com/mezhved/mezhved/store"
)

func journal(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	add := func(dir domain.Direction, provider, tmpl string, final domain.Status, due string) {
		id, err := db.CreateRequest(ctx, store.NewRequest{Direction: dir, Channel: domain.ChannelSMEV, Status: domain.StatusSent,
			Provider: provider, TemplateTitle: tmpl, DueOn: due, Actor: "t"})
		if err != nil {
			t.Fatal(err)
		}
		if final != domain.StatusSent {
			db.SetStatus(ctx, id, final, "t", "")
		}
	}
	today := time.Now().Format(time.DateOnly)
	past := time.Now().AddDate(0, 0, -3).Format(time.DateOnly)
	future := time.Now().AddDate(0, 0, 5).Format(time.DateOnly)
	add(domain.Outgoing, "Росреестр", "Выписка из ЕГРН", domain.StatusAnswered, future) // in term
	add(domain.Outgoing, "Росреестр", "Выписка из ЕГРН", domain.StatusAnswered, past)   // late
	add(domain.Outgoing, "ФНС России", "Выписка из ЕГРИП", domain.StatusRejected, today)
	add(domain.Outgoing, "ФНС России", "Выписка из ЕГРИП", domain.StatusError, today)
	add(domain.Outgoing, "МВД России", "Регистрация", domain.StatusSent, past) // overdue, open
	add(domain.Incoming, "Социальный фонд России", "Похозяйственная книга", domain.StatusReceived, future)
	add(domain.Incoming, "Социальный фонд России", "Похозяйственная книга", domain.StatusRejected, future) // our refusal
	return db
}

func period() (string, string) {
	return time.Now().AddDate(0, 0, -1).Format(time.DateOnly), time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
}

func TestQuarterly(t *testing.T) {
	db := journal(t)
	from, to := period()
	doc, err := Build(context.Background(), db, Params{Kind: KindQuarterly, From: from, To: to, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	q := doc.(printing.Quarterly)
	want := map[string]printing.StatRow{
		"Росреестр":  {Name: "Росреестр", Sent: 2, InTerm: 1, Late: 1},
		"ФНС России": {Name: "ФНС России", Sent: 2, Refused: 1, Errors: 1},
		"МВД России": {Name: "МВД России", Sent: 1},
	}
	if len(q.ByProvider) != 3 {
		t.Fatalf("%+v", q.ByProvider)
	}
	for _, r := range q.ByProvider {
		if r != want[r.Name] {
			t.Errorf("%+v, want %+v", r, want[r.Name])
		}
	}
	if len(q.ByTemplate) != 3 {
		t.Fatalf("%+v", q.ByTemplate)
	}
	// The settlement's own answers: incoming requests by who asked.
	if len(q.Incoming) != 1 || q.Incoming[0] != (printing.StatRow{Name: "Социальный фонд России", Sent: 2, Refused: 1}) {
		t.Fatalf("incoming %+v", q.Incoming)
	}
}

func TestRegistersAndOverdue(t *testing.T) {
	db := journal(t)
	from, to := period()
	ctx := context.Background()
	for kind, n := range map[string]int{KindOutgoing: 5, KindIncoming: 2, KindOverdue: 2} {
		doc, err := Build(ctx, db, Params{Kind: kind, From: from, To: to, Now: time.Now()})
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if got := len(doc.(printing.Register).Rows); got != n {
			t.Errorf("%s: %d rows, want %d", kind, got, n)
		}
	}
	_, err := Build(ctx, db, Params{Kind: KindOutgoing, From: "2020-01-01", To: "2020-03-31", Now: time.Now()})
	if domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("empty period: %v", err)
	}
	if _, err := Build(ctx, db, Params{Kind: "everything", From: from, To: to}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("bad kind: %v", err)
	}
}
