package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"

	"strings"
	"unicode/utf8"

	"github.com/mezhved/mezhved/domain"
)

// MaxAttachment bounds one file the clerk attaches to a request.
const MaxAttachment = 20 << 20

// AddRequestAttachment keeps a file with a draft (it travels with the
// request when it is sent); only a draft takes files.
func (s *DB) AddRequestAttachment(ctx context.Context, requestID int64, name, mime string, content []byte) (*domain.Attachment, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "" || utf8.RuneCountInString(name) > 200 || strings.ContainsAny(name, "/\\\x00"):
		return nil, domain.Errorf(domain.EINVALID, "Неверное имя файла: %q.", name)
	case len(content) == 0:
		return nil, domain.Errorf(domain.EINVALID, "Файл %s пустой.", name)
	case len(content) > MaxAttachment:
		return nil, domain.Errorf(domain.EINVALID, "Файл %s больше %d МБ: такой файл через СМЭВ не отправить.", name, MaxAttachment>>20)
	}
	if mime == "" {
		mime = "application/octet-stream"
	}
	sum := sha256.Sum256(content)
	a := &domain.Attachment{Name: name, MimeType: mime, Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:])}
	err := s.tx(ctx, "store.AddRequestAttachment", func(tx *sql.Tx) error {
		var st domain.Status
		err := tx.QueryRowContext(ctx, `SELECT status FROM requests WHERE id = ?`, requestID).Scan(&st)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "Запрос №%d не найден в журнале.", requestID)
		} else if err != nil {
			return err
		}
		if st != domain.StatusDraft {
			return domain.Errorf(domain.ECONFLICT, "Запрос №%d уже не черновик: файлы к нему не добавить.", requestID)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO attachments (request_id, name, mime_type, size, sha256, content)
			VALUES (?, ?, ?, ?, ?, ?)`, requestID, a.Name, a.MimeType, a.Size, a.SHA256, content)
		if err != nil {
			return err
		}
		a.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// RequestAttachments lists the files of a request (not of its replies).
func (s *DB) RequestAttachments(ctx context.Context, requestID int64) ([]*domain.Attachment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, mime_type, size, sha256 FROM attachments WHERE request_id = ? ORDER BY id`, requestID)
	if err != nil {
		return nil, classify(err, "store.RequestAttachments")
	}
	defer rows.Close()
	out := []*domain.Attachment{}
	for rows.Next() {
		var a domain.Attachment
		if err := rows.Scan(&a.ID, &a.Name, &a.MimeType, &a.Size, &a.SHA256); err != nil {
			return nil, classify(err, "store.RequestAttachments")
		}
		out = append(out, &a)
	}
	return out, classify2(rows.Err(), "store.RequestAttachments")
}

// RemoveRequestAttachment takes a file off a draft.
func (s *DB) RemoveRequestAttachment(ctx context.Context, requestID, attachmentID int64) error {
	return s.tx(ctx, "store.RemoveRequestAttachment", func(tx *sql.Tx) error {
		var st domain.Status
		err := tx.QueryRowContext(ctx, `SELECT status FROM requests WHERE id = ?`, requestID).Scan(&st)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "Запрос №%d не найден в журнале.", requestID)
		} else if err != nil {
			return err
		}
		if st != domain.StatusDraft {
			return domain.Errorf(domain.ECONFLICT, "Запрос №%d уже не черновик: его файлы не изменить.", requestID)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM attachments WHERE id = ? AND request_id = ?`, attachmentID, requestID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ENOTFOUND, "Файл №%d не найден у запроса №%d.", attachmentID, requestID)
		}
		return nil
	})
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
