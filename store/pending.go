package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// DueFunc computes a due day from the day a term counts from and the term
// in working days (calendar.Calendar.DueOn has this shape). When the
// calendar lacks a year the term runs into, it returns "" and that year.
type DueFunc func(from string, days int) (due string, missingYear int, err error)

// PendingDeadline is a deadline the production calendar could not give yet.
type PendingDeadline struct {
	RequestID   int64
	Kind        string // DeadlineAnswer or DeadlineSend
	From        string // YYYY-MM-DD, the day the term counts from
	Days        int
	MissingYear int
}

// insertPending records a deadline to compute when the calendar arrives; an
// answer deadline also marks the request (due_missing_year) for the lists.
func insertPending(ctx context.Context, tx *sql.Tx, p PendingDeadline) error {
	if p.Days <= 0 || p.MissingYear <= 0 {
		return domain.Errorf(domain.EINVALID, "Неверный отложенный срок: %d дн., год %d.", p.Days, p.MissingYear)
	}
	if _, err := time.Parse(time.DateOnly, p.From); err != nil {
		return domain.Errorf(domain.EINVALID, "Неверная дата начала срока: %q (нужно ГГГГ-ММ-ДД).", p.From)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO deadlines_pending (request_id, kind, from_on, days, missing_year) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (request_id, kind) DO UPDATE SET from_on = excluded.from_on, days = excluded.days, missing_year = excluded.missing_year`,
		p.RequestID, p.Kind, p.From, p.Days, p.MissingYear)
	if err != nil || p.Kind != DeadlineAnswer {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE requests SET due_missing_year = ? WHERE id = ?`, p.MissingYear, p.RequestID)
	return err
}

// PendingDeadlines lists the deadlines waiting for a calendar year.
func (s *DB) PendingDeadlines(ctx context.Context) ([]PendingDeadline, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT request_id, kind, from_on, days, missing_year FROM deadlines_pending ORDER BY request_id, kind`)
	if err != nil {
		return nil, classify(err, "store.PendingDeadlines")
	}
	defer rows.Close()
	var out []PendingDeadline
	for rows.Next() {
		var p PendingDeadline
		if err := rows.Scan(&p.RequestID, &p.Kind, &p.From, &p.Days, &p.MissingYear); err != nil {
			return nil, classify(err, "store.PendingDeadlines")
		}
		out = append(out, p)
	}
	return out, classify2(rows.Err(), "store.PendingDeadlines")
}

// ResolvePendingDeadlines computes every pending deadline with due, in one
// transaction: each computed one becomes a deadline (and the request's
// due_on), the rest keep waiting with the year they now miss. It returns how
// many were computed.
func (s *DB) ResolvePendingDeadlines(ctx context.Context, due DueFunc) (int, error) {
	pending, err := s.PendingDeadlines(ctx)
	if err != nil || len(pending) == 0 {
		return 0, err
	}
	n := 0
	err = s.tx(ctx, "store.ResolvePendingDeadlines", func(tx *sql.Tx) error {
		n = 0
		now := fmtTime(s.now().UTC())
		for _, p := range pending {
			day, year, err := due(p.From, p.Days)
			if err != nil {
				return err
			}
			if day == "" {
				p.MissingYear = year
				if err := insertPending(ctx, tx, p); err != nil {
					return err
				}
				continue
			}
			if err := resolveOne(ctx, tx, p, day, now); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

func resolveOne(ctx context.Context, tx *sql.Tx, p PendingDeadline, day string, now any) error {
	if err := upsertDeadline(ctx, tx, p.RequestID, p.Kind, p.From, p.Days, day); err != nil {
		return err
	}
	if p.Kind == DeadlineAnswer {
		if _, err := tx.ExecContext(ctx, `UPDATE requests SET due_on = ?, due_missing_year = 0, updated_at = ? WHERE id = ?`, day, now, p.RequestID); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM deadlines_pending WHERE request_id = ? AND kind = ?`, p.RequestID, p.Kind)
	return err
}
