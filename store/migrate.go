package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"sync"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

var migrations = sync.OnceValue(func() []string {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		panic(err)
	}
	sort.Strings(names)
	out := make([]string, len(names))
	for i, n := range names {
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			panic(err)
		}
		out[i] = string(b)
	}
	return out
})

// SchemaVersion is the journal schema this binary writes.
func SchemaVersion() int { return len(migrations()) }

// migrate brings the journal up to SchemaVersion, each step in its own
// transaction together with the new user_version.
func (s *DB) migrate(ctx context.Context) error {
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return classify(err, "store.migrate")
	}
	for i := version; i < len(migrations()); i++ {
		err := s.tx(ctx, "store.migrate", func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, migrations()[i]); err != nil {
				return fmt.Errorf("migration %d: %w", i+1, err)
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
