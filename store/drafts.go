package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// Draft is what the clerk typed into a request form, as kept in the journal.
type Draft struct {
	FieldsJSON string // the form's values by field name, JSON
	Applicant  string
	SNILS      string
	Body       []byte // the composed business XML, when the form was complete
}

// UpdateDraft replaces a draft's form values. Only a request still in the
// draft status can change: a signed request is what was signed.
func (s *DB) UpdateDraft(ctx context.Context, id int64, d Draft) error {
	if d.FieldsJSON == "" {
		d.FieldsJSON = "{}"
	}
	return s.tx(ctx, "store.UpdateDraft", func(tx *sql.Tx) error {
		var n NewRequest
		var status domain.Status
		err := tx.QueryRowContext(ctx, `SELECT status, provider, template_title, template_id, number, coalesce(message_id, '')
			FROM requests WHERE id = ?`, id).Scan(&status, &n.Provider, &n.TemplateTitle, &n.TemplateID, &n.Number, &n.MessageID)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "Запрос №%d не найден в журнале.", id)
		} else if err != nil {
			return err
		}
		if status != domain.StatusDraft {
			return domain.Errorf(domain.ECONFLICT, "Запрос №%d уже не черновик (%s): его нельзя изменить.", id, status.Title())
		}
		n.Applicant, n.SNILS = d.Applicant, d.SNILS
		_, err = tx.ExecContext(ctx, `UPDATE requests SET fields_json = ?, applicant = ?, snils = ?, body = ?,
			updated_at = ? WHERE id = ?`,
			d.FieldsJSON, d.Applicant, d.SNILS, d.Body, fmtTime(s.now()), id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_words WHERE request_id = ?`, id); err != nil {
			return err
		}
		return writeSearchWords(ctx, tx, id, &n)
	})
}

// RequestContent returns the form values and the business XML of a request.
func (s *DB) RequestContent(ctx context.Context, id int64) (fieldsJSON string, body []byte, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT fields_json, body FROM requests WHERE id = ?`, id).Scan(&fieldsJSON, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, domain.Errorf(domain.ENOTFOUND, "Запрос №%d не найден в журнале.", id)
	} else if err != nil {
		return "", nil, classify(err, "store.RequestContent")
	}
	return fieldsJSON, body, nil
}

// Application is an applicant's case as the journal keeps it: the typed
// data as JSON (templates.Application), plus the columns the journal lists by.
type Application struct {
	ID           int64  `json:"id"`
	Number       string `json:"number"`
	Service      string `json:"service"`
	Applicant    string `json:"applicant"`
	DataJSON     string `json:"dataJson"`
	RegisteredOn string `json:"registeredOn"` // YYYY-MM-DD
}

// SaveApplication creates (ID 0) or updates an application and returns its id.
func (s *DB) SaveApplication(ctx context.Context, a Application) (int64, error) {
	if _, err := time.Parse(time.DateOnly, a.RegisteredOn); err != nil {
		return 0, domain.Errorf(domain.EINVALID, "Неверная дата регистрации заявления: %q.", a.RegisteredOn)
	}
	if a.DataJSON == "" {
		a.DataJSON = "{}"
	}
	id := a.ID
	err := s.tx(ctx, "store.SaveApplication", func(tx *sql.Tx) error {
		if a.ID == 0 {
			res, err := tx.ExecContext(ctx, `INSERT INTO applications (number, service, applicant, data_json, registered_on, created_at)
				VALUES (?, ?, ?, ?, ?, ?)`, a.Number, a.Service, a.Applicant, a.DataJSON, a.RegisteredOn, fmtTime(s.now()))
			if err != nil {
				return err
			}
			id, err = res.LastInsertId()
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE applications SET number = ?, service = ?, applicant = ?, data_json = ?,
			registered_on = ? WHERE id = ?`, a.Number, a.Service, a.Applicant, a.DataJSON, a.RegisteredOn, a.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ENOTFOUND, "Заявление №%d не найдено в журнале.", a.ID)
		}
		return nil
	})
	return id, err
}

// GetApplication returns an application by id.
func (s *DB) GetApplication(ctx context.Context, id int64) (*Application, error) {
	var a Application
	err := s.db.QueryRowContext(ctx, `SELECT id, number, service, applicant, data_json, registered_on FROM applications WHERE id = ?`, id).
		Scan(&a.ID, &a.Number, &a.Service, &a.Applicant, &a.DataJSON, &a.RegisteredOn)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Заявление №%d не найдено в журнале.", id)
	} else if err != nil {
		return nil, classify(err, "store.GetApplication")
	}
	return &a, nil
}

// ApplicationRequests returns the requests of an application.
func (s *DB) ApplicationRequests(ctx context.Context, id int64) ([]*domain.Request, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+requestColumns+` FROM requests WHERE application_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, classify(err, "store.ApplicationRequests")
	}
	defer rows.Close()
	out := []*domain.Request{}
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, classify(err, "store.ApplicationRequests")
		}
		out = append(out, r)
	}
	return out, classify2(rows.Err(), "store.ApplicationRequests")
}
