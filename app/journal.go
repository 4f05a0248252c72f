package app

import (
	"context"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/workstation"
)

// JournalService is the journal as the window sees it.
type JournalService struct{ app *App }

// ListQuery is the window's filter; empty fields mean "any".
type ListQuery struct {
	Direction string   `json:"direction"`
	Statuses  []string `json:"statuses"`
	Query     string   `json:"query"`
	Provider  string   `json:"provider"`
	Template  string   `json:"template"`
	From      string   `json:"from"`
	To        string   `json:"to"`
	Overdue   bool     `json:"overdue"`
	Order     string   `json:"order"`
	Offset    int      `json:"offset"`
	Limit     int      `json:"limit"`
	SkipTotal bool     `json:"skipTotal"` // paging through the same filter: the total is known
}

// Row is one journal line, ready to show.
type Row struct {
	*domain.Request
	StatusTitle string `json:"statusTitle"`
	// DueNote stands in for a due date that cannot be computed yet
	// («срок не рассчитан: нет производственного календаря на 2028 год»).
	DueNote string `json:"dueNote,omitempty"`
}

// newRow is how every list shows a request.
func newRow(r *domain.Request) Row {
	row := Row{Request: r, StatusTitle: r.StatusTitle(), DueNote: workstation.DueNote(r)}
	return row
}

// ListResult is a page of rows.
type ListResult struct {
	Rows  []Row `json:"rows"`
	Total int   `json:"total"`
	// TotalAtLeast: a search by common words is not counted; Total is a
	// lower bound and more pages follow.
	TotalAtLeast bool `json:"totalAtLeast,omitempty"`
}

// List returns a page of the journal.
func (s *JournalService) List(q ListQuery) (ListResult, error) {
	db, err := s.app.journal()
	if err != nil {
		return ListResult{}, s.app.fail("journal.List", err)
	}
	f := domain.RequestFilter{Direction: domain.Direction(q.Direction), Query: q.Query, Provider: q.Provider,
		Template: q.Template, From: q.From, To: q.To, Order: q.Order, Offset: q.Offset, Limit: q.Limit, SkipTotal: q.SkipTotal}
	for _, st := range q.Statuses {
		f.Statuses = append(f.Statuses, domain.Status(st))
	}
	if q.Overdue {
		f.OverdueOn = s.app.today().String()
	}
	page, err := db.ListRequests(context.Background(), f)
	if err != nil {
		return ListResult{}, s.app.fail("journal.List", err)
	}
	res := ListResult{Rows: make([]Row, len(page.Requests)), Total: page.Total, TotalAtLeast: page.TotalAtLeast}
	for i, r := range page.Requests {
		res.Rows[i] = newRow(r)
	}
	return res, nil
}

// Summary counts what the clerk must look at today.
type Summary struct {
	Total           int `json:"total"`
	OverdueOutgoing int `json:"overdueOutgoing"`
	OverdueIncoming int `json:"overdueIncoming"`
}

// Summary returns the counts for the navigation badges.
func (s *JournalService) Summary() (Summary, error) {
	db, err := s.app.journal()
	if err != nil {
		return Summary{}, s.app.fail("journal.Summary", err)
	}
	ctx := context.Background()
	var sum Summary
	page, err := db.ListRequests(ctx, domain.RequestFilter{Limit: 1})
	if err != nil {
		return Summary{}, s.app.fail("journal.Summary", err)
	}
	sum.Total = page.Total
	if sum.OverdueOutgoing, err = db.CountOverdue(ctx, s.app.today().String(), domain.Outgoing); err != nil {
		return Summary{}, s.app.fail("journal.Summary", err)
	}
	if sum.OverdueIncoming, err = db.CountOverdue(ctx, s.app.today().String(), domain.Incoming); err != nil {
		return Summary{}, s.app.fail("journal.Summary", err)
	}
	return sum, nil
}

// Painted is called by the window once the journal view is first on the
// screen; the time since the process started goes to the log (the window
// benchmark reads it).
func (s *JournalService) Painted() error {
	s.app.painted.Do(func() {
		if !s.app.cfg.Started.IsZero() {
			s.app.log.Info("first journal view painted", "ms", time.Since(s.app.cfg.Started).Milliseconds())
		}
	})
	return nil
}
