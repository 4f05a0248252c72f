package workstation

import (
	"context"
	"strings"
	"time"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/trust"
	"github.com/mezhved/mezhved/validate"
)

// No dead ends: an answer that comes on paper closes our request, an
// incoming request that did not come through SMEV is answered on paper,
// any open request can be withdrawn.

// PaperAnswer is an answer by post or fax: to our request (it came), or
// ours to an incoming request (it went). Refuse with a reason and an
// explanation makes it a refusal.
type PaperAnswer struct {
	RequestID  int64
	Channel    string // post or fax
	Refuse     bool
	RejectCode string
	Text       string
	Number     string // the letter's number
	Dated      string // the letter's date, as the clerk writes it
	Files      []store.NewAttachment
}

// RecordPaperAnswer writes an answer by post or fax into the journal and
// ends the request with it: answered, or a refusal. The letter's date is
// read forgivingly and cannot be in the future; a refusal needs its reason
// and explanation. Every problem is named at once.
func (w *Workstation) RecordPaperAnswer(ctx context.Context, p PaperAnswer, actor string) error {
	r, err := w.db.Request(ctx, p.RequestID)
	if err != nil {
		return err
	}
	var problems []string
	day, derr := validate.ReadDate(p.Dated, calendar.Date{})
	switch {
	case strings.TrimSpace(p.Dated) == "":
		problems = append(problems, "Укажите дату письма.")
	case derr != nil:
		problems = append(problems, "Дата письма: "+domain.ErrorMessage(derr)+".")
	case day.After(w.Today()):
		problems = append(problems, "Дата письма не может быть позже сегодняшней.")
	}
	kind := store.ReplyResponse
	if p.Refuse {
		kind = store.ReplyReject
		if _, _, err := refusal(p.RejectCode, p.Text); err != nil {
			problems = append(problems, strings.TrimPrefix(domain.ErrorMessage(err), "Отказ не отправлен. "))
		}
	}
	if len(problems) > 0 {
		return domain.Errorf(domain.EINVALID, "%s", strings.Join(problems, " "))
	}
	// The answer's moment: now, for a letter of today; noon of its day
	// otherwise (the deadline is kept by the day).
	at := w.Now()
	if day != w.Today() {
		at = time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, w.cfg.Zone)
	}
	_, err = w.db.SavePaperReply(ctx, store.PaperReply{RequestID: r.ID, Ours: r.Direction == domain.Incoming,
		Channel: domain.Channel(p.Channel), Kind: kind, RejectCode: p.RejectCode, Number: p.Number, Dated: day.String(),
		Text: p.Text, At: at, Files: p.Files, Actor: actor})
	return err
}

// Withdraw ends a request that will not be answered (see store.Withdraw).
func (w *Workstation) Withdraw(ctx context.Context, id int64, reason, actor string) error {
	return w.db.Withdraw(ctx, id, actor, reason)
}

// channelTitles say how an answer came or went.
var channelTitles = map[domain.Channel]string{
	domain.ChannelSMEV: "через СМЭВ",
	domain.ChannelPost: "почтой",
	domain.ChannelFax:  "по факсу",
}

// ownSignatures checks the signatures of our answer that went through
// SMEV, on its envelope as it was committed to the outbox, at that moment:
// the mathematics, and the verdict of the trust store on the chain. None
// when the envelope is not kept (a paper answer).
func (w *Workstation) ownSignatures(ctx context.Context, messageID string) []transport.SignatureSummary {
	out := []transport.SignatureSummary{}
	if store.IsPaperID(messageID) {
		return out
	}
	env, at, err := w.db.OutboxEnvelope(ctx, messageID)
	if err != nil || len(env) == 0 {
		return out
	}
	results, err := signer.Verify(env, &signer.VerifyOptions{Time: at})
	if err != nil {
		return out
	}
	for i := range results {
		r := &results[i]
		if r.Kind == signer.KindNotChecked {
			continue
		}
		j := trust.Signature{Math: r, Checked: true, Verdict: trust.Untrusted}
		if w.trust != nil {
			j = w.trust.JudgeSignature(ctx, r, trust.Options{Contour: w.Contour(ctx), At: at, Offline: true})
		} else if !r.DigestOK || !r.SignatureOK {
			j.Verdict = trust.Invalid
		}
		out = append(out, transport.Summarize(j, at))
	}
	return out
}
