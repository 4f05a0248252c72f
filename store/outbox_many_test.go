package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/domain"
)

func manyRows(n int) ([]NewRequest, []OutboxMessage) {
	ns := make([]NewRequest, n)
	ms := make([]OutboxMessage, n)
	for i := range n {
		ns[i] = NewRequest{TemplateID: "egrn-object", TemplateTitle: "Выписка из ЕГРН", Provider: "Росреестр",
			Applicant: fmt.Sprintf("Заявитель%d Пётр", i), Actor: "clerk"}
		ms[i] = OutboxMessage{MessageID: fmt.Sprintf("8c4b1f2e-c8a1-11f1-8000-%012d", i), Envelope: []byte(fmt.Sprintf("<env n=\"%d\"/>", i)), TermDays: 5}
	}
	return ns, ms
}

// A batch is written in one transaction, in its order; a bad member or a
// clash leaves nothing of the batch behind.
func TestEnqueueOutgoingMany(t *testing.T) {
	ctx := context.Background()
	db := openOutboxDB(t)
	ns, ms := manyRows(3)
	ids, err := db.EnqueueOutgoingMany(ctx, ns, ms)
	if err != nil || len(ids) != 3 || !(ids[0] < ids[1] && ids[1] < ids[2]) {
		t.Fatalf("%v %v", ids, err)
	}
	for i, id := range ids {
		r, err := db.Request(ctx, id)
		if err != nil || r.MessageID != ms[i].MessageID || r.Status != domain.StatusQueued || r.Applicant != ns[i].Applicant {
			t.Fatalf("%d: %+v %v", i, r, err)
		}
	}
	if p, _ := db.ListRequests(ctx, domain.RequestFilter{Query: "заявитель1"}); p.Total != 1 {
		t.Fatalf("search words: %d", p.Total)
	}
	before := count(t, db, `SELECT count(*) FROM requests`)
	events := count(t, db, `SELECT count(*) FROM events`)

	// The third clashes with a MessageID already queued: the first two
	// are not written either.
	ns2, ms2 := manyRows(6)
	ns2, ms2 = ns2[3:], ms2[3:]
	ms2[2].MessageID = ms[0].MessageID
	if _, err := db.EnqueueOutgoingMany(ctx, ns2, ms2); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("clash: %v", err)
	}
	// The same MessageID twice inside one batch.
	ns3, ms3 := manyRows(12)
	ns3, ms3 = ns3[10:], ms3[10:]
	ms3[1].MessageID = ms3[0].MessageID
	if _, err := db.EnqueueOutgoingMany(ctx, ns3, ms3); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("twice in the batch: %v", err)
	}
	// An invalid member is named by its place, before anything is written.
	ns4, ms4 := manyRows(22)
	ns4, ms4 = ns4[20:], ms4[20:]
	ms4[1].Envelope = nil
	_, err = db.EnqueueOutgoingMany(ctx, ns4, ms4)
	if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), "Запрос 2 из 2") {
		t.Fatalf("invalid: %v", err)
	}
	// Mismatched lengths and an oversized batch.
	if _, err := db.EnqueueOutgoingMany(ctx, ns4, ms4[:1]); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("lengths: %v", err)
	}
	big, bigm := manyRows(MaxEnqueueBatch + 1)
	if _, err := db.EnqueueOutgoingMany(ctx, big, bigm); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("oversized: %v", err)
	}
	if n := count(t, db, `SELECT count(*) FROM requests`); n != before {
		t.Fatalf("%d requests after refused batches, want %d", n, before)
	}
	if n := count(t, db, `SELECT count(*) FROM events`); n != events {
		t.Fatalf("%d events after refused batches, want %d", n, events)
	}
	if n := count(t, db, `SELECT count(*) FROM outbox`); n != 3 {
		t.Fatalf("%d outbox rows", n)
	}
	if n := count(t, db, `SELECT count(*) FROM search_words WHERE request_id NOT IN (SELECT id FROM requests)`); n != 0 {
		t.Fatalf("%d stray search words", n)
	}
}
