// Package reports turns the journal into the documents a settlement files
// and sends to the region: registers of requests for a period, the overdue
// list and quarterly statistics. It reads the journal (store) and hands
// plain data to printing.
package reports

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/printing"
	"github.com/mezhved/mezhved/store"
)

// Kinds of report the CLI and the window offer.
const (
	KindOutgoing  = "outgoing"
	KindIncoming  = "incoming"
	KindOverdue   = "overdue"
	KindQuarterly = "quarterly"
)

// Params choose a report.
type Params struct {
	Kind       string
	From, To   string // YYYY-MM-DD, inclusive, civil dates in Loc
	Now        time.Time
	Loc        *time.Location
	Settlement string
	// Official and Position sign a register as its compiler.
	Official, Position string
}

// Build returns the printable document of the report: a printing.Register
// or a printing.Quarterly. A period with nothing in it is ENOTFOUND with a
// message that says so.
func Build(ctx context.Context, db *store.DB, p Params) (any, error) {
	if p.Loc == nil {
		p.Loc = time.Local
	}
	var dir domain.Direction
	switch p.Kind {
	case KindOutgoing:
		dir = domain.Outgoing
	case KindIncoming:
		dir = domain.Incoming
	case KindOverdue, KindQuarterly:
	default:
		return nil, domain.Errorf(domain.EINVALID, "Неизвестный вид отчёта: %q (outgoing, incoming, overdue, quarterly).", p.Kind)
	}
	rows, err := db.ReportRows(ctx, dir, p.From, p.To, p.Loc)
	if err != nil {
		return nil, err
	}
	from, _ := time.ParseInLocation(time.DateOnly, p.From, p.Loc)
	to, _ := time.ParseInLocation(time.DateOnly, p.To, p.Loc)
	today := p.Now.In(p.Loc).Format(time.DateOnly)
	if p.Kind == KindQuarterly {
		// Both ways: what the settlement asked for, and how it answered.
		var out, in []store.ReportRow
		for _, r := range rows {
			if r.Direction == domain.Incoming {
				in = append(in, r)
			} else {
				out = append(out, r)
			}
		}
		party := func(r *store.ReportRow) string { return r.Counterparty }
		q := printing.Quarterly{Settlement: p.Settlement, From: from, To: to, AsOf: p.Now,
			ByProvider: stats(out, today, p.Loc, party),
			ByTemplate: stats(out, today, p.Loc, func(r *store.ReportRow) string { return r.Template }),
			Incoming:   stats(in, today, p.Loc, party)}
		if len(rows) == 0 {
			return nil, empty(p)
		}
		return q, nil
	}
	reg := printing.Register{Kind: printing.RegisterKind(p.Kind), Settlement: p.Settlement, From: from, To: to, AsOf: p.Now,
		Official: p.Official, Position: p.Position}
	for i := range rows {
		r := &rows[i]
		if p.Kind == KindOverdue && !r.Late(today, p.Loc) {
			continue
		}
		number := r.Number
		if number == "" {
			number = strconv.FormatInt(r.ID, 10) // the journal's own number
		}
		row := printing.RegisterRow{Date: r.Date.In(p.Loc), Number: number, MessageID: r.MessageID,
			Counterparty: r.Counterparty, Template: r.Template, Applicant: r.Applicant, Answered: r.AnsweredAt, Status: domain.TitleFor(r.Direction, r.Status)}
		if r.DueOn != "" {
			row.Due, _ = time.ParseInLocation(time.DateOnly, r.DueOn, p.Loc)
		}
		reg.Rows = append(reg.Rows, row)
	}
	if len(reg.Rows) == 0 {
		return nil, empty(p)
	}
	return reg, nil
}

func empty(p Params) error {
	return domain.Errorf(domain.ENOTFOUND, "За период с %s по %s в журнале нет запросов для этого отчёта.", ru(p.From), ru(p.To))
}

func ru(iso string) string {
	if t, err := time.Parse(time.DateOnly, iso); err == nil {
		return t.Format("02.01.2006")
	}
	return iso
}

// stats counts requests per key: sent (incoming: received), answered in
// term, late, refused (incoming: our refusals), errors.
func stats(rows []store.ReportRow, today string, loc *time.Location, key func(*store.ReportRow) string) []printing.StatRow {
	by := map[string]*printing.StatRow{}
	for i := range rows {
		r := &rows[i]
		k := key(r)
		if k == "" {
			k = "—"
		}
		s := by[k]
		if s == nil {
			s = &printing.StatRow{Name: k}
			by[k] = s
		}
		s.Sent++
		switch r.Status {
		case domain.StatusAnswered:
			if r.Late(today, loc) {
				s.Late++
			} else {
				s.InTerm++
			}
		case domain.StatusRejected:
			s.Refused++
		case domain.StatusError, domain.StatusUnverified:
			s.Errors++
		}
	}
	out := make([]printing.StatRow, 0, len(by))
	for _, s := range by {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
