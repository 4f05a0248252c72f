package workstation

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/transport"
)

// loadApplication reads an applicant's case from the journal.
func (w *Workstation) loadApplication(ctx context.Context, id int64) (*templates.Application, error) {
	sa, err := w.db.GetApplication(ctx, id)
	if err != nil {
		return nil, err
	}
	var app templates.Application
	if err := json.Unmarshal([]byte(sa.DataJSON), &app); err != nil {
		return nil, domain.Wrap(err, domain.ECORRUPT, "workstation.loadApplication", "Данные заявления в журнале повреждены.")
	}
	return &app, nil
}

// rememberInApplication keeps the values of the form in the application, so
// the next request for the same applicant starts with them.
func (w *Workstation) rememberInApplication(ctx context.Context, id int64, t *templates.Template, values map[string]string) error {
	app, err := w.loadApplication(ctx, id)
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
	sa, err := w.db.GetApplication(ctx, id)
	if err != nil {
		return err
	}
	sa.DataJSON, sa.Applicant = string(data), applicantName(values)
	_, err = w.db.SaveApplication(ctx, *sa)
	return err
}

// outgoingFiles are the files attached to a draft, as they go with it.
func (w *Workstation) outgoingFiles(ctx context.Context, id int64) ([]transport.Attachment, error) {
	list, err := w.db.RequestAttachments(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]transport.Attachment, 0, len(list))
	for i, a := range list {
		b, err := w.db.AttachmentContent(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, transport.Attachment{ContentID: fmt.Sprintf("file%d", i+1), MimeType: a.MimeType, Content: b})
	}
	return out, nil
}
