package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// NewIncoming is a request another authority sent us, as GetRequest gave it.
type NewIncoming struct {
	Request       NewRequest // Direction, Status, Channel are set by SaveIncoming
	ReplyTo       string     // copied into SenderProvidedResponseData/To when answering
	SMEVMessageID string     // MessageMetadata/MessageId: what Ack names
	Sender        string     // the sender's mnemonic or name
	ReceivedAt    time.Time
	Via           string // ViaDirect (default) or ViaAdapter: the answer goes back the same way
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
	via, err := viaOrDirect(in.Via)
	if err != nil {
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
		if _, err = tx.ExecContext(ctx, `UPDATE requests SET via = ? WHERE id = ?`, via, id); err != nil {
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
