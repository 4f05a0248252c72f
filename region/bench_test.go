package region

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/mezhved/mezhved/store"

	"github.com/mezhved/mezhved/region/regionsync"
)

// bigJournal makes a workstation journal with exactly n events (requests
// queued → sent → answered, 3 events each, the last one shorter), written
// in one transaction straight into the journal file so the fixture takes
// seconds, then opened through store.
func bigJournal(b *testing.B, n int) *store.DB {
	b.Helper()
	dir := b.TempDir()
	db, err := store.Open(dir, store.Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, store.FileName)+"?_foreign_keys=on")
	if err != nil {
		b.Fatal(err)
	}
	tx, _ := raw.Begin()
	reqStmt, err := tx.Prepare(`INSERT INTO requests (id, direction, template_id, template_title, provider, provider_code, channel,
		status, is_open, created_at, updated_at, due_on, applicant) VALUES (?, 'out', 'fns-egrul', 'Выписка из ЕГРЮЛ', 'ФНС России', 'FNS001', 'smev', 'answered', 0, ?, ?, '2026-12-01', 'Иванов И. И.')`)
	if err != nil {
		b.Fatal(err)
	}
	evStmt, _ := tx.Prepare(`INSERT INTO events (request_id, at, actor, from_status, to_status) VALUES (?, ?, ?, ?, ?)`)
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	steps := []struct{ actor, from, to string }{{"Петрова А. А.", "", "queued"}, {"outbox", "queued", "sent"}, {"smev", "sent", "answered"}}
	for i, id := 0, int64(1); i < n; id++ {
		ts := at.Add(time.Duration(id) * time.Minute).Format(time.RFC3339Nano)
		if _, err := reqStmt.Exec(id, ts, ts); err != nil {
			b.Fatal(err)
		}
		for _, s := range steps {
			if i == n {
				break
			}
			if _, err := evStmt.Exec(id, ts, s.actor, s.from, s.to); err != nil {
				b.Fatal(err)
			}
			i++
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	raw.Close()
	db, err = store.Open(dir, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkSync100kPostgres: one workstation sends 100,000 events from its
// journal over loopback HTTPS into PostgreSQL, with the server's default
// rate limit. One op = the whole sync.
func BenchmarkSync100kPostgres(b *testing.B) {
	benchSync100k(b, pgStore(b, pgDSN(b)), 1000)
}

// BenchmarkSync100kPostgresBatch2000 is the same with the largest batch.
func BenchmarkSync100kPostgresBatch2000(b *testing.B) {
	benchSync100k(b, pgStore(b, pgDSN(b)), regionsync.MaxBatchEvents)
}

// BenchmarkSync100kSQLite is the same into the SQLite server store.
func BenchmarkSync100kSQLite(b *testing.B) {
	benchSync100k(b, sqliteStore(b), 1000)
}

// BenchmarkSync100kPostgresNoLimit lifts the rate limit: what the protocol
// and storage do when the limiter is not the bound.
func BenchmarkSync100kPostgresNoLimit(b *testing.B) {
	benchSync100k(b, pgStore(b, pgDSN(b)), 1000, ServerConfig{Rate: 1e6, Burst: 1e6})
}

func benchSync100k(b *testing.B, st *Store, batch int, cfg ...ServerConfig) {
	const n = 100_000
	db := bigJournal(b, n)
	cfg = append(cfg, ServerConfig{})
	e := newEnv(b, st, cfg[0])
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		// A new workstation each round: a fresh stream of 100,000 events.
		ws := e.workstation(fmt.Sprintf("466051%02d", i%100), "Берёзовское", fmt.Sprintf("ws-%d", i))
		c := e.client(ws, func(c *regionsync.ClientConfig) { c.BatchSize = batch })
		b.StartTimer()
		res, err := c.Sync(context.Background(), db, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if res.Sent != n {
			b.Fatalf("sent %d", res.Sent)
		}
		if got, _ := st.CountEvents(context.Background(), fmt.Sprintf("466051%02d", i%100), fmt.Sprintf("ws-%d", i)); got != n {
			b.Fatalf("server holds %d events", got)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkConcurrent200Postgres: 200 workstations, each with its own
// certificate and TLS connection, push at once: 5 batches of 100 events
// each (100,000 events in all). Reports p50/p99 batch latency and checks
// that every stream holds every event.
func BenchmarkConcurrent200Postgres(b *testing.B) {
	benchConcurrent(b, pgStore(b, pgDSN(b)))
}

// BenchmarkConcurrent200SQLite is the same against the SQLite store.
func BenchmarkConcurrent200SQLite(b *testing.B) {
	benchConcurrent(b, sqliteStore(b))
}

func benchConcurrent(b *testing.B, st *Store) {
	const workstations, batches, perBatch = 200, 5, 100
	e := newEnv(b, st, ServerConfig{})
	var all []time.Duration
	b.ResetTimer()
	for round := 0; round < b.N; round++ {
		b.StopTimer()
		clients := make([]*regionsync.Client, workstations)
		oktmos := make([]string, workstations)
		for w := range clients {
			oktmos[w] = fmt.Sprintf("46%06d", round*1000+w)
			ws := e.workstation(oktmos[w], fmt.Sprintf("Поселение %d", w), "ws")
			clients[w] = e.client(ws, nil)
		}
		lat := make([][]time.Duration, workstations)
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make(chan error, workstations)
		for w := range clients {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				<-start
				after := int64(0)
				for k := 0; k < batches; k++ {
					p := syntheticBatch(oktmos[w], after, perBatch)
					t0 := time.Now()
					stored, err := clients[w].Push(context.Background(), p)
					lat[w] = append(lat[w], time.Since(t0))
					if err != nil {
						errs <- err
						return
					}
					after = stored
				}
			}(w)
		}
		b.StartTimer()
		close(start)
		wg.Wait()
		b.StopTimer()
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
		for w := range clients {
			if n, _ := st.CountEvents(context.Background(), oktmos[w], "ws"); n != batches*perBatch {
				b.Fatalf("workstation %d: server holds %d events, want %d", w, n, batches*perBatch)
			}
			all = append(all, lat[w]...)
		}
		b.StartTimer()
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(workstations*batches*perBatch*b.N)/b.Elapsed().Seconds(), "events/s")
}

// syntheticBatch is perBatch events of perBatch/2 requests following after.
func syntheticBatch(oktmo string, after int64, perBatch int) *regionsync.PushRequest {
	p := &regionsync.PushRequest{Settlement: oktmo, After: after}
	at := time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC).Format(time.RFC3339)
	for i := 0; i < perBatch; i++ {
		seq := after + int64(i) + 1
		id := (seq + 1) / 2
		to, from := "queued", ""
		if seq%2 == 0 {
			to, from = "sent", "queued"
		} else {
			p.Requests = append(p.Requests, regionsync.RequestMeta{ID: id, Direction: "out", TemplateTitle: "Выписка из ЕГРН", Provider: "Росреестр",
				Channel: "smev", CreatedAt: at, DueOn: "2026-05-20"})
		}
		p.Events = append(p.Events, regionsync.Event{Seq: seq, RequestID: id, At: at, Actor: "outbox", From: from, To: to})
	}
	return p
}
