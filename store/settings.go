package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/mezhved/mezhved/domain"
)

// Setting keys the window and the CLI share.
const (
	SettingSettlement = "identity.settlement" // the settlement's name
	SettingOKTMO      = "identity.oktmo"
	SettingClerk      = "identity.clerk" // the clerk's full name
	SettingTraining   = "mode.training"  // "1" when the built-in SMEV node is used
)

// Setting returns a setting's value, or "" when it is not set.
func (s *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", classify(err, "store.Setting")
	}
	return v, nil
}

// SetSettings writes several settings in one transaction.
func (s *DB) SetSettings(ctx context.Context, kv map[string]string) error {
	for k := range kv {
		if k == "" || len(k) > 200 {
			return domain.Errorf(domain.EINVALID, "Неверное имя настройки.")
		}
	}
	return s.tx(ctx, "store.SetSettings", func(tx *sql.Tx) error {
		for k, v := range kv {
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
				return err
			}
		}
		return nil
	})
}
