package region

import (
	"context"
	"sort"
	"time"

	"github.com/mezhved/mezhved/printing"
)

// Period is a range of civil dates, inclusive, over which requests are
// counted by the day they were sent.
type Period struct {
	From, To time.Time // dates (UTC midnight)
}

func (p Period) bounds() (from, to string) {
	return fmtT(p.From), fmtT(p.To.AddDate(0, 0, 1))
}

// SettlementStats are one settlement's figures for a period. Only outgoing
// requests count. Outcomes of the requests sent in the period are
// disjoint: answered in term, answered late, refused, in error, or waiting.
type SettlementStats struct {
	OKTMO      string
	Name       string
	Sent       int // sent in the period
	InTerm     int // answered by the deadline (or without one)
	Late       int // answered after the deadline
	Refused    int // refused by the provider, no answer
	Errors     int // in error now, no answer
	Overdue    int // sent in the period, still unanswered, deadline passed
	OverdueNow int // every unanswered request whose deadline has passed, whenever sent
	LastSync   time.Time
}

// Decided is how many of the period's requests have an outcome by their
// deadline: answered (in term or late) or overdue.
func (s SettlementStats) Decided() int { return s.InTerm + s.Late + s.Overdue }

// Share is the share answered in term of the decided requests, or -1 when
// none is decided yet.
func (s SettlementStats) Share() float64 {
	if s.Decided() == 0 {
		return -1
	}
	return float64(s.InTerm) / float64(s.Decided())
}

// closed statuses: the request waits for nothing.
const openCond = `r.status NOT IN ('answered', 'rejected', 'cancelled', 'draft')`

// Stats returns every registered settlement's figures, in name order.
// today is the date overdue is counted against.
func (s *Store) Stats(ctx context.Context, p Period, today time.Time) ([]SettlementStats, error) {
	from, to := p.bounds()
	day := today.Format(time.DateOnly)
	inPeriod := `r.sent_at >= $1 AND r.sent_at < $2`
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT st.oktmo, st.name,
		COALESCE(SUM(CASE WHEN `+inPeriod+` THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN `+inPeriod+` AND r.answered_at IS NOT NULL AND (r.due_on IS NULL OR substr(r.answered_at, 1, 10) <= r.due_on) THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN `+inPeriod+` AND r.answered_at IS NOT NULL AND r.due_on IS NOT NULL AND substr(r.answered_at, 1, 10) > r.due_on THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN `+inPeriod+` AND r.answered_at IS NULL AND r.status = 'rejected' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN `+inPeriod+` AND r.answered_at IS NULL AND r.status = 'error' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN `+inPeriod+` AND r.answered_at IS NULL AND r.status <> 'error' AND `+openCond+` AND r.due_on < $3 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN r.answered_at IS NULL AND `+openCond+` AND r.due_on < $3 THEN 1 ELSE 0 END), 0),
		(SELECT max(x.updated_at) FROM streams x WHERE x.oktmo = st.oktmo AND x.stored > 0)
		FROM settlements st LEFT JOIN requests r ON r.oktmo = st.oktmo AND r.direction = 'out'
		GROUP BY st.oktmo, st.name ORDER BY st.name, st.oktmo`), from, to, day)
	if err != nil {
		return nil, internal(err, "region.Stats")
	}
	defer rows.Close()
	var out []SettlementStats
	for rows.Next() {
		var st SettlementStats
		var last *string
		if err := rows.Scan(&st.OKTMO, &st.Name, &st.Sent, &st.InTerm, &st.Late, &st.Refused, &st.Errors, &st.Overdue, &st.OverdueNow, &last); err != nil {
			return nil, internal(err, "region.Stats")
		}
		if last != nil {
			st.LastSync, _ = time.Parse(TimeLayout, *last)
		}
		out = append(out, st)
	}
	return out, internal(rows.Err(), "region.Stats")
}

// Ranking orders settlements by the share answered in term, best first;
// settlements with nothing decided come last.
func Ranking(stats []SettlementStats) []SettlementStats {
	out := append([]SettlementStats(nil), stats...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Share(), out[j].Share()
		if a != b {
			return a > b
		}
		return out[i].Decided() > out[j].Decided()
	})
	return out
}

// MonthStats is one month of the trend: requests sent that month and how
// they ended.
type MonthStats struct {
	Month  string // YYYY-MM
	Sent   int
	InTerm int
	Late   int
}

// Trend returns the region's figures by month of sending.
func (s *Store) Trend(ctx context.Context, p Period) ([]MonthStats, error) {
	from, to := p.bounds()
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT substr(r.sent_at, 1, 7) AS m, count(*),
		COALESCE(SUM(CASE WHEN r.answered_at IS NOT NULL AND (r.due_on IS NULL OR substr(r.answered_at, 1, 10) <= r.due_on) THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN r.answered_at IS NOT NULL AND r.due_on IS NOT NULL AND substr(r.answered_at, 1, 10) > r.due_on THEN 1 ELSE 0 END), 0)
		FROM requests r JOIN settlements st ON st.oktmo = r.oktmo
		WHERE r.direction = 'out' AND r.sent_at >= $1 AND r.sent_at < $2
		GROUP BY substr(r.sent_at, 1, 7) ORDER BY m`), from, to)
	if err != nil {
		return nil, internal(err, "region.Trend")
	}
	defer rows.Close()
	var out []MonthStats
	for rows.Next() {
		var m MonthStats
		if err := rows.Scan(&m.Month, &m.Sent, &m.InTerm, &m.Late); err != nil {
			return nil, internal(err, "region.Trend")
		}
		out = append(out, m)
	}
	return out, internal(rows.Err(), "region.Trend")
}

// GroupStats returns the region's figures per provider and per kind of data
// (template) for the printed statistics.
func (s *Store) GroupStats(ctx context.Context, p Period) (byProvider, byTemplate []printing.StatRow, err error) {
	from, to := p.bounds()
	one := func(col string) ([]printing.StatRow, error) {
		rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+col+`, count(*),
			COALESCE(SUM(CASE WHEN r.answered_at IS NOT NULL AND (r.due_on IS NULL OR substr(r.answered_at, 1, 10) <= r.due_on) THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN r.answered_at IS NOT NULL AND r.due_on IS NOT NULL AND substr(r.answered_at, 1, 10) > r.due_on THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN r.answered_at IS NULL AND r.status = 'rejected' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN r.answered_at IS NULL AND r.status = 'error' THEN 1 ELSE 0 END), 0)
			FROM requests r JOIN settlements st ON st.oktmo = r.oktmo
			WHERE r.direction = 'out' AND r.sent_at >= $1 AND r.sent_at < $2
			GROUP BY `+col+` ORDER BY `+col), from, to)
		if err != nil {
			return nil, internal(err, "region.GroupStats")
		}
		defer rows.Close()
		var out []printing.StatRow
		for rows.Next() {
			var r printing.StatRow
			if err := rows.Scan(&r.Name, &r.Sent, &r.InTerm, &r.Late, &r.Refused, &r.Errors); err != nil {
				return nil, internal(err, "region.GroupStats")
			}
			if r.Name == "" {
				r.Name = "(не указан)"
			}
			out = append(out, r)
		}
		return out, internal(rows.Err(), "region.GroupStats")
	}
	// col is one of two constants, never input.
	if byProvider, err = one("r.provider"); err != nil {
		return nil, nil, err
	}
	byTemplate, err = one("r.template_title")
	return byProvider, byTemplate, err
}
