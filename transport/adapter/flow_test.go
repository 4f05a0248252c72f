package adapter_test

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/training/node"
	"github.com/mezhved/mezhved/transport"
)

// The whole loop through the adapter: every built-in card is queued,
// sent (ClientMessage), answered by the node's providers through the
// adapter (Get → QueryResult), committed with its status and event; an
// incoming request comes, is answered (ResponseMessage with
// replyToClientId) and reaches the node. Every message both ways is valid
// against the adapter XSD (xmllint).
func TestFullLoopThroughAdapter(t *testing.T) {
	e := newEnv(t, node.Options{NoDataRate: 0.3, Seed: 3, Statuses: true})
	var queued []*transport.Queued
	files, signed := 0, 0
	for _, tm := range templates.Builtin().Requests() {
		queued = append(queued, e.queue(tm.ID))
	}
	e.settle(50)
	st := e.lb.Node.Stats()
	ast := e.ad.Stats()
	for _, q := range queued {
		r := e.request(q.RequestID)
		if r.Status != domain.StatusAnswered && r.Status != domain.StatusRejected {
			t.Errorf("request %d (%s) ended %s: %s", r.ID, r.TemplateID, r.Status, r.LastError)
		}
		if via, _ := e.db.RequestVia(ctx, r.ID); via != store.ViaAdapter {
			t.Errorf("request %d went %q", r.ID, via)
		}
		if ast.Forwarded[q.MessageID] != 1 {
			t.Errorf("request %s forwarded %d times", q.MessageID, ast.Forwarded[q.MessageID])
		}
		reps, err := e.db.Replies(ctx, r.ID)
		if err != nil || len(reps) == 0 {
			t.Errorf("request %d: replies %v %v", r.ID, reps, err)
		}
		for _, rep := range reps {
			files += len(rep.Files)
			if rep.Signatures != "" && rep.Signatures != "null" {
				signed++
			}
		}
	}
	t.Logf("answers with files: %d files through the adapter's store; answers with a judged signature: %d", files, signed)
	if len(st.Accepted) != len(queued) {
		t.Errorf("the node accepted %d messages, want %d", len(st.Accepted), len(queued))
	}
	if ast.Invalid != 0 {
		t.Errorf("%d messages the adapter got were not valid", ast.Invalid)
	}

	// A request to us, through the adapter, and our answer.
	parts := e.lb.Node.Participants()
	if len(parts) != 1 {
		t.Fatalf("participants %v", parts)
	}
	if err := e.lb.Node.SendIncoming(parts[0]); err != nil {
		t.Fatal(err)
	}
	res, err := e.svc.PollNow(ctx)
	if err != nil || res.Incoming != 1 {
		t.Fatalf("incoming: %+v %v", res, err)
	}
	page, err := e.db.ListRequests(ctx, domain.RequestFilter{Direction: domain.Incoming, Limit: 10})
	if err != nil || len(page.Requests) != 1 {
		t.Fatalf("%+v %v", page, err)
	}
	in := page.Requests[0]
	if via, _ := e.db.RequestVia(ctx, in.ID); via != store.ViaAdapter || in.Status != domain.StatusReceived || in.DueOn == "" {
		t.Fatalf("incoming %+v via %s", in, via)
	}
	if _, err := e.svc.Answer(ctx, transport.IncomingAnswer{RequestID: in.ID, RejectCode: "NO_DATA"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SendNow(ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.request(in.ID).Status; got != domain.StatusAnswered {
		t.Fatalf("incoming ended %s", got)
	}
	// A second poll finds everything again by Find and keeps it once.
	res, err = e.svc.PollNow(ctx)
	if err != nil || res.Replies != 0 || res.Incoming != 0 {
		t.Fatalf("again: %+v %v", res, err)
	}
	t.Logf("%d requests; %d adapter messages valid against the XSD (xmllint)", len(queued), xmllintCheck(t, e.dump))
}

// SMEV may answer before the adapter has heard back from its SendRequest
// (another request's Get makes the adapter take the answer meanwhile):
// the answer still reaches its request.
func TestAnswerBeforeSendReturns(t *testing.T) {
	e := newEnvWith(t, node.Options{}, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if strings.Contains(rec.Body.String(), "SendRequestResponse") {
				time.Sleep(300 * time.Millisecond) // the answer is queued; the reply to the send is late
			}
			maps.Copy(w.Header(), rec.Header())
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
		})
	})
	q := e.queue("fns-egrul")
	sent := make(chan error, 1)
	go func() { _, err := e.svc.SendNow(ctx); sent <- err }()
	time.Sleep(100 * time.Millisecond)
	if _, err := e.svc.PollNow(ctx); err != nil { // the adapter takes the answer now
		t.Fatal(err)
	}
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	e.settle(20)
	if r := e.request(q.RequestID); r.Status != domain.StatusAnswered {
		t.Fatalf("request ended %s: %s", r.Status, r.LastError)
	}
}
