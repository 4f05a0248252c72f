package region

import (
	"bytes"
	"context"
	"embed"
	"encoding/csv"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/printing"

	"github.com/mezhved/mezhved/region/regionsync"
)

//go:embed assets
var assets embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"num": func(n int) string { return groupDigits(n) },
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

// period reads ?from=&to= (YYYY-MM-DD); by default the current year to today.
func (s *Server) period(r *http.Request) (Period, error) {
	now := s.cfg.Now().UTC()
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

type rowView struct {
	SettlementStats
	Place     int
	ShareText string
	SharePct  float64 // 0..100, for the bar
	LastText  string
}

type barView struct {
	Label                string
	X, W                 float64
	SentY, SentH         float64
	InTermY, InTermH     float64
	Sent, InTerm, Late   int
	LabelX, LabelY, NumY float64
	InTermShare          string
}

type dashView struct {
	Region, User, From, To, PeriodText, AsOf, Error string
	Total                                           rowView
	Rows, Ranking                                   []rowView
	Trend                                           []MonthStats
	Bars                                            []barView
	ChartW, ChartH                                  float64
	Query                                           string
}

func shareText(st SettlementStats) string {
	if st.Share() < 0 {
		return "—"
	}
	return strings.Replace(strconv.FormatFloat(st.Share()*100, 'f', 1, 64), ".", ",", 1) + " %"
}

func toRow(st SettlementStats) rowView {
	v := rowView{SettlementStats: st, ShareText: shareText(st), LastText: "нет данных"}
	if st.Share() >= 0 {
		v.SharePct = st.Share() * 100
	}
	if !st.LastSync.IsZero() {
		v.LastText = st.LastSync.In(moscow).Format("02.01.2006 15:04")
	}
	return v
}

// moscow is the zone the dashboard shows times in.
var moscow = regionsync.Moscow

var monthsShort = [...]string{"янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"}

func monthLabel(m string) string {
	y, mm, ok := strings.Cut(m, "-")
	n, err := strconv.Atoi(mm)
	if !ok || err != nil || n < 1 || n > 12 {
		return m
	}
	return monthsShort[n-1] + " " + y
}

func ruDate(t time.Time) string { return t.Format("02.01.2006") }

func (s *Server) collect(ctx context.Context, p Period) ([]SettlementStats, []MonthStats, error) {
	stats, err := s.cfg.Store.Stats(ctx, p, s.cfg.Now().In(moscow))
	if err != nil {
		return nil, nil, err
	}
	trend, err := s.cfg.Store.Trend(ctx, p)
	return stats, trend, err
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, user string) {
	v := dashView{Region: s.cfg.Region, User: user, AsOf: s.cfg.Now().In(moscow).Format("02.01.2006 15:04")}
	p, err := s.period(r)
	v.From, v.To = ruDate(p.From), ruDate(p.To)
	if err != nil {
		v.From, v.To = r.URL.Query().Get("from"), r.URL.Query().Get("to")
		v.Error = domain.ErrorMessage(err)
		s.render(w, http.StatusBadRequest, "dashboard.html", v)
		return
	}
	v.PeriodText = "с " + ruDate(p.From) + " по " + ruDate(p.To)
	v.Query = "from=" + p.From.Format(time.DateOnly) + "&to=" + p.To.Format(time.DateOnly)
	stats, trend, err := s.collect(r.Context(), p)
	if err != nil {
		s.logger.Printf("region: %v", err)
		v.Error = "Не удалось получить данные: " + domain.ErrorMessage(err)
		s.render(w, http.StatusServiceUnavailable, "dashboard.html", v)
		return
	}
	var total SettlementStats
	total.Name = "Всего по региону"
	for _, st := range stats {
		v.Rows = append(v.Rows, toRow(st))
		total.Sent += st.Sent
		total.InTerm += st.InTerm
		total.Late += st.Late
		total.Refused += st.Refused
		total.Errors += st.Errors
		total.Overdue += st.Overdue
		total.OverdueNow += st.OverdueNow
	}
	v.Total = toRow(total)
	for i, st := range Ranking(stats) {
		row := toRow(st)
		row.Place = i + 1
		v.Ranking = append(v.Ranking, row)
	}
	v.Trend = trend
	v.Bars, v.ChartW, v.ChartH = chart(trend)
	s.render(w, http.StatusOK, "dashboard.html", v)
}

// chart lays out the trend as SVG bars: requests sent (grey) and answered
// in term (green) per month.
func chart(trend []MonthStats) ([]barView, float64, float64) {
	const slot, barW, plotH, top, bottom = 64.0, 40.0, 160.0, 18.0, 22.0
	maxSent := 1
	for _, m := range trend {
		maxSent = max(maxSent, m.Sent)
	}
	var bars []barView
	for i, m := range trend {
		x := float64(i)*slot + (slot-barW)/2
		sh := plotH * float64(m.Sent) / float64(maxSent)
		ih := plotH * float64(m.InTerm) / float64(maxSent)
		b := barView{Label: monthLabel(m.Month), X: x, W: barW, Sent: m.Sent, InTerm: m.InTerm, Late: m.Late,
			SentY: top + plotH - sh, SentH: sh, InTermY: top + plotH - ih, InTermH: ih,
			LabelX: x + barW/2, LabelY: top + plotH + 16, NumY: top + plotH - sh - 4}
		if m.Sent > 0 {
			b.InTermShare = strconv.Itoa(m.InTerm*100/m.Sent) + " %"
		}
		bars = append(bars, b)
	}
	return bars, max(float64(len(trend))*slot, slot), top + plotH + bottom
}

func groupDigits(n int) string {
	s := strconv.Itoa(n)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (s *Server) exportCSV(w http.ResponseWriter, r *http.Request, user string) {
	p, err := s.period(r)
	if err != nil {
		http.Error(w, domain.ErrorMessage(err), http.StatusBadRequest)
		return
	}
	stats, _, err := s.collect(r.Context(), p)
	if err != nil {
		s.logger.Printf("region: %v", err)
		http.Error(w, "Не удалось получить данные.", http.StatusServiceUnavailable)
		return
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // Excel reads UTF-8 with the BOM
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	cw.Write([]string{"Место", "ОКТМО", "Поселение", "Направлено", "Ответ в срок", "Ответ с опозданием", "Отказ", "Ошибки", "Просрочено за период", "Просрочено сейчас", "Доля в срок, %", "Последняя синхронизация"})
	for i, st := range Ranking(stats) {
		share := ""
		if st.Share() >= 0 {
			share = strings.Replace(strconv.FormatFloat(st.Share()*100, 'f', 1, 64), ".", ",", 1)
		}
		last := ""
		if !st.LastSync.IsZero() {
			last = st.LastSync.In(moscow).Format("02.01.2006 15:04")
		}
		cw.Write([]string{strconv.Itoa(i + 1), st.OKTMO, csvSafe(st.Name), strconv.Itoa(st.Sent), strconv.Itoa(st.InTerm), strconv.Itoa(st.Late),
			strconv.Itoa(st.Refused), strconv.Itoa(st.Errors), strconv.Itoa(st.Overdue), strconv.Itoa(st.OverdueNow), share, last})
	}
	cw.Flush()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="mezhved-region-%s-%s.csv"`, p.From.Format("20060102"), p.To.Format("20060102")))
	w.Write(buf.Bytes())
}

// csvSafe keeps a spreadsheet from reading a name as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (s *Server) exportPDF(w http.ResponseWriter, r *http.Request, user string) {
	p, err := s.period(r)
	if err != nil {
		http.Error(w, domain.ErrorMessage(err), http.StatusBadRequest)
		return
	}
	byProvider, byTemplate, err := s.cfg.Store.GroupStats(r.Context(), p)
	if err != nil {
		s.logger.Printf("region: %v", err)
		http.Error(w, "Не удалось получить данные.", http.StatusServiceUnavailable)
		return
	}
	stats, err := s.cfg.Store.Stats(r.Context(), p, s.cfg.Now())
	if err != nil {
		s.logger.Printf("region: %v", err)
		http.Error(w, "Не удалось получить данные.", http.StatusServiceUnavailable)
		return
	}
	// The settlements in the order of the ranking (share answered in term).
	var bySettlement []printing.StatRow
	for _, st := range Ranking(stats) {
		if st.Sent == 0 {
			continue
		}
		bySettlement = append(bySettlement, printing.StatRow{Name: st.Name, Sent: st.Sent, InTerm: st.InTerm,
			Late: st.Late, Refused: st.Refused, Errors: st.Errors})
	}
	var buf bytes.Buffer
	_, err = printing.WriteQuarterly(&buf, printing.Quarterly{
		Settlement: s.cfg.Region + " — все поселения",
		From:       p.From, To: p.To, AsOf: s.cfg.Now().In(moscow),
		BySettlement: bySettlement, ByProvider: byProvider, ByTemplate: byTemplate,
	})
	if err != nil {
		status := http.StatusInternalServerError
		if c := domain.ErrorCode(err); c == domain.ENOTFOUND || c == domain.EINVALID {
			status = http.StatusNotFound
		} else {
			s.logger.Printf("region: pdf: %v", err)
		}
		http.Error(w, domain.ErrorMessage(err), status)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="mezhved-region-%s-%s.pdf"`, p.From.Format("20060102"), p.To.Format("20060102")))
	w.Write(buf.Bytes())
}
