package regionsync

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/trust"
)

// Files of a workstation's enrollment, in <data-dir>/region/ (written by
// `mezhved-region workstation add`).
const (
	EnrollDir      = "region"
	FileWSCert     = "workstation.pem"
	FileWSKey      = "workstation.key"
	FileRegionCA   = "region-ca.pem"
	FileUpdateCert = "region-updates.pem"
	FileRegionURL  = "region-url.txt"
)

// ClientConfig is what a workstation needs to reach the region.
type ClientConfig struct {
	URL        string            // https://host:port of the regional server
	Cert       tls.Certificate   // the workstation's client certificate and key
	RootCA     *x509.Certificate // the region's CA: the server's certificate
	UpdateCert *x509.Certificate // the region's update-signing certificate (GOST); nil: no updates
	BatchSize  int               // events per batch (default 1000, at most MaxBatchEvents)
	Personal   bool              // send applicants' names and СНИЛС too
	Timeout    time.Duration     // per HTTP request (default 60 s)
	Now        func() time.Time
	Transport  http.RoundTripper // tests cut connections with their own; nil: TLS from the fields above
	// Contour is reported to the region with every request (HeaderContour);
	// "": read from the journal at each sync (JournalContour), so that a
	// switch to or from the training mode is reported at the next sync.
	Contour string
	// Trust is the workstation's trust store in use, which the list of
	// accredited CAs and CRLs from the region go into; nil: the store of
	// the journal's data directory is opened for them.
	Trust *trust.Store
}

// LoadEnrollment reads <dataDir>/region/: the workstation's certificate and
// key, the region's CA and update certificate, and the server's URL (which
// url overrides when not empty).
func LoadEnrollment(dataDir, url string) (ClientConfig, error) {
	dir := filepath.Join(dataDir, EnrollDir)
	fail := func(err error, what string) (ClientConfig, error) {
		return ClientConfig{}, domain.Wrap(err, domain.ENOTFOUND, "region.LoadEnrollment",
			fmt.Sprintf("Рабочее место не подключено к региону: %s в папке %s. Получите комплект подключения у администратора региона.", what, dir))
	}
	cert, err := tls.LoadX509KeyPair(filepath.Join(dir, FileWSCert), filepath.Join(dir, FileWSKey))
	if err != nil {
		return fail(err, "нет сертификата рабочего места ("+FileWSCert+", "+FileWSKey+")")
	}
	ca, err := ReadCert(filepath.Join(dir, FileRegionCA))
	if err != nil {
		return fail(err, "нет сертификата региона ("+FileRegionCA+")")
	}
	cfg := ClientConfig{URL: url, Cert: cert, RootCA: ca}
	if uc, err := ReadCert(filepath.Join(dir, FileUpdateCert)); err == nil {
		cfg.UpdateCert = uc
	}
	if cfg.URL == "" {
		b, err := os.ReadFile(filepath.Join(dir, FileRegionURL))
		if err != nil {
			return fail(err, "не указан адрес сервера региона ("+FileRegionURL+" или --region)")
		}
		cfg.URL = strings.TrimSpace(string(b))
	}
	return cfg, nil
}

// Client talks to the regional server for one workstation.
type Client struct {
	cfg   ClientConfig
	base  *url.URL
	http  *http.Client
	files *http.Client // large updates: a CRL of tens of MiB over a slow line
	oktmo string
	// contour is what the requests report: cfg.Contour, or the journal's
	// as read at the start of the running sync.
	contour atomic.Value // string
}

// fileTimeout bounds the download of one large update.
const fileTimeout = 30 * time.Minute

// NewClient checks the configuration and builds the HTTPS client.
func NewClient(cfg ClientConfig) (*Client, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, domain.Errorf(domain.EINVALID, "Адрес сервера региона должен начинаться с https:// (указано %q).", cfg.URL)
	}
	leaf := cfg.Cert.Leaf
	if leaf == nil && len(cfg.Cert.Certificate) > 0 {
		leaf, _ = x509.ParseCertificate(cfg.Cert.Certificate[0])
	}
	if leaf == nil {
		return nil, domain.Errorf(domain.EINVALID, "Нет сертификата рабочего места.")
	}
	id, err := IdentityOf(leaf)
	if err != nil {
		return nil, err
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 1000
	}
	cfg.BatchSize = min(cfg.BatchSize, MaxBatchEvents)
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	tr := cfg.Transport
	if tr == nil {
		pool := x509.NewCertPool()
		if cfg.RootCA != nil {
			pool.AddCert(cfg.RootCA)
		}
		tr = &http.Transport{
			TLSClientConfig:     &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool, Certificates: []tls.Certificate{cfg.Cert}},
			TLSHandshakeTimeout: 15 * time.Second,
			MaxIdleConnsPerHost: 2,
			DialContext:         (&net.Dialer{Timeout: 15 * time.Second}).DialContext,
		}
	}
	if cfg.Contour != "" && !ValidContour(cfg.Contour) {
		return nil, domain.Errorf(domain.EINVALID, "Неизвестный контур рабочего места %q.", Trunc(cfg.Contour))
	}
	c := &Client{cfg: cfg, base: u, http: &http.Client{Transport: tr, Timeout: cfg.Timeout},
		files: &http.Client{Transport: tr, Timeout: max(cfg.Timeout, fileTimeout)}, oktmo: id.OKTMO}
	c.contour.Store(cfg.Contour)
	return c, nil
}

// settingSMEVContour is transport.SettingContour ("production" or "test");
// regionsync does not import transport (a test checks the two agree).
const settingSMEVContour = "smev.contour"

// JournalContour is the contour the workstation of a journal works in: the
// training mode (store.SettingTraining), else the SMEV contour of its
// settings, production unless it says test.
func JournalContour(ctx context.Context, db *store.DB) string {
	if v, _ := db.Setting(ctx, store.SettingTraining); v == "1" {
		return ContourTraining
	}
	if v, _ := db.Setting(ctx, settingSMEVContour); v == ContourTest {
		return ContourTest
	}
	return ContourProduction
}

// Settlement is the OKTMO of the client's certificate.
func (c *Client) Settlement() string { return c.oktmo }

// Unreachable is the coded error of a region that cannot be reached: the
// work goes on offline, the events wait.
const unreachableMsg = "Сервер региона недоступен. Работа продолжается; события будут отправлены при следующей синхронизации."

// IsUnreachable reports whether err means the region could not be reached.
func IsUnreachable(err error) bool {
	var ue *unreachableError
	return errors.As(err, &ue)
}

type unreachableError struct{ err error }

func (e *unreachableError) Error() string { return "region unreachable: " + e.err.Error() }
func (e *unreachableError) Unwrap() error { return e.err }

func unreachable(err error) error {
	return domain.Wrap(&unreachableError{err}, domain.EUNAVAILABLE, "region.sync", unreachableMsg)
}

// maxResponseBytes bounds an answer of the server: a page of updates with
// files inline (at most 20 of MaxUpdateBytes, in base64), or the signed
// file of one large update (MaxTrustUpdateBytes).
const maxResponseBytes = 128 << 20

// rawFile is an answer taken as it is, not decoded from JSON.
type rawFile []byte

// do sends one request and decodes a JSON answer (or keeps it as it is, for
// a *rawFile); it retries 429 (after Retry-After) and transient failures a
// few times.
func (c *Client) do(ctx context.Context, method, path string, body []byte, out any) (int, *ErrorResponse, error) {
	return c.doWith(ctx, c.http, method, path, body, out)
}

func (c *Client) doWith(ctx context.Context, hc *http.Client, method, path string, body []byte, out any) (int, *ErrorResponse, error) {
	var lastErr error
	netFailures := 0
	for attempt := 0; attempt < 6; attempt++ {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		p, query, _ := strings.Cut(path, "?")
		u := c.base.JoinPath(p)
		u.RawQuery = query
		req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
		if err != nil {
			return 0, nil, err
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if ct, _ := c.contour.Load().(string); ct != "" {
			req.Header.Set(HeaderContour, ct)
		}
		resp, err := hc.Do(req)
		if err != nil {
			if err = requestFailure(ctx, err); !IsUnreachable(err) {
				return 0, nil, err
			}
			// A region that cannot be reached is said so quickly: the
			// window shows it and the next sync tries again.
			lastErr = err
			if netFailures++; netFailures >= 3 || !sleepCtx(ctx, backoff(attempt)) {
				return 0, nil, lastErr
			}
			continue
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
		resp.Body.Close()
		if err != nil {
			lastErr = unreachable(err)
			sleepCtx(ctx, backoff(attempt))
			continue
		}
		status, er, retry, err := answer(ctx, resp, data, out, attempt)
		if !retry {
			return status, er, err
		}
		lastErr = err
	}
	return 0, nil, lastErr
}

// requestFailure says what a failed request means: an interrupted sync, a
// server that is not the region's, a refused workstation certificate, or
// (IsUnreachable) a region that cannot be reached.
func requestFailure(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return domain.Wrap(ctx.Err(), domain.EUNAVAILABLE, "region.sync", "Синхронизация прервана.")
	}
	var cve *tls.CertificateVerificationError
	if errors.As(err, &cve) {
		return domain.Wrap(err, domain.ESIGNATURE, "region.sync", "Сертификат сервера региона не подтверждён: адрес указан неверно или это не сервер региона.")
	}
	if isTLSRefusal(err) {
		return domain.Wrap(err, domain.EPERMISSION, "region.sync", "Сервер региона не принял сертификат рабочего места.")
	}
	return unreachable(err)
}

// answer reads the server's answer: the decoded value, a refusal, or a
// failure to retry (after waiting: retry is false when ctx ended first).
func answer(ctx context.Context, resp *http.Response, data []byte, out any, attempt int) (status int, er *ErrorResponse, retry bool, err error) {
	switch {
	case resp.StatusCode == http.StatusOK:
		if raw, ok := out.(*rawFile); ok {
			*raw = data
			return resp.StatusCode, nil, false, nil
		}
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, nil, false, domain.Wrap(err, domain.EINTERNAL, "region.sync", "Сервер региона ответил неверно.")
		}
		return resp.StatusCode, nil, false, nil
	case resp.StatusCode == http.StatusTooManyRequests:
		wait, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		err := domain.Errorf(domain.EUNAVAILABLE, "Сервер региона просит повторить позже.")
		return resp.StatusCode, nil, sleepCtx(ctx, time.Duration(min(max(wait, 1), 60))*time.Second), err
	case resp.StatusCode >= 500:
		return resp.StatusCode, nil, sleepCtx(ctx, backoff(attempt)), unreachable(fmt.Errorf("HTTP %d", resp.StatusCode))
	}
	var e ErrorResponse
	if json.Unmarshal(data, &e) != nil || e.Message == "" {
		e = ErrorResponse{Code: "http", Message: fmt.Sprintf("Сервер региона отказал (HTTP %d).", resp.StatusCode)}
	}
	return resp.StatusCode, &e, false, nil
}

func isTLSRefusal(err error) bool {
	s := err.Error()
	return strings.Contains(s, "bad certificate") || strings.Contains(s, "certificate required") || strings.Contains(s, "unknown certificate authority")
}

func backoff(attempt int) time.Duration {
	return time.Duration(200<<min(attempt, 5)) * time.Millisecond
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func refusal(status int, er *ErrorResponse) error {
	code := domain.EINVALID
	switch status {
	case http.StatusForbidden, http.StatusUnauthorized:
		code = domain.EPERMISSION
	case http.StatusConflict:
		code = domain.ECONFLICT
	}
	return domain.Wrap(fmt.Errorf("HTTP %d %s", status, er.Code), code, "region.sync", "Сервер региона отказал: "+er.Message)
}

// Cursor asks the server for the last sequence it has stored.
func (c *Client) Cursor(ctx context.Context) (int64, error) {
	var pr PushResponse
	status, er, err := c.do(ctx, http.MethodGet, "api/v1/cursor", nil, &pr)
	if err != nil {
		return 0, err
	}
	if er != nil {
		return 0, refusal(status, er)
	}
	return pr.Stored, nil
}

// Push sends one batch and returns what the server has stored. A gap comes
// back as a *GapError.
func (c *Client) Push(ctx context.Context, p *PushRequest) (int64, error) {
	body, err := json.Marshal(p)
	if err != nil {
		return 0, err
	}
	var pr PushResponse
	status, er, err := c.do(ctx, http.MethodPost, "api/v1/events", body, &pr)
	if err != nil {
		return 0, err
	}
	if er != nil {
		if status == http.StatusConflict && er.Code == "gap" && er.Expected != nil {
			return 0, &GapError{Expected: *er.Expected}
		}
		return 0, refusal(status, er)
	}
	return pr.Stored, nil
}

// BuildBatch turns journal events into a batch: metadata only unless
// personal is set; notes never travel, actors are reduced.
func BuildBatch(settlement string, after int64, evs []store.SyncEvent, personal bool) *PushRequest {
	p := &PushRequest{Settlement: settlement, After: after, Events: make([]Event, 0, len(evs))}
	seen := map[int64]bool{}
	for _, e := range evs {
		if !seen[e.RequestID] {
			seen[e.RequestID] = true
			r := e.Request
			m := RequestMeta{ID: r.ID, Direction: string(r.Direction), TemplateID: r.TemplateID, TemplateTitle: r.TemplateTitle,
				Provider: r.Provider, ProviderCode: r.ProviderCode, Channel: string(r.Channel),
				CreatedAt: r.CreatedAt.UTC().Format(time.RFC3339Nano), DueOn: r.DueOn}
			if personal {
				m.Applicant, m.SNILS = r.Applicant, r.SNILS
			}
			p.Requests = append(p.Requests, m)
		}
		p.Events = append(p.Events, Event{Seq: e.Seq, RequestID: e.RequestID, At: e.At.UTC().Format(time.RFC3339Nano),
			Actor: PublicActor(e.Actor), From: string(e.From), To: string(e.To)})
	}
	return p
}

// Progress is how far a sync has gone.
type Progress struct {
	Sent  int64 `json:"sent"`  // events confirmed in this sync
	Total int64 `json:"total"` // events that were waiting when it began
}

// Result is what a sync did.
type Result struct {
	Sent     int64    `json:"sent"`     // events the region confirmed now
	Stored   int64    `json:"stored"`   // the region's last sequence
	Waiting  int64    `json:"waiting"`  // events still waiting
	Updates  []string `json:"updates"`  // updates applied, in Russian
	Rejected []string `json:"rejected"` // updates refused, in Russian
}

// Sync sends every waiting event of the journal, then fetches and applies
// the region's signed updates. It resumes from what the server says it has
// stored, so a break at any point loses and duplicates nothing. progress,
// when not nil, is called after every batch.
func (c *Client) Sync(ctx context.Context, db *store.DB, progress func(Progress)) (*Result, error) {
	res, err := c.sync(ctx, db, progress)
	now := c.cfg.Now().UTC().Format(time.RFC3339)
	if err != nil {
		db.SetSettings(context.WithoutCancel(ctx), map[string]string{store.SettingSyncLastErr: domain.ErrorMessage(err)})
		return res, err
	}
	db.SetSettings(ctx, map[string]string{store.SettingSyncLastAt: now, store.SettingSyncLastErr: ""})
	return res, nil
}

func (c *Client) sync(ctx context.Context, db *store.DB, progress func(Progress)) (*Result, error) {
	res := &Result{}
	if c.cfg.Contour == "" {
		c.contour.Store(JournalContour(ctx, db))
	}
	stored, err := c.Cursor(ctx)
	if err != nil {
		return res, err
	}
	// The region holds more than this journal ever had: the journal was
	// replaced (a reinstall, a restored backup). Sending from here would
	// silently skip events, so stop and say so.
	last, err := db.LastEventSeq(ctx)
	if err != nil {
		return res, err
	}
	if stored > last {
		return res, domain.Errorf(domain.ECONFLICT, "Регион уже получил от этого рабочего места %d событий, а в журнале их %d: журнал заменён или восстановлен из старой копии. Обратитесь к администратору региона: нужен новый комплект подключения рабочего места.", stored, last)
	}
	total, err := db.CountEventsAfter(ctx, stored)
	if err != nil {
		return res, err
	}
	if progress != nil {
		progress(Progress{Total: total})
	}
	gaps := 0
	for {
		evs, err := db.SyncBatch(ctx, stored, c.cfg.BatchSize)
		if err != nil {
			return res, err
		}
		if len(evs) == 0 {
			break
		}
		n, err := c.Push(ctx, BuildBatch(c.oktmo, stored, evs, c.cfg.Personal))
		var gap *GapError
		if errors.As(err, &gap) {
			// The server holds less (or more) than we thought: start from
			// what it has.
			if gaps++; gaps > 3 {
				return res, domain.Wrap(err, domain.ECONFLICT, "region.sync", "Сервер региона не принимает поток событий (расхождение номеров).")
			}
			stored = gap.Expected
			continue
		} else if err != nil {
			return res, err
		}
		gaps = 0
		if n > stored {
			res.Sent += countUpTo(evs, n)
		}
		stored = n
		res.Stored = n
		db.SetSettings(ctx, map[string]string{store.SettingSyncStored: strconv.FormatInt(n, 10)})
		if progress != nil {
			progress(Progress{Sent: res.Sent, Total: total})
		}
	}
	res.Stored = stored
	db.SetSettings(ctx, map[string]string{store.SettingSyncStored: strconv.FormatInt(stored, 10)})
	if res.Waiting, err = db.CountEventsAfter(ctx, stored); err != nil {
		return res, err
	}
	if c.cfg.UpdateCert != nil {
		if err := c.applyUpdates(ctx, db, res); err != nil {
			return res, err
		}
	}
	return res, nil
}

func countUpTo(evs []store.SyncEvent, n int64) int64 {
	var k int64
	for _, e := range evs {
		if e.Seq <= n {
			k++
		}
	}
	return k
}
