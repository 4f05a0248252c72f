package workstation

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/validate"
)

// Draft is an outgoing request being prepared: its card, the values the
// clerk typed, what is wrong with them, and the business XML once they are
// complete.
type Draft struct {
	Request  *domain.Request
	Template *templates.Template
	Values   map[string]string // as typed
	Canon    map[string]string // as checked and normalized
	Problems validate.Problems
	Body     []byte // the composed request, when complete
	Files    []*domain.Attachment
}

// Complete reports whether the draft can be signed and sent.
func (d *Draft) Complete() bool { return len(d.Problems) == 0 && len(d.Body) > 0 }

// maxFieldLen bounds one value of a form.
const maxFieldLen = 4000

// NewDraft starts a request from a card for an application (0: a new
// application for service), with the fields the application and org
// (the settlement, from the settings) already know filled in, and keeps it
// in the journal at once (the commands; the window keeps a draft only when
// it is first saved: StartDraft, CreateDraft). actor is who does it, for
// the history.
func (w *Workstation) NewDraft(ctx context.Context, templateID string, applicationID int64, service string, org *templates.Org, actor string) (int64, error) {
	d, err := w.StartDraft(ctx, templateID, applicationID, service, org)
	if err != nil {
		return 0, err
	}
	return w.createDraft(ctx, d, applicationID, service, d.Values, actor)
}

// StartDraft is the form of a new request, not kept anywhere yet: the
// card, the values the application and org already know (dates as
// ДД.ММ.ГГГГ), their problems. Its Request has no id.
func (w *Workstation) StartDraft(ctx context.Context, templateID string, applicationID int64, service string, org *templates.Org) (*Draft, error) {
	t, err := w.Catalogue().Get(templateID)
	if err != nil {
		return nil, err
	}
	app := &templates.Application{Service: strings.TrimSpace(service), Registered: w.Today()}
	if applicationID != 0 {
		if app, err = w.loadApplication(ctx, applicationID); err != nil {
			return nil, err
		}
	} else if app.Service == "" && len(t.Services) > 0 {
		app.Service = t.Services[0]
	}
	values := templates.Prefill(t, app, org)
	for _, f := range t.Fields {
		if v, ok := values[f.Name]; ok {
			values[f.Name] = w.fullDate(f.Type, v)
		}
	}
	d := &Draft{Template: t, Values: values, Request: &domain.Request{Direction: domain.Outgoing, ApplicationID: applicationID,
		TemplateID: t.ID, TemplateTitle: t.Title, Provider: t.Provider.Short, ProviderCode: t.Provider.SMEVID,
		Channel: domain.ChannelSMEV, Status: domain.StatusDraft}}
	d.Canon, d.Problems = t.Check(values, w.Today())
	if d.Problems == nil {
		d.Problems = validate.Problems{}
	}
	if len(d.Problems) == 0 {
		d.Body, _ = t.Compose(values, w.Today())
	}
	return d, nil
}

// CreateDraft keeps a new request in the journal with what the clerk typed
// (the first save of a form StartDraft gave): its application is made now
// when applicationID is 0.
func (w *Workstation) CreateDraft(ctx context.Context, templateID string, applicationID int64, service string, values map[string]string, actor string) (int64, error) {
	d, err := w.StartDraft(ctx, templateID, applicationID, service, nil)
	if err != nil {
		return 0, err
	}
	return w.createDraft(ctx, d, applicationID, service, values, actor)
}

func (w *Workstation) createDraft(ctx context.Context, d *Draft, applicationID int64, service string, values map[string]string, actor string) (int64, error) {
	t := d.Template
	if applicationID == 0 {
		app := &templates.Application{Service: strings.TrimSpace(service), Registered: w.Today()}
		if app.Service == "" && len(t.Services) > 0 {
			app.Service = t.Services[0]
		}
		data, _ := json.Marshal(app)
		var err error
		applicationID, err = w.db.SaveApplication(ctx, store.Application{Service: app.Service, DataJSON: string(data),
			RegisteredOn: app.Registered.String()})
		if err != nil {
			return 0, err
		}
	}
	id, err := w.db.CreateRequest(ctx, store.NewRequest{Direction: domain.Outgoing, ApplicationID: applicationID,
		TemplateID: t.ID, TemplateTitle: t.Title, Provider: t.Provider.Short, ProviderCode: t.Provider.SMEVID,
		Channel: domain.ChannelSMEV, Status: domain.StatusDraft, FieldsJSON: "{}", Actor: actor, Note: "черновик создан"})
	if err != nil {
		return 0, err
	}
	return id, w.SaveDraft(ctx, id, values)
}

// SaveDraft keeps what the clerk typed, whatever its state (only the card's
// fields, each bounded; a date read as the clerk wrote it is kept in full,
// ДД.ММ.ГГГГ); a complete form also gets its business XML, composed on
// today's date. The application remembers the values for the next request
// of the same applicant.
func (w *Workstation) SaveDraft(ctx context.Context, id int64, values map[string]string) error {
	r, err := w.db.Request(ctx, id)
	if err != nil {
		return err
	}
	t, err := w.Catalogue().Get(r.TemplateID)
	if err != nil {
		return err
	}
	clean := map[string]string{}
	for _, f := range t.Fields {
		if v, ok := values[f.Name]; ok && len(v) <= maxFieldLen {
			clean[f.Name] = w.fullDate(f.Type, v)
		}
	}
	fields, _ := json.Marshal(clean)
	body, _ := t.Compose(clean, w.Today())
	d := store.Draft{FieldsJSON: string(fields), Body: body, Applicant: applicantName(clean), SNILS: clean["applicant.snils"]}
	if err := w.db.UpdateDraft(ctx, id, d); err != nil {
		return err
	}
	if r.ApplicationID != 0 {
		return w.rememberInApplication(ctx, r.ApplicationID, t, clean)
	}
	return nil
}

// DeleteDraft deletes a draft that was never sent.
func (w *Workstation) DeleteDraft(ctx context.Context, id int64) error {
	return w.db.DeleteDraft(ctx, id)
}

// Draft reads a request with its form, checked against its card today.
func (w *Workstation) Draft(ctx context.Context, id int64) (*Draft, error) {
	const op = "workstation.Draft"
	r, err := w.db.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	t, err := w.Catalogue().Get(r.TemplateID)
	if err != nil {
		return nil, err
	}
	fields, body, err := w.db.RequestContent(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &Draft{Request: r, Template: t, Values: map[string]string{}}
	if err := json.Unmarshal([]byte(fields), &d.Values); err != nil {
		return nil, domain.Wrap(err, domain.ECORRUPT, op, "Данные формы в журнале повреждены.")
	}
	if d.Files, err = w.db.RequestAttachments(ctx, id); err != nil {
		return nil, err
	}
	d.Canon, d.Problems = t.Check(d.Values, w.Today())
	if d.Problems == nil {
		d.Problems = validate.Problems{}
	}
	if len(d.Problems) == 0 {
		d.Body = body
	}
	return d, nil
}

// SendDraft signs a complete draft (ЭП-СП with personal when the card wants
// it, ЭП-ОВ by the service's key) with its files and commits it to the
// outbox of svc; the worker sends it. Only a draft or a request in error
// can go; an incomplete one is refused with every problem named.
func (w *Workstation) SendDraft(ctx context.Context, svc *transport.Service, id int64, personal keys.Key, actor string) (*transport.Queued, error) {
	d, err := w.Draft(ctx, id)
	if err != nil {
		return nil, err
	}
	if st := d.Request.Status; st != domain.StatusDraft && st != domain.StatusError {
		return nil, domain.Errorf(domain.ECONFLICT, "Запрос №%d уже отправлен (%s).", id, st.Title())
	}
	if !d.Complete() {
		return nil, incomplete(d.Problems)
	}
	files, err := w.outgoingFiles(ctx, id)
	if err != nil {
		return nil, err
	}
	return svc.QueueDraft(ctx, id, transport.OutgoingRequest{Template: d.Template, Body: d.Body, Attachments: files,
		ApplicationID: d.Request.ApplicationID, Applicant: d.Request.Applicant, SNILS: d.Request.SNILS,
		Personal: personal, Actor: actor})
}

// incomplete names every problem of a form that cannot be sent yet.
func incomplete(problems validate.Problems) error {
	lines := make([]string, 0, len(problems))
	for _, p := range problems {
		lines = append(lines, p.String())
	}
	return domain.Errorf(domain.EINVALID, "Запрос заполнен не полностью:\n%s", strings.Join(lines, "\n"))
}

// fullDate writes a date of a date field as the clerk reads it, in full
// (ДД.ММ.ГГГГ), however it was typed («1.2.85»: read by the field's kind,
// see validate.ReadDate); other values, and dates that cannot be read, are
// left as they are (the check names the problem).
func (w *Workstation) fullDate(fieldType, v string) string {
	var iso string
	var err error
	switch fieldType {
	case "date":
		iso, err = validate.Date(v)
	case "past-date", "birth-date":
		d, rerr := validate.ReadDate(v, w.Today())
		iso, err = d.String(), rerr
	default:
		return v
	}
	if err != nil {
		return v
	}
	return domain.RussianDate(iso)
}

func applicantName(values map[string]string) string {
	var parts []string
	for _, k := range []string{"applicant.last_name", "applicant.first_name", "applicant.middle_name"} {
		if v := strings.TrimSpace(values[k]); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, " ")
}

// Reply is the settlement's answer to an incoming request: values for the
// answer card of its type of data, or a refusal with its code (and an
// explanation; the code's own text when empty).
type Reply struct {
	RequestID  int64
	Values     map[string]string
	RejectCode string
	Text       string
}

// Answer composes the answer (through the answer card of the request's type
// of data) or the refusal (its reason and explanation both required),
// records what it says as ours, signs it (ЭП-СП with personal, ЭП-ОВ by the
// service's key) and commits it to the outbox of svc. A request that did
// not come through SMEV is answered on paper instead (RecordPaperAnswer):
// that is said before anything is signed.
func (w *Workstation) Answer(ctx context.Context, svc *transport.Service, in Reply, personal keys.Key, actor string) (*transport.Queued, error) {
	r, err := w.db.Request(ctx, in.RequestID)
	if err != nil {
		return nil, err
	}
	if r.Direction != domain.Incoming {
		return nil, domain.Errorf(domain.EINVALID, "Отвечать можно только на входящие запросы.")
	}
	if via, err := w.db.IncomingViaSMEV(ctx, r.ID); err != nil {
		return nil, err
	} else if !via {
		return nil, domain.Errorf(domain.ECONFLICT, "Запрос №%d поступил не через СМЭВ: ответ отправляют почтой или по факсу и записывают в журнал («Ответ отправлен почтой или по факсу»).", r.ID)
	}
	ans := transport.IncomingAnswer{RequestID: r.ID, Personal: personal, Actor: actor}
	intent := store.OwnAnswer{RequestID: r.ID, Kind: store.ReplyResponse}
	if in.RejectCode != "" {
		if ans.RejectCode, ans.RejectText, err = refusal(in.RejectCode, in.Text); err != nil {
			return nil, err
		}
		intent.Kind, intent.RejectCode, intent.Text = store.ReplyReject, ans.RejectCode, ans.RejectText
	} else {
		body, err := w.db.RequestBody(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		card, err := w.AnswerCard(body)
		if err != nil {
			return nil, err
		}
		content, problems := card.Compose(in.Values, w.Today())
		if len(problems) > 0 {
			return nil, problems.Err()
		}
		ans.Content, intent.Body = content, content
	}
	if err := w.db.RecordAnswerIntent(ctx, intent); err != nil {
		return nil, err
	}
	return svc.Answer(ctx, ans)
}

// refusal checks a refusal: a known reason and an explanation, both
// required (the requester must learn why).
func refusal(code, text string) (string, string, error) {
	var problems []string
	if domain.RejectTitle(code) == "" {
		problems = append(problems, "Выберите причину отказа.")
	}
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		problems = append(problems, "Напишите пояснение: почему сведения не предоставлены.")
	case len([]rune(text)) > maxFieldLen:
		problems = append(problems, fmt.Sprintf("Пояснение слишком длинное: не больше %d знаков.", maxFieldLen))
	}
	if len(problems) > 0 {
		return "", "", domain.Errorf(domain.EINVALID, "Отказ не отправлен. %s", strings.Join(problems, " "))
	}
	return code, text, nil
}

// AnswerCard is the card that composes the answer to a request whose
// business document is body (by its namespace and root element).
func (w *Workstation) AnswerCard(body []byte) (*templates.Template, error) {
	ns, root := BodyType(body)
	return w.Catalogue().AnswerFor(ns, root)
}

// BodyType returns the namespace and local name of a business document's
// root element ("" when it cannot be read).
func BodyType(body []byte) (namespace, root string) {
	d, err := xmltree.Parse(body)
	if err != nil {
		return "", ""
	}
	return string(d.Nodes[d.Root].URI), string(d.Nodes[d.Root].Local)
}
