package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
)

var everyStatus = []domain.Status{
	domain.StatusDraft, domain.StatusSigned, domain.StatusQueued, domain.StatusSent, domain.StatusAccepted,
	domain.StatusAnswered, domain.StatusRejected, domain.StatusError, domain.StatusCancelled,
	domain.StatusReceived, domain.StatusUnverified,
}

// state is what a refused change must leave as it was: the request's row,
// its events, its outbox rows and its replies.
type state struct {
	Request *domain.Request
	Events  []domain.Event
	Outbox  int
	Replies int
}

func stateOf(t *testing.T, db *DB, id int64) state {
	t.Helper()
	r, err := db.Request(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := db.Events(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return state{r, evs, count(t, db, `SELECT count(*) FROM outbox WHERE request_id = ?`, id),
		count(t, db, `SELECT count(*) FROM replies WHERE request_id = ?`, id)}
}

func sameState(t *testing.T, what string, before, after state) {
	t.Helper()
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("%s changed the journal:\n before %+v\n after  %+v", what, before, after)
	}
}

// tickingClock makes every write visible in updated_at.
func tickingClock(db *DB) {
	clock := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	db.now = func() time.Time { clock = clock.Add(time.Minute); return clock }
}

// SetStatus makes exactly the moves domain.CanMove allows; a forbidden one
// is refused with ECONFLICT naming both statuses and leaves the row and its
// events as they were.
func TestSetStatusFollowsTheTable(t *testing.T) {
	db := openTemp(t)
	tickingClock(db)
	ctx := context.Background()
	for _, from := range everyStatus {
		for _, to := range everyStatus {
			if from == to {
				continue
			}
			id, err := db.CreateRequest(ctx, NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV, Status: from,
				Provider: "Росреестр", Actor: "t", DueOn: "2026-03-20"})
			if err != nil {
				t.Fatal(err)
			}
			before := stateOf(t, db, id)
			err = db.SetStatus(ctx, id, to, "t", "заметка")
			if domain.CanMove(from, to) {
				if err != nil {
					t.Fatalf("%s → %s: %v", from, to, err)
				}
				after := stateOf(t, db, id)
				last := after.Events[len(after.Events)-1]
				if after.Request.Status != to || len(after.Events) != 2 || last.From != from || last.To != to {
					t.Fatalf("%s → %s: %+v %+v", from, to, after.Request, after.Events)
				}
				continue
			}
			wantCode(t, err, domain.ECONFLICT)
			if msg := domain.ErrorMessage(err); !strings.Contains(msg, "«"+from.Title()+"»") || !strings.Contains(msg, "«"+to.Title()+"»") {
				t.Fatalf("%s → %s: the message does not name both statuses: %q", from, to, msg)
			}
			sameState(t, string(from)+" → "+string(to), before, stateOf(t, db, id))
		}
	}
	// The same status again is a repeated delivery: no move, no event, no error.
	id, _ := db.CreateRequest(ctx, NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV, Status: domain.StatusAnswered, Actor: "t"})
	before := stateOf(t, db, id)
	if err := db.SetStatus(ctx, id, domain.StatusAnswered, "t", ""); err != nil {
		t.Fatal(err)
	}
	sameState(t, "answered → answered", before, stateOf(t, db, id))
}

// QueueRequest signs and queues a draft or a request that failed (two
// events); a request already sent is refused and nothing is written, not
// even the outbox row.
func TestQueueRequestFollowsTheTable(t *testing.T) {
	db := openOutboxDB(t)
	tickingClock(db)
	ctx := context.Background()
	draft, err := db.CreateRequest(ctx, NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelPost, Status: domain.StatusDraft, Actor: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.QueueRequest(ctx, draft, OutboxMessage{MessageID: "m-draft", Envelope: []byte("<e/>")}, "clerk"); err != nil {
		t.Fatal(err)
	}
	st := stateOf(t, db, draft)
	var path []string
	for _, e := range st.Events {
		path = append(path, string(e.From)+">"+string(e.To))
	}
	if got := strings.Join(path, " "); got != ">draft draft>signed signed>queued" || st.Request.Status != domain.StatusQueued ||
		st.Request.MessageID != "m-draft" || st.Request.Channel != domain.ChannelSMEV || st.Outbox != 1 {
		t.Fatalf("%s %+v", got, st)
	}

	rid := enqueue(t, db, mid1)
	it, _ := db.OutboxByMessageID(ctx, mid1)
	if err := db.OutboxSent(ctx, it.ID, time.Now(), "", ""); err != nil {
		t.Fatal(err)
	}
	before := stateOf(t, db, rid)
	err = db.QueueRequest(ctx, rid, OutboxMessage{MessageID: mid2, Envelope: []byte("<e/>")}, "clerk")
	wantCode(t, err, domain.ECONFLICT)
	if msg := domain.ErrorMessage(err); !strings.Contains(msg, "«Отправлен»") || !strings.Contains(msg, "«Подписан»") {
		t.Fatalf("%q", msg)
	}
	sameState(t, "queuing a sent request", before, stateOf(t, db, rid))
	if n := count(t, db, `SELECT count(*) FROM outbox WHERE message_id = ?`, mid2); n != 0 {
		t.Fatalf("%d outbox rows of a refused request", n)
	}
}

// News from SMEV or the outbox that comes after the request has gone
// further is taken without an error and does not move it.
func TestLateNewsDoesNotMoveTheRequest(t *testing.T) {
	db := openOutboxDB(t)
	tickingClock(db)
	ctx := context.Background()
	rid := enqueue(t, db, mid1)
	it, _ := db.OutboxByMessageID(ctx, mid1)
	// The answer comes before the outbox records the send.
	if _, _, err := db.SaveReply(ctx, NewReply{OriginalMessageID: mid1, MessageID: "a-1", Kind: ReplyResponse, Status: domain.StatusAnswered, Note: "ответ"}); err != nil {
		t.Fatal(err)
	}
	answered := stateOf(t, db, rid)
	if answered.Request.Status != domain.StatusAnswered {
		t.Fatalf("%+v", answered.Request)
	}
	// A final fault of a late retry: the row fails, the answer stays.
	if err := db.OutboxFail(ctx, it.ID, "СМЭВ: отказ"); err != nil {
		t.Fatal(err)
	}
	sameState(t, "a late fault", answered, stateOf(t, db, rid))
	if it, _ := db.OutboxByMessageID(ctx, mid1); it.State != OutboxFailed {
		t.Fatalf("outbox row %s", it.State)
	}
	// A forged answer after the real one: kept as a reply, the request stays answered.
	if _, dup, err := db.SaveReply(ctx, NewReply{OriginalMessageID: mid1, MessageID: "a-2", Kind: ReplyFault, Status: domain.StatusUnverified,
		Note: "Ответ не прошёл проверку подписи"}); err != nil || dup {
		t.Fatal(dup, err)
	}
	after := stateOf(t, db, rid)
	if after.Replies != 2 {
		t.Fatalf("%d replies", after.Replies)
	}
	after.Replies = answered.Replies
	sameState(t, "a late unverified answer", answered, after)
	// A late «cancelled» from GetStatus: an event, the status stays.
	if err := db.RecordSMEVStatus(ctx, mid1, domain.StatusCancelled, "СМЭВ: cancelled"); err != nil {
		t.Fatal(err)
	}
	r, _ := db.Request(ctx, rid)
	evs, _ := db.Events(ctx, rid)
	last := evs[len(evs)-1]
	if r.Status != domain.StatusAnswered || len(evs) != len(answered.Events)+1 || last.From != domain.StatusAnswered ||
		last.To != domain.StatusAnswered || last.Note != "СМЭВ: cancelled" {
		t.Fatalf("%+v %+v", r, evs)
	}
}

// An answer whose signatures failed leaves the request waiting: a real
// answer still moves it on.
func TestUnverifiedWaitsForARealAnswer(t *testing.T) {
	db := openOutboxDB(t)
	ctx := context.Background()
	rid := enqueue(t, db, mid1)
	it, _ := db.OutboxByMessageID(ctx, mid1)
	if err := db.OutboxSent(ctx, it.ID, time.Now(), "", ""); err != nil {
		t.Fatal(err)
	}
	for i, c := range []struct {
		kind string
		to   domain.Status
	}{{ReplyFault, domain.StatusUnverified}, {ReplyFault, domain.StatusUnverified}, {ReplyResponse, domain.StatusAnswered}} {
		if _, _, err := db.SaveReply(ctx, NewReply{OriginalMessageID: mid1, MessageID: "a-" + string(rune('1'+i)), Kind: c.kind,
			Status: c.to, Note: "причина " + string(rune('1'+i))}); err != nil {
			t.Fatal(err)
		}
		// A second failed answer is the same status again: no move, the
		// first reason stays.
		r, _ := db.Request(ctx, rid)
		if r.Status != c.to || (c.to == domain.StatusUnverified && r.LastError != "причина 1") {
			t.Fatalf("reply %d: %+v", i, r)
		}
	}
	var path []string
	evs, _ := db.Events(ctx, rid)
	for _, e := range evs {
		path = append(path, string(e.From)+">"+string(e.To))
	}
	if got := strings.Join(path, " "); got != ">queued queued>sent sent>unverified unverified>answered" {
		t.Fatal(got)
	}
}
