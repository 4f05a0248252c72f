package region

import (
	"context"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// The report of a period against what the fixture knows it made: incoming
// and outgoing outcomes per settlement, the ranking by the incoming share,
// the overdue, the quarters compared, the never-synced and silent
// settlements, the training workstation left out. SQLite and PostgreSQL.
func TestReportFigures(t *testing.T) {
	backends(t, func(t *testing.T, newStore func() *Store) {
		st := newStore()
		d := seed(t, st)
		rep, err := BuildReport(context.Background(), st, Period{From: day("2026-01-01"), To: day("2026-11-22")},
			ReportOptions{Region: "Тестовая область", Now: dashNow})
		if err != nil {
			t.Fatal(err)
		}
		exp := d.expect("2026-01-01", "2026-11-22")
		if len(rep.Rows) != len(seedSettlements)+1 {
			t.Fatalf("%d rows", len(rep.Rows))
		}
		var total Figures
		for i, r := range rep.Rows {
			want := Figures{}
			if f := exp[r.OKTMO]; f != nil {
				want = *f
			}
			total.plus(want)
			if r.Figures != want {
				t.Errorf("%s: %+v\nwant %+v", r.Name, r.Figures, want)
			}
			if r.InOverdueNow != d.overdueNow(r.OKTMO, "in") || r.OutOverdueNow != d.overdueNow(r.OKTMO, "out") {
				t.Errorf("%s: overdue now %d/%d, want %d/%d", r.Name, r.InOverdueNow, r.OutOverdueNow, d.overdueNow(r.OKTMO, "in"), d.overdueNow(r.OKTMO, "out"))
			}
			if i > 0 && r.In.Share() > rep.Rows[i-1].In.Share() {
				t.Errorf("ranking out of order at %s", r.Name)
			}
			if (r.Place == 0) != (r.In.Share() < 0) || (r.Place != 0 && r.Place != i+1) {
				t.Errorf("%s: place %d at %d", r.Name, r.Place, i)
			}
			if r.Never != (r.OKTMO == neverOKTMO) || r.Silent != (r.OKTMO == silentOKTMO) {
				t.Errorf("%s: never %v silent %v", r.Name, r.Never, r.Silent)
			}
		}
		if rep.Total.Figures != total {
			t.Errorf("total %+v, want %+v", rep.Total.Figures, total)
		}
		// The ranking is by the settlements' own answers.
		if rep.Rows[0].OKTMO != "46605101" || rep.Rows[4].OKTMO != silentOKTMO || rep.Rows[5].OKTMO != neverOKTMO {
			t.Errorf("ranking %s … %s, %s", rep.Rows[0].Name, rep.Rows[4].Name, rep.Rows[5].Name)
		}
		if len(rep.Quiet) != 2 || rep.Quiet[0].OKTMO != neverOKTMO || rep.Quiet[1].OKTMO != silentOKTMO {
			t.Errorf("quiet %+v", rep.Quiet)
		}
		if len(rep.Excluded) != 1 || rep.Excluded[0].Workstation != "ws-training" || rep.Excluded[0].Contour != "training" {
			t.Errorf("excluded %+v", rep.Excluded)
		}
		checkCompare(t, d, rep)
		checkTopOverdue(t, d, rep)
	})
}

// checkCompare: IV 2026 to 22.11, III 2026 to 22.08, IV 2025 to 22.11.2025.
func checkCompare(t *testing.T, d *seedData, rep *Report) {
	t.Helper()
	periods := [][2]string{{"2026-10-01", "2026-11-22"}, {"2026-07-01", "2026-08-22"}, {"2025-10-01", "2025-11-22"}}
	labels := []string{"IV квартал 2026", "III квартал 2026", "IV квартал 2025"}
	if len(rep.Compare) != 3 {
		t.Fatalf("compare %+v", rep.Compare)
	}
	for i, c := range rep.Compare {
		var want Figures
		for _, f := range d.expect(periods[i][0], periods[i][1]) {
			want.plus(*f)
		}
		if c.Label != labels[i] || c.Period.From.Format(time.DateOnly) != periods[i][0] || c.Period.To.Format(time.DateOnly) != periods[i][1] {
			t.Errorf("compare %d: %s %v", i, c.Label, c.Period)
		}
		if c.Figures != want || want.In.Decided() == 0 {
			t.Errorf("%s: %+v, want %+v", c.Label, c.Figures, want)
		}
	}
	for _, r := range rep.Rows {
		q := d.expect(periods[0][0], periods[0][1])[r.OKTMO]
		if q != nil && r.Quarter != q.In {
			t.Errorf("%s: quarter %+v, want %+v", r.Name, r.Quarter, q.In)
		}
	}
}

// checkTopOverdue: incoming first ("in" < "out"), the largest groups
// first, each as the fixture counts it.
func checkTopOverdue(t *testing.T, d *seedData, rep *Report) {
	t.Helper()
	if len(rep.TopOverdue) == 0 {
		t.Fatal("no overdue groups")
	}
	for i, g := range rep.TopOverdue {
		n := 0
		for _, r := range d.reqs {
			if r.oktmo == g.OKTMO && r.dir == g.Direction && r.agency == g.Agency && r.kind == g.Kind && r.out == outOverdue {
				n++
			}
		}
		if g.Count != n || g.Settlement == "" || g.Agency == "Учебный узел" {
			t.Errorf("group %+v, want %d", g, n)
		}
		if prev := rep.TopOverdue[max(i-1, 0)]; i > 0 && (g.Direction < prev.Direction || g.Direction == prev.Direction && g.Count > prev.Count) {
			t.Errorf("top overdue out of order at %d", i)
		}
	}
}

// Dates are Moscow dates: an answer at 01:30 MSK on the day after the
// deadline is late, though its UTC date is the deadline's. An incoming
// request synced without a deadline gets 5 working days by the production
// calendar: received on Friday 27.12.2024, due on 14.01.2025.
func TestOutcomeOnMoscowDates(t *testing.T) {
	late := reqRow{Direction: "out", SentAt: "2026-03-02T09:00:00.000000Z", AnsweredAt: "2026-03-10T22:30:00.000000Z", DueOn: "2026-03-10", Status: "answered"}
	if o := classify(&late, "2026-03-20"); o != outLate {
		t.Errorf("answer at 01:30 MSK after the deadline: %v", o)
	}
	in := reqRow{Direction: "in", CreatedAt: "2024-12-27T08:00:00.000000Z", Status: "received"}
	if due := in.due(); due != "2025-01-14" {
		t.Errorf("computed deadline %s", due)
	}
	if o := classify(&in, "2025-01-14"); o != outWaiting {
		t.Errorf("on the deadline: %v", o)
	}
	if o := classify(&in, "2025-01-15"); o != outOverdue {
		t.Errorf("the day after: %v", o)
	}
	stuck := reqRow{Direction: "in", CreatedAt: "2026-03-02T09:00:00.000000Z", DueOn: "2026-03-10", Status: "error"}
	if o := classify(&stuck, "2026-03-05"); o != outErrors {
		t.Errorf("in error before the deadline: %v", o)
	}
	if o := classify(&stuck, "2026-03-11"); o != outOverdue {
		t.Errorf("in error after the deadline: %v", o)
	}
	for _, c := range []struct {
		c    Counts
		want string
	}{{Counts{InTerm: 1, Late: 1, Overdue: 1}, "33,3\u00a0%"}, {Counts{InTerm: 1, Late: 5}, "16,7\u00a0%"}, {Counts{Refused: 2}, "—"}} {
		if got := ShareText(c.c); got != c.want {
			t.Errorf("%+v: %q, want %q", c.c, got, c.want)
		}
	}
	if got := deltaText(Counts{InTerm: 1}, Counts{InTerm: 1, Late: 1}); got != "+50,0\u00a0п.п." {
		t.Errorf("delta %q", got)
	}
	if got := deltaText(Counts{InTerm: 1, Late: 1}, Counts{InTerm: 1}); got != "−50,0\u00a0п.п." {
		t.Errorf("delta %q", got)
	}
}

func TestQuarterDays(t *testing.T) {
	for _, c := range []struct{ q, to, want string }{
		{"2026-07-01", "2026-11-22", "2026-08-22"},
		{"2026-07-01", "2026-12-31", "2026-09-30"},
		{"2025-10-01", "2026-11-30", "2025-11-30"},
		{"2026-01-01", "2026-05-31", "2026-02-28"},
		{"2025-10-01", "2026-02-28", "2025-11-30"},
	} {
		if got := sameDayIn(day(c.q), day(c.to)).Format(time.DateOnly); got != c.want {
			t.Errorf("sameDayIn(%s, %s) = %s, want %s", c.q, c.to, got, c.want)
		}
	}
}
