package adapter

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/transport"
)

// groupSize is how many answers are committed in one transaction.
const groupSize = 16

// Poll takes what the adapter holds for us and commits each before it is
// considered taken: first the queue (Get: answers, statuses and errors of
// our messages; incoming requests for a provider), then Find for the
// requests that still wait (what a Get took before a crash is found so),
// then, for a provider, Find by period for incoming requests. Everything
// is kept once however often it comes: answers and statuses by their
// clientId, incoming requests by theirs.
func (c *Channel) Poll(ctx context.Context) (transport.PollResult, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var res transport.PollResult
	if err := c.drain(ctx, &res); err != nil {
		return res, err
	}
	if err := c.sweepWaiting(ctx, &res); err != nil {
		return res, err
	}
	if c.cfg.Provider {
		if err := c.sweepIncoming(ctx, &res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// drain takes the queue in groups: each group committed before the next
// Get.
func (c *Channel) drain(ctx context.Context, res *transport.PollResult) error {
	typ := TypeResponse
	if c.cfg.Provider {
		typ = "" // everything: answers, statuses, requests
	}
	for taken := 0; taken < c.cfg.Batch; {
		var group []*Result
		empty := false
		for len(group) < groupSize && taken < c.cfg.Batch {
			r, err := c.cfg.Client.Get(ctx, typ)
			if err != nil {
				if len(group) == 0 {
					return err
				}
				c.cfg.Log("adapter: Get: %v", err)
				empty = true
				break
			}
			if r == nil {
				empty = true
				break
			}
			group = append(group, r)
			taken++
		}
		if err := c.take(ctx, group, res); err != nil {
			return err
		}
		if empty {
			return nil
		}
	}
	return nil
}

// sweepWaiting looks up by Find the answers of our requests that still
// wait, each at most every Recheck (all of them after a start).
func (c *Channel) sweepWaiting(ctx context.Context, res *transport.PollResult) error {
	ids, err := c.cfg.DB.OpenOutgoingVia(ctx, store.ViaAdapter, 1000)
	if err != nil {
		return err
	}
	now, done := c.cfg.Now(), 0
	for _, id := range ids {
		if at, ok := c.checked[id]; ok && now.Sub(at) < c.cfg.Recheck {
			continue
		}
		if done == c.cfg.Batch {
			break
		}
		done++
		found, err := c.cfg.Client.Find(ctx, Search{ClientID: id, Criteria: ResponsesByRequestID})
		if err != nil {
			return err
		}
		if err := c.take(ctx, found, res); err != nil {
			return err
		}
		c.checked[id] = now
	}
	if len(c.checked) > 4*len(ids)+64 { // forget the closed ones
		open := make(map[string]bool, len(ids))
		for _, id := range ids {
			open[id] = true
		}
		for id := range c.checked {
			if !open[id] {
				delete(c.checked, id)
			}
		}
	}
	return nil
}

// sweepIncoming looks up the requests to us of the last period (Lookback
// after a start, then since the last search with a margin).
func (c *Channel) sweepIncoming(ctx context.Context, res *transport.PollResult) error {
	now := c.cfg.Now()
	from := now.Add(-c.cfg.Lookback)
	if !c.swept.IsZero() {
		if now.Sub(c.swept) < c.cfg.Recheck {
			return nil
		}
		from = c.swept.Add(-5 * time.Minute)
	}
	found, err := c.cfg.Client.Find(ctx, Search{From: from})
	if err != nil {
		return err
	}
	var in []*Result
	for _, r := range found {
		if r.Kind == KindRequest {
			in = append(in, r)
		}
	}
	if err := c.take(ctx, in, res); err != nil {
		return err
	}
	c.swept = now
	return nil
}

// take commits what came: answers and statuses in one transaction,
// incoming requests each.
func (c *Channel) take(ctx context.Context, rs []*Result, res *transport.PollResult) error {
	var replies []store.NewReply
	var kinds []string
	for _, r := range rs {
		if r.Kind == KindRequest {
			if err := c.takeRequest(ctx, r, res); err != nil {
				return err
			}
			continue
		}
		nr, ok := c.reply(ctx, r)
		replies = append(replies, nr)
		kind := r.Kind
		if !ok {
			kind = "refused"
		}
		kinds = append(kinds, kind)
	}
	if len(replies) == 0 {
		return nil
	}
	saved, err := c.cfg.DB.SaveReplies(ctx, replies)
	if err != nil {
		return err
	}
	for i, s := range saved {
		switch {
		case s.Err != nil:
			if domain.ErrorCode(s.Err) != domain.ENOTFOUND {
				return s.Err
			}
			c.cfg.Log("adapter: %s %s for unknown %s: not ours, skipped", kinds[i], replies[i].MessageID, replies[i].OriginalMessageID)
		case s.Dup:
			res.Duplicates++
		case kinds[i] == "refused":
			res.Rejected++
		case kinds[i] == KindResponse:
			res.Replies++
		default:
			res.Statuses++
		}
	}
	return nil
}

// reply turns an answer, a status or an error into what the journal
// keeps; false when the answer is refused (its signatures or files).
func (c *Channel) reply(ctx context.Context, r *Result) (store.NewReply, bool) {
	now := c.cfg.Now()
	nr := store.NewReply{OriginalMessageID: r.ReplyTo, MessageID: r.ClientID, Envelope: r.Raw, ReceivedAt: now, AckedAt: now}
	switch r.Kind {
	case KindStatus:
		nr.OriginalMessageID, nr.Kind = r.Original, store.ReplyStatus
		nr.Note = "Адаптер СМЭВ: " + or(r.Details, r.Category)
		return nr, true
	case KindError:
		nr.OriginalMessageID, nr.Kind, nr.Status = r.Original, store.ReplyStatus, domain.StatusError
		who := "СМЭВ"
		if r.ErrorType == "CLIENT" {
			who = "адаптер СМЭВ"
		}
		nr.Note = fmt.Sprintf("Сообщение не доставлено: ошибку вернул %s: %s", who, or(r.FaultText, r.Details))
		if r.FaultCode != "" {
			nr.Note += " (код " + r.FaultCode + ")"
		}
		return nr, true
	}
	check, atts := c.verify(ctx, r, now)
	nr.SignatureJSON = check.SummaryJSON()
	switch {
	case !check.OK:
		nr.Kind, nr.Status = store.ReplyFault, domain.StatusUnverified
		nr.Note = "Ответ не прошёл проверку подписи: " + check.Problem()
	case len(r.Rejects) > 0:
		rj := r.Rejects[0]
		nr.Kind, nr.Status, nr.RejectCode = store.ReplyReject, domain.StatusRejected, rj.Code
		nr.Note = fmt.Sprintf("Отказ поставщика: %s (%s)", rj.Description, rj.Code)
	case r.StatusCode != "":
		nr.Kind = store.ReplyStatus
		nr.Note = fmt.Sprintf("Статус от поставщика %s: %s", r.StatusCode, r.StatusText)
	default:
		nr.Kind, nr.Status, nr.Body, nr.Attachments = store.ReplyResponse, domain.StatusAnswered, r.Content, atts
		nr.Note = "Ответ получен через адаптер СМЭВ региона (ЭП-СМЭВ и ЭП-ОВ поставщика проверены адаптером)"
		if len(atts) > 0 {
			nr.Note += fmt.Sprintf(", вложений: %d", len(atts))
		}
	}
	return nr, check.OK
}

// verify judges the signatures the answer carries, in the QueryResult as
// it is kept (read again on its own), and reads and checks its files.
func (c *Channel) verify(ctx context.Context, r *Result, at time.Time) (transport.MessageCheck, []store.NewAttachment) {
	var check transport.MessageCheck
	d, err := xmltree.Parse(r.Raw)
	var own *Result
	if err == nil {
		own, err = ParseResult(d, d.Root)
	}
	if err != nil {
		check.Problems = []string{"сообщение не разобрано: " + domain.ErrorMessage(err)}
		return check, nil
	}
	check = c.cfg.Checker.CheckRelayed(ctx, d, own.Data, nil, at)
	var atts []store.NewAttachment
	for _, f := range own.Files {
		b, err := c.cfg.Files.Read(f.Path)
		if err == nil && len(f.Signature) > 0 {
			if err = c.cfg.CheckAttachment(b, f.Signature); err != nil {
				err = fmt.Errorf("подпись вложения %s не сходится: %w", f.Path, err)
			}
		}
		if err != nil {
			check.OK = false
			check.Problems = append(check.Problems, domain.ErrorMessage(err))
			continue
		}
		sum := sha256.Sum256(b)
		atts = append(atts, store.NewAttachment{Name: path.Base(strings.ReplaceAll(f.Path, `\`, "/")), SHA256: hex.EncodeToString(sum[:]),
			MimeType: mimeOf(f.Path), Content: b, Signature: f.Signature})
	}
	return check, atts
}

// takeRequest commits a request to us (received, with its deadline), once.
func (c *Channel) takeRequest(ctx context.Context, r *Result, res *transport.PollResult) error {
	if !c.cfg.Provider {
		c.cfg.Log("adapter: request %s to us taken, but this workstation takes none: skipped", r.ClientID)
		return nil
	}
	if own, err := c.cfg.DB.RequestByMessageID(ctx, r.ClientID); err == nil && own.Direction == domain.Outgoing {
		return nil // one of ours, found by a search by period
	}
	now := c.cfg.Now()
	if check, _ := c.verify(ctx, r, now); !check.OK {
		c.cfg.Log("adapter: incoming %s refused: %s", r.ClientID, check.Problem())
		return nil
	}
	from := calendar.DateOf(now.In(transport.Moscow)).String()
	due, missingYear, err := c.cfg.Calendar.DueOn(from, calendar.DefaultAnswerTerm)
	if err != nil {
		c.cfg.Log("adapter: no deadline for incoming %s: %v", r.ClientID, err)
	}
	tmplID, title := r.ContentRoot, r.ContentRoot
	if card, err := c.cfg.Catalogue.AnswerFor(r.ContentNS, r.ContentRoot); err == nil {
		tmplID, title = card.ID, card.AnswersTitle
	}
	sender := or(r.SMEV.Sender, "через адаптер СМЭВ")
	in := store.NewIncoming{
		Request: store.NewRequest{
			MessageID: r.SMEV.MessageID, TemplateID: tmplID, TemplateTitle: title, Provider: sender, ProviderCode: r.SMEV.Sender,
			Body: r.Content, DueOn: due, DueFrom: from, DueDays: calendar.DefaultAnswerTerm, DueMissingYear: missingYear,
			Actor: "smev", Note: "входящий запрос получен через адаптер СМЭВ региона",
		},
		ReplyTo: r.ClientID, SMEVMessageID: r.ClientID, Sender: sender, ReceivedAt: now, Via: store.ViaAdapter,
	}
	_, dup, err := c.cfg.DB.SaveIncoming(ctx, in)
	if err != nil {
		return err
	}
	if !dup {
		res.Incoming++
	}
	return nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func mimeOf(p string) string {
	for m, ext := range extByMime {
		if strings.HasSuffix(strings.ToLower(p), ext) && m != "text/xml" {
			return m
		}
	}
	return "application/octet-stream"
}
