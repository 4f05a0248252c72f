package region

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/internal/testtool"

	"github.com/mezhved/mezhved/region/regionsync"
)

// dashNow is the dashboard's "now" in the tests: 22 November 2026, 12:00 MSK.
var dashNow = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

type seedSettlement struct {
	oktmo, name string
	inTermP     float64 // chance an answer comes in term
	perMonth    int
}

var seedSettlements = []seedSettlement{
	{"46605101", "Сельское поселение Берёзовское", 0.95, 14},
	{"46605102", "Городское поселение Кленовск", 0.80, 22},
	{"46605103", "Сельское поселение Дубравное", 0.60, 9},
	{"46605104", "Сельское поселение Ольховка", 0.88, 6},
	{"46605105", "Сельское поселение Сосновый Бор", 0.40, 11},
}

// expected outcome counts per settlement for the period Jan 1 – Nov 22.
type seedExpect struct {
	sent, inTerm, late, refused, errors, overdue int
}

var providers = []struct{ name, tmpl string }{
	{"ФНС России", "Выписка из ЕГРЮЛ"},
	{"Росреестр", "Выписка из ЕГРН об объекте"},
	{"МВД России", "Сведения о регистрации по месту жительства"},
	{"СФР", "Проверка СНИЛС"},
	{"ЗАГС", "Сведения о рождении"},
}

// seed pushes a year of requests for every settlement straight into the
// store and returns the expected figures.
func seed(t testing.TB, st *Store) map[string]*seedExpect {
	t.Helper()
	ctx := context.Background()
	rnd := rand.New(rand.NewPCG(8, 2026))
	today := "2026-11-22"
	exp := map[string]*seedExpect{}
	for _, s := range seedSettlements {
		if err := st.AddSettlement(ctx, s.oktmo, s.name); err != nil {
			t.Fatal(err)
		}
		x := &seedExpect{}
		exp[s.oktmo] = x
		p := &regionsync.PushRequest{Settlement: s.oktmo}
		seq := int64(0)
		id := int64(0)
		for m := time.January; m <= time.November; m++ {
			n := s.perMonth + rnd.IntN(5)
			for i := 0; i < n; i++ {
				day := 1 + rnd.IntN(28)
				if m == time.November {
					day = 1 + rnd.IntN(21)
				}
				sent := time.Date(2026, m, day, 7+rnd.IntN(8), rnd.IntN(60), 0, 0, time.UTC)
				due := sent.AddDate(0, 0, 7)
				id++
				pr := providers[rnd.IntN(len(providers))]
				p.Requests = append(p.Requests, regionsync.RequestMeta{ID: id, Direction: "out", TemplateID: "t", TemplateTitle: pr.tmpl,
					Provider: pr.name, Channel: "smev", CreatedAt: sent.Add(-time.Hour).Format(time.RFC3339), DueOn: due.Format(time.DateOnly)})
				add := func(at time.Time, from, to string) {
					seq++
					p.Events = append(p.Events, regionsync.Event{Seq: seq, RequestID: id, At: at.Format(time.RFC3339), Actor: "outbox", From: from, To: to})
				}
				add(sent.Add(-time.Hour), "", "queued")
				add(sent, "queued", "sent")
				x.sent++
				switch r := rnd.Float64(); {
				case r < 0.04:
					add(sent.Add(30*time.Hour), "sent", "rejected")
					x.refused++
				case r < 0.08:
					add(sent.Add(2*time.Hour), "sent", "error")
					x.errors++
				default:
					var at time.Time
					if rnd.Float64() < s.inTermP {
						at = sent.AddDate(0, 0, rnd.IntN(7))
					} else {
						at = sent.AddDate(0, 0, 8+rnd.IntN(10))
					}
					if at.After(dashNow) {
						if due.Format(time.DateOnly) < today {
							x.overdue++
						}
						continue // no answer yet
					}
					add(at, "sent", "answered")
					if at.Format(time.DateOnly) <= due.Format(time.DateOnly) {
						x.inTerm++
					} else {
						x.late++
					}
				}
			}
		}
		pushAll(t, st, p)
	}
	return exp
}

// pushAll stores a settlement's whole stream in batches of regionsync.MaxBatchEvents.
func pushAll(t testing.TB, st *Store, p *regionsync.PushRequest) {
	t.Helper()
	for len(p.Events) > 0 {
		n := min(len(p.Events), regionsync.MaxBatchEvents)
		part := &regionsync.PushRequest{Settlement: p.Settlement, After: p.Events[0].Seq - 1, Events: p.Events[:n]}
		need := map[int64]bool{}
		for _, e := range part.Events {
			need[e.RequestID] = true
		}
		for _, r := range p.Requests {
			if need[r.ID] {
				part.Requests = append(part.Requests, r)
			}
		}
		if err := part.Validate(); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Push(context.Background(), p.Settlement, "ws-1", part); err != nil {
			t.Fatal(err)
		}
		p.Events = p.Events[n:]
	}
}

func (x *seedExpect) share() float64 {
	return float64(x.inTerm) / float64(x.inTerm+x.late+x.overdue)
}

func staffClient(e *env) *http.Client {
	jar, _ := cookiejar.New(nil)
	pool := x509.NewCertPool()
	pool.AddCert(e.ca.Cert)
	return &http.Client{Jar: jar, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func dashEnv(t *testing.T, st *Store) (*env, map[string]*seedExpect) {
	t.Helper()
	st.now = func() time.Time { return dashNow }
	exp := seed(t, st)
	if err := st.AddUser(context.Background(), "analyst", "Смирнова Е. В.", "верный-пароль-2026"); err != nil {
		t.Fatal(err)
	}
	return newEnv(t, st, ServerConfig{Region: "Тестовая область", Now: func() time.Time { return dashNow }}), exp
}

func get(t *testing.T, hc *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := hc.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func login(t *testing.T, e *env, hc *http.Client, password string) *http.Response {
	t.Helper()
	resp, err := hc.PostForm(e.url+"/login", url.Values{"login": {"analyst"}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestDashboard(t *testing.T) {
	backends(t, func(t *testing.T, newStore func() *Store) {
		e, exp := dashEnv(t, newStore())
		hc := staffClient(e)

		// Not signed in: to the login page; the API is not the dashboard.
		for _, p := range []string{"/", "/export.csv", "/export.pdf"} {
			if resp, _ := get(t, hc, e.url+p); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
				t.Fatalf("%s without a session: HTTP %d → %q", p, resp.StatusCode, resp.Header.Get("Location"))
			}
		}
		if resp := login(t, e, hc, "неверный-пароль"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password: HTTP %d", resp.StatusCode)
		}
		resp := login(t, e, hc, "верный-пароль-2026")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: HTTP %d", resp.StatusCode)
		}
		ck := resp.Cookies()
		if len(ck) != 1 || !ck[0].HttpOnly || !ck[0].Secure || ck[0].SameSite != http.SameSiteStrictMode {
			t.Fatalf("session cookie %+v", ck)
		}

		resp, page := get(t, hc, e.url+"/")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("dashboard: HTTP %d\n%s", resp.StatusCode, page)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
			t.Fatalf("CSP %q", csp)
		}
		for _, s := range seedSettlements {
			x := exp[s.oktmo]
			row := fmt.Sprintf(`<td>%s</td><td class="mono">%s</td><td class="r">%d</td><td class="r">%d</td>`, s.name, s.oktmo, x.sent, x.inTerm)
			if !strings.Contains(page, row) {
				t.Errorf("dashboard lacks the row %s", row)
			}
		}
		for _, w := range []string{"Смирнова Е. В.", "Рейтинг", "По месяцам", "янв 2026", "ноя 2026", "Скачать CSV", "Скачать PDF"} {
			if !strings.Contains(page, w) {
				t.Errorf("dashboard lacks %q", w)
			}
		}

		checkCSV(t, e, hc, exp)
		checkPDF(t, e, hc)

		// Dates as typed in Russian.
		if resp, page := get(t, hc, e.url+"/?from=01.06.2026&to=30.06.2026"); resp.StatusCode != http.StatusOK ||
			!strings.Contains(page, "с 01.06.2026 по 30.06.2026") || strings.Contains(page, "янв 2026") {
			t.Fatalf("June: HTTP %d", resp.StatusCode)
		}
		// Bad input.
		for _, q := range []string{"from=2026-13-01", "from=2026-05-01&to=2026-04-01", "to=x'--"} {
			if resp, _ := get(t, hc, e.url+"/?"+q); resp.StatusCode != http.StatusBadRequest {
				t.Errorf("?%s: HTTP %d", q, resp.StatusCode)
			}
		}
		// Logout ends the session.
		resp, err := hc.Post(e.url+"/logout", "application/x-www-form-urlencoded", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp, _ := get(t, hc, e.url+"/"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("after logout: HTTP %d", resp.StatusCode)
		}
	})
}

// checkCSV: the ranking, best share first, with the figures.
func checkCSV(t *testing.T, e *env, hc *http.Client, exp map[string]*seedExpect) {
	t.Helper()
	resp, body := get(t, hc, e.url+"/export.csv?from=2026-01-01&to=2026-11-22")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "\ufeff") {
		t.Fatalf("csv: HTTP %d", resp.StatusCode)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil || len(recs) != len(seedSettlements)+1 {
		t.Fatalf("csv: %d records, %v", len(recs), err)
	}
	prev := 2.0
	for _, rec := range recs[1:] {
		x := exp[rec[1]]
		if rec[3] != strconv.Itoa(x.sent) || rec[4] != strconv.Itoa(x.inTerm) || rec[5] != strconv.Itoa(x.late) ||
			rec[6] != strconv.Itoa(x.refused) || rec[7] != strconv.Itoa(x.errors) || rec[8] != strconv.Itoa(x.overdue) {
			t.Errorf("csv row %v, want %+v", rec, *x)
		}
		want := strings.Replace(strconv.FormatFloat(x.share()*100, 'f', 1, 64), ".", ",", 1)
		if rec[10] != want {
			t.Errorf("%s: share %s, want %s", rec[2], rec[10], want)
		}
		if x.share() > prev {
			t.Errorf("ranking out of order at %s", rec[2])
		}
		prev = x.share()
	}
}

// checkPDF: the statistics through printing.WriteQuarterly, and no PDF for
// an empty period.
func checkPDF(t *testing.T, e *env, hc *http.Client) {
	t.Helper()
	resp, body := get(t, hc, e.url+"/export.pdf?from=2026-01-01&to=2026-11-22")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("pdf: HTTP %d %q", resp.StatusCode, body[:min(40, len(body))])
	}
	if txt := pdfText(t, []byte(body)); txt != "" {
		for _, w := range []string{"Тестовая область", "по поселениям", "Берёзовское", "Росреестр", "Выписка из ЕГРЮЛ"} {
			if !strings.Contains(txt, w) {
				t.Errorf("pdf text lacks %q", w)
			}
		}
	}
	// An empty period: no PDF, a Russian message.
	if resp, body := get(t, hc, e.url+"/export.pdf?from=2020-01-01&to=2020-02-01"); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "запросов не направлялось") {
		t.Fatalf("empty pdf: HTTP %d %s", resp.StatusCode, body)
	}
}

// pdfText runs pdftotext (poppler-utils): missing, it fails in CI and is
// skipped locally.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	testtool.Require(t, "pdftotext", "poppler-utils")
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestLoginRateLimited(t *testing.T) {
	st := sqliteStore(t)
	st.AddUser(context.Background(), "analyst", "А", "верный-пароль-2026")
	// A stopped clock: the bucket does not refill however slow PBKDF2 is.
	e := newEnv(t, st, ServerConfig{Now: func() time.Time { return dashNow }, LoginBurst: 3})
	hc := staffClient(e)
	for i := 0; i < 3; i++ {
		if code := login(t, e, hc, "подбор-пароля").StatusCode; code != http.StatusUnauthorized {
			t.Fatalf("wrong login %d: HTTP %d", i+1, code)
		}
	}
	// Even the right password waits now.
	if code := login(t, e, hc, "верный-пароль-2026").StatusCode; code != http.StatusTooManyRequests {
		t.Fatalf("4th login: HTTP %d", code)
	}
}
