package store

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/domain"
)

func TestPackRoundTrip(t *testing.T) {
	long := []byte(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">` + strings.Repeat("<a>данные</a>", 100) + `</soap:Envelope>`)
	for _, in := range [][]byte{nil, {}, []byte("<x/>"), long, append(bytes.Clone(packMagic), 'z'), append(bytes.Clone(packMagic), long...)} {
		p := pack(in)
		out, err := unpack(p)
		if err != nil || !bytes.Equal(out, in) || (in == nil) != (p == nil) {
			t.Fatalf("%q: packed %q, back %q, %v", in, p, out, err)
		}
	}
	if p := pack(long); !bytes.HasPrefix(p, packMagic) || len(p) >= len(long)/2 {
		t.Fatalf("a long envelope is not packed: %d → %d", len(long), len(p))
	}
}

// A journal written before packing (values as written) reads the same;
// new values are packed on disk and come back as written.
func TestPackedJournalValues(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	env := []byte(`<soap:Envelope>` + strings.Repeat("<ns:Подпись>MIIB…</ns:Подпись>", 50) + `</soap:Envelope>`)
	id, err := db.EnqueueOutgoing(ctx, NewRequest{TemplateID: "t", Actor: "test"}, OutboxMessage{MessageID: "m-1", Envelope: env})
	if err != nil {
		t.Fatal(err)
	}
	var raw, reqEnv []byte
	db.db.QueryRow(`SELECT envelope FROM outbox WHERE message_id = 'm-1'`).Scan(&raw)
	db.db.QueryRow(`SELECT envelope FROM requests WHERE id = ?`, id).Scan(&reqEnv)
	if !bytes.HasPrefix(raw, packMagic) || reqEnv != nil {
		t.Fatalf("outbox envelope not packed (%q…) or kept twice (%d bytes in requests)", raw[:8], len(reqEnv))
	}
	got, _, err := db.OutboxEnvelope(ctx, "m-1")
	if err != nil || !bytes.Equal(got, env) {
		t.Fatalf("OutboxEnvelope: %v", err)
	}
	// An old row, written as it was.
	if _, err := db.db.Exec(`UPDATE outbox SET envelope = ? WHERE message_id = 'm-1'`, env); err != nil {
		t.Fatal(err)
	}
	items, err := db.ListOutbox(ctx, 10)
	if err != nil || len(items) != 1 || !bytes.Equal(items[0].Envelope, env) {
		t.Fatalf("old row: %v", err)
	}
	_, dup, err := db.SaveReply(ctx, NewReply{OriginalMessageID: "m-1", MessageID: "r-1", Kind: ReplyResponse,
		Body: env, Envelope: env, Status: domain.StatusAnswered})
	if err != nil || dup {
		t.Fatal(err, dup)
	}
	rep, renv, err := db.ReplyForMessage(ctx, "r-1")
	if err != nil || !bytes.Equal(renv, env) || !bytes.Equal(rep.Body, env) {
		t.Fatalf("reply: %v", err)
	}
}

// The counters kept by triggers agree with count(*) after inserts, status
// changes and deletes, for every filter the window counts through them.
func TestRequestCounts(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	var ids []int64
	for i, p := range []string{"Росреестр", "ФНС России", "Росреестр", "МВД России"} {
		id, err := db.CreateRequest(ctx, NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV,
			Status: domain.StatusDraft, Provider: p, TemplateID: []string{"a", "b"}[i%2], Actor: "test"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := db.SetStatus(ctx, ids[0], domain.StatusSigned, "test", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.Exec(`DELETE FROM requests WHERE id = ?`, ids[3]); err != nil {
		t.Fatal(err)
	}
	for _, f := range []domain.RequestFilter{{}, {Direction: domain.Outgoing}, {Direction: domain.Incoming},
		{Statuses: []domain.Status{domain.StatusDraft}}, {Statuses: []domain.Status{domain.StatusSigned, domain.StatusDraft}},
		{Provider: "Росреестр"}, {Template: "b"}, {Provider: "Росреестр", Statuses: []domain.Status{domain.StatusDraft}}} {
		p, err := db.ListRequests(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != len(p.Requests) {
			t.Errorf("%+v: total %d, rows %d", f, p.Total, len(p.Requests))
		}
	}
}

// A search's total, counted from the word index alone, is the number of
// requests it finds.
func TestSearchCountMatchesRows(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	for _, a := range []string{"Петров Иван", "Петров Иванов Иван", "Петрова Анна", "Иванов Пётр", "Сидоров Иван"} {
		if _, err := db.CreateRequest(ctx, NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV,
			Status: domain.StatusDraft, Applicant: a, Actor: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	for q, want := range map[string]int{"петров": 3, "петров иван": 2, "иван": 4, "ив петр": 3, "анна петрова": 1, "нет": 0} {
		p, err := db.ListRequests(ctx, domain.RequestFilter{Query: q})
		if err != nil || p.Total != want || len(p.Requests) != want {
			t.Errorf("%q: total %d, rows %d, want %d (%v)", q, p.Total, len(p.Requests), want, err)
		}
	}
}
