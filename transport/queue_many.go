package transport

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
)

// QueueRequests composes and signs several requests, on every core, and
// commits them all to the outbox in one transaction: a bundle of requests
// for one application is queued whole or not at all, and a thousand cost
// a few commits instead of a thousand. At most store.MaxEnqueueBatch at
// once. A request that cannot be prepared is named by its place, and
// nothing of the bundle is queued (on the adapter's road, files already
// put into the adapter's folder for the others stay there, unreferenced,
// as after a single request that failed).
func (s *Service) QueueRequests(ctx context.Context, rs []OutgoingRequest) ([]*Queued, error) {
	if len(rs) > store.MaxEnqueueBatch {
		return nil, domain.Errorf(domain.EINVALID, "Слишком много запросов за раз: %d (не больше %d).", len(rs), store.MaxEnqueueBatch)
	}
	if len(rs) == 0 {
		return nil, nil
	}
	bodies := make([][]byte, len(rs))
	ps := make([]*Prepared, len(rs))
	errs := make([]error, len(rs))
	onEveryCore(len(rs), func(i int) { bodies[i], ps[i], errs[i] = s.prepare(rs[i]) })
	for i, err := range errs {
		if err != nil {
			return nil, domain.Wrap(err, domain.ErrorCode(err), "transport.QueueRequests",
				fmt.Sprintf("Запрос %d из %d: %s Ни один запрос пакета не поставлен в очередь.", i+1, len(rs), domain.ErrorMessage(err)))
		}
	}
	ns := make([]store.NewRequest, len(rs))
	ms := make([]store.OutboxMessage, len(rs))
	for i := range rs {
		ns[i], ms[i] = s.outgoingRows(rs[i], bodies[i], ps[i])
	}
	ids, err := s.DB.EnqueueOutgoingMany(ctx, ns, ms)
	if err != nil {
		return nil, err
	}
	s.Worker.Wake()
	out := make([]*Queued, len(ids))
	for i, id := range ids {
		out[i] = &Queued{RequestID: id, MessageID: ps[i].MessageID}
	}
	return out, nil
}

// outgoingRows are the journal's rows of a prepared request.
func (s *Service) outgoingRows(r OutgoingRequest, body []byte, p *Prepared) (store.NewRequest, store.OutboxMessage) {
	t := r.Template
	return store.NewRequest{
			TemplateID: t.ID, TemplateTitle: t.Title, Provider: t.Provider.Short, ProviderCode: t.Provider.SMEVID,
			ApplicationID: r.ApplicationID, Applicant: r.Applicant, SNILS: r.SNILS, Body: body, Actor: actorOf(r),
		}, store.OutboxMessage{MessageID: p.MessageID, Envelope: p.Envelope, ContentType: p.ContentType,
			TermDays: t.TermDays, Via: s.Via()}
}

// onEveryCore runs job(0..n-1) on as many goroutines as there are cores.
func onEveryCore(n int, job func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				job(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
