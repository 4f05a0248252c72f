package app

import (
	"context"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/validate"
	"github.com/mezhved/mezhved/workstation"
)

// RequestsService composes outgoing requests: drafts that save themselves,
// checked as the clerk types, grouped by the applicant's application.
type RequestsService struct{ app *App }

// DraftView is a draft as the form shows it.
type DraftView struct {
	Request  domain.Request             `json:"request"`
	Template templates.Template         `json:"template"`
	Values   map[string]string          `json:"values"`
	Problems validate.Problems          `json:"problems"`
	Complete bool                       `json:"complete"` // no problems: ready to sign
	XML      string                     `json:"xml,omitempty"`
	Readable []workstation.LabeledValue `json:"readable"`
	Files    []*domain.Attachment       `json:"files"` // attached to the request, signed when it is sent
}

// NewDraft starts a request from a template for an application (0: a new
// application for the given service, made from what the form holds), with
// the fields the application and the settings already know filled in.
func (s *RequestsService) NewDraft(templateID string, applicationID int64, service string) (DraftView, error) {
	const op = "requests.NewDraft"
	ws, err := s.app.core()
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	ctx := context.Background()
	org, err := s.app.org(ctx, ws.Journal())
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	id, err := ws.NewDraft(ctx, templateID, applicationID, service, org, s.app.actor(ctx, ws.Journal()))
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	return s.view(ctx, ws, id)
}

// SaveDraft keeps what the clerk typed, whatever its state, and answers with
// every problem found; a complete form also gets its business XML.
func (s *RequestsService) SaveDraft(id int64, values map[string]string) (DraftView, error) {
	const op = "requests.SaveDraft"
	ws, err := s.app.core()
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	ctx := context.Background()
	if err := ws.SaveDraft(ctx, id, values); err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	return s.view(ctx, ws, id)
}

// Draft returns a request with its form.
func (s *RequestsService) Draft(id int64) (DraftView, error) {
	ws, err := s.app.core()
	if err != nil {
		return DraftView{}, s.app.fail("requests.Draft", err)
	}
	return s.view(context.Background(), ws, id)
}

// view is a draft as the window shows it: the core's draft with its values
// under the card's labels.
func (s *RequestsService) view(ctx context.Context, ws *workstation.Workstation, id int64) (DraftView, error) {
	d, err := ws.Draft(ctx, id)
	if err != nil {
		return DraftView{}, s.app.fail("requests.view", err)
	}
	return draftView(d), nil
}

func draftView(d *workstation.Draft) DraftView {
	v := DraftView{Request: *d.Request, Template: *d.Template, Values: d.Values, Problems: d.Problems,
		Complete: d.Complete(), Files: d.Files}
	if v.Files == nil {
		v.Files = []*domain.Attachment{}
	}
	if v.Complete {
		v.XML = string(d.Body)
	}
	v.Readable = d.Readable()
	return v
}

// StartDraft is the form of a new request, pre-filled, kept nowhere yet
// (its request has no id): the draft is kept on its first save
// (CreateDraft), so a click on a template leaves nothing behind.
func (s *RequestsService) StartDraft(templateID string, applicationID int64, service string) (DraftView, error) {
	const op = "requests.StartDraft"
	ws, err := s.app.core()
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	ctx := context.Background()
	org, err := s.app.org(ctx, ws.Journal())
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	d, err := ws.StartDraft(ctx, templateID, applicationID, service, org)
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	return draftView(d), nil
}

// CreateDraft keeps a new request with what the clerk typed: the first
// save of a form StartDraft gave.
func (s *RequestsService) CreateDraft(templateID string, applicationID int64, service string, values map[string]string) (DraftView, error) {
	const op = "requests.CreateDraft"
	ws, err := s.app.core()
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	ctx := context.Background()
	id, err := ws.CreateDraft(ctx, templateID, applicationID, service, values, s.app.actor(ctx, ws.Journal()))
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	return s.view(ctx, ws, id)
}

// DeleteDraft deletes a draft that was never sent, with its files.
func (s *RequestsService) DeleteDraft(id int64) error {
	const op = "requests.DeleteDraft"
	ws, err := s.app.core()
	if err != nil {
		return s.app.fail(op, err)
	}
	if err := ws.DeleteDraft(context.Background(), id); err != nil {
		return s.app.fail(op, err)
	}
	return nil
}
