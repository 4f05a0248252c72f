package transport

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/store"
)

// Backoff is exponential backoff with full jitter: attempt n waits a random
// time in [d/2, d] with d = min(Base·2ⁿ, Max).
type Backoff struct {
	Base, Max time.Duration
}

// DefaultBackoff: 2 s doubling up to 30 min.
var DefaultBackoff = Backoff{Base: 2 * time.Second, Max: 30 * time.Minute}

// Delay returns the wait before the attempt after `attempts` failures.
func (b Backoff) Delay(attempts int) time.Duration {
	if b.Base <= 0 {
		b = DefaultBackoff
	}
	d := b.Base
	for i := 0; i < attempts && d < b.Max; i++ {
		d *= 2
	}
	if d > b.Max {
		d = b.Max
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}

// Moscow is the time zone of SMEV's clock: the answer term is counted from
// the day of MessageMetadata/SendingTimestamp in Moscow time.
var Moscow = time.FixedZone("MSK", 3*60*60)

// Worker sends what the outbox holds for its channel, with retries, until
// the other side has it.
type Worker struct {
	DB     *store.DB
	Client *Client // SMEV 3 directly, when Channel is nil
	// Channel is the road the worker sends by (the region's adapter); nil:
	// SMEV 3 directly through Client. Only the outbox rows of its road are
	// taken.
	Channel  Channel
	Calendar Terms // for answer deadlines; calendar.Builtin() when nil
	// Renew, when set, is the ЭП-ОВ key used to sign a message again with
	// a new MessageID after StaleMessageId. Without it such a message goes
	// to the clerk (status error).
	Renew    keys.Key
	Backoff  Backoff
	Interval time.Duration // how often to look for due messages; default 1 s
	Now      func() time.Time
	Log      func(format string, args ...any)

	// Parallel is how many messages are on their way at once (default 4):
	// SMEV takes each message on its own, and a pass of a hundred is not
	// held up by each round trip in turn.
	Parallel int

	once    sync.Once
	wake    chan struct{}
	pass    sync.Mutex         // one pass at a time (Run and SendNow)
	mu      sync.Mutex         // pending and the pass's counters, between its sends (keys are safe for concurrent use)
	pending []store.SentRecord // sends recorded together at the end of a pass
}

func (w *Worker) init() {
	w.once.Do(func() {
		w.wake = make(chan struct{}, 1)
		if w.Now == nil {
			w.Now = time.Now
		}
		if w.Calendar == nil {
			w.Calendar = calendar.Builtin()
		}
		if w.Interval <= 0 {
			w.Interval = time.Second
		}
		if w.Log == nil {
			w.Log = func(string, ...any) {}
		}
	})
}

// Wake makes a running worker look at the outbox now.
func (w *Worker) Wake() {
	w.init()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run sends due messages until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	w.init()
	t := time.NewTicker(w.Interval)
	defer t.Stop()
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.Log("outbox: %v", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.wake:
		}
	}
}

// SendResult counts what one pass did.
type SendResult struct {
	Sent, Retried, Failed, Renewed int
}

// RunOnce sends every message due now, once each.
func (w *Worker) RunOnce(ctx context.Context) (SendResult, error) {
	w.init()
	w.pass.Lock()
	defer w.pass.Unlock()
	var res SendResult
	ch := w.channel()
	items, err := w.DB.OutboxDueVia(ctx, ch.Via(), w.Now(), 100)
	if err != nil {
		return res, err
	}
	err = w.sendAll(ctx, ch, items, &res)
	// Sends are recorded in one transaction (group commit). Should the
	// process die before it, the messages are sent again and SMEV answers
	// MessageIsAlreadySent.
	if ferr := w.flush(context.WithoutCancel(ctx)); err == nil {
		err = ferr
	}
	if err == nil {
		err = ctx.Err()
	}
	return res, err
}

// sendAll sends a pass's messages, Parallel at a time, each settled on its
// own (sent, retried, failed); it stops taking new ones at the first
// error of the journal and returns it.
func (w *Worker) sendAll(ctx context.Context, ch Channel, items []*store.OutboxItem, res *SendResult) error {
	par := w.Parallel
	if par <= 0 {
		par = 4
	}
	var (
		wg    sync.WaitGroup
		slots = make(chan struct{}, par)
		first error
	)
	failed := func() bool { w.mu.Lock(); defer w.mu.Unlock(); return first != nil }
	for _, it := range items {
		if ctx.Err() != nil || failed() {
			break
		}
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			var one SendResult
			err := w.send(ctx, ch, it, &one)
			w.mu.Lock()
			defer w.mu.Unlock()
			res.Sent += one.Sent
			res.Retried += one.Retried
			res.Failed += one.Failed
			res.Renewed += one.Renewed
			if err != nil && first == nil {
				first = err
			}
		})
	}
	wg.Wait()
	return first
}

func (w *Worker) flush(ctx context.Context) error {
	w.mu.Lock()
	recs := w.pending
	w.pending = nil
	w.mu.Unlock()
	if len(recs) == 0 {
		return nil
	}
	return w.DB.OutboxSentMany(ctx, recs)
}

func (w *Worker) channel() Channel {
	if w.Channel != nil {
		return w.Channel
	}
	return direct{c: w.Client}
}

func (w *Worker) send(ctx context.Context, ch Channel, it *store.OutboxItem, res *SendResult) error {
	rc, err := ch.Send(ctx, it)
	if err == nil {
		res.Sent++
		return w.sent(ctx, it, rc.At, rc.Note)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var f Classified
	if !errors.As(err, &f) {
		// The other side is unreachable, timed out, or answered with
		// garbage: the message may or may not have got through; the same
		// id is sent again later and the other side settles it
		// (MessageIsAlreadySent; the adapter is asked first).
		res.Retried++
		w.Log("outbox: %s %s %s: %v", ch.Via(), it.Kind, it.MessageID, err)
		return w.DB.OutboxRetry(ctx, it.ID, w.Now().Add(w.Backoff.Delay(it.Attempts)), noLink(ch)+err.Error())
	}
	class := f.Class()
	w.Log("outbox: %s %s %s: %v → %s", ch.Via(), it.Kind, it.MessageID, f, class.Action)
	switch class.Action {
	case ActDone:
		res.Sent++
		return w.sent(ctx, it, time.Time{}, alreadyNote(ch))
	case ActRetry:
		res.Retried++
		return w.DB.OutboxRetry(ctx, it.ID, w.Now().Add(w.Backoff.Delay(it.Attempts)), class.Ru)
	case ActNewID:
		if w.Renew != nil && ch.Via() == store.ViaDirect {
			p, err := RenewPacked(it.Envelope, it.ContentType, w.Renew, w.Now())
			if err != nil {
				res.Failed++
				return w.DB.OutboxFail(ctx, it.ID, domain.ErrorMessage(err))
			}
			res.Renewed++
			return w.DB.OutboxRenew(ctx, it.ID, p.MessageID, p.Envelope, "StaleMessageId")
		}
		res.Failed++
		return w.DB.OutboxFail(ctx, it.ID, "Идентификатор сообщения устарел: подпишите запрос заново.")
	default:
		res.Failed++
		return w.DB.OutboxFail(ctx, it.ID, class.Ru)
	}
}

func noLink(ch Channel) string {
	if ch.Via() == store.ViaAdapter {
		return "нет связи с адаптером СМЭВ: "
	}
	return "нет связи со СМЭВ: "
}

func alreadyNote(ch Channel) string {
	if ch.Via() == store.ViaAdapter {
		return "адаптер СМЭВ уже принял это сообщение ранее"
	}
	return "СМЭВ уже принял это сообщение ранее (MessageIsAlreadySent)"
}

// sent records the send; the answer deadline counts from SMEV's sending
// day in Moscow time (or ours when SMEV did not say).
func (w *Worker) sent(ctx context.Context, it *store.OutboxItem, at time.Time, note string) error {
	if at.IsZero() {
		at = w.Now()
	}
	rec := store.SentRecord{ID: it.ID, At: at, Note: note}
	if it.Kind == store.OutboxRequest {
		// A term that runs into a year the calendar lacks is kept and
		// computed when the year arrives; the request goes all the same.
		from, days := calendar.DateOf(at.In(Moscow)).String(), termOrDefault(it.TermDays)
		due, year, err := w.Calendar.DueOn(from, days)
		switch {
		case err != nil:
			w.Log("outbox: no deadline for %s: %v", it.MessageID, err)
		case year != 0:
			w.Log("outbox: deadline of %s waits for the %d calendar", it.MessageID, year)
			rec.Pending = &store.PendingDeadline{From: from, Days: days, MissingYear: year}
		default:
			rec.DueOn = due
		}
	}
	w.mu.Lock()
	w.pending = append(w.pending, rec)
	full := len(w.pending) >= 32
	w.mu.Unlock()
	if full {
		return w.flush(ctx)
	}
	return nil
}

// Describe is a one-line summary of an outbox row for the CLI.
func Describe(it *store.OutboxItem) string {
	s := fmt.Sprintf("%-8s %-8s %s attempts=%d", it.Kind, it.State, it.MessageID, it.Attempts)
	if it.State == store.OutboxPending && it.Attempts > 0 {
		s += " next=" + it.NextAttemptAt.Format(time.RFC3339)
	}
	if it.LastError != "" {
		s += " error=" + it.LastError
	}
	return s
}

// termOrDefault is the answer term of a card, or the 5 working days of
// 210-FZ art. 7.2 when the card sets none.
func termOrDefault(days int) int {
	if days <= 0 {
		return calendar.DefaultAnswerTerm
	}
	return days
}
