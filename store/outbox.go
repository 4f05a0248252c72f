package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// Outbox states.
const (
	OutboxPending = "pending" // waits for (another) send
	OutboxSent    = "sent"    // SMEV has it
	OutboxFailed  = "failed"  // a final fault: the clerk must act
)

// The roads through SMEV (outbox.via, requests.via).
const (
	ViaDirect  = "direct"  // SMEV 3 itself: our ЭП-ОВ, our queues
	ViaAdapter = "adapter" // the region's SMEV 3 adapter: it signs ЭП-ОВ and keeps the queues
)

func viaOrDirect(v string) (string, error) {
	switch v {
	case "":
		return ViaDirect, nil
	case ViaDirect, ViaAdapter:
		return v, nil
	}
	return "", domain.Errorf(domain.EINVALID, "Неизвестный канал СМЭВ: %q.", v)
}

// Outbox kinds.
const (
	OutboxRequest  = "request"  // SendRequest of an outgoing request
	OutboxResponse = "response" // SendResponse answering an incoming request
)

// OutboxMessage is a signed envelope ready to go.
type OutboxMessage struct {
	Kind        string // OutboxRequest or OutboxResponse
	MessageID   string // the v1 UUID inside the envelope
	Envelope    []byte // the signed SOAP envelope (or the MTOM multipart body)
	ContentType string // "" for text/xml; multipart/related;… for MTOM
	TermDays    int    // answer term in working days, counted from sending
	Via         string // ViaDirect (default) or ViaAdapter: the channel that sends it
}

// OutboxItem is one row of the outbox.
type OutboxItem struct {
	ID            int64     `json:"id"`
	RequestID     int64     `json:"requestId"`
	Kind          string    `json:"kind"`
	MessageID     string    `json:"messageId"`
	Envelope      []byte    `json:"-"`
	ContentType   string    `json:"contentType,omitempty"`
	State         string    `json:"state"`
	Attempts      int       `json:"attempts"`
	NextAttemptAt time.Time `json:"nextAttemptAt"`
	LastError     string    `json:"lastError,omitempty"`
	TermDays      int       `json:"termDays"`
	CreatedAt     time.Time `json:"createdAt"`
	SentAt        time.Time `json:"sentAt,omitzero"`
	Via           string    `json:"via"`
}

func (m *OutboxMessage) validate() error {
	if m.Kind != OutboxRequest && m.Kind != OutboxResponse {
		return domain.Errorf(domain.EINVALID, "Неизвестный вид сообщения очереди: %q.", m.Kind)
	}
	if m.MessageID == "" || len(m.Envelope) == 0 {
		return domain.Errorf(domain.EINVALID, "Сообщение для очереди без идентификатора или без конверта.")
	}
	if m.TermDays < 0 {
		return domain.Errorf(domain.EINVALID, "Неверный срок ответа: %d.", m.TermDays)
	}
	var err error
	m.Via, err = viaOrDirect(m.Via)
	return err
}

func insertOutbox(ctx context.Context, tx *sql.Tx, requestID int64, m *OutboxMessage, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox
		(request_id, kind, message_id, envelope, content_type, state, next_attempt_at, term_days, created_at, via)
		VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
		requestID, m.Kind, m.MessageID, packedValue(m.Envelope), m.ContentType, fmtTime(now), m.TermDays, fmtTime(now), m.Via)
	if isUnique(err) {
		return domain.Wrap(err, domain.ECONFLICT, "store.outbox", fmt.Sprintf("Сообщение %s уже стоит в очереди.", m.MessageID))
	}
	return err
}

// EnqueueOutgoing writes a new outgoing request (status queued, its
// MessageID and envelope) and its outbox row in one transaction: the
// signed request is durable before the first send.
func (s *DB) EnqueueOutgoing(ctx context.Context, n NewRequest, m OutboxMessage) (int64, error) {
	if err := prepareOutgoing(&n, &m); err != nil {
		return 0, err
	}
	now := s.now().UTC()
	var id int64
	err := s.tx(ctx, "store.EnqueueOutgoing", func(tx *sql.Tx) (err error) {
		id, err = enqueueOutgoingTx(ctx, tx, &n, &m, now)
		return err
	})
	return id, err
}

// MaxEnqueueBatch bounds EnqueueOutgoingMany: one transaction, and its
// envelopes in memory, stay small.
const MaxEnqueueBatch = 256

// EnqueueOutgoingMany writes several new outgoing requests and their
// outbox rows in one transaction (one commit for the lot): all are
// durable before the first is sent, or none is written. ids are in the
// order given. A bad request is named by its place (1-based).
func (s *DB) EnqueueOutgoingMany(ctx context.Context, ns []NewRequest, ms []OutboxMessage) ([]int64, error) {
	if len(ns) != len(ms) || len(ns) > MaxEnqueueBatch {
		return nil, domain.Errorf(domain.EINVALID, "Пакет запросов: %d запросов и %d сообщений (не больше %d).", len(ns), len(ms), MaxEnqueueBatch)
	}
	for i := range ns {
		if err := prepareOutgoing(&ns[i], &ms[i]); err != nil {
			return nil, domain.Wrap(err, domain.ErrorCode(err), "store.EnqueueOutgoingMany",
				fmt.Sprintf("Запрос %d из %d: %s", i+1, len(ns), domain.ErrorMessage(err)))
		}
	}
	now := s.now().UTC()
	ids := make([]int64, len(ns))
	err := s.tx(ctx, "store.EnqueueOutgoingMany", func(tx *sql.Tx) (err error) {
		for i := range ns {
			if ids[i], err = enqueueOutgoingTx(ctx, tx, &ns[i], &ms[i], now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// prepareOutgoing fills in and checks what EnqueueOutgoing writes.
func prepareOutgoing(n *NewRequest, m *OutboxMessage) error {
	n.Direction, n.Channel, n.Status, n.MessageID = domain.Outgoing, domain.ChannelSMEV, domain.StatusQueued, m.MessageID
	if n.Note == "" {
		n.Note = "подписан и поставлен в очередь отправки"
	}
	if err := n.validate(); err != nil {
		return err
	}
	m.Kind = OutboxRequest
	return m.validate()
}

// enqueueOutgoingTx is EnqueueOutgoing's writing (after prepareOutgoing).
func enqueueOutgoingTx(ctx context.Context, tx *sql.Tx, n *NewRequest, m *OutboxMessage, now time.Time) (int64, error) {
	// The signed envelope is kept once, in the outbox row.
	id, err := insertRequest(ctx, tx, n, now, nil)
	if err != nil {
		return 0, err
	}
	if _, err = tx.ExecContext(ctx, `UPDATE requests SET via = ? WHERE id = ?`, m.Via, id); err != nil {
		return 0, err
	}
	return id, insertOutbox(ctx, tx, id, m, now)
}

// QueueRequest puts an existing outgoing request (a draft, a signed one, or
// one that failed) into the outbox with its MessageID and signed envelope,
// moving it to queued with an event, in one transaction. Any other status
// is refused with ECONFLICT (see domain.CanMove) and nothing is written.
func (s *DB) QueueRequest(ctx context.Context, requestID int64, m OutboxMessage, actor string) error {
	m.Kind = OutboxRequest
	if err := m.validate(); err != nil {
		return err
	}
	now := s.now().UTC()
	return s.tx(ctx, "store.QueueRequest", func(tx *sql.Tx) error {
		var from domain.Status
		var dir domain.Direction
		err := tx.QueryRowContext(ctx, `SELECT status, direction FROM requests WHERE id = ?`, requestID).Scan(&from, &dir)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "Запрос №%d не найден в журнале.", requestID)
		} else if err != nil {
			return err
		}
		if dir != domain.Outgoing {
			return domain.Errorf(domain.ECONFLICT, "Запрос №%d нельзя поставить в очередь: его статус «%s».", requestID, from.Title())
		}
		// Signing and queuing are one commit; the history shows both steps
		// (a draft, or a request that failed, is signed first).
		if from != domain.StatusSigned {
			sign := move{id: requestID, from: from, to: domain.StatusSigned, actor: actor, note: "подписан электронной подписью", at: now}
			if err := moveTx(ctx, tx, sign); err != nil {
				return err
			}
		}
		err = moveTx(ctx, tx, move{id: requestID, from: domain.StatusSigned, to: domain.StatusQueued, actor: actor,
			note: "поставлен в очередь отправки", at: now, sets: `, message_id = ?, envelope = NULL, channel = 'smev', via = ?, last_error = ''`,
			args: []any{m.MessageID, m.Via}}) // the envelope is kept once, in the outbox row
		if isUnique(err) {
			return domain.Wrap(err, domain.ECONFLICT, "store.QueueRequest", fmt.Sprintf("Сообщение %s уже есть в журнале.", m.MessageID))
		} else if err != nil {
			return err
		}
		return insertOutbox(ctx, tx, requestID, &m, now)
	})
}

// EnqueueResponse puts our answer to an incoming request into the outbox;
// the request becomes queued with an event, in one transaction.
func (s *DB) EnqueueResponse(ctx context.Context, requestID int64, m OutboxMessage, actor string) error {
	m.Kind = OutboxResponse
	if err := m.validate(); err != nil {
		return err
	}
	now := s.now().UTC()
	return s.tx(ctx, "store.EnqueueResponse", func(tx *sql.Tx) error {
		var from domain.Status
		var dir domain.Direction
		err := tx.QueryRowContext(ctx, `SELECT status, direction FROM requests WHERE id = ?`, requestID).Scan(&from, &dir)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "Запрос №%d не найден в журнале.", requestID)
		} else if err != nil {
			return err
		}
		// Our answer goes to an incoming request that waits for it: received,
		// or error after a failed send. (Draft and signed also move to
		// queued in the table, but only outgoing requests are drafts.)
		if dir != domain.Incoming || (from != domain.StatusReceived && from != domain.StatusError) {
			return domain.Errorf(domain.ECONFLICT, "На запрос №%d нельзя отправить ответ: его статус «%s».", requestID, from.Title())
		}
		err = moveTx(ctx, tx, move{id: requestID, from: from, to: domain.StatusQueued, actor: actor,
			note: "ответ подписан и поставлен в очередь отправки", at: now, sets: `, last_error = ''`})
		if err != nil {
			return err
		}
		if err := insertOutbox(ctx, tx, requestID, &m, now); err != nil {
			return err
		}
		// What the answer says (RecordAnswerIntent) is ours from now on.
		return bindIntent(ctx, tx, requestID, m.MessageID, now)
	})
}

const outboxColumns = `id, request_id, kind, message_id, envelope, content_type, state, attempts,
	next_attempt_at, last_error, term_days, created_at, sent_at, via`

func scanOutbox(row interface{ Scan(...any) error }) (*OutboxItem, error) {
	var it OutboxItem
	var next, created, sent sql.NullString
	err := row.Scan(&it.ID, &it.RequestID, &it.Kind, &it.MessageID, packed{&it.Envelope}, &it.ContentType, &it.State,
		&it.Attempts, &next, &it.LastError, &it.TermDays, &created, &sent, &it.Via)
	if err != nil {
		return nil, err
	}
	it.NextAttemptAt, it.CreatedAt, it.SentAt = parseTime(next), parseTime(created), parseTime(sent)
	return &it, nil
}

// OutboxDue returns up to limit pending messages whose next attempt is due
// at now, oldest first.
func (s *DB) OutboxDue(ctx context.Context, now time.Time, limit int) ([]*OutboxItem, error) {
	return s.outboxList(ctx, `WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
		fmtTime(now.UTC()), limit)
}

// OutboxDueVia is OutboxDue for the rows of one channel (ViaDirect,
// ViaAdapter): a worker sends only what its channel owes.
func (s *DB) OutboxDueVia(ctx context.Context, via string, now time.Time, limit int) ([]*OutboxItem, error) {
	v, err := viaOrDirect(via)
	if err != nil {
		return nil, err
	}
	return s.outboxList(ctx, `WHERE via = ? AND state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
		v, fmtTime(now.UTC()), limit)
}

// OutboxPendingVia counts the messages of a channel that still wait to be
// sent: after the settings switch to the other channel, these are what the
// old one still owes (the window says so; they go when it runs again).
func (s *DB) OutboxPendingVia(ctx context.Context, via string) (int, error) {
	v, err := viaOrDirect(via)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE via = ? AND state = 'pending'`, v).Scan(&n)
	return n, classify2(err, "store.OutboxPendingVia")
}

// RequestVia says which road through SMEV a request took: ViaDirect,
// ViaAdapter, or "" when it never went through SMEV.
func (s *DB) RequestVia(ctx context.Context, id int64) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT via FROM requests WHERE id = ?`, id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", domain.Errorf(domain.ENOTFOUND, "Запрос №%d не найден в журнале.", id)
	}
	return v, classify2(err, "store.RequestVia")
}

// ListOutbox returns the outbox rows in the given states (all when none),
// newest first, at most limit.
func (s *DB) ListOutbox(ctx context.Context, limit int, states ...string) ([]*OutboxItem, error) {
	if limit < 1 || limit > 10000 {
		return nil, domain.Errorf(domain.EINVALID, "Неверный размер страницы.")
	}
	if len(states) == 0 {
		return s.outboxList(ctx, `ORDER BY id DESC LIMIT ?`, limit)
	}
	q, args := `WHERE state IN (`, []any{}
	for i, st := range states {
		if i > 0 {
			q += ", "
		}
		q += "?"
		args = append(args, st)
	}
	return s.outboxList(ctx, q+`) ORDER BY id DESC LIMIT ?`, append(args, limit)...)
}

// OutboxByMessageID returns the outbox row of a MessageID.
func (s *DB) OutboxByMessageID(ctx context.Context, messageID string) (*OutboxItem, error) {
	it, err := scanOutbox(s.db.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE message_id = ?`, messageID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Сообщение %s не найдено в очереди.", messageID)
	} else if err != nil {
		return nil, classify(err, "store.OutboxByMessageID")
	}
	return it, nil
}

func (s *DB) outboxList(ctx context.Context, tail string, args ...any) ([]*OutboxItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox `+tail, args...)
	if err != nil {
		return nil, classify(err, "store.Outbox")
	}
	defer rows.Close()
	out := []*OutboxItem{}
	for rows.Next() {
		it, err := scanOutbox(rows)
		if err != nil {
			return nil, classify(err, "store.Outbox")
		}
		out = append(out, it)
	}
	return out, classify2(rows.Err(), "store.Outbox")
}

// OutboxSent records that SMEV has the message: the row becomes sent, the
// request sent (an outgoing request, with its answer deadline dueOn when
// known) or answered (our answer to an incoming one), with an event, in one
// transaction. Recording it twice changes nothing.
func (s *DB) OutboxSent(ctx context.Context, id int64, at time.Time, dueOn, note string) error {
	return s.OutboxSentMany(ctx, []SentRecord{{ID: id, At: at, DueOn: dueOn, Note: note}})
}

// SentRecord is one message SMEV has, for OutboxSentMany.
type SentRecord struct {
	ID    int64
	At    time.Time
	DueOn string
	Note  string
	// Pending is the answer deadline the calendar could not give yet (DueOn
	// empty): its From, Days and MissingYear; RequestID and Kind are filled here.
	Pending *PendingDeadline
}

// OutboxSentMany is OutboxSent for several messages in one transaction
// (group commit: each change still comes with its event).
func (s *DB) OutboxSentMany(ctx context.Context, recs []SentRecord) error {
	if len(recs) == 0 {
		return nil
	}
	now := s.now().UTC()
	return s.tx(ctx, "store.OutboxSent", func(tx *sql.Tx) error {
		for _, r := range recs {
			if err := outboxSentTx(ctx, tx, r, now); err != nil {
				return err
			}
		}
		return nil
	})
}

func outboxSentTx(ctx context.Context, tx *sql.Tx, r SentRecord, now time.Time) error {
	var requestID int64
	var kind, state, messageID string
	err := tx.QueryRowContext(ctx, `SELECT request_id, kind, state, message_id FROM outbox WHERE id = ?`, r.ID).Scan(&requestID, &kind, &state, &messageID)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.ENOTFOUND, "Сообщение №%d не найдено в очереди.", r.ID)
	} else if err != nil {
		return err
	}
	if state == OutboxSent {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'sent', sent_at = ?, last_error = '' WHERE id = ?`, fmtTime(r.At), r.ID); err != nil {
		return err
	}
	from, err := requestStatus(ctx, tx, requestID)
	if err != nil {
		return err
	}
	// The confirmation moves a request whose message waits in the outbox:
	// queued, or error (a refused attempt or status, yet it got through).
	// An answer or a status may already have moved it on (a reply can come
	// before we learn that the send got through): a late confirmation
	// changes nothing and is not an error. (The table lets answered follow
	// sent, accepted and unverified too, for answers to our requests; our
	// answer to an incoming request is never in those.)
	if from != domain.StatusQueued && from != domain.StatusError {
		if kind == OutboxRequest {
			// SMEV's status came first: the request was sent all the same,
			// and its answer term runs from the sending.
			return lateSent(ctx, tx, requestID, r)
		}
		return nil
	}
	m := move{id: requestID, from: from, actor: "outbox", note: r.Note, at: now}
	if kind == OutboxResponse {
		// Our refusal ends the request as a refusal («Отказ отправлен»).
		m.to, m.sets, m.args = domain.StatusAnswered, `, last_error = '', answered_at = coalesce(answered_at, ?)`, []any{fmtTime(r.At)}
		if refused, err := ourRefusal(ctx, tx, messageID); err != nil {
			return err
		} else if refused {
			m.to = domain.StatusRejected
		}
		return moveTx(ctx, tx, m)
	}
	m.to, m.sets, m.args = domain.StatusSent, `, last_error = '', sent_at = coalesce(sent_at, ?)`, []any{fmtTime(r.At)}
	if r.DueOn != "" {
		m.sets += `, due_on = ?`
		m.args = append(m.args, r.DueOn)
	}
	if err := moveTx(ctx, tx, m); err != nil {
		return err
	}
	return sentDeadline(ctx, tx, requestID, r)
}

// lateSent records the sending of a request whose status moved on before
// the confirmation was recorded (SMEV's "accepted" came first): its sending
// time and its answer deadline, where they are not set yet. The status
// stays as it is.
func lateSent(ctx context.Context, tx *sql.Tx, requestID int64, r SentRecord) error {
	var due sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT due_on FROM requests WHERE id = ?`, requestID).Scan(&due); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE requests SET sent_at = coalesce(sent_at, ?), due_on = coalesce(due_on, ?) WHERE id = ?`,
		fmtTime(r.At), nullString(r.DueOn), requestID); err != nil {
		return err
	}
	if due.Valid && due.String != "" {
		return nil
	}
	return sentDeadline(ctx, tx, requestID, r)
}

// sentDeadline records the answer deadline of a request SMEV has just
// taken: computed (DueOn, with the term of its outbox row) or waiting for
// its calendar year (Pending).
func sentDeadline(ctx context.Context, tx *sql.Tx, requestID int64, r SentRecord) error {
	switch {
	case r.DueOn != "":
		var days int
		if err := tx.QueryRowContext(ctx, `SELECT term_days FROM outbox WHERE id = ?`, r.ID).Scan(&days); err != nil {
			return err
		}
		return upsertDeadline(ctx, tx, requestID, DeadlineAnswer, r.At.Format(time.DateOnly), days, r.DueOn)
	case r.Pending != nil:
		p := *r.Pending
		p.RequestID, p.Kind = requestID, DeadlineAnswer
		return insertPending(ctx, tx, p)
	}
	return nil
}

// OutboxRetry counts a failed attempt and sets the next one.
func (s *DB) OutboxRetry(ctx context.Context, id int64, next time.Time, lastError string) error {
	return s.tx(ctx, "store.OutboxRetry", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
			WHERE id = ? AND state = 'pending'`, fmtTime(next.UTC()), lastError, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ECONFLICT, "Сообщение №%d уже не ждёт отправки.", id)
		}
		return nil
	})
}

// OutboxFail stops a message after a final fault: the row becomes failed
// and the request moves to error with the clerk's message, one transaction.
// A request that has gone further (an answer came meanwhile) keeps its
// status: late news, not an error (see moveOnNews).
func (s *DB) OutboxFail(ctx context.Context, id int64, message string) error {
	now := s.now().UTC()
	return s.tx(ctx, "store.OutboxFail", func(tx *sql.Tx) error {
		var requestID int64
		err := tx.QueryRowContext(ctx, `SELECT request_id FROM outbox WHERE id = ? AND state = 'pending'`, id).Scan(&requestID)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ECONFLICT, "Сообщение №%d уже не ждёт отправки.", id)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?`, message, id); err != nil {
			return err
		}
		from, err := requestStatus(ctx, tx, requestID)
		if err != nil {
			return err
		}
		// A request an answer already closed (the message got through after
		// all) keeps its answer: the row is failed, the request unchanged.
		_, err = moveOnNews(ctx, tx, move{id: requestID, from: from, to: domain.StatusError, actor: "outbox", note: message, at: now})
		return err
	})
}

// OutboxRenew gives a pending message a new MessageID and envelope (after
// StaleMessageId): the outbox row and the request change together, with an
// event.
func (s *DB) OutboxRenew(ctx context.Context, id int64, messageID string, envelope []byte, note string) error {
	now := s.now().UTC()
	return s.tx(ctx, "store.OutboxRenew", func(tx *sql.Tx) error {
		var requestID int64
		var kind, old string
		err := tx.QueryRowContext(ctx, `SELECT request_id, kind, message_id FROM outbox WHERE id = ? AND state = 'pending'`, id).Scan(&requestID, &kind, &old)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ECONFLICT, "Сообщение №%d уже не ждёт отправки.", id)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET message_id = ?, envelope = ?, next_attempt_at = ? WHERE id = ?`,
			messageID, packedValue(envelope), fmtTime(now), id); err != nil {
			return err
		}
		if kind == OutboxRequest {
			if _, err := tx.ExecContext(ctx, `UPDATE requests SET message_id = ?, envelope = NULL, updated_at = ? WHERE id = ?`,
				messageID, fmtTime(now), requestID); err != nil {
				return err
			}
		}
		var st domain.Status
		if err := tx.QueryRowContext(ctx, `SELECT status FROM requests WHERE id = ?`, requestID).Scan(&st); err != nil {
			return err
		}
		return insertEvent(ctx, tx, requestID, now, "outbox", st, st, fmt.Sprintf("%s: новый идентификатор сообщения %s вместо %s", note, messageID, old))
	})
}
