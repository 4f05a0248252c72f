package region

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx" for database/sql
	_ "github.com/mattn/go-sqlite3"

	"github.com/mezhved/mezhved/domain"

	"github.com/mezhved/mezhved/region/regionsync"
)

//go:embed migrations
var migrationFS embed.FS

// TimeLayout is how times are stored: UTC, fixed width, so text order is
// time order in both databases.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

func fmtT(t time.Time) string { return t.UTC().Format(TimeLayout) }

// Store is the regional database: PostgreSQL or SQLite behind database/sql,
// with the same schema and the same queries ($N placeholders, rewritten to
// ?N for SQLite).
type Store struct {
	db  *sql.DB
	pg  bool
	now func() time.Time
}

// OpenStore opens (and migrates) the database named by dsn: a postgres://
// or postgresql:// URL, or else a path to an SQLite file (created when
// missing).
func OpenStore(ctx context.Context, dsn string) (*Store, error) {
	const op = "region.OpenStore"
	s := &Store{now: time.Now}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s.pg = true
		s.db, err = sql.Open("pgx", dsn)
		if err == nil {
			s.db.SetMaxOpenConns(24)
			s.db.SetMaxIdleConns(24)
		}
	} else {
		if dsn == "" {
			return nil, domain.Errorf(domain.EINVALID, "Не указана база данных.")
		}
		q := url.Values{}
		q.Set("_foreign_keys", "on")
		q.Set("_busy_timeout", "10000")
		q.Set("_txlock", "immediate")
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "FULL")
		// The settlements' journals may hold personal data: the file is
		// the owner's only (SQLite gives its -wal and -shm the same mode).
		if f, ferr := os.OpenFile(dsn, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600); ferr == nil {
			f.Close()
		}
		s.db, err = sql.Open("sqlite3", "file:"+(&url.URL{Path: dsn}).EscapedPath()+"?"+q.Encode())
		if err == nil {
			s.db.SetMaxOpenConns(4)
		}
	}
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, op, "Не удалось открыть базу данных региона.")
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, domain.Wrap(err, domain.EUNAVAILABLE, op, "База данных региона недоступна.")
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Postgres reports whether the store is PostgreSQL.
func (s *Store) Postgres() bool { return s.pg }

var placeholderRe = regexp.MustCompile(`\$(\d+)`)

// q adapts a query to the dialect.
func (s *Store) q(query string) string {
	if s.pg {
		return query
	}
	return placeholderRe.ReplaceAllString(query, "?$1")
}

func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return s.db.ExecContext(ctx, s.q(query), args...)
}

func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.db.QueryRowContext(ctx, s.q(query), args...)
}

func (s *Store) migrate(ctx context.Context) error {
	dir := "migrations/sqlite"
	if s.pg {
		dir = "migrations/postgres"
	}
	names, err := fs.Glob(migrationFS, dir+"/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	fail := func(err error) error {
		return domain.Wrap(err, domain.EINTERNAL, "region.migrate", "Не удалось обновить схему базы данных региона.")
	}
	if _, err := s.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fail(err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	if s.pg {
		// Two servers starting at once migrate one after the other.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(80800001)`); err != nil {
			return fail(err)
		}
	}
	var version int
	err = tx.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&version)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (0)`); err != nil {
			return fail(err)
		}
	} else if err != nil {
		return fail(err)
	}
	if version > len(names) {
		return domain.Errorf(domain.ETOONEW, "База данных региона создана более новой версией сервера (схема %d, known %d).", version, len(names))
	}
	for i := version; i < len(names); i++ {
		b, err := migrationFS.ReadFile(names[i])
		if err != nil {
			return fail(err)
		}
		if _, err := tx.ExecContext(ctx, string(b)); err != nil {
			return fail(fmt.Errorf("%s: %w", names[i], err))
		}
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE schema_version SET version = $1`), len(names)); err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return nil
}

func internal(err error, op string) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return domain.Wrap(err, domain.EUNAVAILABLE, op, "Операция прервана.")
	}
	return domain.Wrap(err, domain.EINTERNAL, op, "Ошибка базы данных региона.")
}

// Settlement is a municipality registered in the region.
type Settlement struct {
	OKTMO string `json:"oktmo"`
	Name  string `json:"name"`
}

// AddSettlement registers a settlement (or renames it).
func (s *Store) AddSettlement(ctx context.Context, oktmo, name string) error {
	name = strings.TrimSpace(name)
	if !regionsync.ValidOKTMO(oktmo) {
		return domain.Errorf(domain.EINVALID, "Неверный код ОКТМО: %q (нужно 8 или 11 цифр).", oktmo)
	}
	if name == "" {
		return domain.Errorf(domain.EINVALID, "Не указано название поселения.")
	}
	if err := regionsync.CheckText("название", name); err != nil {
		return err
	}
	_, err := s.exec(ctx, `INSERT INTO settlements (oktmo, name, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (oktmo) DO UPDATE SET name = excluded.name`, oktmo, name, fmtT(s.now()))
	return internal(err, "region.AddSettlement")
}

// Settlements lists the registered settlements by name.
func (s *Store) Settlements(ctx context.Context) ([]Settlement, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT oktmo, name FROM settlements ORDER BY name, oktmo`)
	if err != nil {
		return nil, internal(err, "region.Settlements")
	}
	defer rows.Close()
	var out []Settlement
	for rows.Next() {
		var st Settlement
		if err := rows.Scan(&st.OKTMO, &st.Name); err != nil {
			return nil, internal(err, "region.Settlements")
		}
		out = append(out, st)
	}
	return out, internal(rows.Err(), "region.Settlements")
}

// RecordWorkstation records an issued certificate's serial (hex).
func (s *Store) RecordWorkstation(ctx context.Context, serial, oktmo, name string) error {
	_, err := s.exec(ctx, `INSERT INTO workstations (serial, oktmo, name, issued_at) VALUES ($1, $2, $3, $4)`,
		serial, oktmo, name, fmtT(s.now()))
	return internal(err, "region.RecordWorkstation")
}

// RevokeWorkstation revokes a certificate by serial.
func (s *Store) RevokeWorkstation(ctx context.Context, serial string) error {
	res, err := s.exec(ctx, `UPDATE workstations SET revoked_at = $1 WHERE serial = $2 AND revoked_at IS NULL`, fmtT(s.now()), serial)
	if err != nil {
		return internal(err, "region.RevokeWorkstation")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "Сертификат %s не найден или уже отозван.", serial)
	}
	return nil
}

// workstationOf returns the settlement and name recorded for a serial, and
// whether it is usable (recorded and not revoked).
func (s *Store) workstationOf(ctx context.Context, serial string) (oktmo, name string, ok bool, err error) {
	var revoked sql.NullString
	err = s.queryRow(ctx, `SELECT oktmo, name, revoked_at FROM workstations WHERE serial = $1`, serial).Scan(&oktmo, &name, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", false, nil
	} else if err != nil {
		return "", "", false, internal(err, "region.workstation")
	}
	return oktmo, name, !revoked.Valid, nil
}

// Stored returns the last sequence stored for a workstation's stream.
func (s *Store) Stored(ctx context.Context, oktmo, workstation string) (int64, error) {
	var n int64
	err := s.queryRow(ctx, `SELECT stored FROM streams WHERE oktmo = $1 AND workstation = $2`, oktmo, workstation).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, internal(err, "region.Stored")
}

// reqState is what a batch changes in one request.
type reqState struct {
	meta       *regionsync.RequestMeta
	status     string
	sentAt     string
	answeredAt string
}

// Push stores a batch of a workstation that reports no contour (before
// regionsync.HeaderContour; counted as production). See PushContour.
func (s *Store) Push(ctx context.Context, oktmo, workstation string, p *regionsync.PushRequest) (int64, error) {
	return s.PushContour(ctx, oktmo, workstation, "", p)
}

// PushContour stores a batch for the workstation's stream in one
// transaction and returns the last sequence stored. A batch whose After is
// beyond what is stored is a *regionsync.GapError; events at or below the
// stored sequence are skipped (replays). The batch must be valid
// (regionsync.PushRequest.Validate). contour is what the workstation
// reported ("" none): it marks the stream and the batch's requests.
func (s *Store) PushContour(ctx context.Context, oktmo, workstation, contour string, p *regionsync.PushRequest) (int64, error) {
	const op = "region.Push"
	now := fmtT(s.now())
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, internal(err, op)
	}
	defer tx.Rollback()
	stored, err := s.lockStream(ctx, tx, oktmo, workstation, contour, now)
	if err != nil {
		return 0, internal(err, op)
	}
	if p.After > stored {
		return 0, &regionsync.GapError{Expected: stored}
	}
	events := p.Events
	for len(events) > 0 && events[0].Seq <= stored {
		events = events[1:]
	}
	if len(events) == 0 {
		// A replay: nothing changes but the time the workstation was seen.
		return stored, internal(tx.Commit(), op)
	}
	if err := s.insertEvents(ctx, tx, oktmo, workstation, events); err != nil {
		return 0, internal(err, op)
	}
	states, order := requestStates(p.Requests, events)
	if err := s.upsertRequests(ctx, tx, oktmo, workstation, contour, now, states, order); err != nil {
		return 0, internal(err, op)
	}
	last := events[len(events)-1].Seq
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE streams SET stored = $1, updated_at = $2 WHERE oktmo = $3 AND workstation = $4`),
		last, now, oktmo, workstation); err != nil {
		return 0, internal(err, op)
	}
	if err := tx.Commit(); err != nil {
		return 0, internal(err, op)
	}
	return last, nil
}

// seenStream is the upsert that makes a stream's row when missing and
// records that the workstation was heard from now, in the contour it
// reported ("" keeps what was reported before).
const seenStream = `INSERT INTO streams (oktmo, workstation, stored, updated_at, seen_at, contour) VALUES ($1, $2, 0, $3, $3, $4)
	ON CONFLICT (oktmo, workstation) DO UPDATE SET seen_at = excluded.seen_at,
		contour = CASE WHEN excluded.contour <> '' THEN excluded.contour ELSE streams.contour END`

// Seen records that a workstation asked for its cursor: the start of every
// sync, with or without new events.
func (s *Store) Seen(ctx context.Context, oktmo, workstation, contour string) error {
	_, err := s.exec(ctx, seenStream, oktmo, workstation, fmtT(s.now()), contour)
	return internal(err, "region.Seen")
}

// lockStream makes the stream's row when missing, records the contact and
// locks the row, so that concurrent batches of one workstation queue here;
// it returns the last sequence stored.
func (s *Store) lockStream(ctx context.Context, tx *sql.Tx, oktmo, workstation, contour, now string) (int64, error) {
	if _, err := tx.ExecContext(ctx, s.q(seenStream), oktmo, workstation, now, contour); err != nil {
		return 0, err
	}
	lock := ""
	if s.pg {
		lock = " FOR UPDATE"
	}
	var stored int64
	err := tx.QueryRowContext(ctx, s.q(`SELECT stored FROM streams WHERE oktmo = $1 AND workstation = $2`+lock), oktmo, workstation).Scan(&stored)
	return stored, err
}

// pushChunk is how many rows one INSERT of a batch writes.
const pushChunk = 500

// insertEvents writes the events, many rows per statement.
func (s *Store) insertEvents(ctx context.Context, tx *sql.Tx, oktmo, workstation string, events []regionsync.Event) error {
	const cols = 8
	for start := 0; start < len(events); start += pushChunk {
		part := events[start:min(start+pushChunk, len(events))]
		var b strings.Builder
		b.WriteString(`INSERT INTO events (oktmo, workstation, seq, request_id, at, actor, from_status, to_status) VALUES `)
		args := make([]any, 0, len(part)*cols)
		for i, e := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			n := i * cols
			fmt.Fprintf(&b, "($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8)
			args = append(args, oktmo, workstation, e.Seq, e.RequestID, normTime(e.At), e.Actor, e.From, e.To)
		}
		if _, err := tx.ExecContext(ctx, s.q(b.String()), args...); err != nil {
			return err
		}
	}
	return nil
}

// requestStates is the requests' state after the events, in the order
// they first appear.
func requestStates(requests []regionsync.RequestMeta, events []regionsync.Event) (map[int64]*reqState, []int64) {
	metas := make(map[int64]*regionsync.RequestMeta, len(requests))
	for i := range requests {
		metas[requests[i].ID] = &requests[i]
	}
	states := map[int64]*reqState{}
	var order []int64
	for _, e := range events {
		st := states[e.RequestID]
		if st == nil {
			st = &reqState{meta: metas[e.RequestID]}
			states[e.RequestID] = st
			order = append(order, e.RequestID)
		}
		st.status = e.To
		switch domain.Status(e.To) {
		case domain.StatusSent:
			if st.sentAt == "" {
				st.sentAt = normTime(e.At)
			}
		case domain.StatusAnswered:
			st.answeredAt = normTime(e.At)
		}
	}
	return states, order
}

// upsertRequests writes the requests' metadata and state, many rows per
// statement; the first sent time stays, a newer answer time wins.
func (s *Store) upsertRequests(ctx context.Context, tx *sql.Tx, oktmo, workstation, contour, now string, states map[int64]*reqState, order []int64) error {
	const rcols = 17
	for start := 0; start < len(order); start += pushChunk {
		part := order[start:min(start+pushChunk, len(order))]
		var b strings.Builder
		b.WriteString(`INSERT INTO requests (oktmo, workstation, request_id, direction, template_id, template_title,
			provider, provider_code, channel, created_at, due_on, status, sent_at, answered_at, applicant, snils, contour, updated_at) VALUES `)
		args := make([]any, 0, len(part)*(rcols+1))
		for i, id := range part {
			st := states[id]
			m := st.meta
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(")
			for c := 1; c <= rcols+1; c++ {
				if c > 1 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "$%d", i*(rcols+1)+c)
			}
			b.WriteString(")")
			args = append(args, oktmo, workstation, id, m.Direction, m.TemplateID, m.TemplateTitle,
				m.Provider, m.ProviderCode, m.Channel, normTime(m.CreatedAt), nullStr(m.DueOn), st.status,
				nullStr(st.sentAt), nullStr(st.answeredAt), m.Applicant, m.SNILS, contour, now)
		}
		b.WriteString(` ON CONFLICT (oktmo, workstation, request_id) DO UPDATE SET
			direction = excluded.direction, template_id = excluded.template_id, template_title = excluded.template_title,
			provider = excluded.provider, provider_code = excluded.provider_code, channel = excluded.channel,
			created_at = excluded.created_at, due_on = excluded.due_on, status = excluded.status,
			sent_at = COALESCE(requests.sent_at, excluded.sent_at),
			answered_at = COALESCE(excluded.answered_at, requests.answered_at),
			applicant = excluded.applicant, snils = excluded.snils, updated_at = excluded.updated_at,
			contour = CASE WHEN excluded.contour <> '' THEN excluded.contour ELSE requests.contour END`)
		if _, err := tx.ExecContext(ctx, s.q(b.String()), args...); err != nil {
			return err
		}
	}
	return nil
}

// normTime rewrites a validated RFC 3339 time in the stored layout.
func normTime(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return fmtT(t)
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CountEvents returns how many events the server holds for a stream.
func (s *Store) CountEvents(ctx context.Context, oktmo, workstation string) (int64, error) {
	var n int64
	err := s.queryRow(ctx, `SELECT count(*) FROM events WHERE oktmo = $1 AND workstation = $2`, oktmo, workstation).Scan(&n)
	return n, internal(err, "region.CountEvents")
}
