package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// move is one change of a request's status.
type move struct {
	id          int64
	from, to    domain.Status // from: as read in the same transaction
	actor, note string        // for the event
	at          time.Time     // updated_at and the event's time
	// sets and args are the further columns the path changes with the
	// status (", sent_at = coalesce(sent_at, ?)"…).
	sets string
	args []any
}

// moveTx is the one place where a request's status changes: it checks the
// move against domain.CanMove, updates the row (status, is_open,
// updated_at and the path's own columns) and writes the event, in the
// caller's transaction. A move the table forbids is refused with ECONFLICT
// before anything is written.
func moveTx(ctx context.Context, tx *sql.Tx, m move) error {
	if !domain.CanMove(m.from, m.to) {
		return refusedMove(m.id, m.from, m.to)
	}
	args := append([]any{m.to, boolInt(m.to.Open()), fmtTime(m.at)}, m.args...)
	if _, err := tx.ExecContext(ctx, `UPDATE requests SET status = ?, is_open = ?, updated_at = ?`+m.sets+` WHERE id = ?`,
		append(args, m.id)...); err != nil {
		return err
	}
	return insertEvent(ctx, tx, m.id, m.at, m.actor, m.from, m.to, m.note)
}

// refusedMove is the clerk's error for a move the table forbids.
func refusedMove(id int64, from, to domain.Status) error {
	return domain.Errorf(domain.ECONFLICT, "Запрос №%d нельзя перевести из статуса «%s» в статус «%s».", id, from.Title(), to.Title())
}

// statusColumns are the columns a move to a status changes with it when
// the path has nothing more particular to say: the day it went (sent), the
// day its answer came (answered, rejected), why it needs the clerk (error,
// unverified).
func statusColumns(to domain.Status, at time.Time, note string) (string, []any) {
	switch to {
	case domain.StatusSent:
		return `, sent_at = coalesce(sent_at, ?)`, []any{fmtTime(at)}
	case domain.StatusAnswered, domain.StatusRejected:
		return `, answered_at = coalesce(answered_at, ?)`, []any{fmtTime(at)}
	case domain.StatusError, domain.StatusUnverified:
		return `, last_error = ?`, []any{note}
	}
	return "", nil
}

// moveOnNews moves a request on news from SMEV or the outbox (an answer, a
// status, a final fault) with the usual columns, and reports whether it
// moved. News that cannot move it changes nothing and is not an error: the
// same status again (a repeated delivery), or a move the table forbids
// because the request has gone further (a status after the answer, an
// answer after a cancellation). SMEV's message is still taken and
// acknowledged; refusing it would make SMEV deliver it again and again.
func moveOnNews(ctx context.Context, tx *sql.Tx, m move) (moved bool, err error) {
	if m.from == m.to || !domain.CanMove(m.from, m.to) {
		return false, nil
	}
	m.sets, m.args = statusColumns(m.to, m.at, m.note)
	return true, moveTx(ctx, tx, m)
}

// requestStatus reads a request's status inside a transaction.
func requestStatus(ctx context.Context, tx *sql.Tx, id int64) (domain.Status, error) {
	var st domain.Status
	err := tx.QueryRowContext(ctx, `SELECT status FROM requests WHERE id = ?`, id).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", domain.Errorf(domain.ENOTFOUND, "Запрос №%d не найден в журнале.", id)
	}
	return st, err
}

// SetStatus moves a request to a new status and records the event, in one
// transaction. Moving to the status it already has is a no-op without an
// event, so a repeated delivery changes nothing; a move domain.CanMove
// forbids is refused with ECONFLICT and changes nothing.
func (s *DB) SetStatus(ctx context.Context, id int64, to domain.Status, actor, note string) error {
	if !to.Valid() {
		return domain.Errorf(domain.EINVALID, "Неизвестный статус запроса: %q.", to)
	}
	now := s.now().UTC()
	return s.tx(ctx, "store.SetStatus", func(tx *sql.Tx) error {
		from, err := requestStatus(ctx, tx, id)
		if err != nil {
			return err
		}
		if from == to {
			return nil
		}
		m := move{id: id, from: from, to: to, actor: actor, note: note, at: now}
		m.sets, m.args = statusColumns(to, now, note)
		return moveTx(ctx, tx, m)
	})
}

// RecordSMEVStatus ties an asynchronous status from GetStatus to the
// request with that MessageID: to (when not "") becomes its status, and an
// event with the note is written even when the status stays the same.
//
// A status that cannot move the request is late news (for instance
// «accepted by SMEV» after the answer came: accepted follows only queued
// and sent): the status stays, the event is still written, and it is not an
// error.
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
		if to != "" {
			moved, err := moveOnNews(ctx, tx, move{id: id, from: from, to: to, actor: "smev", note: note, at: now})
			if moved || err != nil {
				return err
			}
		}
		return insertEvent(ctx, tx, id, now, "smev", from, from, note)
	})
}
