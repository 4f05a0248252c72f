package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/mezhved/mezhved/domain"
)

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
			WHERE q.message_id = ? ORDER BY r.kind = 'response' DESC, r.id DESC LIMIT 1`, messageID).Scan(&requestID, &replyID)
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
	if err := s.db.QueryRowContext(ctx, `SELECT envelope FROM replies WHERE id = ?`, replyID).Scan(&envelope); err != nil {
		return nil, nil, classify(err, op)
	}
	for _, r := range reps {
		if r.ID == replyID {
			return r, envelope, nil
		}
	}
	return nil, nil, domain.Errorf(domain.ENOTFOUND, "В журнале нет ответа на сообщение %s.", messageID)
}
