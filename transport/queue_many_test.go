package transport_test

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/training/node"
	"github.com/mezhved/mezhved/transport"
)

func bundle(t *testing.T, ids ...string) []transport.OutgoingRequest {
	t.Helper()
	var rs []transport.OutgoingRequest
	for _, id := range ids {
		tm, err := templates.Builtin().Get(id)
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, transport.OutgoingRequest{Template: tm, Values: tm.Examples(), Applicant: "Смирнов А. В."})
	}
	return rs
}

// A bundle is queued whole or not at all: a request that cannot be
// composed is named by its place and nothing of the bundle is written.
func TestQueueRequestsAllOrNothing(t *testing.T) {
	e := newEnv(t, node.Options{})
	rs := bundle(t, "fns-egrul", "zags-birth", "mvd-registration")
	bad := rs[1]
	bad.Values = map[string]string{} // required fields missing
	_, err := e.svc.QueueRequests(ctx, []transport.OutgoingRequest{rs[0], bad, rs[2]})
	if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), "Запрос 2 из 3") ||
		!strings.Contains(domain.ErrorMessage(err), "Ни один запрос") {
		t.Fatalf("%v", err)
	}
	if p, _ := e.db.ListRequests(ctx, domain.RequestFilter{}); p.Total != 0 {
		t.Fatalf("%d requests written of a refused bundle", p.Total)
	}
	if _, err := e.svc.QueueRequests(ctx, make([]transport.OutgoingRequest, store.MaxEnqueueBatch+1)); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("oversized: %v", err)
	}
	if qs, err := e.svc.QueueRequests(ctx, nil); err != nil || len(qs) != 0 {
		t.Fatalf("empty: %v %v", qs, err)
	}
}

// A bundle queued at once is sent several at a time (never more than
// Worker.Parallel), each message accepted once, and every answer comes
// back to its own request.
func TestQueueRequestsSentInParallel(t *testing.T) {
	var inFlight, most atomic.Int32
	e := newEnvWith(t, node.Options{}, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(20 * time.Millisecond) // a round trip to SMEV
			h.ServeHTTP(w, r)
		})
	})
	e.svc.Worker.Parallel = 3
	ids := []string{"fns-egrul", "zags-birth", "mvd-registration", "zags-death", "zags-marriage", "fns-inn",
		"fns-egrul", "zags-birth", "mvd-registration", "zags-death"}
	qs, err := e.svc.QueueRequests(ctx, bundle(t, ids...))
	if err != nil || len(qs) != len(ids) {
		t.Fatalf("%v %v", qs, err)
	}
	most.Store(0)
	res, err := e.svc.SendNow(ctx)
	if err != nil || res.Sent != len(ids) || res.Retried+res.Failed != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	if m := most.Load(); m < 2 || m > 3 {
		t.Fatalf("%d messages on their way at once, want 2..3", m)
	}
	st := e.node.Stats()
	for _, q := range qs {
		if st.Accepted[q.MessageID] != 1 || st.Duplicates[q.MessageID] != 0 {
			t.Fatalf("%s accepted %d times, %d duplicates", q.MessageID, st.Accepted[q.MessageID], st.Duplicates[q.MessageID])
		}
		if it := e.outbox(q.MessageID); it.State != store.OutboxSent {
			t.Fatalf("outbox: %+v", it)
		}
	}
	if pr, err := e.svc.PollNow(ctx); err != nil || pr.Replies != len(ids) {
		t.Fatalf("%+v %v", pr, err)
	}
	for i, q := range qs {
		r, err := e.db.Request(ctx, q.RequestID)
		if err != nil || r.Status != domain.StatusAnswered || r.TemplateID != ids[i] || r.DueOn == "" {
			t.Fatalf("%d: %+v %v", i, r, err)
		}
	}
}

// With SMEV unreachable every message of a parallel pass is counted and
// kept for a later attempt, none lost and none counted twice.
func TestParallelPassDuringOutage(t *testing.T) {
	e := newEnv(t, node.Options{})
	qs, err := e.svc.QueueRequests(ctx, bundle(t, "fns-egrul", "zags-birth", "mvd-registration", "zags-death", "zags-marriage", "fns-inn"))
	if err != nil {
		t.Fatal(err)
	}
	e.node.SetDown(true)
	res, err := e.svc.SendNow(ctx)
	if err != nil || res.Retried != len(qs) || res.Sent+res.Failed != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	for _, q := range qs {
		if it := e.outbox(q.MessageID); it.State != store.OutboxPending || it.Attempts != 1 {
			t.Fatalf("outbox: %+v", it)
		}
	}
	e.node.SetDown(false)
	e.shift += time.Hour
	if res, err := e.svc.SendNow(ctx); err != nil || res.Sent != len(qs) {
		t.Fatalf("after the outage: %+v %v", res, err)
	}
}

// The Acks of a group go several at a time; one that fails does not stop
// the others, the poll reports it, and the next poll acknowledges the
// committed answer again: every answer is kept once and acknowledged.
func TestOneAckOfAGroupFails(t *testing.T) {
	// A delivered answer is not given again for a minute: one GetResponse
	// after another fetch the whole group.
	e := newEnv(t, node.Options{RedeliverAfter: time.Minute})
	qs, err := e.svc.QueueRequests(ctx, bundle(t, "fns-egrul", "zags-birth", "mvd-registration", "zags-death", "zags-marriage", "fns-inn"))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := e.svc.SendNow(ctx); err != nil || res.Sent != len(qs) {
		t.Fatalf("%+v %v", res, err)
	}
	e.node.Inject("Ack", node.Injected{Name: "SMEVFailure", Server: true})
	pr, err := e.svc.PollNow(ctx)
	if err == nil {
		t.Fatal("the failed Ack was not reported")
	}
	if pr.Replies != len(qs) {
		t.Fatalf("%+v", pr)
	}
	unacked := 0
	for _, q := range qs {
		reps, _ := e.db.Replies(ctx, q.RequestID)
		if len(reps) != 1 {
			t.Fatalf("%d: %d replies", q.RequestID, len(reps))
		}
		if reps[0].AckedAt.IsZero() {
			unacked++
		}
	}
	if unacked != 1 || e.node.Stats().Pending != 1 {
		t.Fatalf("%d answers not acknowledged here, %d at the node; want 1 and 1", unacked, e.node.Stats().Pending)
	}
	e.shift += time.Hour
	if _, err := e.svc.PollNow(ctx); err != nil {
		t.Fatal(err)
	}
	if e.node.Stats().Pending != 0 {
		t.Fatal("the answer whose Ack failed was not acknowledged again")
	}
	for _, q := range qs {
		if reps, _ := e.db.Replies(ctx, q.RequestID); len(reps) != 1 || reps[0].AckedAt.IsZero() {
			t.Fatalf("%d: %+v", q.RequestID, reps)
		}
	}
}
