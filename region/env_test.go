package region

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/testtool"
	"github.com/mezhved/mezhved/store"

	"github.com/mezhved/mezhved/region/regionsync"
)

// backends runs a test against SQLite and against PostgreSQL
// (MEZHVED_TEST_PG_DSN, from scripts/pg-test.sh start).
func backends(t *testing.T, fn func(t *testing.T, newStore func() *Store)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, func() *Store { return sqliteStore(t) })
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := pgDSN(t)
		fn(t, func() *Store { return pgStore(t, dsn) })
	})
}

func sqliteStore(t testing.TB) *Store {
	t.Helper()
	s, err := OpenStore(context.Background(), filepath.Join(t.TempDir(), "region.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// pgDSN returns the test PostgreSQL's DSN. Without one a test fails in CI
// (CI=true) and is skipped locally.
func pgDSN(t testing.TB) string {
	t.Helper()
	return testtool.Env(t, "MEZHVED_TEST_PG_DSN", "PostgreSQL is not available: export MEZHVED_TEST_PG_DSN=$(scripts/pg-test.sh start) (Debian package postgresql)")
}

// pgStore opens a store in a fresh schema of the test database, dropped at
// the end.
func pgStore(t testing.TB, dsn string) *Store {
	t.Helper()
	ctx := context.Background()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("PostgreSQL at MEZHVED_TEST_PG_DSN: %v", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := OpenStore(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	return s
}

// env is a running regional server with its CA.
type env struct {
	t     testing.TB
	store *Store
	ca    *CA
	srv   *Server
	http  *httptest.Server
	url   string
}

func newEnv(t testing.TB, st *Store, cfg ServerConfig) *env {
	t.Helper()
	now := time.Now()
	ca, err := NewCA("Тестовый регион CA", now)
	if err != nil {
		t.Fatal(err)
	}
	srvCert, err := ca.IssueServer([]string{"127.0.0.1", "localhost"}, now)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store = st
	cfg.ClientCA = ca.Cert
	if cfg.Region == "" {
		cfg.Region = "Тестовая область"
	}
	cfg.Log = log.New(io.Discard, "", 0)
	srv := NewServer(cfg)
	hs := httptest.NewUnstartedServer(srv)
	hs.TLS = srv.TLSConfig(srvCert.TLSCertificate())
	hs.Config.ErrorLog = cfg.Log
	hs.StartTLS()
	t.Cleanup(hs.Close)
	return &env{t: t, store: st, ca: ca, srv: srv, http: hs, url: hs.URL}
}

// workstation registers a settlement and issues and records a certificate.
func (e *env) workstation(oktmo, settlement, name string) *Issued {
	e.t.Helper()
	ctx := context.Background()
	if err := e.store.AddSettlement(ctx, oktmo, settlement); err != nil {
		e.t.Fatal(err)
	}
	ws, err := e.ca.IssueWorkstation(oktmo, settlement, name, time.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.RecordWorkstation(ctx, regionsync.SerialHex(ws.Cert), oktmo, name); err != nil {
		e.t.Fatal(err)
	}
	return ws
}

func (e *env) client(ws *Issued, mod func(*regionsync.ClientConfig)) *regionsync.Client {
	e.t.Helper()
	cfg := regionsync.ClientConfig{URL: e.url, Cert: ws.TLSCertificate(), RootCA: e.ca.Cert}
	if mod != nil {
		mod(&cfg)
	}
	c, err := regionsync.NewClient(cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// journal makes a workstation journal with n outgoing requests, each
// created, sent and (every third one) answered: about 2.3 n events.
func journal(t testing.TB, n int) *store.DB {
	t.Helper()
	db, err := store.Open(t.TempDir(), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	for i := 0; i < n; i++ {
		id, err := db.CreateRequest(ctx, store.NewRequest{
			Direction: domain.Outgoing, TemplateID: "fns-egrul", TemplateTitle: "Выписка из ЕГРЮЛ",
			Provider: "ФНС России", ProviderCode: "FNS001", Channel: domain.ChannelSMEV, Status: domain.StatusQueued,
			Applicant: fmt.Sprintf("Иванов Иван %d", i), SNILS: "112-233-445 95", DueOn: "2026-12-01",
			Actor: "Петрова А. А.", Note: "личная заметка",
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetStatus(ctx, id, domain.StatusSent, "outbox", ""); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			if err := db.SetStatus(ctx, id, domain.StatusAnswered, "smev", ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	return db
}

func eventCount(t testing.TB, db *store.DB) int64 {
	t.Helper()
	n, err := db.CountEventsAfter(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// The region's SQLite database holds the settlements' journals: it is its
// owner's only.
func TestSQLiteStoreIsOwnerOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "region.db")
	s, err := OpenStore(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("region.db: %v %v", fi.Mode(), err)
	}
}
