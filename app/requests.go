package app

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/validate"
)

// RequestsService composes outgoing requests: drafts that save themselves,
// checked as the clerk types, grouped by the applicant's application.
type RequestsService struct{ app *App }

// LabeledValue is one line of a readable preview.
type LabeledValue struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// DraftView is a draft as the form shows it.
type DraftView struct {
	Request  *domain.Request      `json:"request"`
	Template *templates.Template  `json:"template"`
	Values   map[string]string    `json:"values"`
	Problems validate.Problems    `json:"problems"`
	Complete bool                 `json:"complete"` // no problems: ready to sign
	XML      string               `json:"xml,omitempty"`
	Readable []LabeledValue       `json:"readable"`
	Files    []*domain.Attachment `json:"files"` // attached to the request, signed when it is sent
}

// NewDraft starts a request from a template for an application (0: a new
// application for the given service, made from what the form holds), with
// the fields the application and the settings already know filled in.
func (s *RequestsService) NewDraft(templateID string, applicationID int64, service string) (DraftView, error) {
	const op = "requests.NewDraft"
	db, err := s.app.journal()
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	t, err := s.app.catalogue().Get(templateID)
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	ctx := context.Background()
	app := &templates.Application{Service: strings.TrimSpace(service), Registered: s.app.today()}
	if applicationID != 0 {
		if app, err = s.app.loadApplication(ctx, db, applicationID); err != nil {
			return DraftView{}, s.app.fail(op, err)
		}
	} else {
		if app.Service == "" && len(t.Services) > 0 {
			app.Service = t.Services[0]
		}
		data, _ := json.Marshal(app)
		applicationID, err = db.SaveApplication(ctx, store.Application{Service: app.Service, DataJSON: string(data),
			RegisteredOn: app.Registered.String()})
		if err != nil {
			return DraftView{}, s.app.fail(op, err)
		}
	}
	org, err := s.app.org(ctx, db)
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	values := templates.Prefill(t, app, org)
	for _, f := range t.Fields {
		values[f.Name] = russianDate(f.Type, values[f.Name])
	}
	fields, _ := json.Marshal(values)
	id, err := db.CreateRequest(ctx, store.NewRequest{Direction: domain.Outgoing, ApplicationID: applicationID,
		TemplateID: t.ID, TemplateTitle: t.Title, Provider: t.Provider.Short, ProviderCode: t.Provider.SMEVID,
		Channel: domain.ChannelSMEV, Status: domain.StatusDraft, FieldsJSON: string(fields),
		Actor: s.app.actor(ctx, db), Note: "черновик создан"})
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	return s.view(ctx, db, id)
}

// SaveDraft keeps what the clerk typed, whatever its state, and answers with
// every problem found; a complete form also gets its business XML.
func (s *RequestsService) SaveDraft(id int64, values map[string]string) (DraftView, error) {
	const op = "requests.SaveDraft"
	db, err := s.app.journal()
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	ctx := context.Background()
	r, err := db.Request(ctx, id)
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	t, err := s.app.catalogue().Get(r.TemplateID)
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	clean := map[string]string{}
	for _, f := range t.Fields {
		if v, ok := values[f.Name]; ok && len(v) <= 4000 {
			clean[f.Name] = v
		}
	}
	fields, _ := json.Marshal(clean)
	body, _ := t.Compose(clean, s.app.today())
	d := store.Draft{FieldsJSON: string(fields), Body: body, Applicant: applicantName(clean), SNILS: clean["applicant.snils"]}
	if err := db.UpdateDraft(ctx, id, d); err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	if r.ApplicationID != 0 {
		if err := s.app.rememberInApplication(ctx, db, r.ApplicationID, t, clean); err != nil {
			return DraftView{}, s.app.fail(op, err)
		}
	}
	return s.view(ctx, db, id)
}

// Draft returns a request with its form.
func (s *RequestsService) Draft(id int64) (DraftView, error) {
	db, err := s.app.journal()
	if err != nil {
		return DraftView{}, s.app.fail("requests.Draft", err)
	}
	return s.view(context.Background(), db, id)
}

func (s *RequestsService) view(ctx context.Context, db *store.DB, id int64) (DraftView, error) {
	const op = "requests.view"
	r, err := db.Request(ctx, id)
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	t, err := s.app.catalogue().Get(r.TemplateID)
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	fields, body, err := db.RequestContent(ctx, id)
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	values := map[string]string{}
	if err := json.Unmarshal([]byte(fields), &values); err != nil {
		return DraftView{}, s.app.fail(op, domain.Wrap(err, domain.ECORRUPT, op, "Данные формы в журнале повреждены."))
	}
	v := DraftView{Request: r, Template: t, Values: values, Readable: []LabeledValue{}}
	if v.Files, err = db.RequestAttachments(ctx, id); err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	canon, problems := t.Check(values, s.app.today())
	v.Problems = problems
	if v.Problems == nil {
		v.Problems = validate.Problems{}
	}
	v.Complete = len(problems) == 0 && len(body) > 0
	if v.Complete {
		v.XML = string(body)
	}
	for _, f := range t.Fields {
		if val := canon[f.Name]; val != "" {
			if f.Type == "choice" {
				for _, o := range f.Options {
					if o.Value == val {
						val = o.Label
					}
				}
			}
			v.Readable = append(v.Readable, LabeledValue{Label: f.Label, Value: val})
		}
	}
	return v, nil
}

// russianDate writes an ISO date of a date field as the clerk reads it,
// ДД.ММ.ГГГГ; other values are left as they are.
func russianDate(fieldType, v string) string {
	if !strings.Contains(fieldType, "date") {
		return v
	}
	if d, err := time.Parse(time.DateOnly, v); err == nil {
		return d.Format("02.01.2006")
	}
	return v
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

func (a *App) loadApplication(ctx context.Context, db *store.DB, id int64) (*templates.Application, error) {
	sa, err := db.GetApplication(ctx, id)
	if err != nil {
		return nil, err
	}
	var app templates.Application
	if err := json.Unmarshal([]byte(sa.DataJSON), &app); err != nil {
		return nil, domain.Wrap(err, domain.ECORRUPT, "app.loadApplication", "Данные заявления в журнале повреждены.")
	}
	return &app, nil
}

// rememberInApplication keeps the values of the form in the application, so
// the next request for the same applicant starts with them.
func (a *App) rememberInApplication(ctx context.Context, db *store.DB, id int64, t *templates.Template, values map[string]string) error {
	app, err := a.loadApplication(ctx, db, id)
	if err != nil {
		return err
	}
	p := &app.Applicant
	for k, dst := range map[string]*string{"applicant.last_name": &p.LastName, "applicant.first_name": &p.FirstName,
		"applicant.middle_name": &p.MiddleName, "applicant.birth_date": &p.BirthDate, "applicant.snils": &p.SNILS,
		"applicant.inn": &p.INN, "applicant.passport_series": &p.PassportSeries, "applicant.passport_number": &p.PassportNumber,
		"applicant.address": &p.Address, "applicant.birth_place": &p.BirthPlace, "applicant.gender": &p.Gender,
		"applicant.passport_issued": &p.PassportIssued, "applicant.passport_issuer": &p.PassportIssuer,
		"applicant.passport_division": &p.PassportDivision, "applicant.phone": &p.Phone} {
		if v, ok := values[k]; ok && strings.TrimSpace(v) != "" {
			*dst = strings.TrimSpace(v)
		}
	}
	app.Remember(t, values)
	data, err := json.Marshal(app)
	if err != nil {
		return err
	}
	sa, err := db.GetApplication(ctx, id)
	if err != nil {
		return err
	}
	sa.DataJSON, sa.Applicant = string(data), applicantName(values)
	_, err = db.SaveApplication(ctx, *sa)
	return err
}
