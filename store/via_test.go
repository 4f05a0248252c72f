package store

import (
	"context"
	"testing"
	"time"
)

// Each channel's worker sees only its own outbox rows; the request records
// the road it took; an adapter reply needs no acknowledgement.
func TestOutboxVia(t *testing.T) {
	ctx := context.Background()
	db := openOutboxDB(t)
	direct := enqueue(t, db, mid1)
	adapter, err := db.EnqueueOutgoing(ctx, NewRequest{TemplateID: "egrn-object", Actor: "clerk"},
		OutboxMessage{MessageID: mid2, Envelope: []byte("<ClientMessage/>"), Via: ViaAdapter})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Add(time.Second)
	for via, want := range map[string]string{ViaDirect: mid1, ViaAdapter: mid2} {
		due, err := db.OutboxDueVia(ctx, via, now, 10)
		if err != nil || len(due) != 1 || due[0].MessageID != want || due[0].Via != via {
			t.Fatalf("%s: %+v %v", via, due, err)
		}
		if n, err := db.OutboxPendingVia(ctx, via); n != 1 || err != nil {
			t.Fatalf("%s pending %d %v", via, n, err)
		}
	}
	if _, err := db.OutboxDueVia(ctx, "pigeon", now, 10); err == nil {
		t.Fatal("an unknown channel is refused")
	}
	for id, want := range map[int64]string{direct: ViaDirect, adapter: ViaAdapter} {
		if v, err := db.RequestVia(ctx, id); v != want || err != nil {
			t.Fatalf("request %d via %q %v", id, v, err)
		}
	}
	in, _, err := db.SaveIncoming(ctx, NewIncoming{Request: NewRequest{TemplateID: "x", Actor: "smev"},
		ReplyTo: "c1", SMEVMessageID: "c1", Via: ViaAdapter})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := db.RequestVia(ctx, in); v != ViaAdapter {
		t.Fatalf("incoming via %q", v)
	}
	at := time.Now()
	if _, _, err := db.SaveReply(ctx, NewReply{OriginalMessageID: mid2, MessageID: "r-" + mid2, Kind: ReplyResponse,
		Body: []byte("<a/>"), AckedAt: at}); err != nil {
		t.Fatal(err)
	}
	if u, err := db.UnackedReplies(ctx, 10); len(u) != 0 || err != nil {
		t.Fatalf("an adapter reply waits for an Ack: %+v %v", u, err)
	}
}
