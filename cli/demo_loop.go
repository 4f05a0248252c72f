package cli

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/workstation"
)

// demoBatch is how many requests the demo queues in one transaction;
// demoWindow how many may be open at once: as a clerk's workstation, the
// demo does not queue thousands ahead of SMEV's answers (the training node
// would hold every answer not yet fetched, and memory would grow with N).
const (
	demoBatch  = 50
	demoWindow = 400
)

// demoQueue is what the demo has queued so far, and how far the requests
// are known to be closed.
type demoQueue struct {
	mu     sync.Mutex
	qs     []*transport.Queued
	closed int // qs[:closed] are closed
	done   bool
}

func (q *demoQueue) add(more []*transport.Queued) {
	q.mu.Lock()
	q.qs = append(q.qs, more...)
	q.mu.Unlock()
}

func (q *demoQueue) finish() { q.mu.Lock(); q.done = true; q.mu.Unlock() }

// open is how many queued requests are not known to be closed.
func (q *demoQueue) open() int { q.mu.Lock(); defer q.mu.Unlock(); return len(q.qs) - q.closed }

func (q *demoQueue) all() []*transport.Queued {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]*transport.Queued(nil), q.qs...)
}

// allClosed reports whether everything is queued and every queued request
// is closed; it reads each request only until it has seen it closed.
func (q *demoQueue) allClosed(ctx context.Context, db *store.DB) bool {
	q.mu.Lock()
	qs, from, done := q.qs, q.closed, q.done
	q.mu.Unlock()
	for from < len(qs) {
		r, err := db.Request(ctx, qs[from].RequestID)
		if err != nil || r.Status.Open() {
			break
		}
		from++
	}
	q.mu.Lock()
	q.closed = from
	q.mu.Unlock()
	return done && from == len(qs)
}

// demoRun runs the loop as the window does: requests are queued (in
// batches, one commit each) while the outbox worker sends in the
// background and this goroutine polls and answers incoming requests,
// until every request is closed or ctx ends. It returns how many incoming
// requests were answered.
func demoRun(ctx context.Context, env *Env, ws *workstation.Workstation, svc *transport.Service, key keys.Key, n int, queue *demoQueue) (int, error) {
	bg, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait() // after stop
	defer stop()
	svc.Worker.Interval = 20 * time.Millisecond
	wg.Go(func() { svc.Worker.Run(bg) })
	queued := make(chan error, 1)
	wg.Go(func() {
		err := demoQueueAll(bg, svc, key, n, queue)
		queued <- err
		queue.finish()
	})
	answered := 0
	for {
		pr, err := svc.PollNow(ctx)
		if err != nil && ctx.Err() == nil {
			fmt.Fprintf(env.Stderr, "mezhved demo: poll: %v\n", err)
		}
		answered += answerIncoming(ctx, env, ws, svc, key)
		select {
		case err := <-queued:
			if err != nil {
				return answered, err
			}
		default:
		}
		if ctx.Err() != nil || queue.allClosed(ctx, ws.Journal()) {
			// Queueing ends by sending its outcome, then marking the
			// queue done: an error that ended it is here by now.
			select {
			case err := <-queued:
				return answered, err
			default:
				return answered, nil
			}
		}
		if pr.Replies+pr.Statuses+pr.Incoming == 0 {
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// demoQueueAll queues n requests from the built-in cards in turn, in
// batches.
func demoQueueAll(ctx context.Context, svc *transport.Service, key keys.Key, n int, queue *demoQueue) error {
	list := demoCards()
	for i := 0; i < n; {
		for queue.open() > demoWindow-demoBatch {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(5 * time.Millisecond):
			}
		}
		batch := make([]transport.OutgoingRequest, 0, demoBatch)
		for ; i < n && len(batch) < demoBatch; i++ {
			t := list[i%len(list)]
			batch = append(batch, transport.OutgoingRequest{Template: t, Values: t.Examples(), Personal: key,
				Applicant: "Учебный заявитель", Actor: keys.DefaultDemoSubject.CommonName})
		}
		qs, err := svc.QueueRequests(ctx, batch)
		if err != nil {
			return err
		}
		queue.add(qs)
	}
	return nil
}
