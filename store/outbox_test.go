package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
)

func openOutboxDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, db *DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

const (
	mid1 = "8c4b1f2e-c8a1-11f1-8000-0242ac120002"
	mid2 = "8c4b1f2e-c8a1-11f1-8000-0242ac120003"
)

func enqueue(t *testing.T, db *DB, id string) int64 {
	t.Helper()
	rid, err := db.EnqueueOutgoing(context.Background(), NewRequest{TemplateID: "egrn-object", TemplateTitle: "Выписка из ЕГРН",
		Provider: "Росреестр", Applicant: "Смирнов Алексей", Actor: "clerk"},
		OutboxMessage{MessageID: id, Envelope: []byte("<env/>"), TermDays: 3})
	if err != nil {
		t.Fatal(err)
	}
	return rid
}

// The request, its event and its outbox row appear together, or not at all.
func TestEnqueueOutgoing(t *testing.T) {
	ctx := context.Background()
	db := openOutboxDB(t)
	rid := enqueue(t, db, mid1)
	r, err := db.Request(ctx, rid)
	if err != nil || r.Status != domain.StatusQueued || r.MessageID != mid1 || r.Channel != domain.ChannelSMEV {
		t.Fatalf("%+v %v", r, err)
	}
	if evs, _ := db.Events(ctx, rid); len(evs) != 1 || evs[0].To != domain.StatusQueued {
		t.Fatalf("%+v", evs)
	}
	due, err := db.OutboxDue(ctx, time.Now().Add(time.Second), 10)
	if err != nil || len(due) != 1 || due[0].MessageID != mid1 || string(due[0].Envelope) != "<env/>" || due[0].TermDays != 3 {
		t.Fatalf("%+v %v", due, err)
	}
	// The same MessageID again: refused, nothing written.
	_, err = db.EnqueueOutgoing(ctx, NewRequest{Actor: "clerk"}, OutboxMessage{MessageID: mid1, Envelope: []byte("<x/>")})
	if domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("%v", err)
	}
	if n := count(t, db, `SELECT count(*) FROM requests`); n != 1 {
		t.Fatalf("%d requests", n)
	}
	if n := count(t, db, `SELECT count(*) FROM outbox`); n != 1 {
		t.Fatalf("%d outbox rows", n)
	}
	if p, _ := db.ListRequests(ctx, domain.RequestFilter{Query: "смирнов"}); p.Total != 1 {
		t.Fatal("not found by the applicant")
	}
	for _, bad := range []OutboxMessage{{MessageID: "", Envelope: []byte("x")}, {MessageID: mid2}, {MessageID: mid2, Envelope: []byte("x"), TermDays: -1}} {
		if _, err := db.EnqueueOutgoing(ctx, NewRequest{Actor: "clerk"}, bad); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

func TestOutboxLifecycle(t *testing.T) {
	ctx := context.Background()
	db := openOutboxDB(t)
	rid := enqueue(t, db, mid1)
	it, _ := db.OutboxByMessageID(ctx, mid1)
	next := time.Now().Add(time.Hour)
	if err := db.OutboxRetry(ctx, it.ID, next, "нет связи"); err != nil {
		t.Fatal(err)
	}
	if due, _ := db.OutboxDue(ctx, time.Now(), 10); len(due) != 0 {
		t.Fatal("due before its time")
	}
	it, _ = db.OutboxByMessageID(ctx, mid1)
	if d := it.NextAttemptAt.Sub(next); it.Attempts != 1 || it.LastError != "нет связи" || d < -time.Millisecond || d > time.Millisecond {
		t.Fatalf("%+v", it)
	}
	// StaleMessageId: a new id in both tables.
	if err := db.OutboxRenew(ctx, it.ID, mid2, []byte("<env2/>"), "StaleMessageId"); err != nil {
		t.Fatal(err)
	}
	if r, _ := db.RequestByMessageID(ctx, mid2); r == nil || r.ID != rid {
		t.Fatal("the request did not get the new MessageID")
	}
	sentAt := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	if err := db.OutboxSent(ctx, it.ID, sentAt, "2026-11-25", "принят СМЭВ"); err != nil {
		t.Fatal(err)
	}
	if err := db.OutboxSent(ctx, it.ID, sentAt, "2026-11-25", "принят СМЭВ"); err != nil {
		t.Fatal(err)
	}
	r, _ := db.Request(ctx, rid)
	if r.Status != domain.StatusSent || r.DueOn != "2026-11-25" || !r.SentAt.Equal(sentAt) {
		t.Fatalf("%+v", r)
	}
	if n := count(t, db, `SELECT count(*) FROM deadlines WHERE request_id = ? AND kind = 'answer' AND from_on = '2026-11-20' AND days = 3`, rid); n != 1 {
		t.Fatal("no answer deadline")
	}
	evs, _ := db.Events(ctx, rid)
	if len(evs) != 3 || evs[2].To != domain.StatusSent || !strings.Contains(evs[1].Note, mid2) {
		t.Fatalf("%+v", evs)
	}
	if err := db.OutboxRetry(ctx, it.ID, next, "x"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("retry after sent: %v", err)
	}
	if items, _ := db.ListOutbox(ctx, 10, OutboxSent); len(items) != 1 {
		t.Fatal("list by state")
	}
}

func TestOutboxFail(t *testing.T) {
	ctx := context.Background()
	db := openOutboxDB(t)
	rid := enqueue(t, db, mid1)
	it, _ := db.OutboxByMessageID(ctx, mid1)
	if err := db.OutboxFail(ctx, it.ID, "СМЭВ: доступ запрещён"); err != nil {
		t.Fatal(err)
	}
	r, _ := db.Request(ctx, rid)
	if r.Status != domain.StatusError || r.LastError != "СМЭВ: доступ запрещён" {
		t.Fatalf("%+v", r)
	}
	if it, _ = db.OutboxByMessageID(ctx, mid1); it.State != OutboxFailed || it.Attempts != 1 {
		t.Fatalf("%+v", it)
	}
	if err := db.OutboxFail(ctx, it.ID, "again"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatal(err)
	}
}

// A reply is committed once with the request's new status; delivered again
// it is recognised; one for an unknown request is refused.
func TestSaveReply(t *testing.T) {
	ctx := context.Background()
	db := openOutboxDB(t)
	rid := enqueue(t, db, mid1)
	reply := NewReply{OriginalMessageID: mid1, MessageID: mid2, Kind: ReplyResponse, Body: []byte("<ok/>"), Status: domain.StatusAnswered,
		Note: "ответ получен", Attachments: []NewAttachment{{Name: "a.pdf", MimeType: "application/pdf", Content: []byte("%PDF"),
			SHA256: strings.Repeat("ab", 32)}}}
	id, dup, err := db.SaveReply(ctx, reply)
	if err != nil || dup || id == 0 {
		t.Fatalf("%d %v %v", id, dup, err)
	}
	id2, dup, err := db.SaveReply(ctx, reply)
	if err != nil || !dup || id2 != id {
		t.Fatalf("again: %d %v %v", id2, dup, err)
	}
	reps, _ := db.Replies(ctx, rid)
	if len(reps) != 1 || len(reps[0].Files) != 1 || reps[0].Files[0].Size != 4 || !reps[0].AckedAt.IsZero() {
		t.Fatalf("%+v", reps)
	}
	if u, _ := db.UnackedReplies(ctx, 10); len(u) != 1 || !u[0].Accepted {
		t.Fatalf("%+v", u)
	}
	if err := db.ReplyAcked(ctx, time.Now(), mid2); err != nil {
		t.Fatal(err)
	}
	if u, _ := db.UnackedReplies(ctx, 10); len(u) != 0 {
		t.Fatal("still unacked")
	}
	if r, _ := db.Request(ctx, rid); r.Status != domain.StatusAnswered || r.AnsweredAt.IsZero() {
		t.Fatalf("%+v", r)
	}
	if evs, _ := db.Events(ctx, rid); len(evs) != 2 {
		t.Fatalf("%+v", evs)
	}
	reply.OriginalMessageID, reply.MessageID = "8c4b1f2e-c8a1-11f1-8000-0242ac1200ff", "8c4b1f2e-c8a1-11f1-8000-0242ac1200fe"
	if _, _, err := db.SaveReply(ctx, reply); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("unknown: %v", err)
	}
	// A broken attachment rolls the whole reply back.
	reply.OriginalMessageID = mid1
	reply.Attachments[0].SHA256 = "short"
	if _, _, err := db.SaveReply(ctx, reply); err == nil {
		t.Fatal("bad sha256 accepted")
	}
	if n := count(t, db, `SELECT count(*) FROM replies`); n != 1 {
		t.Fatalf("%d replies", n)
	}
}

func TestRecordSMEVStatus(t *testing.T) {
	ctx := context.Background()
	db := openOutboxDB(t)
	rid := enqueue(t, db, mid1)
	it, _ := db.OutboxByMessageID(ctx, mid1)
	db.OutboxSent(ctx, it.ID, time.Now(), "", "")
	if err := db.RecordSMEVStatus(ctx, mid1, domain.StatusAccepted, "СМЭВ: requestIsAcceptedBySmev"); err != nil {
		t.Fatal(err)
	}
	if r, _ := db.Request(ctx, rid); r.Status != domain.StatusAccepted {
		t.Fatal(r.Status)
	}
	db.SaveReply(ctx, NewReply{OriginalMessageID: mid1, MessageID: mid2, Kind: ReplyResponse, Status: domain.StatusAnswered})
	// A late "accepted" does not undo the answer; it is noted.
	if err := db.RecordSMEVStatus(ctx, mid1, domain.StatusAccepted, "СМЭВ: messageIsDelivered"); err != nil {
		t.Fatal(err)
	}
	r, _ := db.Request(ctx, rid)
	evs, _ := db.Events(ctx, rid)
	if r.Status != domain.StatusAnswered || evs[len(evs)-1].Note != "СМЭВ: messageIsDelivered" {
		t.Fatalf("%s %+v", r.Status, evs)
	}
	if err := db.RecordSMEVStatus(ctx, mid2, "", "x"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatal(err)
	}
}

// Incoming requests: kept once per SMEV message, answered through the
// outbox to their ReplyTo.
func TestIncoming(t *testing.T) {
	ctx := context.Background()
	db := openOutboxDB(t)
	in := NewIncoming{Request: NewRequest{MessageID: mid1, TemplateTitle: "HouseholdBookRequest", Provider: "СФР", Body: []byte("<q/>"), DueOn: "2026-11-30"},
		ReplyTo: "rt:1", SMEVMessageID: mid2, Sender: "СФР"}
	id, dup, err := db.SaveIncoming(ctx, in)
	if err != nil || dup {
		t.Fatal(err)
	}
	if id2, dup, _ := db.SaveIncoming(ctx, in); !dup || id2 != id {
		t.Fatal("not recognised as delivered again")
	}
	if to, err := db.IncomingReplyTo(ctx, id); err != nil || to != "rt:1" {
		t.Fatal(to, err)
	}
	r, _ := db.Request(ctx, id)
	if r.Direction != domain.Incoming || r.Status != domain.StatusReceived {
		t.Fatalf("%+v", r)
	}
	const ans = "8c4b1f2e-c8a1-11f1-8000-0242ac120009"
	if err := db.EnqueueResponse(ctx, id, OutboxMessage{MessageID: ans, Envelope: []byte("<a/>")}, "clerk"); err != nil {
		t.Fatal(err)
	}
	if err := db.EnqueueResponse(ctx, id, OutboxMessage{MessageID: mid2, Envelope: []byte("<a/>")}, "clerk"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("answered twice: %v", err)
	}
	it, _ := db.OutboxByMessageID(ctx, ans)
	if err := db.OutboxSent(ctx, it.ID, time.Now(), "", "ответ принят СМЭВ"); err != nil {
		t.Fatal(err)
	}
	if r, _ := db.Request(ctx, id); r.Status != domain.StatusAnswered {
		t.Fatal(r.Status)
	}
	rid := enqueue(t, db, "8c4b1f2e-c8a1-11f1-8000-0242ac12000a")
	if _, err := db.IncomingReplyTo(ctx, rid); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatal(err)
	}
}
