package regionsync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
)

// TemplatesDir and CalendarDir are where region updates are imported, in
// the data directory.
func TemplatesDir(dataDir string) string { return filepath.Join(dataDir, "templates") }

// CalendarDir is where production calendar updates are imported.
func CalendarDir(dataDir string) string { return filepath.Join(dataDir, "calendar") }

func (c *Client) applyUpdates(ctx context.Context, db *store.DB, res *Result) error {
	calendarApplied := false
	v, err := db.Setting(ctx, store.SettingSyncUpdateID)
	if err != nil {
		return err
	}
	after, _ := strconv.ParseInt(v, 10, 64)
	to := ApplyOptions{DataDir: db.Dir(), Trust: c.cfg.Trust}
	for {
		var list []UpdateInfo
		status, er, err := c.do(ctx, http.MethodGet, "api/v1/updates?after="+strconv.FormatInt(after, 10), nil, &list)
		if err != nil {
			return err
		}
		if er != nil {
			return refusal(status, er)
		}
		if len(list) == 0 {
			return resolveDeadlines(ctx, db, calendarApplied)
		}
		for _, ui := range list {
			if ui.ID <= after {
				return domain.Errorf(domain.EINTERNAL, "Сервер региона ответил неверно (обновления не по порядку).")
			}
			data, err := c.updateFile(ctx, ui)
			if err != nil {
				return err // the file did not come: the next sync fetches it again
			}
			kind, msg, err := c.verifyAndApply(data, &to)
			if errors.Is(err, errTrustStore) {
				return err // the workstation's own store: fixed there, then the update is taken
			}
			if err != nil {
				res.Rejected = append(res.Rejected, fmt.Sprintf("%s: %s", ui.Name, domain.ErrorMessage(err)))
			} else {
				res.Updates = append(res.Updates, msg)
				calendarApplied = calendarApplied || kind == KindCalendar
			}
			after = ui.ID
			if err := db.SetSettings(ctx, map[string]string{store.SettingSyncUpdateID: strconv.FormatInt(after, 10)}); err != nil {
				return err
			}
		}
	}
}

// updateFile returns the signed file of an update: inline in the list, or
// for a large one downloaded by itself. A failure to get it stops the sync
// before the update is passed, so the next sync fetches it again.
func (c *Client) updateFile(ctx context.Context, ui UpdateInfo) ([]byte, error) {
	if ui.Data != nil || ui.Size <= 0 {
		return ui.Data, nil
	}
	var raw rawFile
	status, er, err := c.doWith(ctx, c.files, http.MethodGet, "api/v1/updates/"+strconv.FormatInt(ui.ID, 10), nil, &raw)
	if err != nil {
		return nil, err
	}
	if er != nil {
		return nil, refusal(status, er)
	}
	return raw, nil
}

// errTrustStore marks a trust store that did not open: not the update's
// fault, so it is not passed as rejected.
var errTrustStore = errors.New("trust store not opened")

// verifyAndApply verifies an update's signature and applies it. The trust
// store opened for the first trust update is kept in to for the next ones.
func (c *Client) verifyAndApply(data []byte, to *ApplyOptions) (string, string, error) {
	u, err := VerifyUpdate(data, c.cfg.UpdateCert, c.cfg.Now())
	if err != nil {
		return "", "", err
	}
	if to.Trust == nil && (u.Kind == KindTrust || u.Kind == KindCRL) {
		ts, err := to.trustStore()
		if err != nil {
			return u.Kind, "", fmt.Errorf("%w: %w", errTrustStore, err)
		}
		to.Trust = ts
	}
	msg, err := u.Apply(*to)
	return u.Kind, msg, err
}

// resolveDeadlines computes, after a calendar year arrived from the region,
// the deadlines that waited for it.
func resolveDeadlines(ctx context.Context, db *store.DB, calendarApplied bool) error {
	if !calendarApplied {
		return nil
	}
	cal, err := calendar.Load(CalendarDir(db.Dir()))
	if err != nil {
		return err
	}
	_, err = db.ResolvePendingDeadlines(ctx, cal.DueOn)
	return err
}

// UpdateInfo is a signed update as the API lists it.
type UpdateInfo struct {
	ID   int64  `json:"id"`
	Kind string `json:"kind"`
	Name string `json:"name"`
	// Data is the signed file, inline when it is at most MaxUpdateBytes;
	// a larger one (a TSL, a CRL) is left out and fetched by itself from
	// GET /api/v1/updates/{id}.
	Data []byte `json:"data"`
	Size int64  `json:"size"` // bytes of the signed file
}
