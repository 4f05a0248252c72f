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
	return nil
}

func insertOutbox(ctx context.Context, tx *sql.Tx, requestID int64, m *OutboxMessage, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox
		(request_id, kind, message_id, envelope, content_type, state, next_attempt_at, term_days, created_at)
		VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
		requestID, m.Kind, m.MessageID, m.Envelope, m.ContentType, fmtTime(now), m.TermDays, fmtTime(now))
	if isUnique(err) {
		return domain.Wrap(err, domain.ECONFLICT, "store.outbox", fmt.Sprintf("Сообщение %s уже стоит в очереди.", m.MessageID))
	}
	return err
}

// EnqueueOutgoing writes a new outgoing request (status queued, its
// MessageID and envelope) and its outbox row in one transaction: the
// signed request is durable before the first send.
func (s *DB) EnqueueOutgoing(ctx context.Context, n NewRequest, m OutboxMessage) (int64, error) {
	n.Direction, n.Channel, n.Status, n.MessageID = domain.Outgoing, domain.ChannelSMEV, domain.StatusQueued, m.MessageID
	if n.Note == "" {
		n.Note = "подписан и поставлен в очередь отправки"
	}
	if err := n.validate(); err != nil {
		return 0, err
	}
	m.Kind = OutboxRequest
	if err := m.validate(); err != nil {
		return 0, err
	}
	now := s.now().UTC()
	var id int64
	err := s.tx(ctx, "store.EnqueueOutgoing", func(tx *sql.Tx) (err error) {
		if id, err = insertRequest(ctx, tx, &n, now, m.Envelope); err != nil {
			return err
		}
		return insertOutbox(ctx, tx, id, &m, now)
	})
	return id, err
}

// QueueRequest puts an existing outgoing request (a draft or a signed one)
// into the outbox with its MessageID and signed envelope, moving it to
// queued with an event, in one transaction.
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
		if dir != domain.Outgoing || (from != domain.StatusDraft && from != domain.StatusSigned && from != domain.StatusError) {
			return domain.Errorf(domain.ECONFLICT, "Запрос №%d нельзя поставить в очередь: его статус «%s».", requestID, from.Title())
		}
		_, err = tx.ExecContext(ctx, `UPDATE requests SET message_id = ?, envelope = ?, channel = 'smev', status = 'queued',
			is_open = 1, updated_at = ?, last_error = '' WHERE id = ?`, m.MessageID, m.Envelope, fmtTime(now), requestID)
		if isUnique(err) {
			return domain.Wrap(err, domain.ECONFLICT, "store.QueueRequest", fmt.Sprintf("Сообщение %s уже есть в журнале.", m.MessageID))
		} else if err != nil {
			return err
		}
		// Signing and queuing are one commit; the history shows both steps.
		if from != domain.StatusSigned {
			if err := insertEvent(ctx, tx, requestID, now, actor, from, domain.StatusSigned, "подписан электронной подписью"); err != nil {
				return err
			}
			from = domain.StatusSigned
		}
		if err := insertEvent(ctx, tx, requestID, now, actor, from, domain.StatusQueued, "поставлен в очередь отправки"); err != nil {
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
		if dir != domain.Incoming || (from != domain.StatusReceived && from != domain.StatusError) {
			return domain.Errorf(domain.ECONFLICT, "На запрос №%d нельзя отправить ответ: его статус «%s».", requestID, from.Title())
		}
		if _, err := tx.ExecContext(ctx, `UPDATE requests SET status = 'queued', updated_at = ?, last_error = '' WHERE id = ?`,
			fmtTime(now), requestID); err != nil {
			return err
		}
		if err := insertEvent(ctx, tx, requestID, now, actor, from, domain.StatusQueued, "ответ подписан и поставлен в очередь отправки"); err != nil {
			return err
		}
		return insertOutbox(ctx, tx, requestID, &m, now)
	})
}

const outboxColumns = `id, request_id, kind, message_id, envelope, content_type, state, attempts,
	next_attempt_at, last_error, term_days, created_at, sent_at`

func scanOutbox(row interface{ Scan(...any) error }) (*OutboxItem, error) {
	var it OutboxItem
	var next, created, sent sql.NullString
	err := row.Scan(&it.ID, &it.RequestID, &it.Kind, &it.MessageID, &it.Envelope, &it.ContentType, &it.State,
		&it.Attempts, &next, &it.LastError, &it.TermDays, &created, &sent)
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
	id, at, dueOn, note := r.ID, r.At, r.DueOn, r.Note
	var requestID int64
	var kind, state string
	err := tx.QueryRowContext(ctx, `SELECT request_id, kind, state FROM outbox WHERE id = ?`, id).Scan(&requestID, &kind, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.ENOTFOUND, "Сообщение №%d не найдено в очереди.", id)
	} else if err != nil {
		return err
	}
	if state == OutboxSent {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'sent', sent_at = ?, last_error = '' WHERE id = ?`, fmtTime(at), id); err != nil {
		return err
	}
	to := domain.StatusSent
	if kind == OutboxResponse {
		to = domain.StatusAnswered
	}
	var from domain.Status
	if err := tx.QueryRowContext(ctx, `SELECT status FROM requests WHERE id = ?`, requestID).Scan(&from); err != nil {
		return err
	}
	if from != domain.StatusQueued && from != domain.StatusError {
		// An answer or a status already moved it on (a reply can come
		// before we learn that the send got through).
		return nil
	}
	sets, args := `status = ?, is_open = ?, updated_at = ?, last_error = ''`, []any{to, boolInt(to.Open()), fmtTime(now)}
	if to == domain.StatusSent {
		sets += `, sent_at = coalesce(sent_at, ?)`
		args = append(args, fmtTime(at))
		if dueOn != "" {
			sets += `, due_on = ?`
			args = append(args, dueOn)
		}
	} else {
		sets += `, answered_at = coalesce(answered_at, ?)`
		args = append(args, fmtTime(at))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE requests SET `+sets+` WHERE id = ?`, append(args, requestID)...); err != nil {
		return err
	}
	if to == domain.StatusSent && dueOn != "" {
		var days int
		if err := tx.QueryRowContext(ctx, `SELECT term_days FROM outbox WHERE id = ?`, id).Scan(&days); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO deadlines (request_id, kind, from_on, days, due_on) VALUES (?, 'answer', ?, ?, ?)
			ON CONFLICT (request_id, kind) DO UPDATE SET from_on = excluded.from_on, days = excluded.days, due_on = excluded.due_on`,
			requestID, at.Format(time.DateOnly), days, dueOn); err != nil {
			return err
		}
	} else if to == domain.StatusSent && r.Pending != nil {
		p := *r.Pending
		p.RequestID, p.Kind = requestID, DeadlineAnswer
		if err := insertPending(ctx, tx, p); err != nil {
			return err
		}
	}
	return insertEvent(ctx, tx, requestID, now, "outbox", from, to, note)
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
		return setStatusTx(ctx, tx, requestID, domain.StatusError, "outbox", message, now)
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
			messageID, envelope, fmtTime(now), id); err != nil {
			return err
		}
		if kind == OutboxRequest {
			if _, err := tx.ExecContext(ctx, `UPDATE requests SET message_id = ?, envelope = ?, updated_at = ? WHERE id = ?`,
				messageID, envelope, fmtTime(now), requestID); err != nil {
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

// setStatusTx is SetStatus inside a transaction; the same status is a no-op.
func setStatusTx(ctx context.Context, tx *sql.Tx, id int64, to domain.Status, actor, note string, now time.Time) error {
	var from domain.Status
	if err := tx.QueryRowContext(ctx, `SELECT status FROM requests WHERE id = ?`, id).Scan(&from); err != nil {
		return err
	}
	if from == to {
		return nil
	}
	sets, args := `status = ?, is_open = ?, updated_at = ?`, []any{to, boolInt(to.Open()), fmtTime(now)}
	switch to {
	case domain.StatusAnswered, domain.StatusRejected:
		sets += `, answered_at = coalesce(answered_at, ?)`
		args = append(args, fmtTime(now))
	case domain.StatusError, domain.StatusUnverified:
		sets += `, last_error = ?`
		args = append(args, note)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE requests SET `+sets+` WHERE id = ?`, append(args, id)...); err != nil {
		return err
	}
	return insertEvent(ctx, tx, id, now, actor, from, to, note)
}

// Reply kinds (replies.kind).
const (
	ReplyResponse = "response" // MessagePrimaryContent: the data asked for
	ReplyReject   = "reject"   // RequestRejected with its code
	ReplyStatus   = "status"   // a business status (RequestStatus)
	ReplyFault    = "fault"    // an answer we could not accept (a bad signature)
)

// NewReply is an answer to our request, verified, to be committed before
// it is acknowledged.
type NewReply struct {
	OriginalMessageID string // our request's MessageID
	MessageID         string // SMEV's MessageMetadata/MessageId of the answer (what Ack names)
	Kind              string // Reply*
	RejectCode        string // NO_DATA, ACCESS_DENIED… for ReplyReject
	Body              []byte // the business content
	Envelope          []byte // the envelope as received
	SignatureJSON     string // the verification results
	Attachments       []NewAttachment
	Status            domain.Status // where the request goes: answered, rejected, error
	Note              string
	ReceivedAt        time.Time
}

// NewAttachment is a file received with a reply.
type NewAttachment struct {
	Name      string
	MimeType  string
	SHA256    string // hex, computed by the caller over Content
	Content   []byte
	Signature []byte // detached PKCS#7, when given
}

// Reply is a stored answer.
type Reply struct {
	ID         int64                `json:"id"`
	RequestID  int64                `json:"requestId"`
	MessageID  string               `json:"messageId"`
	Kind       string               `json:"kind"`
	RejectCode string               `json:"rejectCode,omitempty"`
	ReceivedAt time.Time            `json:"receivedAt"`
	AckedAt    time.Time            `json:"ackedAt,omitzero"`
	Body       []byte               `json:"-"`
	Signatures string               `json:"signatures,omitempty"`
	Files      []*domain.Attachment `json:"attachments"`
}

// SaveReply commits a reply, its attachments and the request's new status
// with its event in one transaction. A reply already in the journal (the
// same MessageID delivered again because its Ack was lost) is not written
// twice: dup is true and the stored reply's id is returned.
func (s *DB) SaveReply(ctx context.Context, r NewReply) (replyID int64, dup bool, err error) {
	res, err := s.SaveReplies(ctx, []NewReply{r})
	if err != nil {
		return 0, false, err
	}
	return res[0].ID, res[0].Dup, res[0].Err
}

// SavedReply is what SaveReplies did with one reply.
type SavedReply struct {
	ID  int64
	Dup bool  // already in the journal
	Err error // a refusal of this reply alone (ENOTFOUND: no such request, EINVALID)
}

// SaveReplies commits several replies in one transaction (group commit;
// each with its status change and event). A reply refused on its own
// (unknown request, invalid) is reported in its result and the others are
// kept; any other error rolls everything back.
func (s *DB) SaveReplies(ctx context.Context, rs []NewReply) ([]SavedReply, error) {
	out := make([]SavedReply, len(rs))
	now := s.now().UTC()
	err := s.tx(ctx, "store.SaveReply", func(tx *sql.Tx) error {
		for i := range rs {
			if err := rs[i].validate(); err != nil {
				out[i] = SavedReply{Err: err}
				continue
			}
			id, dup, err := saveReplyTx(ctx, tx, &rs[i], now)
			var de *domain.Error
			if errors.As(err, &de) && (de.Code == domain.ENOTFOUND || de.Code == domain.EINVALID) {
				out[i] = SavedReply{Err: err}
				continue
			} else if err != nil {
				return err
			}
			out[i] = SavedReply{ID: id, Dup: dup}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (r *NewReply) validate() error {
	switch r.Kind {
	case ReplyResponse, ReplyReject, ReplyStatus, ReplyFault:
	default:
		return domain.Errorf(domain.EINVALID, "Неизвестный вид ответа: %q.", r.Kind)
	}
	if r.MessageID == "" || r.OriginalMessageID == "" {
		return domain.Errorf(domain.EINVALID, "Ответ без идентификатора сообщения.")
	}
	if r.Status != "" && !r.Status.Valid() {
		return domain.Errorf(domain.EINVALID, "Неизвестный статус запроса: %q.", r.Status)
	}
	for _, a := range r.Attachments {
		if len(a.SHA256) != 64 {
			return domain.Errorf(domain.EINVALID, "Вложение %q без контрольной суммы SHA-256.", a.Name)
		}
	}
	return nil
}

func saveReplyTx(ctx context.Context, tx *sql.Tx, r *NewReply, now time.Time) (replyID int64, dup bool, err error) {
	if r.ReceivedAt.IsZero() {
		r.ReceivedAt = now
	}
	err = tx.QueryRowContext(ctx, `SELECT id FROM replies WHERE message_id = ?`, r.MessageID).Scan(&replyID)
	if err == nil {
		return replyID, true, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return 0, false, err
	}
	var requestID int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM requests WHERE message_id = ?`, r.OriginalMessageID).Scan(&requestID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, domain.Errorf(domain.ENOTFOUND, "Пришёл ответ на сообщение %s, которого нет в журнале.", r.OriginalMessageID)
	} else if err != nil {
		return 0, false, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO replies (request_id, message_id, kind, reject_code, received_at, body, envelope, signature_json)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, requestID, r.MessageID, r.Kind, r.RejectCode, fmtTime(r.ReceivedAt), r.Body, r.Envelope, r.SignatureJSON)
	if err != nil {
		return 0, false, err
	}
	if replyID, err = res.LastInsertId(); err != nil {
		return 0, false, err
	}
	for _, a := range r.Attachments {
		mt := a.MimeType
		if mt == "" {
			mt = "application/octet-stream"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO attachments (reply_id, name, mime_type, size, sha256, content, signature)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, replyID, a.Name, mt, len(a.Content), a.SHA256, a.Content, a.Signature); err != nil {
			return 0, false, err
		}
	}
	if r.Status != "" {
		if err := setStatusTx(ctx, tx, requestID, r.Status, "smev", r.Note, now); err != nil {
			return 0, false, err
		}
	}
	return replyID, false, nil
}

// ReplyAcked records that SMEV was told these replies arrived (one
// transaction for a batch).
func (s *DB) ReplyAcked(ctx context.Context, at time.Time, messageIDs ...string) error {
	if len(messageIDs) == 0 {
		return nil
	}
	return s.tx(ctx, "store.ReplyAcked", func(tx *sql.Tx) error {
		for _, id := range messageIDs {
			if _, err := tx.ExecContext(ctx, `UPDATE replies SET acked_at = coalesce(acked_at, ?) WHERE message_id = ?`, fmtTime(at), id); err != nil {
				return err
			}
		}
		return nil
	})
}

// Replies returns the replies of a request with their attachments (without
// the bytes), oldest first.
func (s *DB) Replies(ctx context.Context, requestID int64) ([]*Reply, error) {
	const op = "store.Replies"
	rows, err := s.db.QueryContext(ctx, `SELECT id, request_id, message_id, kind, reject_code, received_at, acked_at, body, signature_json
		FROM replies WHERE request_id = ? ORDER BY id`, requestID)
	if err != nil {
		return nil, classify(err, op)
	}
	out := []*Reply{}
	for rows.Next() {
		var r Reply
		var rec, ack sql.NullString
		if err := rows.Scan(&r.ID, &r.RequestID, &r.MessageID, &r.Kind, &r.RejectCode, &rec, &ack, &r.Body, &r.Signatures); err != nil {
			rows.Close()
			return nil, classify(err, op)
		}
		r.ReceivedAt, r.AckedAt = parseTime(rec), parseTime(ack)
		r.Files = []*domain.Attachment{}
		out = append(out, &r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, classify(err, op)
	}
	for _, r := range out {
		arows, err := s.db.QueryContext(ctx, `SELECT id, name, mime_type, size, sha256 FROM attachments WHERE reply_id = ? ORDER BY id`, r.ID)
		if err != nil {
			return nil, classify(err, op)
		}
		for arows.Next() {
			var a domain.Attachment
			if err := arows.Scan(&a.ID, &a.Name, &a.MimeType, &a.Size, &a.SHA256); err != nil {
				arows.Close()
				return nil, classify(err, op)
			}
			r.Files = append(r.Files, &a)
		}
		arows.Close()
	}
	return out, nil
}

// AttachmentContent returns the bytes of a stored attachment.
func (s *DB) AttachmentContent(ctx context.Context, id int64) ([]byte, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT content FROM attachments WHERE id = ?`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Вложение №%d не найдено.", id)
	} else if err != nil {
		return nil, classify(err, "store.AttachmentContent")
	}
	return b, nil
}

// RecordSMEVStatus ties an asynchronous status from GetStatus to the
// request with that MessageID: to (when not "") becomes its status, and an
// event with the note is written even when the status stays the same.
func (s *DB) RecordSMEVStatus(ctx context.Context, originalMessageID string, to domain.Status, note string) error {
	if to != "" && !to.Valid() {
		return domain.Errorf(domain.EINVALID, "Неизвестный статус запроса: %q.", to)
	}
	now := s.now().UTC()
	return s.tx(ctx, "store.RecordSMEVStatus", func(tx *sql.Tx) error {
		var id int64
		var from domain.Status
		err := tx.QueryRowContext(ctx, `SELECT id, status FROM requests WHERE message_id = ?`, originalMessageID).Scan(&id, &from)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "Статус пришёл для сообщения %s, которого нет в журнале.", originalMessageID)
		} else if err != nil {
			return err
		}
		// "Accepted by SMEV" only moves a request that has not gone further.
		if to == domain.StatusAccepted && from != domain.StatusQueued && from != domain.StatusSent {
			to = ""
		}
		if to == "" || to == from {
			return insertEvent(ctx, tx, id, now, "smev", from, from, note)
		}
		return setStatusTx(ctx, tx, id, to, "smev", note, now)
	})
}

// NewIncoming is a request another authority sent us, as GetRequest gave it.
type NewIncoming struct {
	Request       NewRequest // Direction, Status, Channel are set by SaveIncoming
	ReplyTo       string     // copied into SenderProvidedResponseData/To when answering
	SMEVMessageID string     // MessageMetadata/MessageId: what Ack names
	Sender        string     // the sender's mnemonic or name
	ReceivedAt    time.Time
}

// SaveIncoming commits an incoming request (status received) with where its
// answer goes. The same SMEV message delivered again is not written twice.
func (s *DB) SaveIncoming(ctx context.Context, in NewIncoming) (id int64, dup bool, err error) {
	n := in.Request
	n.Direction, n.Channel, n.Status = domain.Incoming, domain.ChannelSMEV, domain.StatusReceived
	if n.Actor == "" {
		n.Actor = "smev"
	}
	if err := n.validate(); err != nil {
		return 0, false, err
	}
	if in.ReplyTo == "" || in.SMEVMessageID == "" {
		return 0, false, domain.Errorf(domain.EINVALID, "Входящий запрос без обратного адреса или идентификатора.")
	}
	now := s.now().UTC()
	if in.ReceivedAt.IsZero() {
		in.ReceivedAt = now
	}
	err = s.tx(ctx, "store.SaveIncoming", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT request_id FROM smev_incoming WHERE smev_message_id = ?`, in.SMEVMessageID).Scan(&id)
		if err == nil {
			dup = true
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if id, err = insertRequest(ctx, tx, &n, now, nil); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO smev_incoming (request_id, reply_to, smev_message_id, sender, received_at)
			VALUES (?, ?, ?, ?, ?)`, id, in.ReplyTo, in.SMEVMessageID, in.Sender, fmtTime(in.ReceivedAt))
		return err
	})
	return id, dup, err
}

// IncomingReplyTo returns where the answer to an incoming request goes and
// the request's own MessageID.
func (s *DB) IncomingReplyTo(ctx context.Context, requestID int64) (replyTo string, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT reply_to FROM smev_incoming WHERE request_id = ?`, requestID).Scan(&replyTo)
	if errors.Is(err, sql.ErrNoRows) {
		return "", domain.Errorf(domain.ENOTFOUND, "Запрос №%d не пришёл через СМЭВ: ответить через СМЭВ нельзя.", requestID)
	} else if err != nil {
		return "", classify(err, "store.IncomingReplyTo")
	}
	return replyTo, nil
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

// UnackedReply is a committed reply whose Ack was not recorded.
type UnackedReply struct {
	MessageID string
	Accepted  bool // false for a reply kept as a fault (its signature failed)
}

// UnackedReplies lists up to limit committed replies without acked_at: the
// process stopped between the commit and recording the Ack.
func (s *DB) UnackedReplies(ctx context.Context, limit int) ([]UnackedReply, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT message_id, kind FROM replies WHERE acked_at IS NULL ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, classify(err, "store.UnackedReplies")
	}
	defer rows.Close()
	var out []UnackedReply
	for rows.Next() {
		var u UnackedReply
		var kind string
		if err := rows.Scan(&u.MessageID, &kind); err != nil {
			return nil, classify(err, "store.UnackedReplies")
		}
		u.Accepted = kind != ReplyFault
		out = append(out, u)
	}
	return out, classify2(rows.Err(), "store.UnackedReplies")
}
