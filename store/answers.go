package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mezhved/mezhved/domain"
)

// Every request can reach its end through every channel: an answer that
// came on paper (post, fax) is recorded with its letter's number and date
// and its scan; the settlement answers or refuses an incoming request that
// did not come through SMEV on paper too; a request may be withdrawn; a
// draft that never left is deleted. Our answers through SMEV are recorded
// as ours (an intent bound to the outbox message when it is queued), so the
// page shows «Наш ответ» and an incoming request we refused ends as a
// refusal, not as an answer.

// PaperReply is an answer on paper: to our request (Ours false: it came by
// post or fax) or ours to an incoming request (Ours true: it went by post,
// fax or by hand).
type PaperReply struct {
	RequestID  int64
	Ours       bool
	Channel    domain.Channel // fax or post
	Kind       string         // ReplyResponse or ReplyReject
	RejectCode string         // for a refusal
	Number     string         // the letter's number
	Dated      string         // the letter's date, YYYY-MM-DD
	Text       string         // a refusal's explanation, or what the answer says
	At         time.Time      // when it was received (or sent): the answer's moment for the deadline
	Files      []NewAttachment
	Actor      string
}

// maxText bounds an explanation or a note.
const maxText = 4000

func (p *PaperReply) validate() error {
	var problems []string
	if p.Channel != domain.ChannelFax && p.Channel != domain.ChannelPost {
		problems = append(problems, "Укажите, как пришёл (ушёл) ответ: почтой или по факсу.")
	}
	if p.Kind != ReplyResponse && p.Kind != ReplyReject {
		problems = append(problems, "Укажите, ответ это или отказ.")
	}
	if p.Kind == ReplyReject && (domain.RejectTitle(p.RejectCode) == "" || strings.TrimSpace(p.Text) == "") {
		problems = append(problems, "Для отказа укажите причину и пояснение.")
	}
	if _, err := time.Parse(time.DateOnly, p.Dated); err != nil {
		problems = append(problems, "Укажите дату письма в виде ДД.ММ.ГГГГ.")
	}
	if utf8.RuneCountInString(p.Text) > maxText || utf8.RuneCountInString(p.Number) > 100 {
		problems = append(problems, "Слишком длинный номер или пояснение.")
	}
	if p.Actor == "" {
		problems = append(problems, "Не указано, кто записывает ответ.")
	}
	if len(problems) > 0 {
		return domain.Errorf(domain.EINVALID, "%s", strings.Join(problems, " "))
	}
	for _, f := range p.Files {
		if err := checkFile(f.Name, f.Content); err != nil {
			return err
		}
	}
	return nil
}

// checkFile is what every kept file must be.
func checkFile(name string, content []byte) error {
	switch {
	case strings.TrimSpace(name) == "" || utf8.RuneCountInString(name) > 200 || strings.ContainsAny(name, "/\\\x00"):
		return domain.Errorf(domain.EINVALID, "Неверное имя файла: %q.", name)
	case len(content) == 0:
		return domain.Errorf(domain.EINVALID, "Файл %s пустой.", name)
	case len(content) > MaxAttachment:
		return domain.Errorf(domain.EINVALID, "Файл %s больше %d МБ.", name, MaxAttachment>>20)
	}
	return nil
}

// SavePaperReply records an answer on paper with its files and moves the
// request to its end (answered, or rejected for a refusal) with an event,
// in one transaction. Our answer goes to an incoming request only, one to
// our request to an outgoing one; the move is checked against the table.
func (s *DB) SavePaperReply(ctx context.Context, p PaperReply) (replyID int64, err error) {
	p.Number, p.Text = strings.TrimSpace(p.Number), strings.TrimSpace(p.Text)
	if err := p.validate(); err != nil {
		return 0, err
	}
	now := s.now().UTC()
	if p.At.IsZero() {
		p.At = now
	}
	err = s.tx(ctx, "store.SavePaperReply", func(tx *sql.Tx) error {
		var from domain.Status
		var dir domain.Direction
		err := tx.QueryRowContext(ctx, `SELECT status, direction FROM requests WHERE id = ?`, p.RequestID).Scan(&from, &dir)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "Запрос №%d не найден в журнале.", p.RequestID)
		} else if err != nil {
			return err
		}
		if p.Ours != (dir == domain.Incoming) {
			return domain.Errorf(domain.EINVALID, "Ответ не подходит к запросу №%d: наш ответ записывают к входящему запросу, полученный — к исходящему.", p.RequestID)
		}
		to := domain.StatusAnswered
		if p.Kind == ReplyReject {
			to = domain.StatusRejected
		}
		if !domain.CanMove(from, to) {
			return domain.Errorf(domain.ECONFLICT, "К запросу №%d в статусе «%s» ответ уже не записать.", p.RequestID, domain.TitleFor(dir, from))
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO replies (request_id, message_id, kind, reject_code, received_at, acked_at,
			channel, ours, number, dated, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.RequestID, paperID(p.Channel), p.Kind, p.RejectCode, fmtTime(p.At), fmtTime(now), p.Channel, boolInt(p.Ours),
			p.Number, p.Dated, p.Text)
		if err != nil {
			return err
		}
		if replyID, err = res.LastInsertId(); err != nil {
			return err
		}
		for _, f := range p.Files {
			if err := insertReplyFile(ctx, tx, replyID, f); err != nil {
				return err
			}
		}
		return moveTx(ctx, tx, move{id: p.RequestID, from: from, to: to, actor: p.Actor, at: now,
			note: paperNote(p), sets: `, last_error = '', answered_at = coalesce(answered_at, ?)`, args: []any{fmtTime(p.At)}})
	})
	return replyID, err
}

func insertReplyFile(ctx context.Context, tx *sql.Tx, replyID int64, f NewAttachment) error {
	mt := f.MimeType
	if mt == "" {
		mt = "application/octet-stream"
	}
	sum := f.SHA256
	if sum == "" {
		h := sha256.Sum256(f.Content)
		sum = hex.EncodeToString(h[:])
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO attachments (reply_id, name, mime_type, size, sha256, content, signature)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, replyID, strings.TrimSpace(f.Name), mt, len(f.Content), sum, f.Content, f.Signature)
	return err
}

// paperNote is the event's note of a paper answer.
func paperNote(p PaperReply) string {
	how := map[domain.Channel]string{domain.ChannelPost: "почтой", domain.ChannelFax: "по факсу"}[p.Channel]
	what := "ответ получен " + how
	switch {
	case p.Ours && p.Kind == ReplyReject:
		what = "отказ отправлен " + how
	case p.Ours:
		what = "ответ отправлен " + how
	case p.Kind == ReplyReject:
		what = "отказ получен " + how
	}
	if p.Number != "" {
		what += ", письмо № " + p.Number
	}
	if t, err := time.Parse(time.DateOnly, p.Dated); err == nil {
		what += " от " + t.Format("02.01.2006")
	}
	if p.Kind == ReplyReject {
		what += ": " + domain.RejectTitle(p.RejectCode)
	}
	return what
}

// paperID is the unique name a paper answer has in place of a MessageID.
func paperID(ch domain.Channel) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand does not fail on supported systems
	return string(ch) + ":" + hex.EncodeToString(b)
}

// IsPaperID reports whether a reply's message id stands for a paper answer
// (or an intent not yet bound to a SMEV message): no SMEV message has it.
func IsPaperID(id string) bool {
	return strings.HasPrefix(id, "post:") || strings.HasPrefix(id, "fax:") || strings.HasPrefix(id, intentPrefix)
}

const intentPrefix = "intent:"

// OwnAnswer is our answer to an incoming request through SMEV, recorded
// before it is queued (RecordAnswerIntent): what it says, so the page shows
// it and a refusal ends as one.
type OwnAnswer struct {
	RequestID  int64
	Kind       string // ReplyResponse or ReplyReject
	RejectCode string
	Text       string
	Body       []byte // the answer's business content
}

// RecordAnswerIntent keeps what our answer to an incoming request says
// before the answer is signed and queued; EnqueueResponse binds it to the
// outbox message in its own transaction. An intent not bound (the answer
// was never queued) is replaced by the next one and shown nowhere.
func (s *DB) RecordAnswerIntent(ctx context.Context, a OwnAnswer) error {
	if a.Kind != ReplyResponse && a.Kind != ReplyReject {
		return domain.Errorf(domain.EINVALID, "Неизвестный вид ответа: %q.", a.Kind)
	}
	now := s.now().UTC()
	return s.tx(ctx, "store.RecordAnswerIntent", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM replies WHERE request_id = ? AND ours = 1 AND message_id LIKE 'intent:%'`, a.RequestID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO replies (request_id, message_id, kind, reject_code, received_at, acked_at, body, ours, text)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)`, a.RequestID, intentPrefix+paperID("smev"), a.Kind, a.RejectCode, fmtTime(now), fmtTime(now), a.Body, a.Text)
		if isForeignKey(err) {
			return domain.Errorf(domain.ENOTFOUND, "Запрос №%d не найден в журнале.", a.RequestID)
		}
		return err
	})
}

// bindIntent gives the latest intent of a request the MessageID of the
// answer just queued.
func bindIntent(ctx context.Context, tx *sql.Tx, requestID int64, messageID string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE replies SET message_id = ?, received_at = ? WHERE id = (SELECT max(id) FROM replies
		WHERE request_id = ? AND ours = 1 AND message_id LIKE 'intent:%')`, messageID, fmtTime(at), requestID)
	return err
}

// ourRefusal reports whether the answer sent as messageID is our refusal.
func ourRefusal(ctx context.Context, tx *sql.Tx, messageID string) (bool, error) {
	var kind string
	err := tx.QueryRowContext(ctx, `SELECT kind FROM replies WHERE message_id = ? AND ours = 1`, messageID).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return kind == ReplyReject, err
}

// DeleteDraft deletes a draft with its files and history: it never left
// the workstation. Anything else is kept (withdraw it instead).
func (s *DB) DeleteDraft(ctx context.Context, id int64) error {
	return s.tx(ctx, "store.DeleteDraft", func(tx *sql.Tx) error {
		st, err := requestStatus(ctx, tx, id)
		if err != nil {
			return err
		}
		if st != domain.StatusDraft {
			return domain.Errorf(domain.ECONFLICT, "Запрос №%d уже не черновик (%s): удалить его нельзя, его можно только отозвать.", id, st.Title())
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM requests WHERE id = ? AND status = 'draft'`, id)
		return err
	})
}

// Withdraw ends a request that will not be answered (or answered by us):
// it is cancelled with the reason in its event. A request whose message
// still waits in the outbox is taken out of it in the same transaction, so
// it is not sent. A draft is deleted instead (DeleteDraft); a request that
// is over stays as it is.
func (s *DB) Withdraw(ctx context.Context, id int64, actor, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return domain.Errorf(domain.EINVALID, "Укажите, почему запрос отозван.")
	}
	if utf8.RuneCountInString(reason) > maxText {
		return domain.Errorf(domain.EINVALID, "Слишком длинное пояснение.")
	}
	now := s.now().UTC()
	return s.tx(ctx, "store.Withdraw", func(tx *sql.Tx) error {
		from, err := requestStatus(ctx, tx, id)
		if err != nil {
			return err
		}
		if from == domain.StatusDraft {
			return domain.Errorf(domain.ECONFLICT, "Черновик не отзывают, а удаляют.")
		}
		if !from.Open() || !domain.CanMove(from, domain.StatusCancelled) {
			return domain.Errorf(domain.ECONFLICT, "Запрос №%d уже закрыт (%s): отзывать нечего.", id, from.Title())
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'failed', last_error = 'запрос отозван' WHERE request_id = ? AND state = 'pending'`, id); err != nil {
			return err
		}
		return moveTx(ctx, tx, move{id: id, from: from, to: domain.StatusCancelled, actor: actor, at: now, note: "запрос отозван: " + reason})
	})
}

// IncomingViaSMEV reports whether an incoming request came through SMEV
// (its answer can go back there); one registered by hand did not.
func (s *DB) IncomingViaSMEV(ctx context.Context, id int64) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM smev_incoming WHERE request_id = ?`, id).Scan(&n)
	if err != nil {
		return false, classify(err, "store.IncomingViaSMEV")
	}
	return n > 0, nil
}

// OutboxEnvelope returns the signed envelope of an outbox message by its
// MessageID and when it was committed (nil when there is none).
func (s *DB) OutboxEnvelope(ctx context.Context, messageID string) ([]byte, time.Time, error) {
	var env []byte
	var created sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT envelope, created_at FROM outbox WHERE message_id = ?`, messageID).Scan(packed{&env}, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, nil
	} else if err != nil {
		return nil, time.Time{}, classify(err, "store.OutboxEnvelope")
	}
	return env, parseTime(created), nil
}
