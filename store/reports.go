package store

import (
	"context"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// ReportRow is one request in a register: what the printed registers and
// the statistics need.
type ReportRow struct {
	ID           int64
	Direction    domain.Direction
	Date         time.Time // sent (outgoing) or received (incoming); creation when not sent
	Number       string
	MessageID    string
	Counterparty string
	TemplateID   string
	Template     string
	Applicant    string
	DueOn        string // YYYY-MM-DD or ""
	AnsweredAt   time.Time
	Status       domain.Status
}

// Late reports whether the answer came (or is still awaited) after the due
// day, as of today (YYYY-MM-DD, in the clerk's zone).
func (r *ReportRow) Late(today string, loc *time.Location) bool {
	if r.DueOn == "" {
		return false
	}
	if !r.AnsweredAt.IsZero() {
		return r.AnsweredAt.In(loc).Format(time.DateOnly) > r.DueOn
	}
	return r.Status.Open() && r.DueOn < today
}

// ReportRows returns the requests of one direction ("" for both) whose date
// (sent, or created for what was never sent) falls in [from, to], civil
// dates in loc, oldest first. Drafts are not part of any register.
func (s *DB) ReportRows(ctx context.Context, dir domain.Direction, from, to string, loc *time.Location) ([]ReportRow, error) {
	const op = "store.ReportRows"
	f, err1 := time.ParseInLocation(time.DateOnly, from, loc)
	t, err2 := time.ParseInLocation(time.DateOnly, to, loc)
	if err1 != nil || err2 != nil {
		return nil, domain.Errorf(domain.EINVALID, "Неверный период: %q — %q (нужно ГГГГ-ММ-ДД).", from, to)
	}
	if t.Before(f) {
		return nil, domain.Errorf(domain.EINVALID, "Конец периода раньше начала.")
	}
	if dir != "" && dir != domain.Outgoing && dir != domain.Incoming {
		return nil, domain.Errorf(domain.EINVALID, "Неизвестное направление запроса.")
	}
	lo, hi := dayBound(f), dayBound(t.AddDate(0, 0, 1))
	rows, err := s.db.QueryContext(ctx, `SELECT id, direction, coalesce(sent_at, created_at), number, coalesce(message_id, ''),
		provider, template_id, template_title, applicant, coalesce(due_on, ''), answered_at, status
		FROM requests
		WHERE status <> 'draft' AND coalesce(sent_at, created_at) >= ? AND coalesce(sent_at, created_at) < ?
		  AND (? = '' OR direction = ?)
		ORDER BY coalesce(sent_at, created_at), id`, lo, hi, dir, dir)
	if err != nil {
		return nil, classify(err, op)
	}
	defer rows.Close()
	var out []ReportRow
	for rows.Next() {
		var r ReportRow
		var date string
		var answered nullTime
		if err := rows.Scan(&r.ID, &r.Direction, &date, &r.Number, &r.MessageID, &r.Counterparty, &r.TemplateID, &r.Template,
			&r.Applicant, &r.DueOn, &answered, &r.Status); err != nil {
			return nil, classify(err, op)
		}
		r.Date, _ = time.Parse(timeLayout, date)
		r.AnsweredAt = answered.t
		out = append(out, r)
	}
	return out, classify2(rows.Err(), op)
}

type nullTime struct{ t time.Time }

func (n *nullTime) Scan(v any) error {
	if s, ok := v.(string); ok && s != "" {
		n.t, _ = time.Parse(timeLayout, s)
	}
	return nil
}
