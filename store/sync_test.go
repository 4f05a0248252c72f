package store

import (
	"context"
	"testing"

	"github.com/mezhved/mezhved/domain"
)

func TestSyncBatch(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if n, err := db.LastEventSeq(ctx); err != nil || n != 0 {
		t.Fatalf("empty journal: %d %v", n, err)
	}
	id, err := db.CreateRequest(ctx, NewRequest{Direction: domain.Outgoing, TemplateID: "fns-egrul", TemplateTitle: "Выписка из ЕГРЮЛ",
		Provider: "ФНС России", Channel: domain.ChannelSMEV, Status: domain.StatusQueued, Applicant: "Иванов И. И.",
		SNILS: "112-233-445 95", DueOn: "2026-12-01", Actor: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetStatus(ctx, id, domain.StatusSent, "outbox", ""); err != nil {
		t.Fatal(err)
	}
	evs, err := db.SyncBatch(ctx, 0, 10)
	if err != nil || len(evs) != 2 {
		t.Fatalf("%d events, %v", len(evs), err)
	}
	r := evs[1].Request
	if evs[1].To != domain.StatusSent || r.ID != id || r.Provider != "ФНС России" || r.DueOn != "2026-12-01" ||
		r.Applicant != "Иванов И. И." || r.CreatedAt.IsZero() || r.Channel != domain.ChannelSMEV {
		t.Fatalf("event %+v", evs[1])
	}
	if more, _ := db.SyncBatch(ctx, evs[1].Seq, 10); len(more) != 0 {
		t.Fatalf("after the last: %d", len(more))
	}
	if n, _ := db.CountEventsAfter(ctx, evs[0].Seq); n != 1 {
		t.Fatalf("waiting %d", n)
	}
	if n, _ := db.LastEventSeq(ctx); n != evs[1].Seq {
		t.Fatalf("last %d", n)
	}
	if _, err := db.SyncBatch(ctx, 0, 0); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("limit 0: %v", err)
	}
}
