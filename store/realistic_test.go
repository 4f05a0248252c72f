package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// journalSample is one request of a template as the demo loop (real
// transport, training node) wrote it: bench/journal-sample.sh.
type journalSample struct {
	TemplateID, TemplateTitle, Provider, ProviderCode, Applicant, SNILS string
	Body, Envelope                                                      []byte
	MessageID, ContentType                                              string
	TermDays                                                            int
	ReplyMessageID, ReplyKind, RejectCode, SignatureJSON                string
	ReplyBody, ReplyEnvelope                                            []byte
	Attachments                                                         []struct {
		Name, MimeType, SHA256 string
		Content, Signature     []byte
	}
}

func loadJournalSamples(tb testing.TB) []journalSample {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", "journal-sample.json.gz"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	var out []journalSample
	if err := json.NewDecoder(zr).Decode(&out); err != nil {
		tb.Fatal(err)
	}
	if len(out) == 0 {
		tb.Fatal("no samples")
	}
	return out
}

// realisticJournal returns a journal of n outgoing requests written through
// the transport's own store calls, as the demo loop writes them:
// EnqueueOutgoing (request, search words, event, outbox row with the
// signed envelope; a group of 256 per transaction), OutboxDueVia + OutboxSentMany (sent, answer deadline,
// event), SaveReplies (the answer's envelope, body,
// signature check, attachments, answered, event), ReplyAcked. The
// envelopes are the samples' with this request's MessageID; applicants
// vary as in fixture1M. Beyond 100,000 the first 100,000 are copied
// (copyRealistic). Built once into .cache/bench/journal-real-<n>-v1
// with synchronous=OFF (the same rows; durability is not what is measured).
func realisticJournal(b *testing.B, n int) *DB {
	b.Helper()
	dir := filepath.Join("..", ".cache", "bench", fmt.Sprintf("journal-real-%d-v1", n))
	if _, err := os.Stat(filepath.Join(dir, "complete")); err != nil {
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		base := min(n, 100_000)
		if err := buildRealistic(b, dir, base); err != nil {
			b.Fatal(err)
		}
		if n > base {
			db, err := Open(dir, Options{})
			if err != nil {
				b.Fatal(err)
			}
			db.db.SetMaxOpenConns(1)
			db.db.Exec(`PRAGMA synchronous = OFF`)
			err = copyRealistic(context.Background(), db, base, n/base)
			db.Close()
			if err != nil {
				b.Fatal(err)
			}
		}
		b.Logf("built %d requests in %s", n, time.Since(start).Round(time.Second))
		os.WriteFile(filepath.Join(dir, "complete"), nil, 0o600)
	}
	db, err := Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// buildRealistic writes the journal (see realisticJournal). Its length
// follows the transport's loop step by step, hence over 80 lines.
func buildRealistic(b *testing.B, dir string, n int) error {
	samples := loadJournalSamples(b)
	clock := time.Date(2022, 1, 10, 8, 0, 0, 0, time.UTC)
	step := 5 * 365 * 24 * time.Hour / time.Duration(n) // five years whatever n
	db, err := Open(dir, Options{Now: func() time.Time { return clock }})
	if err != nil {
		return err
	}
	defer db.Close()
	db.db.SetMaxOpenConns(1)
	if _, err := db.db.Exec(`PRAGMA synchronous = OFF`); err != nil {
		return err
	}
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	surnames := []string{"Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
		"Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов",
		"Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров"}
	names := []string{"Иван", "Сергей", "Анна", "Мария", "Пётр", "Ольга", "Николай", "Елена", "Алексей", "Татьяна"}
	const group = 256
	type queuedItem struct {
		n  NewRequest
		m  OutboxMessage
		at time.Time
	}
	for i := 0; i < n; i += group {
		var replies []NewReply
		var acks []string
		var queued []queuedItem
		for j := i; j < i+group && j < n; j++ {
			s := &samples[j%len(samples)]
			msg := fmt.Sprintf("%08x-c0de-11f0-8000-%012x", j, j)
			applicant := fmt.Sprintf("%s%d %s", surnames[rng.IntN(len(surnames))], rng.IntN(10), names[rng.IntN(len(names))])
			nr := NewRequest{TemplateID: s.TemplateID, TemplateTitle: s.TemplateTitle,
				Provider: s.Provider, ProviderCode: s.ProviderCode, Applicant: applicant, SNILS: s.SNILS,
				Body: s.Body, Actor: "bench"}
			m := OutboxMessage{MessageID: msg, Envelope: bytes.ReplaceAll(s.Envelope, []byte(s.MessageID), []byte(msg)),
				ContentType: s.ContentType, TermDays: s.TermDays}
			if err := prepareOutgoing(&nr, &m); err != nil {
				return err
			}
			queued = append(queued, queuedItem{nr, m, clock})
			clock = clock.Add(step)
			if j > n-n/50 && rng.IntN(100) < 60 {
				continue // still waiting for its answer
			}
			rmsg := fmt.Sprintf("%08x-a115-11f0-8000-%012x", j, j)
			env := bytes.ReplaceAll(s.ReplyEnvelope, []byte(s.MessageID), []byte(msg))
			env = bytes.ReplaceAll(env, []byte(s.ReplyMessageID), []byte(rmsg))
			r := NewReply{OriginalMessageID: msg, MessageID: rmsg, Kind: s.ReplyKind, RejectCode: s.RejectCode,
				Body: s.ReplyBody, Envelope: env, SignatureJSON: s.SignatureJSON, Status: domain.StatusAnswered,
				Note: "ответ получен, подписи действительны"}
			for _, a := range s.Attachments {
				r.Attachments = append(r.Attachments, NewAttachment{Name: a.Name, MimeType: a.MimeType, SHA256: a.SHA256,
					Content: a.Content, Signature: a.Signature})
			}
			replies = append(replies, r)
			acks = append(acks, rmsg)
		}
		// EnqueueOutgoing's writing, a group per transaction.
		err := db.tx(ctx, "bench.enqueue", func(tx *sql.Tx) error {
			for k := range queued {
				if _, err := enqueueOutgoingTx(ctx, tx, &queued[k].n, &queued[k].m, queued[k].at); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		due, err := db.OutboxDueVia(ctx, ViaDirect, clock, group)
		if err != nil {
			return err
		}
		recs := make([]SentRecord, len(due))
		for k, it := range due {
			recs[k] = SentRecord{ID: it.ID, At: clock, DueOn: clock.AddDate(0, 0, 7).Format(time.DateOnly), Note: "принят СМЭВ"}
		}
		if err := db.OutboxSentMany(ctx, recs); err != nil {
			return err
		}
		res, err := db.SaveReplies(ctx, replies)
		if err != nil {
			return err
		}
		for _, r := range res {
			if r.Err != nil {
				return r.Err
			}
		}
		if err := db.ReplyAcked(ctx, clock, acks...); err != nil {
			return err
		}
		if i%100_000 == 0 && i > 0 {
			b.Logf("%d of %d", i, n)
		}
	}
	return nil
}

// journalBytes reports the journal's size per request.
func journalBytes(b *testing.B, db *DB, n int) {
	var pages, size int64
	db.db.QueryRow(`PRAGMA page_count`).Scan(&pages)
	db.db.QueryRow(`PRAGMA page_size`).Scan(&size)
	b.ReportMetric(float64(pages*size)/float64(n), "B/request")
}

// realisticSizes: the journals the window's queries are measured on.
var realisticSizes = []int{10_000, 100_000, 1_000_000}

func realisticSizesWanted() []int {
	if s := os.Getenv("MEZHVED_BENCH_SIZES"); s != "" {
		var out []int
		for _, f := range strings.Split(s, ",") {
			var v int
			fmt.Sscan(f, &v)
			out = append(out, v)
		}
		return out
	}
	return realisticSizes
}

// BenchmarkRealJournal: every page, count and search of the window over
// journals written through the real write path, 10k / 100k / 1M requests
// (MEZHVED_BENCH_SIZES=10000,100000 picks). Target ≤ 20 ms each, not
// growing with the journal.
func BenchmarkRealJournal(b *testing.B) {
	ctx := context.Background()
	cases := []struct {
		name    string
		f       domain.RequestFilter
		refused bool // the clerk is asked to narrow the search
	}{
		{name: "FirstPage", f: domain.RequestFilter{Limit: 50}},
		{name: "NextPage", f: domain.RequestFilter{Limit: 50, Offset: 50, SkipTotal: true}},
		{name: "Outgoing", f: domain.RequestFilter{Direction: domain.Outgoing, Limit: 50}},
		{name: "Incoming", f: domain.RequestFilter{Direction: domain.Incoming, Limit: 50}},
		{name: "IncomingNewest", f: domain.RequestFilter{Direction: domain.Incoming, Order: "-created", Limit: 50}},
		{name: "IncomingInWork", f: domain.RequestFilter{Direction: domain.Incoming, Statuses: []domain.Status{domain.StatusReceived, domain.StatusQueued, domain.StatusSent}, Limit: 50}},
		{name: "StatusSent", f: domain.RequestFilter{Statuses: []domain.Status{domain.StatusSent}, Limit: 50}},
		{name: "StatusAnswered", f: domain.RequestFilter{Statuses: []domain.Status{domain.StatusAnswered}, Limit: 50}},
		{name: "Provider", f: domain.RequestFilter{Provider: "Росреестр", Limit: 50}},
		{name: "NewestFirst", f: domain.RequestFilter{Order: "-created", Limit: 50}},
		{name: "Overdue", f: domain.RequestFilter{OverdueOn: "2027-06-01", Limit: 50}},
		{name: "Search1", f: domain.RequestFilter{Query: "петров3", Limit: 50}},
		{name: "Search2", f: domain.RequestFilter{Query: "петров3 анна", Limit: 50}},
		{name: "Search2Reversed", f: domain.RequestFilter{Query: "анна петров3", Limit: 50}},
		{name: "SearchCommon", f: domain.RequestFilter{Query: "анна", Limit: 50}},
		{name: "SearchCommon2", f: domain.RequestFilter{Query: "анна росреестр", Limit: 50}},
		{name: "SearchProvider", f: domain.RequestFilter{Query: "росреестр", Limit: 50}},
		// As the window asks: always in one direction.
		{name: "WindowSearch1", f: domain.RequestFilter{Direction: domain.Outgoing, Query: "петров3", Limit: 50}},
		{name: "WindowSearch2", f: domain.RequestFilter{Direction: domain.Outgoing, Query: "петров3 анна", Limit: 50}},
		{name: "WindowSearchCommon", f: domain.RequestFilter{Direction: domain.Outgoing, Query: "анна", Limit: 50}},
		{name: "WindowSearchNowhere", f: domain.RequestFilter{Direction: domain.Outgoing, Query: "росреестр фнс", Limit: 50}, refused: true},
		{name: "WindowSearchIncoming", f: domain.RequestFilter{Direction: domain.Incoming, Query: "анна", Limit: 50}},
	}
	for _, n := range realisticSizesWanted() {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			db := realisticJournal(b, n)
			b.Run("Size", func(b *testing.B) {
				for b.Loop() {
				}
				journalBytes(b, db, n)
			})
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						if _, err := db.ListRequests(ctx, c.f); (err != nil) != c.refused {
							b.Fatal(err)
						}
					}
				})
			}
			// What the unfiltered total cost before request_counts.
			b.Run("CountStarBefore", func(b *testing.B) {
				for b.Loop() {
					var c int
					if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM requests`).Scan(&c); err != nil || c != n {
						b.Fatal(c, err)
					}
				}
			})
			b.Run("Summary", func(b *testing.B) {
				for b.Loop() {
					if _, err := db.ListRequests(ctx, domain.RequestFilter{Limit: 1}); err != nil {
						b.Fatal(err)
					}
					for _, d := range []domain.Direction{domain.Outgoing, domain.Incoming} {
						if _, err := db.CountOverdue(ctx, "2027-06-01", d); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		})
	}
}

// copyRealistic grows a journal of base requests (ids 1..base, written by
// buildRealistic) to factor×base by copying every row that belongs to a
// request — the request, its search words, events, deadlines, outbox row,
// replies and attachments — with new ids and MessageIDs, as SQL inside the
// journal: the same rows the real path writes (packed values stay packed),
// the counters kept by their triggers, in a fraction of the time. Copy k
// lies in the same five years, so the journal is k times denser.
func copyRealistic(ctx context.Context, db *DB, base, factor int) error {
	var maxReply, maxAtt int64
	if err := db.db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM replies`).Scan(&maxReply); err != nil {
		return err
	}
	if err := db.db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM attachments`).Scan(&maxAtt); err != nil {
		return err
	}
	for k := 1; k < factor; k++ {
		shift, rshift, ashift := int64(k*base), int64(k)*maxReply, int64(k)*maxAtt
		suffix := fmt.Sprintf(".%d", k)
		over := map[string]map[string]string{
			"requests":     {"id": "id + :s", "message_id": "message_id || :x"},
			"search_words": {"request_id": "request_id + :s"},
			"events":       {"seq": "", "request_id": "request_id + :s"},
			"deadlines":    {"id": "", "request_id": "request_id + :s"},
			"outbox":       {"id": "", "request_id": "request_id + :s", "message_id": "message_id || :x"},
			"replies":      {"id": "id + :r", "request_id": "request_id + :s", "message_id": "message_id || :x"},
			"attachments": {"id": "id + :a", "reply_id": "reply_id + :r",
				"request_id": "CASE WHEN request_id IS NULL THEN NULL ELSE request_id + :s END"},
		}
		err := db.tx(ctx, "bench.copy", func(tx *sql.Tx) error {
			for _, t := range []string{"requests", "search_words", "events", "deadlines", "outbox", "replies", "attachments"} {
				cols, exprs, err := copyColumns(ctx, tx, t, over[t])
				if err != nil {
					return err
				}
				q := `INSERT INTO ` + t + ` (` + cols + `) SELECT ` + exprs + ` FROM ` + t
				switch t {
				case "requests":
					q += ` WHERE id <= :b`
				case "replies", "attachments":
					q += ` WHERE id <= :m`
				default:
					q += ` WHERE request_id <= :b`
				}
				if t == "attachments" {
					q = strings.Replace(q, ` WHERE id <= :m`, ` WHERE id <= :am`, 1)
				}
				if _, err := tx.ExecContext(ctx, q, sql.Named("s", shift), sql.Named("r", rshift), sql.Named("a", ashift),
					sql.Named("x", suffix), sql.Named("b", base), sql.Named("m", maxReply), sql.Named("am", maxAtt)); err != nil {
					return fmt.Errorf("copy %s: %w", t, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// copyColumns lists a table's columns and the expressions that copy them
// (an override "" leaves the column to SQLite).
func copyColumns(ctx context.Context, tx *sql.Tx, table string, over map[string]string) (string, string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		return "", "", err
	}
	defer rows.Close()
	var cols, exprs []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return "", "", err
		}
		e, ok := over[c]
		if ok && e == "" {
			continue
		}
		if !ok {
			e = c
		}
		cols, exprs = append(cols, c), append(exprs, e)
	}
	return strings.Join(cols, ", "), strings.Join(exprs, ", "), rows.Err()
}
