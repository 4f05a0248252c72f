package region

import (
	"bytes"
	"embed"
	"html/template"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"

	"github.com/mezhved/mezhved/region/regionsync"
)

//go:embed assets
var assets embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"num":     func(n int) string { return groupDigits(n) },
	"days":    daysText,
	"contour": contourText,
}).ParseFS(assets, "assets/*.html"))

const sessionCookie = "mezhved_session"

func (s *Server) dashboardRoutes() {
	s.mux.HandleFunc("GET /login", s.loginPage)
	s.post("/login", s.loginPost)
	s.post("/logout", s.logout)
	s.mux.HandleFunc("GET /static/style.css", func(w http.ResponseWriter, r *http.Request) {
		b, _ := assets.ReadFile("assets/style.css")
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "max-age=3600")
		w.Write(b)
	})
	s.mux.HandleFunc("GET /static/icon.svg", func(w http.ResponseWriter, r *http.Request) {
		b, _ := assets.ReadFile("assets/icon.svg")
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Header().Set("Cache-Control", "max-age=86400")
		w.Write(b)
	})
	s.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/icon.svg", http.StatusMovedPermanently)
	})
	s.mux.HandleFunc("GET /{$}", s.staff(s.dashboard))
	s.mux.HandleFunc("GET /export.csv", s.staff(s.exportCSV))
	s.mux.HandleFunc("GET /export.pdf", s.staff(s.exportPDF))
	s.mux.HandleFunc("GET /settlement/{oktmo}", s.staff(s.settlementPage))
}

func pageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	// same-origin, not no-referrer: under no-referrer browsers send
	// "Origin: null" with the page's own forms, which sameOrigin checks.
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
}

// staff requires a signed-in region employee.
func (s *Server) staff(h func(http.ResponseWriter, *http.Request, string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err == nil {
			name, ok, err := s.cfg.Store.Session(r.Context(), c.Value)
			if err != nil {
				s.logger.Printf("region: %v", err)
				http.Error(w, "Сервер региона временно недоступен.", http.StatusServiceUnavailable)
				return
			}
			if ok {
				pageHeaders(w)
				h(w, r, name)
				return
			}
		}
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	}
}

type loginView struct {
	Region, Login, Error string
}

func (s *Server) render(w http.ResponseWriter, status int, name string, v any) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, v); err != nil {
		s.logger.Printf("region: template %s: %v", name, err)
		http.Error(w, "Внутренняя ошибка сервера региона.", http.StatusInternalServerError)
		return
	}
	pageHeaders(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "login.html", loginView{Region: s.cfg.Region})
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) loginPost(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if err := r.ParseForm(); err != nil {
		s.render(w, http.StatusBadRequest, "login.html", loginView{Region: s.cfg.Region, Error: "Неверный запрос."})
		return
	}
	login := strings.TrimSpace(r.PostForm.Get("login"))
	v := loginView{Region: s.cfg.Region, Login: login}
	if ok, wait := s.login.allow(clientIP(r)); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		v.Error = "Слишком много попыток входа. Подождите несколько минут."
		s.render(w, http.StatusTooManyRequests, "login.html", v)
		return
	}
	token, err := s.cfg.Store.Login(r.Context(), login, r.PostForm.Get("password"))
	if err != nil {
		v.Error = domain.ErrorMessage(err)
		status := http.StatusUnauthorized
		if domain.ErrorCode(err) != domain.EPERMISSION {
			s.logger.Printf("region: %v", err)
			status = http.StatusServiceUnavailable
		}
		s.render(w, status, "login.html", v)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: true,
		SameSite: http.SameSiteStrictMode, MaxAge: int(SessionTTL.Seconds())})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.cfg.Store.Logout(r.Context(), c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode, MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// period reads ?from=&to= (ДД.ММ.ГГГГ as typed, ГГГГ-ММ-ДД in links); by
// default the current year to today, in Moscow.
func (s *Server) period(r *http.Request) (Period, error) {
	now := s.cfg.Now().In(moscow)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	p := Period{From: time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC), To: today}
	parse := func(name string, dst *time.Time) error {
		v := r.URL.Query().Get(name)
		if v == "" {
			return nil
		}
		// ДД.ММ.ГГГГ as typed, ГГГГ-ММ-ДД in links.
		t, err := time.Parse("02.01.2006", v)
		if err != nil {
			t, err = time.Parse(time.DateOnly, v)
		}
		if err != nil || len(v) != 10 {
			return domain.Errorf(domain.EINVALID, "Неверная дата «%s»: нужно ДД.ММ.ГГГГ.", regionsync.Trunc(v))
		}
		*dst = t
		return nil
	}
	if err := parse("from", &p.From); err != nil {
		return p, err
	}
	if err := parse("to", &p.To); err != nil {
		return p, err
	}
	if p.To.Before(p.From) {
		return p, domain.Errorf(domain.EINVALID, "Начало периода позже его конца.")
	}
	if p.To.Sub(p.From) > 10*366*24*time.Hour {
		return p, domain.Errorf(domain.EINVALID, "Период не может быть длиннее 10 лет.")
	}
	return p, nil
}
