package transport

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer/cms"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
)

// Poller takes answers, statuses and incoming requests from SMEV: every
// message is verified, committed to the journal, and only then acknowledged.
type Poller struct {
	DB     *store.DB
	Client *Client // SMEV 3 directly, when Channel is nil
	// Channel is the road the poller polls (the region's adapter); nil:
	// SMEV 3 directly through Client (GetResponse, GetStatus, GetRequest,
	// Ack).
	Channel  Channel
	Calendar Terms         // for the deadlines of incoming requests; calendar.Builtin() when nil
	Selector Selector      // GetResponse / GetRequest filter (empty: everything)
	Interval time.Duration // Run polls this often; default 30 s
	Batch    int           // at most this many messages of each kind per poll; default 100
	// Provider makes PollOnce take incoming requests (GetRequest) too.
	Provider bool
	// CheckAttachment verifies an attachment's detached PKCS#7; the default
	// is cms.VerifyDetached. A failure marks the answer as not verified.
	CheckAttachment func(content, signature []byte) error
	// Catalogue names incoming requests after their answer cards; the
	// built-in catalogue when nil.
	Catalogue *templates.Catalogue
	// Checker judges every message's signatures (ЭП-СМЭВ, the sender's
	// ЭП-ОВ) against the trust store; nil trusts nothing.
	Checker *Checker
	Now     func() time.Time
	Log     func(format string, args ...any)

	once  sync.Once
	wake  chan struct{}
	mu    sync.Mutex // one poll at a time
	ackMu sync.Mutex // acked, between the Acks of a group
	acked []string   // acknowledged during this poll, recorded in one transaction
}

func (p *Poller) init() {
	p.once.Do(func() {
		p.wake = make(chan struct{}, 1)
		if p.Now == nil {
			p.Now = time.Now
		}
		if p.Calendar == nil {
			p.Calendar = calendar.Builtin()
		}
		if p.Interval <= 0 {
			p.Interval = 30 * time.Second
		}
		if p.Batch <= 0 {
			p.Batch = 100
		}
		if p.Log == nil {
			p.Log = func(string, ...any) {}
		}
		if p.CheckAttachment == nil {
			p.CheckAttachment = func(content, sig []byte) error {
				_, err := cms.VerifyDetached(content, sig)
				return err
			}
		}
	})
}

// PollResult counts what one poll did.
type PollResult struct {
	Replies    int `json:"replies"`    // answers committed
	Duplicates int `json:"duplicates"` // answers delivered again (already in the journal), acknowledged again
	Rejected   int `json:"rejected"`   // answers whose signatures did not verify (acknowledged with accepted=false)
	Statuses   int `json:"statuses"`
	Incoming   int `json:"incoming"`
}

// Wake makes a running poller poll now ("Проверить ответы").
func (p *Poller) Wake() {
	p.init()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run polls on the interval and on Wake until ctx ends.
func (p *Poller) Run(ctx context.Context) {
	p.init()
	t := time.NewTicker(p.Interval)
	defer t.Stop()
	for {
		if _, err := p.PollOnce(ctx); err != nil && ctx.Err() == nil {
			p.Log("poll: %v", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-p.wake:
		}
	}
}

// PollOnce polls the channel once, one poll at a time. Directly: it
// empties the response queue (up to Batch), then the status queue, then
// (for a provider) the request queue.
func (p *Poller) PollOnce(ctx context.Context) (PollResult, error) {
	p.init()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.Channel != nil {
		return p.Channel.Poll(ctx)
	}
	return p.pollDirect(ctx)
}

func (p *Poller) pollDirect(ctx context.Context) (PollResult, error) {
	defer p.flushAcked(ctx)
	var res PollResult
	if err := p.ackAgain(ctx); err != nil {
		return res, err
	}
	if err := p.takeAllResponses(ctx, &res); err != nil {
		return res, err
	}
	if err := p.takeAllStatuses(ctx, &res); err != nil {
		return res, err
	}
	if !p.Provider {
		return res, nil
	}
	for i := 0; i < p.Batch; i++ {
		r, err := p.Client.GetRequest(ctx, p.Selector)
		if err != nil {
			return res, err
		}
		if r == nil {
			break
		}
		if err := p.takeRequest(ctx, r, &res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// ackAgain acknowledges the replies committed by a run that stopped before
// it recorded the Ack (SMEV says TargetMessageIsNotFound when the first Ack
// got through).
func (p *Poller) ackAgain(ctx context.Context) error {
	unacked, err := p.DB.UnackedReplies(ctx, p.Batch)
	if err != nil {
		return err
	}
	for _, u := range unacked {
		if err := p.ack(ctx, u.MessageID, u.Accepted); err != nil {
			// SMEV will deliver it again; it is kept once and acknowledged then.
			p.Log("poll: Ack of %s again: %v", u.MessageID, err)
			break
		}
	}
	return nil
}

// takeAllStatuses takes the asynchronous statuses waiting.
func (p *Poller) takeAllStatuses(ctx context.Context, res *PollResult) error {
	for i := 0; i < p.Batch; i++ {
		st, err := p.Client.GetStatus(ctx)
		if err != nil || st == nil {
			return err
		}
		if err := p.takeStatus(ctx, st); err != nil {
			return err
		}
		res.Statuses++
	}
	return nil
}

// takeAllResponses takes answers in groups: fetched and verified,
// committed in one transaction, then acknowledged. A node that gives an
// unacknowledged answer again at once ends the group.
func (p *Poller) takeAllResponses(ctx context.Context, res *PollResult) error {
	for taken := 0; taken < p.Batch; {
		var group []*Response
		seen := map[string]bool{}
		empty := false
		for len(group) < 16 && taken < p.Batch {
			r, err := p.Client.GetResponse(ctx, p.Selector)
			if err != nil {
				if len(group) == 0 {
					return err
				}
				p.Log("poll: GetResponse: %v", err)
				empty = true
				break
			}
			if r == nil {
				empty = true
				break
			}
			if seen[r.Metadata.MessageID] {
				break
			}
			seen[r.Metadata.MessageID] = true
			group = append(group, r)
			taken++
		}
		if err := p.takeResponses(ctx, group, res); err != nil {
			return err
		}
		if empty || len(group) == 0 {
			return nil
		}
	}
	return nil
}

func (p *Poller) attachments(in []AttachmentIn) ([]store.NewAttachment, error) {
	out := make([]store.NewAttachment, 0, len(in))
	for _, a := range in {
		if len(a.Signature) > 0 {
			if err := p.CheckAttachment(a.Content, a.Signature); err != nil {
				return nil, fmt.Errorf("attachment %s: %w", a.ContentID, err)
			}
		}
		sum := sha256.Sum256(a.Content)
		out = append(out, store.NewAttachment{Name: a.ContentID + extFor(a.MimeType), MimeType: a.MimeType,
			SHA256: hex.EncodeToString(sum[:]), Content: a.Content, Signature: a.Signature})
	}
	return out, nil
}

func extFor(mime string) string {
	switch mime {
	case "application/pdf":
		return ".pdf"
	case "application/xml", "text/xml":
		return ".xml"
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	}
	return ""
}

func (p *Poller) reply(ctx context.Context, r *Response) (store.NewReply, bool) {
	received := p.Now()
	var check MessageCheck
	if r.Malformed != nil {
		check.Problems = []string{domain.ErrorMessage(r.Malformed)}
	} else {
		check = p.Checker.CheckMessage(ctx, r.Signed, received, true)
	}
	ok, problem := check.OK, check.Problem()
	atts, aerr := p.attachments(r.Data.Attachments)
	if aerr != nil && ok {
		ok, problem = false, "подпись вложения не сходится: "+aerr.Error()
	}
	nr := store.NewReply{
		OriginalMessageID: r.OriginalMessageID, MessageID: r.Metadata.MessageID, Envelope: r.Envelope,
		SignatureJSON: check.SummaryJSON(), ReceivedAt: received,
	}
	switch {
	case !ok:
		// Kept with its reasons and the raw envelope, never as data: the
		// request waits on for a verified answer. SMEV's Ack says
		// accepted="false", so the message does not come back.
		nr.Kind, nr.Status = store.ReplyFault, domain.StatusUnverified
		nr.Note = "Ответ не прошёл проверку подписи: " + problem
		nr.Attachments = nil
	case r.Data.RejectCode != "":
		nr.Kind, nr.Status, nr.RejectCode = store.ReplyReject, domain.StatusRejected, r.Data.RejectCode
		nr.Note = fmt.Sprintf("Отказ поставщика: %s (%s)", r.Data.RejectText, r.Data.RejectCode)
	case r.Data.StatusCode != "":
		nr.Kind = store.ReplyStatus
		nr.Note = fmt.Sprintf("Статус от поставщика %s: %s", r.Data.StatusCode, r.Data.StatusText)
	case r.Data.Content != nil:
		nr.Kind, nr.Status, nr.Body, nr.Attachments = store.ReplyResponse, domain.StatusAnswered, r.Data.Content, atts
		nr.Note = "Ответ получен, подписи действительны"
		if len(atts) > 0 {
			nr.Note += fmt.Sprintf(", вложений: %d", len(atts))
		}
	default:
		ok = false
		nr.Kind, nr.Status = store.ReplyFault, domain.StatusError
		nr.Note = "Ответ СМЭВ без содержимого"
	}
	return nr, ok
}

// takeResponses verifies a group of answers, commits them in one
// transaction and only then acknowledges each.
func (p *Poller) takeResponses(ctx context.Context, group []*Response, res *PollResult) error {
	if len(group) == 0 {
		return nil
	}
	replies, oks := p.replyAll(ctx, group)
	saved, err := p.DB.SaveReplies(ctx, replies)
	if err != nil {
		return err
	}
	acks := make([]pendingAck, 0, len(group))
	var refuseErr error
	for i, r := range group {
		if err := saved[i].Err; err != nil {
			if domain.ErrorCode(err) != domain.ENOTFOUND {
				return err
			}
			// Not ours to keep (no such request in this journal): refuse it
			// so that it does not come back for weeks.
			p.Log("poll: reply %s to unknown message %s refused", r.Metadata.MessageID, r.OriginalMessageID)
			if err := p.Client.Ack(ctx, r.Metadata.MessageID, false); err != nil {
				refuseErr = cmp.Or(refuseErr, err) // the committed ones are acknowledged all the same
			}
			continue
		}
		switch {
		case saved[i].Dup:
			res.Duplicates++
		case !oks[i]:
			res.Rejected++
		default:
			res.Replies++
		}
		acks = append(acks, pendingAck{r.Metadata.MessageID, oks[i]})
	}
	// Committed: now, and only now, SMEV may forget them.
	return cmp.Or(p.ackAll(ctx, acks), refuseErr)
}

type pendingAck struct {
	messageID string
	accepted  bool
}

// ackAll acknowledges committed replies, a few at a time (each Ack is a
// signed round trip of its own); the first error is returned once all
// have settled, and what was not acknowledged is acknowledged next time.
func (p *Poller) ackAll(ctx context.Context, acks []pendingAck) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		slots = make(chan struct{}, 4)
	)
	for _, a := range acks {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			if err := p.ack(ctx, a.messageID, a.accepted); err != nil {
				mu.Lock()
				first = cmp.Or(first, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return first
}

// ack acknowledges a committed reply; TargetMessageIsNotFound means an
// earlier Ack got through. The Acks of a poll are recorded together at its
// end (a reply whose record is lost is acknowledged again next time).
func (p *Poller) ack(ctx context.Context, messageID string, accepted bool) error {
	if err := p.Client.Ack(ctx, messageID, accepted); err != nil {
		var f *Fault
		if !errors.As(err, &f) || f.Name != "TargetMessageIsNotFound" {
			return err
		}
	}
	p.ackMu.Lock()
	p.acked = append(p.acked, messageID)
	full := len(p.acked) >= 50
	p.ackMu.Unlock()
	if full {
		p.flushAcked(ctx)
	}
	return nil
}

func (p *Poller) flushAcked(ctx context.Context) {
	p.ackMu.Lock()
	acked := p.acked
	p.acked = nil
	p.ackMu.Unlock()
	if len(acked) == 0 {
		return
	}
	if err := p.DB.ReplyAcked(ctx, p.Now(), acked...); err != nil {
		p.Log("poll: record Acks: %v", err)
	}
}

// statusMap says which journal status an SMEV interaction status means.
var statusMap = map[string]domain.Status{
	"requestIsAcceptedBySmev": domain.StatusAccepted,
	"messageIsDelivered":      domain.StatusAccepted,
	"requestIsRejectedBySmev": domain.StatusError,
	"cancelled":               domain.StatusCancelled,
}

func (p *Poller) takeStatus(ctx context.Context, st *Status) error {
	to := statusMap[st.Category]
	note := "СМЭВ: " + st.Category
	if st.Details != "" {
		note += ": " + st.Details
	}
	if st.FaultCode != "" {
		note += fmt.Sprintf(" (ошибка %s: %s)", st.FaultCode, st.FaultDescription)
	}
	err := p.DB.RecordSMEVStatus(ctx, st.OriginalMessageID, to, note)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		p.Log("poll: status for unknown message %s: %s", st.OriginalMessageID, note)
		return nil
	}
	return err
}

func (p *Poller) takeRequest(ctx context.Context, r *Request, res *PollResult) error {
	if r.Malformed != nil {
		p.Log("poll: incoming %s refused: %s", r.Metadata.MessageID, domain.ErrorMessage(r.Malformed))
		return p.Client.Ack(ctx, r.Metadata.MessageID, false)
	}
	if check := p.Checker.CheckMessage(ctx, r.Signed, p.Now(), false); !check.OK {
		p.Log("poll: incoming %s refused: %s", r.Metadata.MessageID, check.Problem())
		return p.Client.Ack(ctx, r.Metadata.MessageID, false)
	}
	sent := r.Metadata.SendingTimestamp
	if sent.IsZero() {
		sent = p.Now()
	}
	from := calendar.DateOf(sent.In(Moscow)).String()
	due, missingYear, err := p.Calendar.DueOn(from, calendar.DefaultAnswerTerm)
	if err != nil {
		p.Log("poll: no deadline for incoming %s: %v", r.Metadata.MessageID, err)
	}
	sender := r.Metadata.SenderName
	if sender == "" {
		sender = r.Metadata.Sender
	}
	// The journal names an incoming request after the answer card for its
	// type of data, when the catalogue has one.
	tmplID, title := r.Data.ContentRoot, r.Data.ContentRoot
	cat := p.Catalogue
	if cat == nil {
		cat = templates.Builtin()
	}
	if card, err := cat.AnswerFor(r.Data.ContentNS, r.Data.ContentRoot); err == nil {
		tmplID, title = card.ID, card.AnswersTitle
	}
	in := store.NewIncoming{
		Request: store.NewRequest{
			MessageID: r.Data.MessageID, TemplateID: tmplID, TemplateTitle: title,
			Provider: sender, ProviderCode: r.Metadata.Sender, Body: r.Data.Content, DueOn: due,
			DueFrom: from, DueDays: calendar.DefaultAnswerTerm, DueMissingYear: missingYear,
			Actor: "smev", Note: "входящий запрос получен из СМЭВ, подпись проверена",
		},
		ReplyTo: r.ReplyTo, SMEVMessageID: r.Metadata.MessageID, Sender: sender, ReceivedAt: p.Now(),
	}
	if _, _, err := p.DB.SaveIncoming(ctx, in); err != nil {
		return err
	}
	res.Incoming++
	return p.Client.Ack(ctx, r.Metadata.MessageID, true)
}
