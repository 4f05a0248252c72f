package app

import (
	"context"
	"encoding/base64"
	"path/filepath"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/workstation"
)

// FileUpload is a file the window sends: its name, type and content in
// base64.
type FileUpload struct {
	Name   string `json:"name"`
	Mime   string `json:"mime"`
	Base64 string `json:"base64"`
}

// PaperAnswerInput is an answer by post or fax: one that came to our
// request, or ours to an incoming request that did not come through SMEV.
type PaperAnswerInput struct {
	RequestID  int64        `json:"requestId"`
	Channel    string       `json:"channel"` // post or fax
	Refuse     bool         `json:"refuse"`
	RejectCode string       `json:"rejectCode"`
	Text       string       `json:"text"`   // a refusal's explanation or what the answer says
	Number     string       `json:"number"` // the letter's number
	Dated      string       `json:"dated"`  // the letter's date, as typed
	Files      []FileUpload `json:"files"`  // the scan
}

// RecordPaperAnswer writes an answer by post or fax into the journal and
// ends the request with it; the page comes back.
func (s *RequestsService) RecordPaperAnswer(in PaperAnswerInput) (*workstation.Timeline, error) {
	const op = "requests.RecordPaperAnswer"
	ws, err := s.app.core()
	if err != nil {
		return nil, s.app.fail(op, err)
	}
	files, err := uploads(op, in.Files)
	if err != nil {
		return nil, s.app.fail(op, err)
	}
	ctx := context.Background()
	p := workstation.PaperAnswer{RequestID: in.RequestID, Channel: in.Channel, Refuse: in.Refuse, RejectCode: in.RejectCode,
		Text: in.Text, Number: in.Number, Dated: in.Dated, Files: files}
	if err := ws.RecordPaperAnswer(ctx, p, s.app.actor(ctx, ws.Journal())); err != nil {
		return nil, s.app.fail(op, err)
	}
	return s.Timeline(in.RequestID)
}

// Withdraw ends a request that will not be answered, with the reason.
func (s *RequestsService) Withdraw(id int64, reason string) (*workstation.Timeline, error) {
	const op = "requests.Withdraw"
	ws, err := s.app.core()
	if err != nil {
		return nil, s.app.fail(op, err)
	}
	ctx := context.Background()
	if err := ws.Withdraw(ctx, id, reason, s.app.actor(ctx, ws.Journal())); err != nil {
		return nil, s.app.fail(op, err)
	}
	return s.Timeline(id)
}

// uploads decodes the window's files, each bounded.
func uploads(op string, in []FileUpload) ([]store.NewAttachment, error) {
	var out []store.NewAttachment
	for _, f := range in {
		if base64.StdEncoding.DecodedLen(len(f.Base64)) > store.MaxAttachment+3 {
			return nil, domain.Errorf(domain.EINVALID, "Файл %s больше %d МБ.", f.Name, store.MaxAttachment>>20)
		}
		b, err := base64.StdEncoding.DecodeString(f.Base64)
		if err != nil {
			return nil, domain.Wrap(err, domain.EINVALID, op, "Файл не прочитан. Попробуйте добавить его ещё раз.")
		}
		out = append(out, store.NewAttachment{Name: filepath.Base(f.Name), MimeType: f.Mime, Content: b})
	}
	return out, nil
}
