package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// Settings of the regional sync (kept in the settings table: no schema
// change is needed for them).
const (
	SettingSyncRegion   = "sync.region"    // the regional server's URL
	SettingSyncStored   = "sync.stored"    // the last event seq the region confirmed
	SettingSyncLastAt   = "sync.last_at"   // RFC 3339: the last successful sync
	SettingSyncLastErr  = "sync.last_err"  // the last failure's message, "" after a success
	SettingSyncPersonal = "sync.personal"  // "1": applicants' names and СНИЛС go to the region too
	SettingSyncUpdateID = "sync.update_id" // the last region update applied
)

// SyncRequest is a request's data as the sync reads it.
type SyncRequest struct {
	ID            int64
	Direction     domain.Direction
	TemplateID    string
	TemplateTitle string
	Provider      string
	ProviderCode  string
	Channel       domain.Channel
	CreatedAt     time.Time
	DueOn         string
	Applicant     string
	SNILS         string
}

// SyncEvent is an event with its request, in journal order.
type SyncEvent struct {
	domain.Event
	Request SyncRequest
}

// SyncBatch returns up to limit events with seq > after, each with its
// request's current data: the stream the region receives.
func (s *DB) SyncBatch(ctx context.Context, after int64, limit int) ([]SyncEvent, error) {
	const op = "store.SyncBatch"
	if limit < 1 || limit > 10000 || after < 0 {
		return nil, domain.Errorf(domain.EINVALID, "Неверный размер пакета событий.")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT e.seq, e.request_id, e.at, e.actor, e.from_status, e.to_status, e.note,
		r.direction, r.template_id, r.template_title, r.provider, r.provider_code, r.channel, r.created_at,
		r.due_on, r.applicant, r.snils
		FROM events e JOIN requests r ON r.id = e.request_id
		WHERE e.seq > ? ORDER BY e.seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, classify(err, op)
	}
	defer rows.Close()
	out := []SyncEvent{}
	for rows.Next() {
		var e SyncEvent
		var at, created, due sql.NullString
		if err := rows.Scan(&e.Seq, &e.RequestID, &at, &e.Actor, &e.From, &e.To, &e.Note,
			&e.Request.Direction, &e.Request.TemplateID, &e.Request.TemplateTitle, &e.Request.Provider,
			&e.Request.ProviderCode, &e.Request.Channel, &created, &due, &e.Request.Applicant, &e.Request.SNILS); err != nil {
			return nil, classify(err, op)
		}
		e.At = parseTime(at)
		e.Request.ID = e.RequestID
		e.Request.CreatedAt = parseTime(created)
		e.Request.DueOn = due.String
		out = append(out, e)
	}
	return out, classify2(rows.Err(), op)
}

// CountEventsAfter counts the events with seq > after: what waits to be
// sent to the region.
func (s *DB) CountEventsAfter(ctx context.Context, after int64) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE seq > ?`, after).Scan(&n); err != nil {
		return 0, classify(err, "store.CountEventsAfter")
	}
	return n, nil
}

// LastEventSeq returns the newest event's seq, 0 for an empty journal.
func (s *DB) LastEventSeq(ctx context.Context) (int64, error) {
	var n sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT max(seq) FROM events`).Scan(&n); err != nil {
		return 0, classify(err, "store.LastEventSeq")
	}
	return n.Int64, nil
}
