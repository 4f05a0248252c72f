package transport_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/training/node"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/trust"
)

// BenchmarkRoundTrip: one request composed from a built-in template,
// signed (GOST-256 ЭП-СП and ЭП-ОВ), committed to the outbox, sent to the
// node on loopback mutual TLS, answered (the provider's and the node's
// signatures made), taken with GetResponse, both signatures verified,
// committed and acknowledged. The node runs in the same process, so its
// work (three ЭП-ОВ checks per request) is in the figure. Requests/s =
// 1e9 / ns/op.
//
//	go test -run '^$' -bench RoundTrip -benchtime 200x ./transport
func BenchmarkRoundTrip(b *testing.B) {
	lb, err := node.StartLoopback(node.Options{}, "", sharedPKI(b))
	if err != nil {
		b.Fatal(err)
	}
	defer lb.Close()
	db, err := store.Open(b.TempDir(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	key := clerkKey(b)
	svc, err := transport.NewService(transport.ServiceConfig{DB: db, Endpoint: lb.Endpoint, SystemKey: key, Trust: trainingTrust(b, lb.Node), Contour: trust.Training})
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	list := templates.Builtin().Requests()
	today := calendar.DateOf(time.Now().In(transport.Moscow))
	c := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := list[i%len(list)]
		if _, err := svc.QueueRequest(c, transport.OutgoingRequest{Template: t, Values: t.Examples(), Today: today}); err != nil {
			b.Fatal(err)
		}
		if res, err := svc.SendNow(c); err != nil || res.Sent != 1 {
			b.Fatalf("%+v %v", res, err)
		}
		if pr, err := svc.PollNow(c); err != nil || pr.Replies != 1 {
			b.Fatalf("%+v %v", pr, err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkThroughput: the production arrangement: the worker and the
// poller run in the background (Service.Start) while two goroutines compose
// and queue requests; the clock stops when every request is answered,
// verified, committed and acknowledged. Requests/s is the "req/s" metric.
//
//	go test -run '^$' -bench Throughput -benchtime 400x ./transport
func BenchmarkThroughput(b *testing.B) {
	lb, err := node.StartLoopback(node.Options{RedeliverAfter: time.Minute}, "", sharedPKI(b))
	if err != nil {
		b.Fatal(err)
	}
	defer lb.Close()
	db, err := store.Open(b.TempDir(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc, err := transport.NewService(transport.ServiceConfig{DB: db, Endpoint: lb.Endpoint, SystemKey: clerkKey(b),
		SendInterval: 5 * time.Millisecond, PollInterval: 10 * time.Millisecond, Trust: trainingTrust(b, lb.Node), Contour: trust.Training})
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	list := templates.Builtin().Requests()
	today := calendar.DateOf(time.Now().In(transport.Moscow))
	c := context.Background()
	b.ResetTimer()
	svc.Start()
	queuers := 1
	var wg sync.WaitGroup
	for g := 0; g < queuers; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < b.N; i += queuers {
				t := list[i%len(list)]
				if _, err := svc.QueueRequest(c, transport.OutgoingRequest{Template: t, Values: t.Examples(), Today: today}); err != nil {
					b.Error(err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		page, err := db.ListRequests(c, domain.RequestFilter{Statuses: []domain.Status{domain.StatusAnswered}, Limit: 1})
		if err != nil {
			b.Fatal(err)
		}
		if page.Total == b.N {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d answered", page.Total, b.N)
		}
		time.Sleep(2 * time.Millisecond)
	}
	b.StopTimer()
	svc.Stop()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkPrepare: compose and sign (ЭП-СП + ЭП-ОВ, GOST-256) only.
func BenchmarkPrepare(b *testing.B) {
	key := clerkKey(b)
	ns, _ := transport.Namespaces("")
	t, _ := templates.Builtin().Get("egrn-object")
	today := calendar.DateOf(time.Now())
	for i := 0; i < b.N; i++ {
		body, probs := t.Compose(t.Examples(), today)
		if len(probs) > 0 {
			b.Fatal(probs)
		}
		if _, err := transport.PrepareRequest(ns, transport.RequestSpec{Content: body, Personal: true}, key, key, transport.Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyAnswer: what the client checks per answer (two GOST
// signatures).
func BenchmarkVerifyAnswer(b *testing.B) {
	lb, err := node.StartLoopback(node.Options{}, "", sharedPKI(b))
	if err != nil {
		b.Fatal(err)
	}
	defer lb.Close()
	db, _ := store.Open(b.TempDir(), store.Options{})
	defer db.Close()
	svc, _ := transport.NewService(transport.ServiceConfig{DB: db, Endpoint: lb.Endpoint, SystemKey: clerkKey(b), Trust: trainingTrust(b, lb.Node), Contour: trust.Training})
	defer svc.Close()
	t, _ := templates.Builtin().Get("zags-birth")
	svc.QueueRequest(context.Background(), transport.OutgoingRequest{Template: t, Values: t.Examples()})
	svc.SendNow(context.Background())
	r, err := svc.Client.GetResponse(context.Background(), transport.Selector{})
	if err != nil || r == nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := signer.Verify(r.Envelope, nil)
		if err != nil || len(res) != 2 || !res[0].Valid() || !res[1].Valid() {
			b.Fatal(err)
		}
	}
}
