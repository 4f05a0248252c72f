package region

import (
	"context"
	"time"
)

// Period is a range of civil dates (Moscow), inclusive, over which
// requests are counted by the day they were received or sent.
type Period struct {
	From, To time.Time // dates (midnight; only the date counts)
}

// counted leaves out the requests of training and test workstations.
const counted = `r.contour NOT IN ('training', 'test')`

// reqColumns are what a reqRow is scanned from.
const reqColumns = `r.oktmo, r.direction, r.provider, r.template_title, r.created_at, COALESCE(r.sent_at, ''),
	COALESCE(r.answered_at, ''), COALESCE(r.due_on, ''), r.status`

// eachRequest streams the counted requests that match where (a constant
// of this file with $N parameters) to fn: one row in memory at a time.
func (s *Store) eachRequest(ctx context.Context, op, where string, args []any, fn func(*reqRow)) error {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+reqColumns+` FROM requests r WHERE `+counted+` AND `+where), args...)
	if err != nil {
		return internal(err, op)
	}
	defer rows.Close()
	var r reqRow
	for rows.Next() {
		if err := rows.Scan(&r.OKTMO, &r.Direction, &r.Provider, &r.Kind, &r.CreatedAt, &r.SentAt, &r.AnsweredAt, &r.DueOn, &r.Status); err != nil {
			return internal(err, op)
		}
		fn(&r)
	}
	return internal(rows.Err(), op)
}

// inPeriod: incoming received, outgoing sent between $1 and $2 (stored
// times, the period's Moscow bounds).
const inPeriod = `((r.direction = 'in' AND r.created_at >= $1 AND r.created_at < $2)
	OR (r.direction = 'out' AND r.sent_at >= $1 AND r.sent_at < $2))`

// periodFigures are the figures of the requests of a period, per
// settlement and per month (YYYY-MM) of the region, on today.
func (s *Store) periodFigures(ctx context.Context, p Period, today string) (bySettlement, byMonth map[string]*Figures, err error) {
	from, to := p.storedBounds()
	bySettlement, byMonth = map[string]*Figures{}, map[string]*Figures{}
	at := func(m map[string]*Figures, k string) *Figures {
		f := m[k]
		if f == nil {
			f = &Figures{}
			m[k] = f
		}
		return f
	}
	err = s.eachRequest(ctx, "region.periodFigures", inPeriod, []any{from, to}, func(r *reqRow) {
		day := r.day()
		if len(day) < 7 {
			return
		}
		o := classify(r, today)
		fs, fm := at(bySettlement, r.OKTMO), at(byMonth, day[:7])
		if r.Direction == "in" {
			fs.In.add(o)
			fm.In.add(o)
		} else {
			fs.Out.add(o)
			fm.Out.add(o)
		}
	})
	return bySettlement, byMonth, err
}

// mayBeOverdue narrows the overdue to what may be: no answer, still open,
// a deadline before $1 (today), or an incoming request without one (its
// deadline is computed in classify).
const mayBeOverdue = `r.answered_at IS NULL AND r.status NOT IN ('answered', 'rejected', 'cancelled', 'draft')
	AND (r.due_on < $1 OR (r.direction = 'in' AND r.due_on IS NULL))`

// eachOverdue streams every request overdue today (whenever it came), of
// one settlement or ("") of all, with its deadline.
func (s *Store) eachOverdue(ctx context.Context, today, oktmo string, fn func(r *reqRow, due string)) error {
	where, args := mayBeOverdue, []any{today}
	if oktmo != "" {
		where, args = mayBeOverdue+` AND r.oktmo = $2`, []any{today, oktmo}
	}
	return s.eachRequest(ctx, "region.overdue", where, args, func(r *reqRow) {
		if classify(r, today) == outOverdue {
			fn(r, r.due())
		}
	})
}

// streamInfo is one workstation's stream: when the server last heard from
// it and the contour it reported.
type streamInfo struct {
	OKTMO, Workstation, Contour string
	Seen                        time.Time
}

// streams lists the workstations that ever synced.
func (s *Store) streams(ctx context.Context) ([]streamInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT oktmo, workstation, contour, COALESCE(seen_at, updated_at) FROM streams
		WHERE seen_at IS NOT NULL OR stored > 0 ORDER BY oktmo, workstation`)
	if err != nil {
		return nil, internal(err, "region.streams")
	}
	defer rows.Close()
	var out []streamInfo
	for rows.Next() {
		var si streamInfo
		var seen string
		if err := rows.Scan(&si.OKTMO, &si.Workstation, &si.Contour, &seen); err != nil {
			return nil, internal(err, "region.streams")
		}
		si.Seen, _ = time.Parse(TimeLayout, seen)
		out = append(out, si)
	}
	return out, internal(rows.Err(), "region.streams")
}
