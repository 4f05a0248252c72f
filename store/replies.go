package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/mezhved/mezhved/domain"
)

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
	// AckedAt, when set, records the reply as needing no acknowledgement:
	// the adapter channel has no Ack (what is committed is taken).
	AckedAt time.Time
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
	// Channel is how it came or went: smev, or on paper (post, fax) with
	// the letter's Number and Dated (YYYY-MM-DD); Ours marks the
	// settlement's own answer to an incoming request; Text is a refusal's
	// explanation or a note.
	Channel domain.Channel `json:"channel"`
	Ours    bool           `json:"ours"`
	Number  string         `json:"number,omitempty"`
	Dated   string         `json:"dated,omitempty"`
	Text    string         `json:"text,omitempty"`
}

// SaveReply commits a reply, its attachments and the request's new status
// with its event in one transaction. A reply already in the journal (the
// same MessageID delivered again because its Ack was lost) is not written
// twice: dup is true and the stored reply's id is returned. A reply that
// comes after the request has gone further (domain.CanMove forbids the
// move, e.g. an unverified answer after the answer) is kept, and the
// request keeps its status.
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
	var from domain.Status
	err = tx.QueryRowContext(ctx, `SELECT id, status FROM requests WHERE message_id = ?`, r.OriginalMessageID).Scan(&requestID, &from)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, domain.Errorf(domain.ENOTFOUND, "Пришёл ответ на сообщение %s, которого нет в журнале.", r.OriginalMessageID)
	} else if err != nil {
		return 0, false, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO replies (request_id, message_id, kind, reject_code, received_at, body, envelope, signature_json, acked_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, requestID, r.MessageID, r.Kind, r.RejectCode, fmtTime(r.ReceivedAt), packedValue(r.Body), packedValue(r.Envelope), r.SignatureJSON,
		fmtTime(r.AckedAt))
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
		// An answer that comes after the request has gone further (after
		// the answer, a refusal or a cancellation) is kept as a reply, but
		// the request keeps its status: late news, not an error (see
		// moveOnNews).
		if _, err := moveOnNews(ctx, tx, move{id: requestID, from: from, to: r.Status, actor: "smev", note: r.Note, at: now}); err != nil {
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
	rows, err := s.db.QueryContext(ctx, `SELECT id, request_id, message_id, kind, reject_code, received_at, acked_at, body, signature_json,
		channel, ours, number, dated, text
		FROM replies WHERE request_id = ? AND message_id NOT LIKE 'intent:%' ORDER BY id`, requestID)
	if err != nil {
		return nil, classify(err, op)
	}
	out := []*Reply{}
	for rows.Next() {
		var r Reply
		var rec, ack sql.NullString
		if err := rows.Scan(&r.ID, &r.RequestID, &r.MessageID, &r.Kind, &r.RejectCode, &rec, &ack, packed{&r.Body}, &r.Signatures,
			&r.Channel, &r.Ours, &r.Number, &r.Dated, &r.Text); err != nil {
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

// ReplyForMessage finds the answer a printout is asked for by a MessageID:
// the answer's own MessageID, or the MessageID of our request (then its
// latest answer with data, else its latest answer of any kind). It returns
// the reply (with its attachments) and the signed envelope as received.
func (s *DB) ReplyForMessage(ctx context.Context, messageID string) (*Reply, []byte, error) {
	const op = "store.ReplyForMessage"
	var requestID, replyID int64
	err := s.db.QueryRowContext(ctx, `SELECT request_id, id FROM replies WHERE message_id = ?`, messageID).Scan(&requestID, &replyID)
	if errors.Is(err, sql.ErrNoRows) {
		err = s.db.QueryRowContext(ctx, `SELECT r.request_id, r.id FROM replies r JOIN requests q ON q.id = r.request_id
			WHERE q.message_id = ? AND r.message_id NOT LIKE 'intent:%' ORDER BY r.kind = 'response' DESC, r.id DESC LIMIT 1`, messageID).Scan(&requestID, &replyID)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, domain.Errorf(domain.ENOTFOUND, "В журнале нет ответа на сообщение %s.", messageID)
	} else if err != nil {
		return nil, nil, classify(err, op)
	}
	reps, err := s.Replies(ctx, requestID)
	if err != nil {
		return nil, nil, err
	}
	var envelope []byte
	if err := s.db.QueryRowContext(ctx, `SELECT envelope FROM replies WHERE id = ?`, replyID).Scan(packed{&envelope}); err != nil {
		return nil, nil, classify(err, op)
	}
	for _, r := range reps {
		if r.ID == replyID {
			return r, envelope, nil
		}
	}
	return nil, nil, domain.Errorf(domain.ENOTFOUND, "В журнале нет ответа на сообщение %s.", messageID)
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
