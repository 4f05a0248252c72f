package region

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/mezhved/mezhved/calendar"

	"github.com/mezhved/mezhved/region/regionsync"
)

// dashNow is the dashboard's "now" in the tests: 22 November 2026, 12:00 MSK.
var dashNow = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

const dashToday = "2026-11-22"

type seedSettlement struct {
	oktmo, name string
	inTermP     float64 // chance the settlement answers an incoming request in term
	outTermP    float64 // chance an agency answers its request in term
	perMonth    int
}

// The five settlements that sync; Сосновый Бор last synced 20 days before
// dashNow (silent). Кедровое is registered and never synced.
var seedSettlements = []seedSettlement{
	{"46605101", "Сельское поселение Берёзовское", 0.97, 0.60, 14},
	{"46605102", "Городское поселение Кленовск", 0.85, 0.95, 22},
	{"46605103", "Сельское поселение Дубравное", 0.70, 0.90, 9},
	{"46605104", "Сельское поселение Ольховка", 0.60, 0.88, 6},
	{"46605105", "Сельское поселение Сосновый Бор", 0.40, 0.99, 11},
}

const (
	silentOKTMO = "46605105"
	neverOKTMO  = "46605106"
	neverName   = "Сельское поселение Кедровое"
)

// seeded is one request as the test knows it: where it counts and what
// became of it, decided while it was made, not by the code under test.
type seeded struct {
	oktmo, dir, day string // day: received or sent, Moscow
	agency, kind    string
	out             outcome
	due             string
}

// seedData is the whole fixture and what it must show.
type seedData struct{ reqs []seeded }

// expect sums the outcomes of a period, per settlement.
func (d *seedData) expect(from, to string) map[string]*Figures {
	m := map[string]*Figures{}
	for _, r := range d.reqs {
		if r.day < from || r.day > to {
			continue
		}
		f := m[r.oktmo]
		if f == nil {
			f = &Figures{}
			m[r.oktmo] = f
		}
		if r.dir == "in" {
			f.In.add(r.out)
		} else {
			f.Out.add(r.out)
		}
	}
	return m
}

// overdueNow counts the overdue requests of a settlement and direction.
func (d *seedData) overdueNow(oktmo, dir string) int {
	n := 0
	for _, r := range d.reqs {
		if r.oktmo == oktmo && r.dir == dir && r.out == outOverdue {
			n++
		}
	}
	return n
}

var providers = []struct{ name, tmpl string }{
	{"ФНС России", "Выписка из ЕГРЮЛ"},
	{"Росреестр", "Выписка из ЕГРН об объекте"},
	{"МВД России", "Сведения о регистрации по месту жительства"},
	{"СФР", "Проверка СНИЛС"},
	{"ЗАГС", "Сведения о рождении"},
}

// stream builds one workstation's batch.
type stream struct {
	p   regionsync.PushRequest
	seq int64
	id  int64
}

func (s *stream) request(m regionsync.RequestMeta) int64 {
	s.id++
	m.ID = s.id
	m.TemplateID, m.Channel = "t", "smev"
	s.p.Requests = append(s.p.Requests, m)
	return s.id
}

func (s *stream) event(id int64, at time.Time, from, to string) {
	s.seq++
	s.p.Events = append(s.p.Events, regionsync.Event{Seq: s.seq, RequestID: id, At: at.Format(time.RFC3339), Actor: "outbox", From: from, To: to})
}

// seedTime is a moment of a day between 10:00 and 18:00 MSK (the Moscow
// date is the UTC date).
func seedTime(rnd *rand.Rand, y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 7+rnd.IntN(8), rnd.IntN(60), 0, 0, time.UTC)
}

// incoming adds an incoming request received at t: answered in term with
// probability p, or late, or not yet; a few withdrawn; one in five without
// a synced deadline (the region computes it by the production calendar).
func (d *seedData) incoming(rnd *rand.Rand, s *stream, oktmo string, t time.Time, p float64) {
	day := t.Format(time.DateOnly)
	due, _, err := calendar.Builtin().DueOn(day, calendar.DefaultAnswerTerm)
	if err != nil || due == "" {
		panic("no deadline for " + day)
	}
	pr := providers[rnd.IntN(len(providers))]
	meta := regionsync.RequestMeta{Direction: "in", TemplateTitle: pr.tmpl, Provider: pr.name, CreatedAt: t.Format(time.RFC3339), DueOn: due}
	if rnd.IntN(5) == 0 {
		meta.DueOn = ""
	}
	id := s.request(meta)
	s.event(id, t, "", "received")
	r := seeded{oktmo: oktmo, dir: "in", day: day, agency: pr.name, kind: pr.tmpl, due: due}
	dueT, _ := time.Parse(time.DateOnly, due)
	var at time.Time
	switch x := rnd.Float64(); {
	case x < 0.03:
		s.event(id, t.Add(time.Hour), "received", "cancelled")
		r.out = outCancelled
		d.reqs = append(d.reqs, r)
		return
	case x < 0.03+p*0.97:
		at = t.AddDate(0, 0, rnd.IntN(int(dueT.Sub(t).Hours()/24)+1))
	default:
		at = dueT.AddDate(0, 0, 1+rnd.IntN(10)).Add(t.Sub(t.Truncate(24 * time.Hour)))
	}
	switch {
	case at.After(dashNow) && due < dashToday:
		r.out = outOverdue
	case at.After(dashNow):
		r.out = outWaiting
	default:
		s.event(id, at.Add(-time.Minute), "received", "queued")
		s.event(id, at, "queued", "answered")
		r.out = outInTerm
		if at.Format(time.DateOnly) > due {
			r.out = outLate
		}
	}
	d.reqs = append(d.reqs, r)
}

// outgoing adds a request sent at t with a deadline 7 days on: refused,
// in error, answered in term with probability p, or late, or not yet.
func (d *seedData) outgoing(rnd *rand.Rand, s *stream, oktmo string, t time.Time, p float64) {
	due := t.AddDate(0, 0, 7).Format(time.DateOnly)
	pr := providers[rnd.IntN(len(providers))]
	id := s.request(regionsync.RequestMeta{Direction: "out", TemplateTitle: pr.tmpl, Provider: pr.name, CreatedAt: t.Add(-time.Hour).Format(time.RFC3339), DueOn: due})
	s.event(id, t.Add(-time.Hour), "", "queued")
	s.event(id, t, "queued", "sent")
	r := seeded{oktmo: oktmo, dir: "out", day: t.Format(time.DateOnly), agency: pr.name, kind: pr.tmpl, due: due}
	switch x := rnd.Float64(); {
	case x < 0.04:
		s.event(id, t.Add(30*time.Hour), "sent", "rejected")
		r.out = outRefused
	case x < 0.08:
		s.event(id, t.Add(2*time.Hour), "sent", "error")
		r.out = outErrors
		if due < dashToday {
			r.out = outOverdue // an error does not stop the clock
		}
	default:
		at := t.AddDate(0, 0, 8+rnd.IntN(10))
		if rnd.Float64() < p {
			at = t.AddDate(0, 0, rnd.IntN(7))
		}
		switch {
		case at.After(dashNow) && due < dashToday:
			r.out = outOverdue
		case at.After(dashNow):
			r.out = outWaiting
		default:
			s.event(id, at, "sent", "answered")
			r.out = outInTerm
			if at.Format(time.DateOnly) > due {
				r.out = outLate
			}
		}
	}
	d.reqs = append(d.reqs, r)
}

// seed stores October 2025 – November 2026 of every settlement straight
// into the store, a never-synced settlement and a training workstation
// whose overdue requests must not count, and returns what it must show.
func seed(t testing.TB, st *Store) *seedData {
	t.Helper()
	ctx := context.Background()
	rnd := rand.New(rand.NewPCG(8, 2026))
	d := &seedData{}
	for _, s := range seedSettlements {
		if err := st.AddSettlement(ctx, s.oktmo, s.name); err != nil {
			t.Fatal(err)
		}
		var ws stream
		ws.p.Settlement = s.oktmo
		for m := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC); m.Before(dashNow); m = m.AddDate(0, 1, 0) {
			last := 28
			if m.Year() == 2026 && m.Month() == time.November {
				last = 21
			}
			for i, n := 0, s.perMonth+rnd.IntN(5); i < n; i++ {
				d.incoming(rnd, &ws, s.oktmo, seedTime(rnd, m.Year(), m.Month(), 1+rnd.IntN(last)), s.inTermP)
				d.outgoing(rnd, &ws, s.oktmo, seedTime(rnd, m.Year(), m.Month(), 1+rnd.IntN(last)), s.outTermP)
			}
		}
		st.now = func() time.Time { return dashNow }
		if s.oktmo == silentOKTMO {
			st.now = func() time.Time { return dashNow.AddDate(0, 0, -20) }
		}
		pushAll(t, st, "ws-1", "", &ws.p)
	}
	st.now = func() time.Time { return dashNow }
	if err := st.AddSettlement(ctx, neverOKTMO, neverName); err != nil {
		t.Fatal(err)
	}
	// A training workstation of Берёзовское: 30 incoming requests, all
	// overdue; none of them counts.
	var tr stream
	tr.p.Settlement = seedSettlements[0].oktmo
	for i := 0; i < 30; i++ {
		at := time.Date(2026, 3, 2+i%20, 9, 0, 0, 0, time.UTC)
		id := tr.request(regionsync.RequestMeta{Direction: "in", TemplateTitle: "Учебный запрос", Provider: "Учебный узел", CreatedAt: at.Format(time.RFC3339), DueOn: "2026-03-30"})
		tr.event(id, at, "", "received")
	}
	pushAll(t, st, "ws-training", regionsync.ContourTraining, &tr.p)
	return d
}

// pushAll stores a workstation's whole stream in batches of
// regionsync.MaxBatchEvents.
func pushAll(t testing.TB, st *Store, ws, contour string, p *regionsync.PushRequest) {
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
		if _, err := st.PushContour(context.Background(), p.Settlement, ws, contour, part); err != nil {
			t.Fatal(err)
		}
		p.Events = p.Events[n:]
	}
}
