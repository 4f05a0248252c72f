package region

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// rowView is a settlement's line as the dashboard prints it.
type rowView struct {
	SettlementRow
	InShare, OutShare, Delta, LastText, Quiet string
	Link                                      string // its page, for the same period
}

type compareView struct {
	Label, PeriodText, InShare, OutShare string
	In, Out                              Counts
}

type monthView struct {
	Label             string
	In, Out           Counts
	InShare, OutShare string
}

type topView struct {
	OverdueGroup
	DirText, OldestText, Link string
}

type dashView struct {
	Region, User, From, To, PeriodText, AsOf, Error string
	// FromISO, ToISO are the period in links (export, a settlement's page):
	// separate values, so that each is escaped as one query value.
	FromISO, ToISO string
	SilentDays     int
	Rows, Quiet    []rowView
	Total          rowView
	Compare        []compareView
	Months         []monthView
	Bars           []barView
	ChartW, ChartH float64
	Rank           []rankBar
	RankH          float64
	Top            []topView
	Excluded       []ExcludedWorkstation
}

func (s *Server) options() ReportOptions {
	return ReportOptions{Region: s.cfg.Region, Now: s.cfg.Now(), SilentDays: s.cfg.SilentDays}
}

// report reads the period and builds its report; on failure it has
// answered already and returns nil.
func (s *Server) report(ctx context.Context, w http.ResponseWriter, p Period) *Report {
	rep, err := BuildReport(ctx, s.cfg.Store, p, s.options())
	if err != nil {
		s.logger.Printf("region: %v", err)
		http.Error(w, "Не удалось получить данные: "+domain.ErrorMessage(err), http.StatusServiceUnavailable)
		return nil
	}
	return rep
}

func periodQuery(p Period) string {
	return url.Values{"from": {p.From.Format(time.DateOnly)}, "to": {p.To.Format(time.DateOnly)}}.Encode()
}

func toRowView(r SettlementRow, rep *Report) rowView {
	return rowView{SettlementRow: r, InShare: ShareText(r.In), OutShare: ShareText(r.Out), Delta: r.QuarterDelta(),
		LastText: lastSyncText(r), Quiet: quietText(r, rep.AsOf),
		Link: "/settlement/" + url.PathEscape(r.OKTMO) + "?" + periodQuery(rep.Period)}
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, user string) {
	v := dashView{Region: s.cfg.Region, User: user, AsOf: s.cfg.Now().In(moscow).Format("02.01.2006 15:04"), SilentDays: s.cfg.SilentDays}
	p, err := s.period(r)
	v.From, v.To = ruDate(p.From), ruDate(p.To)
	if err != nil {
		v.From, v.To = r.URL.Query().Get("from"), r.URL.Query().Get("to")
		v.Error = domain.ErrorMessage(err)
		s.render(w, http.StatusBadRequest, "dashboard.html", v)
		return
	}
	v.PeriodText = periodText(p)
	v.FromISO, v.ToISO = p.From.Format(time.DateOnly), p.To.Format(time.DateOnly)
	rep, err := BuildReport(r.Context(), s.cfg.Store, p, s.options())
	if err != nil {
		s.logger.Printf("region: %v", err)
		v.Error = "Не удалось получить данные: " + domain.ErrorMessage(err)
		s.render(w, http.StatusServiceUnavailable, "dashboard.html", v)
		return
	}
	for _, row := range rep.Rows {
		v.Rows = append(v.Rows, toRowView(row, rep))
	}
	for _, row := range rep.Quiet {
		v.Quiet = append(v.Quiet, toRowView(row, rep))
	}
	v.Total = toRowView(rep.Total, rep)
	for _, c := range rep.Compare {
		v.Compare = append(v.Compare, compareView{Label: c.Label, PeriodText: periodText(c.Period), In: c.In, Out: c.Out,
			InShare: ShareText(c.In), OutShare: ShareText(c.Out)})
	}
	for _, m := range rep.Months {
		v.Months = append(v.Months, monthView{Label: monthLabel(m.Month), In: m.In, Out: m.Out, InShare: ShareText(m.In), OutShare: ShareText(m.Out)})
	}
	for _, g := range rep.TopOverdue {
		v.Top = append(v.Top, topView{OverdueGroup: g, DirText: directionText(g.Direction), OldestText: ruDay(g.Oldest),
			Link: "/settlement/" + url.PathEscape(g.OKTMO) + "?" + periodQuery(p)})
	}
	v.Excluded = rep.Excluded
	v.Bars, v.ChartW, v.ChartH = chart(rep.Months)
	v.Rank, v.RankH = rankChart(rep.Rows)
	s.render(w, http.StatusOK, "dashboard.html", v)
}

// barView is one month of the chart: incoming received (grey) and
// answered in term (green).
type barView struct {
	Label                string
	X, W                 float64
	AllY, AllH           float64
	InTermY, InTermH     float64
	All, InTerm          int
	LabelX, LabelY, NumY float64
}

func chart(months []MonthRow) ([]barView, float64, float64) {
	const slot, barW, plotH, top, bottom = 64.0, 40.0, 160.0, 18.0, 22.0
	most := 1
	for _, m := range months {
		most = max(most, m.In.Total)
	}
	var bars []barView
	for i, m := range months {
		x := float64(i)*slot + (slot-barW)/2
		ah := plotH * float64(m.In.Total) / float64(most)
		ih := plotH * float64(m.In.InTerm) / float64(most)
		bars = append(bars, barView{Label: monthLabel(m.Month), X: x, W: barW, All: m.In.Total, InTerm: m.In.InTerm,
			AllY: top + plotH - ah, AllH: ah, InTermY: top + plotH - ih, InTermH: ih,
			LabelX: x + barW/2, LabelY: top + plotH + 16, NumY: top + plotH - ah - 4})
	}
	return bars, max(float64(len(months))*slot, slot), top + plotH + bottom
}

// rankBar is one settlement of the ranking chart: its share of incoming
// requests answered in term as a horizontal bar (0..100 of 300 units).
type rankBar struct {
	Place, Name, Share string
	Y, TextY, W        float64
}

// rankChart lays out the ranking as horizontal bars, 22 units a line.
func rankChart(rows []SettlementRow) ([]rankBar, float64) {
	var out []rankBar
	for i, r := range rows {
		b := rankBar{Name: r.Name, Share: ShareText(r.In), Y: float64(i)*22 + 4, TextY: float64(i)*22 + 17}
		if r.Place > 0 {
			b.Place = groupDigits(r.Place)
		}
		if sh := r.In.Share(); sh >= 0 {
			b.W = sh * 300
		}
		out = append(out, b)
	}
	return out, float64(len(rows))*22 + 8
}

type settlementView struct {
	Region, User, AsOf, PeriodText, FromISO, ToISO string
	Row                                            rowView
	In, Out                                        []topView
	InTotal, OutTotal                              int
}

// settlementPage is one settlement: its figures for the period and every
// request overdue today, by agency and kind of data.
func (s *Server) settlementPage(w http.ResponseWriter, r *http.Request, user string) {
	p, err := s.period(r)
	if err != nil {
		http.Error(w, domain.ErrorMessage(err), http.StatusBadRequest)
		return
	}
	rep := s.report(r.Context(), w, p)
	if rep == nil {
		return
	}
	oktmo := r.PathValue("oktmo")
	v := settlementView{Region: s.cfg.Region, User: user, AsOf: rep.AsOf.Format("02.01.2006 15:04"), PeriodText: periodText(p),
		FromISO: p.From.Format(time.DateOnly), ToISO: p.To.Format(time.DateOnly)}
	found := false
	for _, row := range rep.Rows {
		if row.OKTMO == oktmo {
			v.Row, found = toRowView(row, rep), true
		}
	}
	if !found {
		http.Error(w, "Поселение с таким кодом ОКТМО в регионе не зарегистрировано.", http.StatusNotFound)
		return
	}
	groups, err := overdueGroups(r.Context(), s.cfg.Store, rep.Today, oktmo)
	if err != nil {
		s.logger.Printf("region: %v", err)
		http.Error(w, "Не удалось получить данные: "+domain.ErrorMessage(err), http.StatusServiceUnavailable)
		return
	}
	for _, g := range groups {
		tv := topView{OverdueGroup: g, OldestText: ruDay(g.Oldest)}
		tv.Agency, tv.Kind = orNone(g.Agency), orNone(g.Kind)
		if g.Direction == "in" {
			v.In, v.InTotal = append(v.In, tv), v.InTotal+g.Count
		} else {
			v.Out, v.OutTotal = append(v.Out, tv), v.OutTotal+g.Count
		}
	}
	s.render(w, http.StatusOK, "settlement.html", v)
}
