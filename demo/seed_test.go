package demo

import (
	"context"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
)

func TestSeedIsIdempotent(t *testing.T) {
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	today := time.Date(2026, 11, 23, 10, 0, 0, 0, time.Local)
	n, err := Seed(ctx, db, today)
	if err != nil || n != len(seeds) {
		t.Fatalf("%d %v", n, err)
	}
	if n, err := Seed(ctx, db, today); err != nil || n != 0 {
		t.Fatalf("second seed: %d %v", n, err)
	}
	overdue, _ := db.CountOverdue(ctx, today.Format(time.DateOnly), "")
	if overdue != 2 {
		t.Fatalf("overdue = %d, want 2 (one outgoing sent, one incoming)", overdue)
	}
	if v, _ := db.Setting(ctx, store.SettingTraining); v != "1" {
		t.Fatal("training mode not on")
	}
	p, _ := db.ListRequests(ctx, domain.RequestFilter{Direction: domain.Outgoing, Statuses: []domain.Status{domain.StatusAnswered}})
	ev, _ := db.Events(ctx, p.Requests[0].ID)
	if p.Total != 1 || len(ev) != 6 {
		t.Fatalf("answered: %d, events %d", p.Total, len(ev))
	}
}
