// Package store is the clerk's journal: one SQLite file in the data
// directory, written in transactions, with versioned migrations embedded in
// the binary. One process at a time owns a data directory.
package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/mezhved/mezhved/domain"
)

// FileName is the journal's file inside the data directory.
const FileName = "journal.db"

// DB is an open journal.
type DB struct {
	wmu  sync.Mutex // one writer at a time within the process
	db   *sql.DB
	dir  string
	lock *dirLock
	now  func() time.Time
	// searchBudget bounds a search by common words only (see planSearch).
	searchBudget time.Duration
	loc          *time.Location // the clerk's days, for periods
}

// Options change how Open behaves.
type Options struct {
	// Create makes the data directory when it does not exist (the OS default
	// directory on first start). Otherwise a missing directory is an error.
	Create bool
	// Now is the clock; time.Now when nil. Tests move it.
	Now func() time.Time
	// SearchBudget bounds the time of a search whose every word is common
	// (default 200 ms); past it the clerk is asked to narrow the search.
	SearchBudget time.Duration
	// Location is the zone of the clerk's days, for the journal's periods
	// (From, To); time.Local when nil.
	Location *time.Location
}

// Open opens (and on first use creates) the journal in dir. It refuses a
// file that is not an SQLite journal, a journal written by a newer version,
// a directory it cannot write to, and a directory another Mezhved holds. In
// every refused case the existing file is left as it was, byte for byte.
func Open(dir string, opts Options) (*DB, error) {
	const op = "store.Open"
	if dir == "" {
		return nil, domain.Errorf(domain.EINVALID, "Не указана папка данных.")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, op, fmt.Sprintf("Неверный путь к папке данных: %s", dir))
	}
	dir = abs
	if err := checkDir(dir, opts.Create); err != nil {
		return nil, err
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, FileName)
	if err := precheck(path); err != nil {
		lock.release()
		return nil, err
	}
	if err := ownerOnly(path); err != nil {
		lock.release()
		return nil, err
	}
	db, err := openSQL(path, false)
	if err != nil {
		lock.release()
		return nil, err
	}
	s := &DB{db: db, dir: dir, lock: lock, now: opts.Now, searchBudget: opts.SearchBudget, loc: opts.Location}
	if s.searchBudget <= 0 {
		s.searchBudget = 200 * time.Millisecond
	}
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.migrate(context.Background()); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Dir returns the data directory.
func (s *DB) Dir() string { return s.dir }

// Path returns the journal file's path.
func (s *DB) Path() string { return filepath.Join(s.dir, FileName) }

// Close closes the journal and releases the data directory.
func (s *DB) Close() error {
	if s == nil || s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	s.lock.release()
	return err
}

func checkDir(dir string, create bool) error {
	const op = "store.Open"
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist) && create:
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return domain.Wrap(err, domain.EPERMISSION, op, fmt.Sprintf("Не удалось создать папку данных %s. Проверьте права доступа.", dir))
		}
		return nil
	case errors.Is(err, os.ErrNotExist):
		return domain.Wrap(err, domain.ENOTFOUND, op, fmt.Sprintf("Папка данных %s не существует.", dir))
	case err != nil:
		return domain.Wrap(err, domain.EPERMISSION, op, fmt.Sprintf("Папка данных %s недоступна.", dir))
	case !fi.IsDir():
		return domain.Errorf(domain.EINVALID, "%s — это файл, а не папка данных.", dir)
	}
	narrowDir(dir, fi)
	// A probe file tells whether we may write here (permissions, read-only
	// file systems), before SQLite is asked to.
	probe, err := os.CreateTemp(dir, ".write-probe-*")
	if err != nil {
		return domain.Wrap(err, domain.EPERMISSION, op, fmt.Sprintf("Папка данных %s недоступна для записи. Проверьте права доступа или выберите другую папку.", dir))
	}
	name := probe.Name()
	probe.Close()
	os.Remove(name)
	return nil
}

var sqliteMagic = []byte("SQLite format 3\x00")

// precheck looks at an existing journal before SQLite writes anything: it
// must be an SQLite file whose schema we can read and whose version is not
// newer than ours. It opens the file read-only.
func precheck(path string) error {
	const op = "store.Open"
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return domain.Wrap(err, domain.EPERMISSION, op, fmt.Sprintf("Не удалось открыть файл журнала %s.", path))
	}
	head := make([]byte, 100)
	n, err := io.ReadFull(f, head)
	f.Close()
	if n == 0 && (err == io.EOF) {
		// An empty file is what an interrupted first start leaves; SQLite
		// treats it as a new database.
		return nil
	}
	if n < len(head) || !bytes.Equal(head[:16], sqliteMagic) {
		return domain.Errorf(domain.ECORRUPT, "Файл %s не является журналом Межведа (это не база SQLite). Файл не изменён. Переместите его в другое место или укажите другую папку данных.", path)
	}
	db, err := openSQL(path, true)
	if err != nil {
		return err
	}
	defer db.Close()
	var version int
	if err := db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		return classify(err, op)
	}
	var objects int
	if err := db.QueryRow("SELECT count(*) FROM sqlite_schema").Scan(&objects); err != nil {
		return classify(err, op)
	}
	if version > len(migrations()) {
		return domain.Errorf(domain.ETOONEW, "Журнал %s создан более новой версией Межведа (версия схемы %d, эта программа знает до %d). Файл не изменён. Обновите программу.", path, version, len(migrations()))
	}
	return nil
}

// ownerOnly makes the journal readable by its owner only: it holds
// applicants' personal data. A new journal is created 0600 before SQLite
// opens it (SQLite gives its -wal and -shm files the same mode); an
// existing one that others could read is narrowed, with its companions.
func ownerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err == nil {
		return f.Close()
	} else if !errors.Is(err, os.ErrExist) {
		return domain.Wrap(err, domain.EPERMISSION, "store.Open", fmt.Sprintf("Не удалось создать файл журнала %s.", path))
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o077 != 0 {
			os.Chmod(p, fi.Mode().Perm()&0o700) // best effort: a journal of another user stays as it is
		}
	}
	return nil
}

func openSQL(path string, readOnly bool) (*sql.DB, error) {
	q := url.Values{}
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "5000")
	q.Set("_txlock", "immediate")
	// Each connection keeps its prepared statements: the journal runs the
	// same few dozen queries, and preparing them was 6 % of the demo
	// loop's CPU (issue 18).
	q.Set("_stmt_cache_size", "64")
	if readOnly {
		q.Set("mode", "ro")
	} else {
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "FULL")
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, domain.Wrap(err, domain.EINTERNAL, "store.Open", "Не удалось открыть журнал.")
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, classify(err, "store.Open")
	}
	return db, nil
}

// classify turns an SQLite error into a coded error for the clerk.
func classify(err error, op string) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrNotADB, sqlite3.ErrCorrupt:
			return domain.Wrap(err, domain.ECORRUPT, op, "Файл журнала повреждён. Программа его не изменяла. Обратитесь к администратору: журнал можно восстановить из резервной копии.")
		case sqlite3.ErrBusy, sqlite3.ErrLocked:
			return domain.Wrap(err, domain.EUNAVAILABLE, op, "Журнал занят другой операцией. Повторите через несколько секунд.")
		case sqlite3.ErrReadonly, sqlite3.ErrPerm, sqlite3.ErrCantOpen, sqlite3.ErrAuth:
			return domain.Wrap(err, domain.EPERMISSION, op, "Нет доступа к файлу журнала. Проверьте права на папку данных.")
		case sqlite3.ErrFull:
			return domain.Wrap(err, domain.EUNAVAILABLE, op, "На диске не хватает места для журнала. Освободите место и повторите.")
		}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return domain.Wrap(err, domain.EUNAVAILABLE, op, "Операция прервана.")
	}
	return domain.Wrap(err, domain.EINTERNAL, op, "Ошибка работы с журналом.")
}

// tx runs fn in one write transaction. Writers of this process take turns
// on a mutex: SQLite would make them sleep and retry on its busy handler,
// which costs milliseconds per clash (the outbox worker, the poller and the
// window write at once). fn must not call tx again.
func (s *DB) tx(ctx context.Context, op string, fn func(*sql.Tx) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return classify(err, op)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		var de *domain.Error
		if errors.As(err, &de) {
			return err
		}
		return classify(err, op)
	}
	if err := tx.Commit(); err != nil {
		return classify(err, op)
	}
	return nil
}

const timeLayout = time.RFC3339Nano

// dayBound is t as a bound for comparing stored times as text: UTC, to the
// second, with neither fraction nor zone. A stored time is RFC 3339 with
// its fraction's trailing zeros trimmed and a «Z»; against «…T00:00:00Z»
// the first second's «…T00:00:00.3Z» would sort before («.» < «Z») and
// fall into the day before. Against «…T00:00:00» every time of that
// second or after sorts after (it is the same text and longer).
func dayBound(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05") }

func fmtTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(s sql.NullString) time.Time {
	if !s.Valid || s.String == "" {
		return time.Time{}
	}
	t, _ := time.Parse(timeLayout, s.String)
	return t
}
