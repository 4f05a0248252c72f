package adapter_test

import (
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/training/node"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/transport/adapter"
)

func TestFaultClasses(t *testing.T) {
	for name, want := range map[string]transport.Action{"SystemFault": transport.ActRetry, "SyncFault": transport.ActRetry,
		"ValidationFault": transport.ActFix} {
		f := &adapter.Fault{Name: name, Description: "нет поля"}
		if c := f.Class(); c.Action != want || c.Ru == "" {
			t.Errorf("%s: %+v", name, c)
		}
	}
	if c := (&adapter.Fault{Code: "soap:Server"}).Class(); c.Action != transport.ActRetry {
		t.Errorf("a server fault without detail: %+v", c)
	}
	if c := (&adapter.Fault{Code: "soap:Client", String: "x"}).Class(); c.Action != transport.ActFinal {
		t.Errorf("a client fault without detail: %+v", c)
	}
	var _ transport.Classified = &adapter.Fault{} // the Worker acts on it
}

// An answer a process took by Get and lost (it died before its commit)
// is found again by Find and kept once.
func TestAnswerTakenByGetIsFoundAgain(t *testing.T) {
	e := newEnv(t, node.Options{Seed: 1})
	q := e.queue("fns-egrul")
	if res, err := e.svc.SendNow(ctx); err != nil || res.Sent != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	bare, err := adapter.NewClient(e.ad.Endpoint, itSystem, "")
	if err != nil {
		t.Fatal(err)
	}
	defer bare.Close()
	lost, err := bare.Get(ctx, adapter.TypeResponse)
	if err != nil || lost == nil || lost.ReplyTo != q.MessageID {
		t.Fatalf("the lost Get: %+v %v", lost, err)
	}
	res, err := e.svc.PollNow(ctx)
	if err != nil || res.Replies != 1 {
		t.Fatalf("poll: %+v %v", res, err)
	}
	if st := e.request(q.RequestID).Status; st != domain.StatusAnswered && st != domain.StatusRejected {
		t.Fatalf("status %s", st)
	}
	if res, err = e.svc.PollNow(ctx); err != nil || res.Replies != 0 {
		t.Fatalf("again: %+v %v", res, err)
	}
}

// A message whose send got through but whose record did not is not sent
// twice: the adapter is asked first.
func TestSentMessageIsNotSentTwice(t *testing.T) {
	e := newEnv(t, node.Options{Seed: 2})
	q := e.queue("zags-birth")
	it, err := e.db.OutboxByMessageID(ctx, q.MessageID)
	if err != nil {
		t.Fatal(err)
	}
	bare, err := adapter.NewClient(e.ad.Endpoint, itSystem, "")
	if err != nil {
		t.Fatal(err)
	}
	defer bare.Close()
	if _, err := bare.Send(ctx, it.Envelope); err != nil {
		t.Fatal(err)
	}
	if res, err := e.svc.SendNow(ctx); err != nil || res.Sent != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	evs, _ := e.db.Events(ctx, q.RequestID)
	if last := evs[len(evs)-1]; last.To != domain.StatusSent || !strings.Contains(last.Note, "уже принял") {
		t.Fatalf("%+v", last)
	}
	st := e.ad.Stats()
	if st.Forwarded[q.MessageID] != 1 || st.Duplicates[q.MessageID] != 0 {
		t.Fatalf("forwarded %d, duplicates %d", st.Forwarded[q.MessageID], st.Duplicates[q.MessageID])
	}
}

// SystemFault (the node behind the adapter is down) and no connection to
// the adapter are retried with the same clientId; ValidationFault goes to
// the clerk.
func TestAdapterFaults(t *testing.T) {
	e := newEnv(t, node.Options{Seed: 4})
	e.lb.Node.SetDown(true)
	q := e.queue("fns-egrip")
	if res, err := e.svc.SendNow(ctx); err != nil || res.Retried != 1 {
		t.Fatalf("down: %+v %v", res, err)
	}
	it, _ := e.db.OutboxByMessageID(ctx, q.MessageID)
	if it.State != store.OutboxPending || it.Attempts != 1 || !strings.Contains(it.LastError, "Отправка будет повторена") {
		t.Fatalf("%+v", it)
	}
	e.lb.Node.SetDown(false)
	time.Sleep(20 * time.Millisecond)
	if res, err := e.svc.SendNow(ctx); err != nil || res.Sent != 1 {
		t.Fatalf("up: %+v %v", res, err)
	}
	if e.ad.Stats().Forwarded[q.MessageID] != 1 {
		t.Fatal("not forwarded once")
	}

	// A workstation the adapter does not know: ValidationFault, to the clerk.
	other, err := adapter.NewService(transport.ServiceConfig{DB: e.db, Endpoint: e.ad.Endpoint, SystemKey: e.key},
		adapter.Options{ITSystem: "STRANGER", Files: &adapter.Files{Dir: e.files}})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tm := mustTemplate(t, "zags-death")
	q2, err := other.QueueRequest(ctx, transport.OutgoingRequest{Template: tm, Values: tm.Examples()})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := other.SendNow(ctx); err != nil || res.Failed != 1 {
		t.Fatalf("stranger: %+v %v", res, err)
	}
	r := e.request(q2.RequestID)
	if r.Status != domain.StatusError || !strings.Contains(r.LastError, "Адаптер СМЭВ не принял сообщение") {
		t.Fatalf("%s: %s", r.Status, r.LastError)
	}

	// The adapter itself unreachable.
	q3 := e.queue("zags-marriage")
	e.ad.Close()
	if res, err := e.svc.SendNow(ctx); err != nil || res.Retried != 1 {
		t.Fatalf("no adapter: %+v %v", res, err)
	}
	it, _ = e.db.OutboxByMessageID(ctx, q3.MessageID)
	if !strings.Contains(it.LastError, "нет связи с адаптером СМЭВ") {
		t.Fatalf("%q", it.LastError)
	}
}

// The adapter's worker leaves the direct channel's messages alone: after
// a switch of the settings they wait for their own channel.
func TestChannelsKeepTheirOwnMessages(t *testing.T) {
	e := newEnv(t, node.Options{Seed: 5})
	_, err := e.db.EnqueueOutgoing(ctx, store.NewRequest{TemplateID: "fns-egrul", Actor: "clerk"},
		store.OutboxMessage{MessageID: "1f0c1a2e-c8a1-11f1-8000-0242ac120002", Envelope: []byte("<soap:Envelope/>")})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := e.svc.SendNow(ctx); err != nil || res.Sent+res.Failed+res.Retried != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	if n, _ := e.db.OutboxPendingVia(ctx, store.ViaDirect); n != 1 {
		t.Fatalf("direct pending %d", n)
	}
	if e.svc.Via() != store.ViaAdapter || !strings.Contains(e.svc.Channel(), "адаптером СМЭВ") || e.svc.Plain() {
		t.Fatalf("%s %q %v", e.svc.Via(), e.svc.Channel(), e.svc.Plain())
	}
}
