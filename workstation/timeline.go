package workstation

import (
	"context"
	"encoding/json"
	"time"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/reports"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/transport"
)

// LabeledValue is one datum of a document as people read it.
type LabeledValue struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Timeline is a request with its history, deadlines, answers (each with
// its signature check) and what was asked, all in Russian: the page of a
// request in the window and `mezhved show` alike.
type Timeline struct {
	Request   domain.Request   `json:"request"`
	Status    string           `json:"statusTitle"`
	Events    []TimelineEvent  `json:"events"`
	Deadlines []store.Deadline `json:"deadlines"`
	DaysLeft  *int             `json:"daysLeft,omitempty"` // working days to the answer deadline
	DueNote   string           `json:"dueNote,omitempty"`  // the deadline waits for a calendar year
	Replies   []ReplyView      `json:"replies"`
	Body      string           `json:"body,omitempty"` // the business XML (incoming: what is asked)
	Readable  []LabeledValue   `json:"readable"`       // the same for people
	// Sections is the body of a published kind of data under its schema's
	// Russian words, repeated parts as tables; nil otherwise.
	Sections  []templates.Section `json:"sections,omitempty"`
	CanAnswer bool                `json:"canAnswer"`
	// AnswerCard is the card that composes our answer to this incoming
	// request (its form); nil when the catalogue has none: refuse then.
	AnswerCard *templates.Template `json:"answerCard,omitempty"`
	// Connection says how the workstation reaches SMEV; the face that holds
	// the channel fills it in.
	Connection string `json:"connection,omitempty"`
	// Via is the road this request went by (direct, adapter; "" not sent
	// through SMEV yet), ViaTitle the same in Russian.
	Via      string `json:"via,omitempty"`
	ViaTitle string `json:"viaTitle,omitempty"`
	// ProviderFrom is the authority's name after «от» (genitive).
	ProviderFrom string `json:"providerFrom"`
	// OurAnswers are the settlement's answers to an incoming request
	// («Наш ответ»), each with its signature check.
	OurAnswers []ReplyView `json:"ourAnswers"`
	// ViaSMEV: an incoming request that came through SMEV (answered there);
	// CanAnswerOnPaper: the answer goes (or, for ours, came) by post or fax:
	// an incoming request that did not come through SMEV, or an outgoing
	// request still waiting; CanWithdraw: an open request that left.
	ViaSMEV          bool `json:"viaSmev"`
	CanAnswerOnPaper bool `json:"canAnswerOnPaper"`
	CanWithdraw      bool `json:"canWithdraw"`
	// RejectReasons are the reasons a refusal may give.
	RejectReasons []domain.RejectReason `json:"rejectReasons"`
}

// TimelineEvent is one status change, in Russian.
type TimelineEvent struct {
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	To    string    `json:"to"`
	Title string    `json:"title"`
	Note  string    `json:"note,omitempty"`
}

// ReplyView is an answer with its signature check.
type ReplyView struct {
	ID          int64                        `json:"id"`
	MessageID   string                       `json:"messageId"`
	Kind        string                       `json:"kind"`
	KindTitle   string                       `json:"kindTitle"`
	RejectCode  string                       `json:"rejectCode,omitempty"`
	RejectText  string                       `json:"rejectText,omitempty"`
	ReceivedAt  time.Time                    `json:"receivedAt"`
	Signatures  []transport.SignatureSummary `json:"signatures"`
	Valid       bool                         `json:"valid"`
	Readable    []LabeledValue               `json:"readable"`
	Sections    []templates.Section          `json:"sections,omitempty"` // as Timeline.Sections
	Attachments []*domain.Attachment         `json:"attachments"`
	// CheckedBy says who else checked the answer's signatures: the
	// region's adapter checks ЭП-СМЭВ and the provider's ЭП-ОВ before it
	// relays an answer (what we check ourselves is in Signatures).
	CheckedBy string `json:"checkedBy,omitempty"`
	// Ours: the settlement's own answer; Channel how it came or went
	// (ChannelTitle: «через СМЭВ», «почтой», «по факсу»); a paper answer's
	// letter Number and Dated (ДД.ММ.ГГГГ); Text a refusal's explanation.
	Ours         bool   `json:"ours"`
	Channel      string `json:"channel"`
	ChannelTitle string `json:"channelTitle"`
	Number       string `json:"number,omitempty"`
	Dated        string `json:"dated,omitempty"`
	Text         string `json:"text,omitempty"`
	// Printable: it prints with the e-signature mark or says why not.
	Printable bool `json:"printable"`
}

const adapterChecked = "Подписи СМЭВ и ведомства (ЭП-СМЭВ, ЭП-ОВ) проверил адаптер СМЭВ региона; ответ пришёл через него."

var replyKinds = map[string]string{
	store.ReplyResponse: "Ответ со сведениями",
	store.ReplyReject:   "Отказ",
	store.ReplyStatus:   "Статус",
	store.ReplyFault:    "Ответ не принят",
}

// DueNote stands in for a due date that cannot be computed yet: the term
// runs into a year without a production calendar.
func DueNote(r *domain.Request) string {
	if r.DueOn == "" && r.DueMissingYear != 0 {
		return calendar.PendingNote(r.DueMissingYear)
	}
	return ""
}

// Timeline assembles request id's page.
func (w *Workstation) Timeline(ctx context.Context, id int64) (*Timeline, error) {
	r, err := w.db.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	r.LastError = domain.Russian(r.LastError)
	t := &Timeline{Request: *r, Status: r.StatusTitle(), Events: []TimelineEvent{}, Replies: []ReplyView{}, OurAnswers: []ReplyView{},
		Readable: []LabeledValue{}, DueNote: DueNote(r), ProviderFrom: domain.Genitive(r.Provider), RejectReasons: domain.RejectReasons}
	evs, err := w.db.Events(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, e := range evs {
		t.Events = append(t.Events, TimelineEvent{At: e.At, Actor: domain.ActorTitle(e.Actor), To: string(e.To),
			Title: domain.TitleFor(r.Direction, e.To), Note: domain.Russian(e.Note)})
	}
	if t.Deadlines, err = w.db.Deadlines(ctx, id); err != nil {
		return nil, err
	}
	t.DaysLeft = w.daysLeft(r)
	if t.Via, err = w.db.RequestVia(ctx, id); err != nil {
		return nil, err
	}
	if t.Via != "" {
		t.ViaTitle = transport.ViaTitle(t.Via)
	}
	all, err := w.replyViews(ctx, id, t.Via)
	if err != nil {
		return nil, err
	}
	for _, rv := range all {
		if rv.Ours {
			t.OurAnswers = append(t.OurAnswers, rv)
		} else {
			t.Replies = append(t.Replies, rv)
		}
	}
	if body, err := w.db.RequestBody(ctx, id); err == nil && len(body) > 0 {
		t.Body = string(body)
		t.Readable = Readable(body)
		t.Sections = templates.Describe(body)
	}
	// Our own requests read best under the card's labels, as they were typed.
	if r.Direction == domain.Outgoing && r.TemplateID != "" {
		if d, err := w.Draft(ctx, id); err == nil {
			if rv := d.Readable(); len(rv) > 0 {
				t.Readable = rv
			}
		}
	}
	if err := w.canDo(ctx, t); err != nil {
		return nil, err
	}
	return t, nil
}

// canDo says what the clerk can do with the request now: answer through
// SMEV (an incoming request that came that way), record an answer on
// paper, withdraw it.
func (w *Workstation) canDo(ctx context.Context, t *Timeline) error {
	r := &t.Request
	waiting := r.Status == domain.StatusReceived || r.Status == domain.StatusError
	if r.Direction == domain.Incoming {
		via, err := w.db.IncomingViaSMEV(ctx, r.ID)
		if err != nil {
			return err
		}
		t.ViaSMEV = via
		t.CanAnswer = via && waiting
		t.CanAnswerOnPaper = !via && waiting
		if t.CanAnswer {
			t.AnswerCard, _ = w.AnswerCard([]byte(t.Body))
		}
	} else {
		switch r.Status {
		case domain.StatusSent, domain.StatusAccepted, domain.StatusUnverified, domain.StatusError:
			t.CanAnswerOnPaper = true
		}
	}
	t.CanWithdraw = r.Status.Open() && r.Status != domain.StatusDraft && domain.CanMove(r.Status, domain.StatusCancelled)
	return nil
}

// daysLeft counts the working days from today to an open request's answer
// deadline; nil when there is none or the calendar cannot tell.
func (w *Workstation) daysLeft(r *domain.Request) *int {
	if r.DueOn == "" || !r.Status.Open() {
		return nil
	}
	due, err := calendar.ParseDate(r.DueOn)
	if err != nil {
		return nil
	}
	n, err := w.Calendar().WorkingDaysBetween(w.Today(), due)
	if err != nil {
		return nil
	}
	return &n
}

func (w *Workstation) replyViews(ctx context.Context, id int64, via string) ([]ReplyView, error) {
	reps, err := w.db.Replies(ctx, id)
	if err != nil {
		return nil, err
	}
	out := []ReplyView{}
	for _, rep := range reps {
		rv := ReplyView{ID: rep.ID, MessageID: rep.MessageID, Kind: rep.Kind, KindTitle: replyKinds[rep.Kind],
			RejectCode: rep.RejectCode, ReceivedAt: rep.ReceivedAt, Attachments: rep.Files, Signatures: []transport.SignatureSummary{},
			Ours: rep.Ours, Channel: string(rep.Channel), ChannelTitle: channelTitles[rep.Channel], Number: rep.Number,
			Dated: domain.RussianDate(rep.Dated), Text: rep.Text, Printable: rep.Kind != store.ReplyStatus}
		if rep.RejectCode != "" {
			rv.RejectText = domain.RejectTitle(rep.RejectCode)
		}
		if rep.Ours {
			rv.KindTitle = map[string]string{store.ReplyResponse: "Наш ответ", store.ReplyReject: "Наш отказ"}[rep.Kind]
			rv.Signatures = w.ownSignatures(ctx, rep.MessageID)
		} else if rep.Signatures != "" {
			// Written by this program when the answer was verified; an
			// unreadable record shows as no signature, which is never valid.
			_ = json.Unmarshal([]byte(rep.Signatures), &rv.Signatures)
		}
		for i := range rv.Signatures {
			sg := &rv.Signatures[i]
			sg.Validity, sg.VerdictText, sg.Problem = domain.Russian(sg.Validity), domain.Russian(sg.VerdictText), domain.Russian(sg.Problem)
		}
		// Ours is valid when its mathematics holds: the key is the
		// clerk's own (its chain's verdict is shown beside it).
		rv.Valid = len(rv.Signatures) > 0
		for _, sg := range rv.Signatures {
			rv.Valid = rv.Valid && (sg.Valid || (rep.Ours && sg.Verdict != "invalid"))
		}
		if via == store.ViaAdapter && !rep.Ours {
			rv.CheckedBy = adapterChecked
		}
		rv.Readable = Readable(rep.Body)
		rv.Sections = templates.Describe(rep.Body)
		if rv.Attachments == nil {
			rv.Attachments = []*domain.Attachment{}
		}
		out = append(out, rv)
	}
	return out, nil
}

// Readable lists a business document's data for people.
func Readable(body []byte) []LabeledValue {
	fs := reports.Readable(body)
	out := make([]LabeledValue, len(fs))
	for i, f := range fs {
		out[i] = LabeledValue{Label: f.Label, Value: domain.Value(f.Value)}
	}
	return out
}

// Readable lists what the clerk typed under the card's labels (a choice by
// its label), in the card's order.
func (d *Draft) Readable() []LabeledValue {
	out := []LabeledValue{}
	if d.Template == nil {
		return out
	}
	for _, f := range d.Template.Fields {
		val := d.Canon[f.Name]
		if val == "" {
			continue
		}
		if f.Type == "choice" {
			for _, o := range f.Options {
				if o.Value == val {
					val = o.Label
				}
			}
		}
		out = append(out, LabeledValue{Label: f.Label, Value: domain.Value(val)})
	}
	return out
}
