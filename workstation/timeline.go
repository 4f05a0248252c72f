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
	CanAnswer bool             `json:"canAnswer"`
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
	Attachments []*domain.Attachment         `json:"attachments"`
	// CheckedBy says who else checked the answer's signatures: the
	// region's adapter checks ЭП-СМЭВ and the provider's ЭП-ОВ before it
	// relays an answer (what we check ourselves is in Signatures).
	CheckedBy string `json:"checkedBy,omitempty"`
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
	t := &Timeline{Request: *r, Status: r.Status.Title(), Events: []TimelineEvent{}, Replies: []ReplyView{},
		Readable: []LabeledValue{}, DueNote: DueNote(r)}
	evs, err := w.db.Events(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, e := range evs {
		t.Events = append(t.Events, TimelineEvent{At: e.At, Actor: e.Actor, To: string(e.To), Title: e.To.Title(), Note: e.Note})
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
	if t.Replies, err = w.replyViews(ctx, id, t.Via); err != nil {
		return nil, err
	}
	if body, err := w.db.RequestBody(ctx, id); err == nil && len(body) > 0 {
		t.Body = string(body)
		t.Readable = Readable(body)
	}
	// Our own requests read best under the card's labels, as they were typed.
	if r.Direction == domain.Outgoing && r.TemplateID != "" {
		if d, err := w.Draft(ctx, id); err == nil {
			if rv := d.Readable(); len(rv) > 0 {
				t.Readable = rv
			}
		}
	}
	t.CanAnswer = r.Direction == domain.Incoming && (r.Status == domain.StatusReceived || r.Status == domain.StatusError)
	if t.CanAnswer {
		t.AnswerCard, _ = w.AnswerCard([]byte(t.Body))
	}
	return t, nil
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
			RejectCode: rep.RejectCode, ReceivedAt: rep.ReceivedAt, Attachments: rep.Files, Signatures: []transport.SignatureSummary{}}
		if rep.RejectCode != "" {
			rv.RejectText = transport.RejectText(rep.RejectCode)
		}
		if rep.Signatures != "" {
			// Written by this program when the answer was verified; an
			// unreadable record shows as no signature, which is never valid.
			_ = json.Unmarshal([]byte(rep.Signatures), &rv.Signatures)
		}
		rv.Valid = len(rv.Signatures) > 0
		for _, sg := range rv.Signatures {
			rv.Valid = rv.Valid && sg.Valid
		}
		if via == store.ViaAdapter {
			rv.CheckedBy = adapterChecked
		}
		rv.Readable = Readable(rep.Body)
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
		out[i] = LabeledValue{Label: f.Label, Value: f.Value}
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
		out = append(out, LabeledValue{Label: f.Label, Value: val})
	}
	return out
}
