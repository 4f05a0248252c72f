package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// NewRequest is what CreateRequest needs; the journal fills in the rest.
type NewRequest struct {
	Direction     domain.Direction
	MessageID     string
	Number        string
	ApplicationID int64
	TemplateID    string
	TemplateTitle string
	Provider      string
	ProviderCode  string
	Channel       domain.Channel
	Status        domain.Status
	Applicant     string
	SNILS         string
	FieldsJSON    string // the form's fields, for drafts
	Body          []byte // the business XML, when composed
	DueOn         string // answer deadline YYYY-MM-DD, when known
	DueFrom       string // the day the term is counted from (default: today)
	DueDays       int    // the term in working days
	// DueMissingYear: the deadline (DueFrom + DueDays) could not be computed,
	// the calendar lacks this year; it is computed when the year arrives.
	DueMissingYear int
	SentAt         time.Time
	Actor          string // who creates it
	Note           string // for the first event
}

func (n *NewRequest) validate() error {
	if n.Direction != domain.Outgoing && n.Direction != domain.Incoming {
		return domain.Errorf(domain.EINVALID, "Неизвестное направление запроса.")
	}
	if !n.Channel.Valid() {
		return domain.Errorf(domain.EINVALID, "Неизвестный канал отправки: %q.", n.Channel)
	}
	if !n.Status.Valid() {
		return domain.Errorf(domain.EINVALID, "Неизвестный статус запроса: %q.", n.Status)
	}
	if n.DueOn != "" {
		if _, err := time.Parse(time.DateOnly, n.DueOn); err != nil {
			return domain.Errorf(domain.EINVALID, "Неверная дата срока: %q (нужно ГГГГ-ММ-ДД).", n.DueOn)
		}
	}
	if n.Actor == "" {
		return domain.Errorf(domain.EINVALID, "Не указано, кто создаёт запрос.")
	}
	return nil
}

// CreateRequest writes a request and its first status event in one
// transaction and returns its id.
func (s *DB) CreateRequest(ctx context.Context, n NewRequest) (int64, error) {
	if err := n.validate(); err != nil {
		return 0, err
	}
	var id int64
	err := s.tx(ctx, "store.CreateRequest", func(tx *sql.Tx) (err error) {
		id, err = insertRequest(ctx, tx, &n, s.now().UTC(), nil)
		return err
	})
	return id, err
}

// insertRequest writes a new request with everything that comes with it in
// the same transaction: its search words, its answer deadline, its first
// status event. envelope is the signed message, when there is one. Every
// path that creates a request (a draft, a queued request, an incoming one)
// goes through here.
func insertRequest(ctx context.Context, tx *sql.Tx, n *NewRequest, now time.Time, envelope []byte) (int64, error) {
	if n.FieldsJSON == "" {
		n.FieldsJSON = "{}"
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO requests
		(direction, message_id, number, application_id, template_id, template_title,
		 provider, provider_code, channel, status, is_open, applicant, snils, fields_json,
		 body, envelope, created_at, sent_at, due_on, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.Direction, nullString(n.MessageID), n.Number, nullInt(n.ApplicationID), n.TemplateID, n.TemplateTitle,
		n.Provider, n.ProviderCode, n.Channel, n.Status, boolInt(n.Status.Open()), n.Applicant, n.SNILS, n.FieldsJSON,
		n.Body, envelope, fmtTime(now), fmtTime(n.SentAt), nullString(n.DueOn), fmtTime(now))
	if err != nil {
		if isUnique(err) {
			return 0, domain.Wrap(err, domain.ECONFLICT, "store.insertRequest", fmt.Sprintf("Запрос с идентификатором сообщения %s уже есть в журнале.", n.MessageID))
		}
		if isForeignKey(err) {
			return 0, domain.Wrap(err, domain.ENOTFOUND, "store.insertRequest", fmt.Sprintf("Заявление №%d не найдено в журнале.", n.ApplicationID))
		}
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if err := writeSearchWords(ctx, tx, id, n); err != nil {
		return 0, err
	}
	if n.DueOn != "" {
		from := n.DueFrom
		if from == "" {
			from = now.Format(time.DateOnly)
		}
		if err := upsertDeadline(ctx, tx, id, DeadlineAnswer, from, n.DueDays, n.DueOn); err != nil {
			return 0, err
		}
	} else if n.DueMissingYear != 0 {
		p := PendingDeadline{RequestID: id, Kind: DeadlineAnswer, From: n.DueFrom, Days: n.DueDays, MissingYear: n.DueMissingYear}
		if err := insertPending(ctx, tx, p); err != nil {
			return 0, err
		}
	}
	return id, insertEvent(ctx, tx, id, now, n.Actor, "", n.Status, n.Note)
}

// Deadline kinds.
const (
	DeadlineSend   = "send"   // the request must go out by then (2 working days after the application)
	DeadlineAnswer = "answer" // the answer is due by then
)

// SetDeadline records a deadline of a request: counted from a day, a term in
// working days, the due day. The answer deadline is mirrored in the
// request's due_on, which the journal lists by, in the same transaction.
func (s *DB) SetDeadline(ctx context.Context, id int64, kind, from string, days int, due string) error {
	if kind != DeadlineSend && kind != DeadlineAnswer {
		return domain.Errorf(domain.EINVALID, "Неизвестный вид срока: %q.", kind)
	}
	for _, d := range []string{from, due} {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return domain.Errorf(domain.EINVALID, "Неверная дата срока: %q (нужно ГГГГ-ММ-ДД).", d)
		}
	}
	if days < 0 || due < from {
		return domain.Errorf(domain.EINVALID, "Срок не может истекать раньше, чем начался.")
	}
	return s.tx(ctx, "store.SetDeadline", func(tx *sql.Tx) error {
		if err := upsertDeadline(ctx, tx, id, kind, from, days, due); err != nil {
			return err
		}
		if kind == DeadlineAnswer {
			res, err := tx.ExecContext(ctx, `UPDATE requests SET due_on = ?, updated_at = ? WHERE id = ?`, due, fmtTime(s.now()), id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return domain.Errorf(domain.ENOTFOUND, "Запрос №%d не найден в журнале.", id)
			}
		}
		return nil
	})
}

func upsertDeadline(ctx context.Context, tx *sql.Tx, id int64, kind, from string, days int, due string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO deadlines (request_id, kind, from_on, days, due_on) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (request_id, kind) DO UPDATE SET from_on = excluded.from_on, days = excluded.days, due_on = excluded.due_on`,
		id, kind, from, days, due)
	if isForeignKey(err) {
		return domain.Wrap(err, domain.ENOTFOUND, "store.SetDeadline", fmt.Sprintf("Запрос №%d не найден в журнале.", id))
	}
	return err
}

// Deadline is one deadline of a request.
type Deadline struct {
	Kind  string `json:"kind"`
	From  string `json:"from"`
	Days  int    `json:"days"`
	DueOn string `json:"dueOn"`
}

// Deadlines returns the deadlines of a request.
func (s *DB) Deadlines(ctx context.Context, id int64) ([]Deadline, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT kind, from_on, days, due_on FROM deadlines WHERE request_id = ? ORDER BY kind`, id)
	if err != nil {
		return nil, classify(err, "store.Deadlines")
	}
	defer rows.Close()
	out := []Deadline{}
	for rows.Next() {
		var d Deadline
		if err := rows.Scan(&d.Kind, &d.From, &d.Days, &d.DueOn); err != nil {
			return nil, classify(err, "store.Deadlines")
		}
		out = append(out, d)
	}
	return out, classify2(rows.Err(), "store.Deadlines")
}

func insertEvent(ctx context.Context, tx *sql.Tx, id int64, at time.Time, actor string, from, to domain.Status, note string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO events (request_id, at, actor, from_status, to_status, note)
		VALUES (?, ?, ?, ?, ?, ?)`, id, fmtTime(at), actor, from, to, note)
	return err
}

const requestColumns = `id, direction, coalesce(message_id, ''), number, coalesce(application_id, 0),
	template_id, template_title, provider, provider_code, channel, status, applicant, snils,
	created_at, sent_at, coalesce(due_on, ''), answered_at, updated_at, last_error, due_missing_year`

func scanRequest(row interface{ Scan(...any) error }, extra ...any) (*domain.Request, error) {
	var r domain.Request
	var created, sent, answered, updated sql.NullString
	err := row.Scan(append([]any{&r.ID, &r.Direction, &r.MessageID, &r.Number, &r.ApplicationID,
		&r.TemplateID, &r.TemplateTitle, &r.Provider, &r.ProviderCode, &r.Channel, &r.Status, &r.Applicant, &r.SNILS,
		&created, &sent, &r.DueOn, &answered, &updated, &r.LastError, &r.DueMissingYear}, extra...)...)
	if err != nil {
		return nil, err
	}
	r.CreatedAt, r.SentAt, r.AnsweredAt, r.UpdatedAt = parseTime(created), parseTime(sent), parseTime(answered), parseTime(updated)
	return &r, nil
}

// Request returns one request by id.
func (s *DB) Request(ctx context.Context, id int64) (*domain.Request, error) {
	r, err := scanRequest(s.db.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM requests WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Запрос №%d не найден в журнале.", id)
	} else if err != nil {
		return nil, classify(err, "store.Request")
	}
	return r, nil
}

// RequestByMessageID returns the request with a SMEV MessageID.
func (s *DB) RequestByMessageID(ctx context.Context, messageID string) (*domain.Request, error) {
	r, err := scanRequest(s.db.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM requests WHERE message_id = ?`, messageID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Сообщение %s не найдено в журнале.", messageID)
	} else if err != nil {
		return nil, classify(err, "store.RequestByMessageID")
	}
	return r, nil
}

// Page is one page of a journal list.
type Page struct {
	Requests []*domain.Request `json:"requests"`
	Total    int               `json:"total"` // matching requests in all pages; -1: not counted
	// TotalAtLeast: a search by common words is not counted (every word
	// matches thousands); Total is then a lower bound (the requests up to
	// the end of this page and one more) and more pages follow.
	TotalAtLeast bool `json:"totalAtLeast,omitempty"`
}

// where builds the WHERE clause of a filter; every value is a parameter.
func where(f *filter) (string, []any, error) {
	var conds []string
	var args []any
	if f.Direction != "" {
		if f.Direction != domain.Outgoing && f.Direction != domain.Incoming {
			return "", nil, domain.Errorf(domain.EINVALID, "Неизвестное направление запроса.")
		}
		conds = append(conds, "direction = ?")
		args = append(args, f.Direction)
	}
	if len(f.Statuses) > 0 {
		marks := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			if !st.Valid() {
				return "", nil, domain.Errorf(domain.EINVALID, "Неизвестный статус запроса: %q.", st)
			}
			marks[i] = "?"
			args = append(args, st)
		}
		conds = append(conds, "status IN ("+strings.Join(marks, ", ")+")")
	}
	if f.Provider != "" {
		conds = append(conds, "provider = ?")
		args = append(args, f.Provider)
	}
	if f.Template != "" {
		conds = append(conds, "template_id = ?")
		args = append(args, f.Template)
	}
	// The period is of the clerk's days (the workstation's zone), from the
	// start of From to the end of To (the same day for a one-day period).
	loc := f.loc
	if loc == nil {
		loc = time.Local
	}
	for _, d := range []struct {
		v, cond string
		end     bool
	}{{f.From, "created_at >= ?", false}, {f.To, "created_at < ?", true}} {
		if d.v == "" {
			continue
		}
		t, err := time.ParseInLocation(time.DateOnly, d.v, loc)
		if err != nil {
			return "", nil, domain.Errorf(domain.EINVALID, "Неверная дата периода: %q (нужно ГГГГ-ММ-ДД).", d.v)
		}
		if d.end {
			t = t.AddDate(0, 0, 1)
		}
		conds = append(conds, d.cond)
		args = append(args, dayBound(t))
	}
	if f.OverdueOn != "" {
		if _, err := time.Parse(time.DateOnly, f.OverdueOn); err != nil {
			return "", nil, domain.Errorf(domain.EINVALID, "Неверная дата: %q (нужно ГГГГ-ММ-ДД).", f.OverdueOn)
		}
		conds = append(conds, "is_open = 1 AND due_on < ?")
		args = append(args, f.OverdueOn)
	}
	if f.DueBy != "" {
		if _, err := time.Parse(time.DateOnly, f.DueBy); err != nil {
			return "", nil, domain.Errorf(domain.EINVALID, "Неверная дата: %q (нужно ГГГГ-ММ-ДД).", f.DueBy)
		}
		conds = append(conds, "is_open = 1 AND due_on <= ?")
		args = append(args, f.DueBy)
	}
	if words := f.QueryWords; f.plan != planNone {
		switch f.plan {
		case planIDs:
			// The requests that have every word, found in the word index.
			conds = append(conds, `id IN (SELECT value FROM json_each(?))`)
			args = append(args, f.idsJSON)
		case planDriven:
			// The first word's requests, each checked for the others.
			conds = append(conds, `id IN (SELECT request_id FROM search_words WHERE word >= ? AND word < ?)`)
			args = append(args, words[0], words[0]+"\xff")
			words = words[1:]
		}
		if f.plan != planIDs {
			// Every (other) word checked on each row.
			for _, w := range words {
				conds = append(conds, `EXISTS (SELECT 1 FROM search_words w WHERE w.request_id = requests.id AND w.word >= ? AND w.word < ?)`)
				args = append(args, w, w+"\xff")
			}
		}
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

var orders = map[string]string{
	"":         "due_on IS NULL, due_on, id",
	"due":      "due_on IS NULL, due_on, id",
	"-due":     "due_on IS NULL DESC, due_on DESC, id DESC",
	"created":  "created_at, id",
	"-created": "created_at DESC, id DESC",
}

// ListRequests returns one page of requests matching f and the total count.
func (s *DB) ListRequests(ctx context.Context, f domain.RequestFilter) (*Page, error) {
	const op = "store.ListRequests"
	order, ok := orders[f.Order]
	if !ok {
		return nil, domain.Errorf(domain.EINVALID, "Неизвестный порядок сортировки: %q.", f.Order)
	}
	var err error
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Limit < 1 || f.Limit > 500 || f.Offset < 0 {
		return nil, domain.Errorf(domain.EINVALID, "Неверный размер страницы.")
	}
	ff := filter{RequestFilter: f, loc: s.loc}
	if err := s.planSearch(ctx, &ff); err != nil {
		return nil, err
	}
	page, err := s.pageOf(ctx, &ff, order)
	if errors.Is(err, errWalkTooLong) {
		// A walk in one direction ran out of time only when the
		// direction is common (a rare one is at most rareDirection rows).
		if ff.wordsOnly(true) && f.Offset == 0 {
			return nil, domain.Wrap(err, domain.EINVALID, op, tooCommon(ff.QueryWords))
		}
		// With other filters, or far down the pages, the words may well
		// meet: the word index drives instead (exact, slower).
		ff.plan = planDriven
		page, err = s.pageOf(ctx, &ff, order)
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return nil, err // a refused filter, as it is
	} else if err != nil {
		return nil, classify(err, op)
	}
	return page, nil
}

// rareDirection is how many requests of a direction make it rare.
const rareDirection = 5000

// tableFor is the FROM of a page: a direction with few requests (the
// incoming ones, usually) is read through its own index in the page's
// order, whatever else the filter says: at most rareDirection rows. SQLite
// cannot know how few there are (the counters can), and would walk the
// whole deadline index skipping the other direction. The requests a
// search found are read by their ids otherwise (SQLite would rather walk
// the direction's index and test each row against the list).
func (s *DB) tableFor(ctx context.Context, ff *filter) (string, error) {
	if ff.Direction != "" {
		n, err := s.directionCount(ctx, ff.Direction)
		if err != nil {
			return "", err
		}
		if n <= rareDirection {
			if ff.Order == "created" || ff.Order == "-created" {
				return "requests INDEXED BY requests_dir_created", nil
			}
			return "requests INDEXED BY requests_dir_due", nil
		}
	}
	if ff.plan == planIDs {
		return "requests NOT INDEXED", nil
	}
	return "requests", nil
}

// directionCount is how many requests a direction has, from the counters.
func (s *DB) directionCount(ctx context.Context, d domain.Direction) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(sum(n), 0) FROM request_counts WHERE direction = ?`, d).Scan(&n)
	return n, err
}

// searchTotalOneWay counts what a search found in a common direction when
// the other direction is rare: all it found, less those of the other
// direction (read through that direction's index). ok is false otherwise.
func (s *DB) searchTotalOneWay(ctx context.Context, ff *filter) (total int, ok bool, err error) {
	if ff.plan != planIDs || ff.Direction == "" || !ff.wordsOnly(true) {
		return 0, false, nil
	}
	other := domain.Incoming
	if ff.Direction == domain.Incoming {
		other = domain.Outgoing
	}
	n, err := s.directionCount(ctx, other)
	if err != nil || n > rareDirection {
		return 0, false, err
	}
	var there int
	err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM requests INDEXED BY requests_dir_due
		WHERE direction = ? AND id IN (SELECT value FROM json_each(?))`, other, ff.idsJSON).Scan(&there)
	return ff.matches - there, err == nil, err
}

// errWalkTooLong: a walk for common words ran out of its time.
var errWalkTooLong = errors.New("store: the walk of a search by common words ran out of time")

// pageOf reads one page of a planned filter and its total.
func (s *DB) pageOf(ctx context.Context, ff *filter, order string) (*Page, error) {
	f := ff.RequestFilter
	cond, args, err := where(ff)
	if err != nil {
		return nil, err
	}
	from, err := s.tableFor(ctx, ff)
	if err != nil {
		return nil, err
	}
	limit, qctx := f.Limit, ctx
	if ff.plan == planWalk {
		limit++ // one more says whether another page follows
		// A rare direction's walk is at most rareDirection rows: it needs
		// no budget, and a slow disk must not turn it into a refusal.
		if !strings.Contains(from, "INDEXED BY") {
			var cancel context.CancelFunc
			qctx, cancel = context.WithTimeout(ctx, s.searchBudget)
			defer cancel()
		}
	}
	// The requests a search found are sorted whole for the page anyway:
	// their count comes from the same pass.
	oneWay, oneWayOK, err := 0, false, error(nil)
	if !f.SkipTotal {
		if oneWay, oneWayOK, err = s.searchTotalOneWay(ctx, ff); err != nil {
			return nil, err
		}
	}
	withTotal := !f.SkipTotal && ((ff.plan == planIDs && !ff.wordsOnly(false) && !oneWayOK) || ff.plan == planDriven)
	cols := requestColumns
	if withTotal {
		cols += `, count(*) OVER ()`
	}
	page := &Page{Requests: []*domain.Request{}, Total: -1}
	var total int
	page.Requests, total, err = s.requestPage(qctx, withTotal, `SELECT `+cols+` FROM `+from+cond+
		` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
	if err != nil {
		if ff.plan == planWalk && ctx.Err() == nil && qctx.Err() != nil {
			return nil, fmt.Errorf("%w: %w", errWalkTooLong, err)
		}
		return nil, err
	}
	switch {
	case ff.plan == planWalk:
		// Not counted: the requests up to the end of this page, and more
		// when the one extra came.
		if len(page.Requests) > 0 || f.Offset == 0 {
			page.Total = f.Offset + len(page.Requests)
		}
		if len(page.Requests) > f.Limit {
			page.Requests = page.Requests[:f.Limit]
			page.TotalAtLeast = true
		}
	case f.SkipTotal:
	case ff.plan == planIDs && ff.wordsOnly(false):
		page.Total = ff.matches
	case oneWayOK:
		page.Total = oneWay
	case withTotal && len(page.Requests) > 0:
		page.Total = total
	default:
		if err := s.db.QueryRowContext(ctx, countQuery(ff, from)+cond, args...).Scan(&page.Total); err != nil {
			return nil, err
		}
	}
	return page, nil
}

// CountOverdue counts open requests whose answer was due before today
// (YYYY-MM-DD), in one direction or both ("").
func (s *DB) CountOverdue(ctx context.Context, today string, dir domain.Direction) (int, error) {
	if _, err := time.Parse(time.DateOnly, today); err != nil {
		return 0, domain.Errorf(domain.EINVALID, "Неверная дата: %q (нужно ГГГГ-ММ-ДД).", today)
	}
	q := `SELECT count(*) FROM requests WHERE is_open = 1 AND due_on < ?`
	args := []any{today}
	if dir != "" {
		q += ` AND direction = ?`
		args = append(args, dir)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, classify(err, "store.CountOverdue")
	}
	return n, nil
}

// Events returns the status history of a request, oldest first.
func (s *DB) Events(ctx context.Context, requestID int64) ([]domain.Event, error) {
	return s.events(ctx, `WHERE request_id = ? ORDER BY seq`, requestID)
}

// EventsAfter returns up to limit events with seq > after, in order: the
// stream the regional sync reads.
func (s *DB) EventsAfter(ctx context.Context, after int64, limit int) ([]domain.Event, error) {
	if limit < 1 || limit > 10000 {
		return nil, domain.Errorf(domain.EINVALID, "Неверный размер пакета событий.")
	}
	return s.events(ctx, `WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
}

func (s *DB) events(ctx context.Context, tail string, args ...any) ([]domain.Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, request_id, at, actor, from_status, to_status, note FROM events `+tail, args...)
	if err != nil {
		return nil, classify(err, "store.Events")
	}
	defer rows.Close()
	out := []domain.Event{}
	for rows.Next() {
		var e domain.Event
		var at sql.NullString
		if err := rows.Scan(&e.Seq, &e.RequestID, &at, &e.Actor, &e.From, &e.To, &e.Note); err != nil {
			return nil, classify(err, "store.Events")
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, classify2(rows.Err(), "store.Events")
}

func classify2(err error, op string) error {
	if err == nil {
		return nil
	}
	return classify(err, op)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// RequestBody returns the business XML of a request.
func (s *DB) RequestBody(ctx context.Context, id int64) ([]byte, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT body FROM requests WHERE id = ?`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Запрос №%d не найден в журнале.", id)
	} else if err != nil {
		return nil, classify(err, "store.RequestBody")
	}
	return b, nil
}
