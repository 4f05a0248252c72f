package app

import (
	"context"
	"encoding/base64"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/fsutil"
	"github.com/mezhved/mezhved/store"
)

// AddAttachment keeps a file (sent by the window as base64) with a draft;
// it goes with the request, signed with the clerk's key (PKCS#7).
func (s *RequestsService) AddAttachment(id int64, name, mime, data string) (DraftView, error) {
	const op = "requests.AddAttachment"
	db, err := s.app.journal()
	if err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	if base64.StdEncoding.DecodedLen(len(data)) > store.MaxAttachment+3 {
		return DraftView{}, s.app.fail(op, domain.Errorf(domain.EINVALID, "Файл %s больше %d МБ: такой файл через СМЭВ не отправить.", name, store.MaxAttachment>>20))
	}
	content, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return DraftView{}, s.app.fail(op, domain.Wrap(err, domain.EINVALID, op, "Файл не прочитан. Попробуйте добавить его ещё раз."))
	}
	if _, err := db.AddRequestAttachment(context.Background(), id, filepath.Base(name), mime, content); err != nil {
		return DraftView{}, s.app.fail(op, err)
	}
	return s.Draft(id)
}

// RemoveAttachment takes a file off a draft.
func (s *RequestsService) RemoveAttachment(id, attachmentID int64) (DraftView, error) {
	db, err := s.app.journal()
	if err != nil {
		return DraftView{}, s.app.fail("requests.RemoveAttachment", err)
	}
	if err := db.RemoveRequestAttachment(context.Background(), id, attachmentID); err != nil {
		return DraftView{}, s.app.fail("requests.RemoveAttachment", err)
	}
	return s.Draft(id)
}

// OpenAttachment writes a stored file (of a request or an answer) to the
// data directory's files folder and opens it in the system's viewer.
func (s *RequestsService) OpenAttachment(attachmentID int64, name string) (string, error) {
	const op = "requests.OpenAttachment"
	db, err := s.app.journal()
	if err != nil {
		return "", s.app.fail(op, err)
	}
	b, err := db.AttachmentContent(context.Background(), attachmentID)
	if err != nil {
		return "", s.app.fail(op, err)
	}
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return '_'
		}
		return r
	}, filepath.Base(name))
	path := filepath.Join(s.app.cfg.DataDir, "files", fmt.Sprintf("%d-%s", attachmentID, name))
	if err := fsutil.WriteFileAtomic(path, b, 0o600); err != nil {
		return "", s.app.fail(op, domain.Wrap(err, domain.EPERMISSION, op, "Не удалось сохранить файл для просмотра."))
	}
	if s.app.cfg.Desktop == nil {
		return path, nil
	}
	if err := s.app.cfg.Desktop.OpenFile(path); err != nil {
		return "", s.app.fail(op, domain.Wrap(err, domain.EUNAVAILABLE, op, "Файл сохранён ("+path+"), но открыть его не удалось."))
	}
	return path, nil
}
