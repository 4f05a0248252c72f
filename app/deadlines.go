package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/validate"
)

// DeadlinesService is the «Сроки» screen: what is overdue, due today and
// due tomorrow, both ways and on every channel, and the paper requests the
// clerk registers by hand.
type DeadlinesService struct{ app *App }

// DeadlineRow is a request with its urgency.
type DeadlineRow struct {
	Row
	Urgency  string `json:"urgency"`  // overdue, today, tomorrow
	Reminder string `json:"reminder"` // the reminder in Russian
	DaysLeft int    `json:"daysLeft"` // working days from today to the due day (negative: overdue)
}

// Board groups the open requests that need attention.
type Board struct {
	Today    string        `json:"today"`
	Overdue  []DeadlineRow `json:"overdue"`
	DueToday []DeadlineRow `json:"dueToday"`
	Tomorrow []DeadlineRow `json:"tomorrow"`
	// Pending: open requests whose deadline waits for a calendar year.
	Pending []DeadlineRow `json:"pending"`
	Problem string        `json:"problem,omitempty"` // e.g. the calendar lacks this year
	// Notice: this year's calendar, or from 1 October next year's, is
	// missing, and where it comes from.
	Notice string `json:"notice,omitempty"`
}

// Board returns what is overdue, due today and due by the next working day.
func (s *DeadlinesService) Board() (Board, error) {
	const op = "deadlines.Board"
	db, err := s.app.journal()
	if err != nil {
		return Board{}, s.app.fail(op, err)
	}
	cal := s.app.calendar()
	today := s.app.today()
	board := Board{Today: today.String(), Overdue: []DeadlineRow{}, DueToday: []DeadlineRow{}, Tomorrow: []DeadlineRow{},
		Pending: []DeadlineRow{}, Notice: cal.Notice(today)}
	next, err := cal.AddWorkingDays(today, 1)
	if err != nil {
		// Without the calendar only what is already late is certain.
		board.Problem = domain.ErrorMessage(err)
		next = today
	}
	page, err := db.ListRequests(context.Background(), domain.RequestFilter{DueBy: next.String(), Limit: 500})
	if err != nil {
		return Board{}, s.app.fail(op, err)
	}
	for _, r := range page.Requests {
		due, err := calendar.ParseDate(r.DueOn)
		if err != nil {
			continue
		}
		u, err := cal.Remind(today, due)
		if err != nil {
			board.Problem = domain.ErrorMessage(err)
			continue
		}
		row := DeadlineRow{Row: newRow(r)}
		if n, err := cal.WorkingDaysBetween(today, due); err == nil {
			row.DaysLeft = n
		}
		kind := calendar.Outgoing
		if r.Direction == domain.Incoming {
			kind = calendar.Incoming
		}
		row.Reminder = u.Text(kind)
		switch u {
		case calendar.Overdue:
			row.Urgency = "overdue"
			board.Overdue = append(board.Overdue, row)
		case calendar.DueToday:
			row.Urgency = "today"
			board.DueToday = append(board.DueToday, row)
		case calendar.DueTomorrow:
			row.Urgency = "tomorrow"
			board.Tomorrow = append(board.Tomorrow, row)
		}
	}
	if board.Pending, err = s.pending(db); err != nil {
		return Board{}, s.app.fail(op, err)
	}
	return board, nil
}

// pending lists the open requests whose deadline waits for a calendar year.
func (s *DeadlinesService) pending(db *store.DB) ([]DeadlineRow, error) {
	ctx := context.Background()
	ps, err := db.PendingDeadlines(ctx)
	if err != nil {
		return nil, err
	}
	rows := []DeadlineRow{}
	for _, p := range ps {
		if p.Kind != store.DeadlineAnswer || len(rows) >= 500 {
			continue
		}
		r, err := db.Request(ctx, p.RequestID)
		if err != nil {
			return nil, err
		}
		if r.Status.Open() {
			rows = append(rows, DeadlineRow{Row: newRow(r), Urgency: "pending", Reminder: calendar.PendingNote(p.MissingYear)})
		}
	}
	return rows, nil
}

// PaperRequest is a request sent (or received) by fax or post, registered
// by hand so its deadline is tracked like any other.
type PaperRequest struct {
	// Direction: "out" (default) we sent it; "in" another authority sent
	// it to us (SentOn is then the day it came, Provider who asked).
	Direction string `json:"direction"`
	Channel   string `json:"channel"`  // fax or post
	Number    string `json:"number"`   // outgoing letter number
	SentOn    string `json:"sentOn"`   // ДД.ММ.ГГГГ or ГГГГ-ММ-ДД
	Provider  string `json:"provider"` // the authority written to
	Subject   string `json:"subject"`  // what was asked (or a template's title)
	Applicant string `json:"applicant"`
	TermDays  int    `json:"termDays"` // 0: 5 working days
}

// RegisterPaper writes a fax or post request into the journal: ours as
// sent, an incoming one as received, with its answer deadline from the
// production calendar. Every problem is named.
func (s *DeadlinesService) RegisterPaper(p PaperRequest) (Row, error) {
	const op = "deadlines.RegisterPaper"
	in := p.Direction == string(domain.Incoming)
	problems := paperProblems(&p, in)
	today := s.app.today()
	sent, err := validate.ReadDate(p.SentOn, calendar.Date{})
	what := map[bool]string{false: "Дата отправки", true: "Дата поступления"}[in]
	if err != nil {
		problems = append(problems, what+": укажите дату в виде ДД.ММ.ГГГГ.")
	} else if sent.After(today) {
		problems = append(problems, what+" не может быть позже сегодняшней.")
	}
	if p.TermDays < 0 || p.TermDays > 60 {
		problems = append(problems, "Срок ответа: от 1 до 60 рабочих дней.")
	}
	if len(problems) > 0 {
		return Row{}, s.app.fail(op, domain.Errorf(domain.EINVALID, "%s", strings.Join(problems, " ")))
	}
	term := p.TermDays
	if term == 0 {
		term = calendar.DefaultAnswerTerm
	}
	// A term into a year without a calendar is kept, computed on its arrival.
	due, missingYear, err := s.app.calendar().DueOn(sent.String(), term)
	if err != nil {
		return Row{}, s.app.fail(op, err)
	}
	db, err := s.app.journal()
	if err != nil {
		return Row{}, s.app.fail(op, err)
	}
	ctx := context.Background()
	ch := domain.Channel(p.Channel)
	n := store.NewRequest{Direction: domain.Outgoing, Number: p.Number, Provider: p.Provider,
		TemplateTitle: p.Subject, Channel: ch, Status: domain.StatusSent, Applicant: p.Applicant,
		SentAt: time.Date(sent.Year(), sent.Month(), sent.Day(), 12, 0, 0, 0, time.Local),
		DueOn:  due, DueFrom: sent.String(), DueDays: term, DueMissingYear: missingYear, Actor: s.app.actor(ctx, db),
		Note: "зарегистрирован вручную: " + map[domain.Channel]string{domain.ChannelFax: "отправлен по факсу", domain.ChannelPost: "отправлен почтой"}[ch]}
	if in {
		// The day it came stands for its date in the registers.
		n.Direction, n.Status = domain.Incoming, domain.StatusReceived
		n.Note = "зарегистрирован вручную: " + map[domain.Channel]string{domain.ChannelFax: "поступил по факсу", domain.ChannelPost: "поступил почтой"}[ch]
	}
	id, err := db.CreateRequest(ctx, n)
	if err != nil {
		return Row{}, s.app.fail(op, err)
	}
	r, err := db.Request(ctx, id)
	if err != nil {
		return Row{}, s.app.fail(op, err)
	}
	return newRow(r), nil
}

// paperProblems names what a paper request lacks.
func paperProblems(p *PaperRequest, in bool) []string {
	var problems []string
	ch := domain.Channel(p.Channel)
	if ch != domain.ChannelFax && ch != domain.ChannelPost {
		problems = append(problems, map[bool]string{false: "Выберите, как отправлен запрос: по факсу или почтой.",
			true: "Выберите, как поступил запрос: по факсу или почтой."}[in])
	}
	p.Number, p.Provider, p.Subject, p.Applicant = strings.TrimSpace(p.Number), strings.TrimSpace(p.Provider), strings.TrimSpace(p.Subject), strings.TrimSpace(p.Applicant)
	if p.Number == "" && !in {
		problems = append(problems, "Укажите исходящий номер письма.")
	}
	if p.Provider == "" {
		problems = append(problems, map[bool]string{false: "Укажите ведомство, куда отправлен запрос.", true: "Укажите ведомство, от которого поступил запрос."}[in])
	}
	if p.Subject == "" {
		problems = append(problems, "Укажите, какие сведения запрошены.")
	}
	return problems
}

// Remind tells the clerk, in the window and on the desktop, what is overdue
// and what is due today. The window calls it once when it opens.
func (s *DeadlinesService) Remind() (ReminderCounts, error) {
	b, err := s.Board()
	if err != nil {
		return ReminderCounts{}, err
	}
	var parts []string
	if n := len(b.Overdue); n > 0 {
		parts = append(parts, fmt.Sprintf("просрочено: %d", n))
	}
	if n := len(b.DueToday); n > 0 {
		parts = append(parts, fmt.Sprintf("срок сегодня: %d", n))
	}
	if n := len(b.Tomorrow); n > 0 {
		parts = append(parts, fmt.Sprintf("срок завтра: %d", n))
	}
	if len(parts) > 0 {
		s.app.cfg.Events.Notify("Межвед: сроки запросов", strings.Join(parts, ", ")+". Откройте раздел «Сроки».")
	}
	return ReminderCounts{Overdue: len(b.Overdue), Today: len(b.DueToday), Tomorrow: len(b.Tomorrow)}, nil
}

// ReminderCounts is what Remind found.
type ReminderCounts struct {
	Overdue  int `json:"overdue"`
	Today    int `json:"today"`
	Tomorrow int `json:"tomorrow"`
}
