package region

import (
	"context"
	"sort"
	"strconv"
	"time"
)

// Report is everything the dashboard, the CSV and the PDF show for a
// period, computed once by BuildReport with the definitions of figures.go.
type Report struct {
	Region     string
	Period     Period
	AsOf       time.Time // the server's clock, Moscow time
	Today      string    // AsOf's date: the day overdue is counted against
	SilentDays int
	// Rows are the registered settlements in the order of the ranking: the
	// best share of incoming requests answered in term first, then those
	// with nothing decided yet.
	Rows  []SettlementRow
	Total SettlementRow // the region: every counted request
	// Months are the region's figures by month of receipt or sending.
	Months []MonthRow
	// Compare is the quarter of the period's end up to that day, the
	// previous quarter and the same quarter a year before, to the same day.
	Compare []CompareRow
	// Quiet are the settlements that never synced or have been silent for
	// more than SilentDays, never-synced first.
	Quiet []SettlementRow
	// Excluded are the training and test workstations, not counted.
	Excluded []ExcludedWorkstation
	// TopOverdue are the largest groups of requests overdue today.
	TopOverdue []OverdueGroup
}

// SettlementRow is one settlement's line.
type SettlementRow struct {
	Place       int // in the ranking; 0 when nothing incoming is decided
	OKTMO, Name string
	Figures     // the period
	// InOverdueNow, OutOverdueNow: overdue today, whenever they came.
	InOverdueNow, OutOverdueNow int
	// Quarter and PrevQuarter are the incoming requests of this quarter
	// and of the previous one (Report.Compare's first two periods).
	Quarter, PrevQuarter Counts
	LastSync             time.Time // zero: never
	Never, Silent        bool
}

// QuarterDelta is the change of the incoming share against the previous
// quarter, in percentage points.
func (r SettlementRow) QuarterDelta() string { return deltaText(r.Quarter, r.PrevQuarter) }

// MonthRow is one month of the region.
type MonthRow struct {
	Month string // YYYY-MM
	Figures
}

// CompareRow is the region in one period of the comparison.
type CompareRow struct {
	Label  string
	Period Period
	Figures
}

// ExcludedWorkstation is a training or test workstation.
type ExcludedWorkstation struct {
	OKTMO, Settlement, Workstation, Contour string
}

// OverdueGroup is the requests of one settlement, direction, agency and
// kind of data overdue today.
type OverdueGroup struct {
	OKTMO, Settlement string
	Direction         string // "in" or "out"
	Agency, Kind      string
	Count             int
	Oldest            string // the earliest deadline, YYYY-MM-DD
}

// ReportOptions are what a report needs besides the store and the period.
type ReportOptions struct {
	Region     string
	Now        time.Time
	SilentDays int // default 7
}

// topOverdue is how many groups Report.TopOverdue keeps.
const topOverdue = 10

// BuildReport computes the report of a period.
func BuildReport(ctx context.Context, st *Store, p Period, o ReportOptions) (*Report, error) {
	if o.SilentDays <= 0 {
		o.SilentDays = 7
	}
	asOf := o.Now.In(moscow)
	rep := &Report{Region: o.Region, Period: p, AsOf: asOf, Today: asOf.Format(time.DateOnly), SilentDays: o.SilentDays}
	settlements, err := st.Settlements(ctx)
	if err != nil {
		return nil, err
	}
	bySettlement, byMonth, err := st.periodFigures(ctx, p, rep.Today)
	if err != nil {
		return nil, err
	}
	quarters, err := rep.compare(ctx, st)
	if err != nil {
		return nil, err
	}
	groups, err := overdueGroups(ctx, st, rep.Today, "")
	if err != nil {
		return nil, err
	}
	streams, err := st.streams(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	rep.Total.Name = "Всего по региону"
	for _, s := range settlements {
		names[s.OKTMO] = s.Name
		row := SettlementRow{OKTMO: s.OKTMO, Name: s.Name}
		if f := bySettlement[s.OKTMO]; f != nil {
			row.Figures = *f
		}
		if f := quarters[0][s.OKTMO]; f != nil {
			row.Quarter = f.In
		}
		if f := quarters[1][s.OKTMO]; f != nil {
			row.PrevQuarter = f.In
		}
		rep.Rows = append(rep.Rows, row)
		rep.Total.Figures.plus(row.Figures)
		rep.Total.Quarter.plus(row.Quarter)
		rep.Total.PrevQuarter.plus(row.PrevQuarter)
	}
	rep.overdue(groups, names)
	rep.contact(streams, names)
	rep.rank()
	for _, m := range sortedKeys(byMonth) {
		rep.Months = append(rep.Months, MonthRow{Month: m, Figures: *byMonth[m]})
	}
	return rep, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// rank orders the rows by the share of incoming requests in term (more
// decided first among equals, then by name as listed) and numbers them.
func (rep *Report) rank() {
	sort.SliceStable(rep.Rows, func(i, j int) bool {
		a, b := rep.Rows[i].In, rep.Rows[j].In
		if a.Share() != b.Share() {
			return a.Share() > b.Share()
		}
		return a.Decided() > b.Decided()
	})
	for i := range rep.Rows {
		if rep.Rows[i].In.Share() >= 0 {
			rep.Rows[i].Place = i + 1
		}
	}
}

// overdue counts each settlement's overdue requests and keeps the largest
// groups.
func (rep *Report) overdue(groups []OverdueGroup, names map[string]string) {
	at := map[string]*SettlementRow{}
	for i := range rep.Rows {
		at[rep.Rows[i].OKTMO] = &rep.Rows[i]
	}
	for _, g := range groups {
		row := at[g.OKTMO]
		if row == nil {
			continue
		}
		if g.Direction == "in" {
			row.InOverdueNow += g.Count
			rep.Total.InOverdueNow += g.Count
		} else {
			row.OutOverdueNow += g.Count
			rep.Total.OutOverdueNow += g.Count
		}
		if len(rep.TopOverdue) < topOverdue {
			g.Settlement = names[g.OKTMO]
			rep.TopOverdue = append(rep.TopOverdue, g)
		}
	}
}

// contact sets each settlement's last sync from its counted workstations,
// lists the quiet ones and the training and test workstations.
func (rep *Report) contact(streams []streamInfo, names map[string]string) {
	last := map[string]time.Time{}
	for _, s := range streams {
		if s.Contour == "training" || s.Contour == "test" {
			if name, ok := names[s.OKTMO]; ok {
				rep.Excluded = append(rep.Excluded, ExcludedWorkstation{OKTMO: s.OKTMO, Settlement: name, Workstation: s.Workstation, Contour: s.Contour})
			}
			continue
		}
		if s.Seen.After(last[s.OKTMO]) {
			last[s.OKTMO] = s.Seen
		}
	}
	limit := rep.AsOf.Add(-time.Duration(rep.SilentDays) * 24 * time.Hour)
	for i := range rep.Rows {
		r := &rep.Rows[i]
		r.LastSync = last[r.OKTMO]
		r.Never = r.LastSync.IsZero()
		r.Silent = !r.Never && r.LastSync.Before(limit)
		if r.Never || r.Silent {
			rep.Quiet = append(rep.Quiet, *r)
		}
	}
	sort.SliceStable(rep.Quiet, func(i, j int) bool { return rep.Quiet[i].LastSync.Before(rep.Quiet[j].LastSync) })
}

// overdueGroups groups the requests overdue today (of one settlement, or
// all): incoming first, the largest first.
func overdueGroups(ctx context.Context, st *Store, today, oktmo string) ([]OverdueGroup, error) {
	type key struct{ oktmo, dir, agency, kind string }
	m := map[key]*OverdueGroup{}
	err := st.eachOverdue(ctx, today, oktmo, func(r *reqRow, due string) {
		k := key{r.OKTMO, r.Direction, r.Provider, r.Kind}
		g := m[k]
		if g == nil {
			g = &OverdueGroup{OKTMO: r.OKTMO, Direction: r.Direction, Agency: r.Provider, Kind: r.Kind, Oldest: due}
			m[k] = g
		}
		g.Count++
		if due < g.Oldest {
			g.Oldest = due
		}
	})
	if err != nil {
		return nil, err
	}
	out := make([]OverdueGroup, 0, len(m))
	for _, g := range m {
		out = append(out, *g)
	}
	// The settlement's own duty first: incoming, then outgoing.
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Direction != b.Direction {
			return a.Direction == "in"
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Oldest != b.Oldest {
			return a.Oldest < b.Oldest
		}
		return a.OKTMO+a.Direction+a.Agency+a.Kind < b.OKTMO+b.Direction+b.Agency+b.Kind
	})
	return out, nil
}

var romanQuarters = [...]string{"I", "II", "III", "IV"}

// quarterStart is the first day of the quarter of d.
func quarterStart(d time.Time) time.Time {
	return time.Date(d.Year(), (d.Month()-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
}

// sameDayIn is the day of the quarter starting at q that is as far into
// it as to is into its own (the last day of a month stays the last).
func sameDayIn(q, to time.Time) time.Time {
	m := q.AddDate(0, int(to.Month()-quarterStart(to).Month()), 0)
	last := m.AddDate(0, 1, -1).Day()
	day := to.Day()
	if day > last || to.AddDate(0, 0, 1).Day() == 1 {
		day = last
	}
	return time.Date(m.Year(), m.Month(), day, 0, 0, 0, 0, time.UTC)
}

// compare fills Report.Compare and returns the per-settlement figures of
// this quarter and of the previous one.
func (rep *Report) compare(ctx context.Context, st *Store) ([2]map[string]*Figures, error) {
	var per [2]map[string]*Figures
	to := rep.Period.To
	q := quarterStart(to)
	for i, start := range []time.Time{q, q.AddDate(0, -3, 0), q.AddDate(-1, 0, 0)} {
		p := Period{From: start, To: sameDayIn(start, to)}
		bySettlement, _, err := st.periodFigures(ctx, p, rep.Today)
		if err != nil {
			return per, err
		}
		row := CompareRow{Period: p, Label: romanQuarters[(start.Month()-1)/3] + " квартал " + strconv.Itoa(start.Year())}
		for _, f := range bySettlement {
			row.Figures.plus(*f)
		}
		rep.Compare = append(rep.Compare, row)
		if i < 2 {
			per[i] = bySettlement
		}
	}
	return per, nil
}
