package region

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"log"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/mezhved/mezhved/domain"

	"github.com/mezhved/mezhved/region/regionsync"
)

// ServerConfig is what the regional server needs.
type ServerConfig struct {
	Store    *Store
	ClientCA *x509.Certificate // the region's CA: workstation certificates
	Region   string            // the region's name, for the dashboard
	Now      func() time.Time  // time.Now when nil
	Rate     float64           // batches per second per workstation (default 20)
	Burst    int               // bucket size (default 40)
	// LoginBurst is how many sign-in attempts one address may make at once
	// (default 10); then one every 10 seconds.
	LoginBurst int
	// SilentDays: a settlement not heard from for longer is highlighted on
	// the dashboard and listed in the PDF (default 7).
	SilentDays int
	Log        *log.Logger // nil: the standard logger
}

// Server serves the sync API and the dashboard.
type Server struct {
	cfg    ServerConfig
	ws     *limiter // per workstation
	login  *limiter // per client address, for the login form
	mux    *http.ServeMux
	logger *log.Logger
	files  *fileCache // large updates' files, shared by every download
}

// NewServer builds the server's handler.
func NewServer(cfg ServerConfig) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rate <= 0 {
		cfg.Rate = 20
	}
	if cfg.Burst <= 0 {
		cfg.Burst = 40
	}
	if cfg.LoginBurst <= 0 {
		cfg.LoginBurst = 10
	}
	if cfg.SilentDays <= 0 {
		cfg.SilentDays = 7
	}
	if cfg.Region == "" {
		cfg.Region = "Регион"
	}
	s := &Server{cfg: cfg, ws: newLimiter(cfg.Rate, cfg.Burst, cfg.Now), login: newLimiter(0.1, cfg.LoginBurst, cfg.Now), mux: http.NewServeMux(), logger: cfg.Log,
		files: newFileCache(fileCacheBytes)}
	if s.logger == nil {
		s.logger = log.Default()
	}
	s.mux.HandleFunc("GET /api/v1/cursor", s.api(s.cursor))
	s.mux.HandleFunc("POST /api/v1/events", s.api(s.events))
	s.mux.HandleFunc("GET /api/v1/updates", s.api(s.updates))
	s.mux.HandleFunc("GET /api/v1/updates/{id}", s.api(s.updateFile))
	s.dashboardRoutes()
	return s
}

// ServeHTTP implements http.Handler. Every answer over TLS carries HSTS.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.TLS != nil {
		w.Header().Set("Strict-Transport-Security", hstsHeader)
	}
	s.mux.ServeHTTP(w, r)
}

// TLSConfig is the listener's TLS: the server's certificate, and a client
// certificate verified against the region's CA when one is given (the sync
// API requires it; the dashboard's browsers have none).
func (s *Server) TLSConfig(cert tls.Certificate) *tls.Config {
	pool := x509.NewCertPool()
	pool.AddCert(s.cfg.ClientCA)
	return &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.VerifyClientCertIfGiven,
		ClientCAs:    pool,
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func refuse(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, regionsync.ErrorResponse{Code: code, Message: msg})
}

// api wraps a sync handler: a registered, unrevoked workstation
// certificate, then the workstation's rate limit.
func (s *Server) api(h func(http.ResponseWriter, *http.Request, regionsync.Identity)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.TLS == nil || len(r.TLS.VerifiedChains) == 0 {
			refuse(w, http.StatusUnauthorized, "certificate", "Нужен сертификат рабочего места, выданный регионом.")
			return
		}
		id, err := regionsync.IdentityOf(r.TLS.VerifiedChains[0][0])
		if err != nil {
			refuse(w, http.StatusForbidden, "certificate", domain.ErrorMessage(err))
			return
		}
		oktmo, name, ok, err := s.cfg.Store.workstationOf(r.Context(), id.Serial)
		if err != nil {
			s.logger.Printf("region: %v", err)
			refuse(w, http.StatusServiceUnavailable, "unavailable", "Сервер региона временно недоступен.")
			return
		}
		if !ok || oktmo != id.OKTMO || name != id.Workstation {
			s.logger.Printf("region: refused certificate %s (%s/%s)", id.Serial, id.OKTMO, id.Workstation)
			refuse(w, http.StatusForbidden, "certificate", "Сертификат рабочего места не зарегистрирован в регионе или отозван.")
			return
		}
		if ok, wait := s.ws.allow(id.Serial); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			refuse(w, http.StatusTooManyRequests, "rate", "Слишком много запросов от рабочего места; повторите позже.")
			return
		}
		h(w, r, id)
	}
}

// contourOf is the contour the workstation reports (regionsync.HeaderContour):
// "" when it reports none or something unknown.
func contourOf(r *http.Request) string {
	if c := r.Header.Get(regionsync.HeaderContour); regionsync.ValidContour(c) {
		return c
	}
	return ""
}

func (s *Server) cursor(w http.ResponseWriter, r *http.Request, id regionsync.Identity) {
	if err := s.cfg.Store.Seen(r.Context(), id.OKTMO, id.Workstation, contourOf(r)); err != nil {
		s.fail(w, err)
		return
	}
	n, err := s.cfg.Store.Stored(r.Context(), id.OKTMO, id.Workstation)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, regionsync.PushResponse{Stored: n})
}

func (s *Server) fail(w http.ResponseWriter, err error) {
	s.logger.Printf("region: %v", err)
	if domain.ErrorCode(err) == domain.EUNAVAILABLE {
		refuse(w, http.StatusServiceUnavailable, "unavailable", domain.ErrorMessage(err))
		return
	}
	refuse(w, http.StatusInternalServerError, "internal", "Внутренняя ошибка сервера региона.")
}

func (s *Server) events(w http.ResponseWriter, r *http.Request, id regionsync.Identity) {
	var p regionsync.PushRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, regionsync.MaxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			refuse(w, http.StatusRequestEntityTooLarge, "invalid", "Пакет событий слишком велик.")
			return
		}
		refuse(w, http.StatusBadRequest, "invalid", "Пакет событий повреждён (неверный JSON).")
		return
	}
	if _, err := dec.Token(); err != io.EOF {
		refuse(w, http.StatusBadRequest, "invalid", "После пакета событий лишние данные.")
		return
	}
	if err := p.Validate(); err != nil {
		refuse(w, http.StatusBadRequest, "invalid", domain.ErrorMessage(err))
		return
	}
	if p.Settlement != id.OKTMO {
		s.logger.Printf("region: workstation %s/%s wrote for settlement %s", id.OKTMO, id.Workstation, p.Settlement)
		refuse(w, http.StatusForbidden, "settlement", "Рабочее место может передавать только журнал своего поселения.")
		return
	}
	stored, err := s.cfg.Store.PushContour(r.Context(), id.OKTMO, id.Workstation, contourOf(r), &p)
	var gap *regionsync.GapError
	if errors.As(err, &gap) {
		exp := gap.Expected
		writeJSON(w, http.StatusConflict, regionsync.ErrorResponse{Code: "gap", Message: "Пакет не продолжает сохранённый поток событий.", Expected: &exp})
		return
	} else if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, regionsync.PushResponse{Stored: stored})
}
