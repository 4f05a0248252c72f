package region

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"

	"github.com/mezhved/mezhved/region/regionsync"
)

const oktmoA, oktmoB = "46605101", "46605102"

func TestSyncEverythingOnce(t *testing.T) {
	backends(t, func(t *testing.T, newStore func() *Store) {
		e := newEnv(t, newStore(), ServerConfig{})
		ws := e.workstation(oktmoA, "Сельское поселение Берёзовское", "ws-1")
		db := journal(t, 400) // 934 events
		total := eventCount(t, db)
		c := e.client(ws, func(c *regionsync.ClientConfig) { c.BatchSize = 100 })
		var last regionsync.Progress
		res, err := c.Sync(context.Background(), db, func(p regionsync.Progress) { last = p })
		if err != nil {
			t.Fatal(err)
		}
		if res.Sent != total || res.Waiting != 0 || last.Sent != total || last.Total != total {
			t.Fatalf("sent %d waiting %d progress %+v, want %d", res.Sent, res.Waiting, last, total)
		}
		if n, _ := e.store.CountEvents(context.Background(), oktmoA, "ws-1"); n != total {
			t.Fatalf("server holds %d events, want %d", n, total)
		}
		// A second sync sends nothing.
		res, err = c.Sync(context.Background(), db, nil)
		if err != nil || res.Sent != 0 {
			t.Fatalf("second sync: %+v %v", res, err)
		}
		// State for the window.
		st, err := regionsync.ReadState(context.Background(), db)
		if err != nil || st.Waiting != 0 || st.LastSync.IsZero() || st.Message != "" {
			t.Fatalf("state %+v %v", st, err)
		}
		// Metadata only: no applicant, no СНИЛС, no clerk's name or note.
		var applicants, snils int
		e.store.queryRow(context.Background(), `SELECT count(*) FROM requests WHERE applicant <> ''`).Scan(&applicants)
		e.store.queryRow(context.Background(), `SELECT count(*) FROM requests WHERE snils <> ''`).Scan(&snils)
		if applicants != 0 || snils != 0 {
			t.Fatalf("personal data reached the region: %d applicants, %d СНИЛС", applicants, snils)
		}
		var actors int
		e.store.queryRow(context.Background(), `SELECT count(*) FROM events WHERE actor NOT IN ('clerk', 'outbox', 'smev', 'system')`).Scan(&actors)
		if actors != 0 {
			t.Fatalf("%d events carry a clerk's name", actors)
		}
		// The derived state: 134 of 400 answered, the rest sent.
		var answered, sent int
		e.store.queryRow(context.Background(), `SELECT count(*) FROM requests WHERE status = 'answered' AND answered_at IS NOT NULL AND sent_at IS NOT NULL`).Scan(&answered)
		e.store.queryRow(context.Background(), `SELECT count(*) FROM requests WHERE status = 'sent'`).Scan(&sent)
		if answered != 134 || sent != 266 {
			t.Fatalf("answered %d sent %d", answered, sent)
		}
	})
}

func TestPersonalDataWhenConfigured(t *testing.T) {
	e := newEnv(t, sqliteStore(t), ServerConfig{})
	ws := e.workstation(oktmoA, "Берёзовское", "ws-1")
	db := journal(t, 3)
	if _, err := e.client(ws, func(c *regionsync.ClientConfig) { c.Personal = true }).Sync(context.Background(), db, nil); err != nil {
		t.Fatal(err)
	}
	var n int
	e.store.queryRow(context.Background(), `SELECT count(*) FROM requests WHERE applicant LIKE 'Иванов%' AND snils = '112-233-445 95'`).Scan(&n)
	if n != 3 {
		t.Fatalf("%d requests with the applicant", n)
	}
}

func batchOf(t *testing.T, db *store.DB, oktmo string, after int64, n int) *regionsync.PushRequest {
	t.Helper()
	evs, err := db.SyncBatch(context.Background(), after, n)
	if err != nil {
		t.Fatal(err)
	}
	return regionsync.BuildBatch(oktmo, after, evs, false)
}

func TestReplayAndReorder(t *testing.T) {
	backends(t, func(t *testing.T, newStore func() *Store) {
		ctx := context.Background()
		e := newEnv(t, newStore(), ServerConfig{})
		ws := e.workstation(oktmoA, "Берёзовское", "ws-1")
		db := journal(t, 30) // 70 events
		c := e.client(ws, nil)
		b1 := batchOf(t, db, oktmoA, 0, 40)
		b2 := batchOf(t, db, oktmoA, b1.Events[len(b1.Events)-1].Seq, 40)

		// Reordered: the second batch first is refused with what is expected.
		_, err := c.Push(ctx, b2)
		var gap *regionsync.GapError
		if !errors.As(err, &gap) || gap.Expected != 0 {
			t.Fatalf("second batch first: %v, want a gap expecting 0", err)
		}
		if n, _ := e.store.CountEvents(ctx, oktmoA, "ws-1"); n != 0 {
			t.Fatalf("a refused batch stored %d events", n)
		}
		s1, err := c.Push(ctx, b1)
		if err != nil || s1 != 40 {
			t.Fatalf("first batch: %d %v", s1, err)
		}
		// Replayed: changes nothing, answers the same.
		for i := 0; i < 2; i++ {
			s, err := c.Push(ctx, b1)
			if err != nil || s != 40 {
				t.Fatalf("replay: %d %v", s, err)
			}
		}
		var status1 string
		e.store.queryRow(ctx, `SELECT status FROM requests WHERE request_id = 1`).Scan(&status1)
		s2, err := c.Push(ctx, b2)
		if err != nil || s2 != 70 {
			t.Fatalf("second batch: %d %v", s2, err)
		}
		// An old batch replayed after newer ones changes nothing either.
		if s, err := c.Push(ctx, b1); err != nil || s != 70 {
			t.Fatalf("late replay: %d %v", s, err)
		}
		if n, _ := e.store.CountEvents(ctx, oktmoA, "ws-1"); n != 70 {
			t.Fatalf("server holds %d events, want 70", n)
		}
		var status string
		e.store.queryRow(ctx, `SELECT status FROM requests WHERE request_id = 1`).Scan(&status)
		if status != "answered" || status1 != "answered" {
			t.Fatalf("request 1 is %q/%q after replays", status1, status)
		}
	})
}

// cutTransport breaks the connection in the middle of the request body
// for the first `cuts` POSTs: the server sees a truncated batch.
type cutTransport struct {
	base http.RoundTripper
	cuts atomic.Int32
}

type halfReader struct {
	data []byte
	pos  int
}

func (h *halfReader) Read(p []byte) (int, error) {
	half := len(h.data) / 2
	if h.pos >= half {
		return 0, errors.New("connection cut")
	}
	n := copy(p, h.data[h.pos:half])
	h.pos += n
	return n, nil
}

func (c *cutTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPost && c.cuts.Add(-1) >= 0 {
		var buf bytes.Buffer
		buf.ReadFrom(r.Body)
		r2 := r.Clone(r.Context())
		r2.Body = io.NopCloser(&halfReader{data: buf.Bytes()})
		r2.ContentLength = int64(buf.Len())
		r2.GetBody = nil
		return c.base.RoundTrip(r2)
	}
	return c.base.RoundTrip(r)
}

// lostAnswer commits on the server but loses the answer for the first
// `drops` POSTs, as when the link breaks after the server has written.
type lostAnswer struct {
	base  http.RoundTripper
	drops atomic.Int32
}

func (l *lostAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.base.RoundTrip(r)
	if err == nil && r.Method == http.MethodPost && l.drops.Add(-1) >= 0 {
		resp.Body.Close()
		return nil, errors.New("connection reset after the request")
	}
	return resp, err
}

func baseTransport(e *env, ws *Issued) *http.Transport {
	pool := x509.NewCertPool()
	pool.AddCert(e.ca.Cert)
	return &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{ws.TLSCertificate()}}}
}

func TestBreakInTheMiddleOfABatch(t *testing.T) {
	backends(t, func(t *testing.T, newStore func() *Store) {
		ctx := context.Background()
		e := newEnv(t, newStore(), ServerConfig{})
		ws := e.workstation(oktmoA, "Берёзовское", "ws-1")
		db := journal(t, 100) // 234 events
		total := eventCount(t, db)

		// The body is cut halfway, twice: the server stores nothing of it,
		// the client retries and resumes.
		cut := &cutTransport{base: baseTransport(e, ws)}
		cut.cuts.Store(2)
		c := e.client(ws, func(c *regionsync.ClientConfig) { c.BatchSize = 50; c.Transport = cut })
		res, err := c.Sync(ctx, db, nil)
		if err != nil {
			t.Fatal(err)
		}
		if cut.cuts.Load() >= 0 {
			t.Fatal("no batch was cut")
		}
		if res.Stored != lastSeq(t, db) || res.Waiting != 0 {
			t.Fatalf("result %+v", res)
		}
		if n, _ := e.store.CountEvents(ctx, oktmoA, "ws-1"); n != total {
			t.Fatalf("server holds %d events, want %d", n, total)
		}

		// The server wrote a batch but the answer was lost: the resend is a
		// replay and nothing is doubled.
		db2 := journal(t, 100)
		ws2 := e.workstation(oktmoB, "Кленовское", "ws-2")
		lost := &lostAnswer{base: baseTransport(e, ws2)}
		lost.drops.Store(2)
		c2 := e.client(ws2, func(c *regionsync.ClientConfig) { c.BatchSize = 60; c.Transport = lost })
		if _, err := c2.Sync(ctx, db2, nil); err != nil {
			t.Fatal(err)
		}
		if lost.drops.Load() >= 0 {
			t.Fatal("no answer was lost")
		}
		if n, _ := e.store.CountEvents(ctx, oktmoB, "ws-2"); n != eventCount(t, db2) {
			t.Fatalf("server holds %d events, want %d", n, eventCount(t, db2))
		}

		// A sync stopped between batches (context cancelled) resumes from
		// what the server stored.
		db3 := journal(t, 100)
		ws3 := e.workstation("46605103", "Дубравное", "ws-3")
		c3 := e.client(ws3, func(c *regionsync.ClientConfig) { c.BatchSize = 40 })
		cctx, cancel := context.WithCancel(ctx)
		batches := 0
		_, err = c3.Sync(cctx, db3, func(p regionsync.Progress) {
			if p.Sent > 0 {
				if batches++; batches == 2 {
					cancel()
				}
			}
		})
		if err == nil {
			t.Fatal("a cancelled sync reported success")
		}
		st, _ := regionsync.ReadState(ctx, db3)
		if st.Waiting == 0 || st.Message == "" {
			t.Fatalf("state after a break: %+v", st)
		}
		if _, err := c3.Sync(ctx, db3, nil); err != nil {
			t.Fatal(err)
		}
		if n, _ := e.store.CountEvents(ctx, "46605103", "ws-3"); n != eventCount(t, db3) {
			t.Fatalf("after resuming the server holds %d events, want %d", n, eventCount(t, db3))
		}
	})
}

func lastSeq(t *testing.T, db *store.DB) int64 {
	evs, err := db.SyncBatch(context.Background(), 0, 10000)
	if err != nil || len(evs) == 0 {
		t.Fatal(err)
	}
	return evs[len(evs)-1].Seq
}

func TestAnotherSettlementRefused(t *testing.T) {
	backends(t, func(t *testing.T, newStore func() *Store) {
		ctx := context.Background()
		e := newEnv(t, newStore(), ServerConfig{})
		ws := e.workstation(oktmoA, "Берёзовское", "ws-1")
		e.workstation(oktmoB, "Кленовское", "ws-2")
		db := journal(t, 5)
		c := e.client(ws, nil)
		_, err := c.Push(ctx, batchOf(t, db, oktmoB, 0, 100))
		if domain.ErrorCode(err) != domain.EPERMISSION || !strings.Contains(domain.ErrorMessage(err), "своего поселения") {
			t.Fatalf("write for another settlement: %v", err)
		}
		for _, k := range []string{oktmoA, oktmoB} {
			var n int
			e.store.queryRow(ctx, `SELECT count(*) FROM events WHERE oktmo = $1`, k).Scan(&n)
			if n != 0 {
				t.Fatalf("%d events stored for %s", n, k)
			}
		}
	})
}

func TestUnknownCertificateRefused(t *testing.T) {
	backends(t, func(t *testing.T, newStore func() *Store) {
		ctx := context.Background()
		e := newEnv(t, newStore(), ServerConfig{})
		e.workstation(oktmoA, "Берёзовское", "ws-1")
		db := journal(t, 2)

		// Issued by another CA: the TLS handshake fails.
		other, _ := NewCA("Чужой CA", time.Now())
		foreign, _ := other.IssueWorkstation(oktmoA, "Берёзовское", "ws-1", time.Now())
		_, err := e.client(foreign, nil).Sync(ctx, db, nil)
		if domain.ErrorCode(err) != domain.EPERMISSION {
			t.Fatalf("foreign certificate: %v", err)
		}
		// Issued by our CA but never recorded (or the database was restored).
		unrecorded, _ := e.ca.IssueWorkstation(oktmoA, "Берёзовское", "ws-1", time.Now())
		_, err = e.client(unrecorded, nil).Sync(ctx, db, nil)
		if domain.ErrorCode(err) != domain.EPERMISSION || !strings.Contains(domain.ErrorMessage(err), "не зарегистрирован") {
			t.Fatalf("unrecorded certificate: %v", err)
		}
		// Revoked.
		revoked := e.workstation(oktmoA, "Берёзовское", "ws-9")
		if err := e.store.RevokeWorkstation(ctx, regionsync.SerialHex(revoked.Cert)); err != nil {
			t.Fatal(err)
		}
		_, err = e.client(revoked, nil).Sync(ctx, db, nil)
		if domain.ErrorCode(err) != domain.EPERMISSION {
			t.Fatalf("revoked certificate: %v", err)
		}
		// No certificate at all.
		pool := x509.NewCertPool()
		pool.AddCert(e.ca.Cert)
		hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		resp, err := hc.Post(e.url+"/api/v1/events", "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("no certificate: HTTP %d", resp.StatusCode)
		}
		if n, _ := e.store.CountEvents(ctx, oktmoA, "ws-1"); n != 0 {
			t.Fatalf("%d events stored", n)
		}
	})
}

func post(t *testing.T, e *env, ws *Issued, body string) (*http.Response, regionsync.ErrorResponse) {
	t.Helper()
	hc := &http.Client{Transport: baseTransport(e, ws)}
	resp, err := hc.Post(e.url+"/api/v1/events", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var er regionsync.ErrorResponse
	json.NewDecoder(resp.Body).Decode(&er)
	return resp, er
}

func TestInvalidInputRefused(t *testing.T) {
	e := newEnv(t, sqliteStore(t), ServerConfig{Rate: 1000, Burst: 1000})
	ws := e.workstation(oktmoA, "Берёзовское", "ws-1")
	good := func() *regionsync.PushRequest {
		return &regionsync.PushRequest{Settlement: oktmoA, After: 0,
			Requests: []regionsync.RequestMeta{{ID: 1, Direction: "out", Channel: "smev", CreatedAt: "2026-11-02T10:00:00Z", DueOn: "2026-11-20"}},
			Events:   []regionsync.Event{{Seq: 1, RequestID: 1, At: "2026-11-02T10:00:00Z", Actor: "clerk", To: "queued"}}}
	}
	cases := map[string]func(p *regionsync.PushRequest){
		"unknown status":     func(p *regionsync.PushRequest) { p.Events[0].To = "lost" },
		"bad time":           func(p *regionsync.PushRequest) { p.Events[0].At = "yesterday" },
		"seq not increasing": func(p *regionsync.PushRequest) { p.Events = append(p.Events, p.Events[0]) },
		"unknown request":    func(p *regionsync.PushRequest) { p.Events[0].RequestID = 7 },
		"clerk's name":       func(p *regionsync.PushRequest) { p.Events[0].Actor = "Петрова А. А." },
		"bad channel":        func(p *regionsync.PushRequest) { p.Requests[0].Channel = "pigeon" },
		"bad due date":       func(p *regionsync.PushRequest) { p.Requests[0].DueOn = "2026-13-45" },
		"bad OKTMO":          func(p *regionsync.PushRequest) { p.Settlement = "46605101'; DROP TABLE events; --" },
		"no events":          func(p *regionsync.PushRequest) { p.Events = nil },
		"negative after":     func(p *regionsync.PushRequest) { p.After = -1 },
		"control characters": func(p *regionsync.PushRequest) { p.Requests[0].Provider = "ФНС\x00" },
		"too long":           func(p *regionsync.PushRequest) { p.Requests[0].TemplateTitle = strings.Repeat("я", 501) },
	}
	for name, mod := range cases {
		p := good()
		mod(p)
		b, _ := json.Marshal(p)
		resp, er := post(t, e, ws, string(b))
		if resp.StatusCode != http.StatusBadRequest || er.Message == "" {
			t.Errorf("%s: HTTP %d %+v", name, resp.StatusCode, er)
		}
	}
	for name, body := range map[string]string{
		"not JSON":      "{",
		"unknown field": `{"settlement":"46605101","after":0,"events":[],"requests":[],"sql":"x"}`,
		"trailing data": `{"settlement":"46605101","after":0,"events":[],"requests":[]} {}`,
	} {
		resp, _ := post(t, e, ws, body)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: HTTP %d", name, resp.StatusCode)
		}
	}
	b, _ := json.Marshal(good())
	if resp, er := post(t, e, ws, string(b)); resp.StatusCode != http.StatusOK {
		t.Fatalf("the good batch: HTTP %d %+v", resp.StatusCode, er)
	}
}

func TestRateLimitPerWorkstation(t *testing.T) {
	e := newEnv(t, sqliteStore(t), ServerConfig{Rate: 0.5, Burst: 3})
	ws1 := e.workstation(oktmoA, "Берёзовское", "ws-1")
	ws2 := e.workstation(oktmoB, "Кленовское", "ws-2")
	var limited *http.Response
	for i := 0; i < 5; i++ {
		resp, _ := post(t, e, ws1, "{")
		if resp.StatusCode == http.StatusTooManyRequests {
			limited = resp
			break
		}
	}
	if limited == nil {
		t.Fatal("no 429 after 5 requests with a burst of 3")
	}
	if ra := limited.Header.Get("Retry-After"); ra != "2" {
		t.Fatalf("Retry-After %q, want 2", ra)
	}
	// Another workstation has its own bucket.
	if resp, _ := post(t, e, ws2, "{"); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("the other workstation: HTTP %d", resp.StatusCode)
	}
}

func TestUnreachableRegion(t *testing.T) {
	e := newEnv(t, sqliteStore(t), ServerConfig{})
	ws := e.workstation(oktmoA, "Берёзовское", "ws-1")
	db := journal(t, 2)
	e.http.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var states []regionsync.State
	s := regionsync.NewSyncer(e.client(ws, nil), db, time.Hour, func(st regionsync.State) { states = append(states, st) })
	_, err := s.Once(ctx)
	if !regionsync.IsUnreachable(err) || domain.ErrorCode(err) != domain.EUNAVAILABLE {
		t.Fatalf("err %v", err)
	}
	st := s.State()
	if !st.Unreachable || st.Running || st.Waiting != eventCount(t, db) || !strings.Contains(st.Message, "недоступен") {
		t.Fatalf("state %+v", st)
	}
	if len(states) < 2 || !states[0].Running {
		t.Fatalf("states %+v", states)
	}
	// The journal still works offline.
	if _, err := db.CreateRequest(ctx, store.NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelPost, Status: domain.StatusDraft, Actor: "clerk"}); err != nil {
		t.Fatal(err)
	}
	rs, _ := regionsync.ReadState(ctx, db)
	if !rs.Unreachable || rs.Waiting != st.Waiting+1 {
		t.Fatalf("read state %+v", rs)
	}
}

// A workstation whose journal was replaced (reinstalled, restored from an
// old copy) is stopped with a clear message instead of skipping events.
func TestReplacedJournalIsNoticed(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, sqliteStore(t), ServerConfig{})
	ws := e.workstation(oktmoA, "Берёзовское", "ws-1")
	c := e.client(ws, nil)
	if _, err := c.Sync(ctx, journal(t, 10), nil); err != nil {
		t.Fatal(err)
	}
	fresh := journal(t, 2)
	_, err := c.Sync(ctx, fresh, nil)
	if domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(domain.ErrorMessage(err), "журнал заменён") {
		t.Fatalf("replaced journal: %v", err)
	}
	if n, _ := e.store.CountEvents(ctx, oktmoA, "ws-1"); n != 24 {
		t.Fatalf("server holds %d events", n)
	}
}

// The background syncer as the window uses it: enrolled from the data
// directory, triggered, its state following the sync.
func TestSyncerInTheBackground(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e := newEnv(t, sqliteStore(t), ServerConfig{})
	ws := e.workstation(oktmoA, "Берёзовское", "ws-1")
	db := journal(t, 50)
	if _, err := regionsync.OpenSyncer(ctx, db, time.Hour, nil); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("not enrolled: %v", err)
	}
	if err := WriteEnrollment(filepath.Join(db.Dir(), regionsync.EnrollDir), ws, e.ca.Cert, nil, e.url); err != nil {
		t.Fatal(err)
	}
	states := make(chan regionsync.State, 1000)
	s, err := regionsync.OpenSyncer(ctx, db, time.Hour, func(st regionsync.State) { states <- st })
	if err != nil {
		t.Fatal(err)
	}
	go s.Run(ctx)
	total := eventCount(t, db)
	wait := func(what string, ok func(regionsync.State) bool) regionsync.State {
		t.Helper()
		deadline := time.After(20 * time.Second)
		for {
			select {
			case st := <-states:
				if ok(st) {
					return st
				}
			case <-deadline:
				t.Fatalf("no state %s; last %+v", what, s.State())
			}
		}
	}
	wait("running", func(st regionsync.State) bool { return st.Running })
	st := wait("done", func(st regionsync.State) bool { return !st.Running && !st.LastSync.IsZero() })
	if st.Waiting != 0 || st.Progress.Sent != total || st.Unreachable || st.Message != "" {
		t.Fatalf("after the first sync: %+v", st)
	}
	// New work, then «Синхронизировать».
	if _, err := db.CreateRequest(ctx, store.NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelPost, Status: domain.StatusDraft, Actor: "clerk"}); err != nil {
		t.Fatal(err)
	}
	s.Trigger()
	st = wait("the second sync", func(st regionsync.State) bool { return !st.Running && st.Progress.Sent == 1 })
	if n, _ := e.store.CountEvents(ctx, oktmoA, "ws-1"); n != total+1 || st.Waiting != 0 {
		t.Fatalf("server %d, state %+v", n, st)
	}
}
