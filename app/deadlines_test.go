package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/workstation"
)

// msk is the clerk's zone in these tests; moscowAt a moment on its clock.
var msk = time.FixedZone("MSK", 3*60*60)

func moscowAt(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, msk) }

// startedAt is started with the app's clock fixed at now.
func startedAt(t *testing.T, now time.Time) *App {
	t.Helper()
	a := New(Config{DataDir: t.TempDir(), Explicit: true, Log: quiet, Now: func() time.Time { return now }})
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Stop)
	return a
}

func TestBoardGroupsByUrgency(t *testing.T) {
	a := startedAt(t, moscowAt(2027, time.March, 10, 11)) // a Wednesday
	db, _ := a.journal()
	ctx := context.Background()
	cal := a.calendar()
	today := a.today()
	next, err := cal.AddWorkingDays(today, 1)
	if err != nil {
		t.Fatal(err)
	}
	later, _ := cal.AddWorkingDays(today, 3)
	for _, c := range []struct {
		dir domain.Direction
		due string
		st  domain.Status
	}{
		{domain.Outgoing, today.AddDays(-10).String(), domain.StatusSent},
		{domain.Incoming, today.AddDays(-1).String(), domain.StatusReceived},
		{domain.Outgoing, today.String(), domain.StatusAccepted},
		{domain.Incoming, next.String(), domain.StatusReceived},
		{domain.Outgoing, later.String(), domain.StatusSent},                 // not yet
		{domain.Outgoing, today.AddDays(-3).String(), domain.StatusAnswered}, // closed
	} {
		if _, err := db.CreateRequest(ctx, store.NewRequest{Direction: c.dir, Channel: domain.ChannelSMEV, Status: c.st, DueOn: c.due, Actor: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	r := R(a.Deadlines.Board())
	b := r.Data.(Board)
	if !r.OK || len(b.Overdue) != 2 || len(b.DueToday) != 1 || len(b.Tomorrow) != 1 {
		t.Fatalf("%+v", b)
	}
	if b.Overdue[0].Reminder == "" || b.Overdue[0].DaysLeft >= 0 {
		t.Fatalf("%+v", b.Overdue[0])
	}
	if b.Notice != "" || b.Today != "2027-03-10" || next.String() != "2027-03-11" {
		t.Fatalf("notice %q today %s next %s", b.Notice, b.Today, next)
	}
}

func TestRegisterPaper(t *testing.T) {
	a := startedAt(t, moscowAt(2025, time.April, 2, 15))
	r := R(a.Deadlines.RegisterPaper(PaperRequest{Channel: "post", Number: "01-12/348", SentOn: "03.03.2025",
		Provider: "Социальный фонд России", Subject: "Сведения о выплатах"}))
	if !r.OK {
		t.Fatalf("%+v", r)
	}
	row := r.Data.(Row)
	// Sent on Monday 3 March 2025; 5 working days later, 8 March a holiday:
	// 4, 5, 6, 7, 10 March.
	if row.DueOn != "2025-03-10" || row.Channel != domain.ChannelPost || row.Status != domain.StatusSent {
		t.Fatalf("%+v", row.Request)
	}
	bad := R(a.Deadlines.RegisterPaper(PaperRequest{Channel: "pigeon", SentOn: "31.02.2025", TermDays: -1}))
	for _, want := range []string{"по факсу или почтой", "исходящий номер", "ведомство", "какие сведения", "Дата отправки", "Срок ответа"} {
		if bad.OK || !strings.Contains(bad.Message, want) {
			t.Errorf("message %q lacks %q", bad.Message, want)
		}
	}
	tomorrow := a.today().AddDays(1).String()
	if r := R(a.Deadlines.RegisterPaper(PaperRequest{Channel: "fax", Number: "1", SentOn: tomorrow, Provider: "x", Subject: "y"})); r.OK {
		t.Fatal("a request sent tomorrow was registered")
	}
	page := R(a.Journal.List(ListQuery{})).Data.(ListResult)
	if page.Total != 1 {
		t.Fatalf("refused registrations wrote %d rows", page.Total-1)
	}
}

type recorder struct {
	mu    sync.Mutex
	notes []string
}

func (r *recorder) Emit(string, any) {}
func (r *recorder) Notify(title, body string) {
	r.mu.Lock()
	r.notes = append(r.notes, title+": "+body)
	r.mu.Unlock()
}
func (r *recorder) snapshot() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.notes...)
}

func TestRemindNotifies(t *testing.T) {
	rec := &recorder{}
	a := New(Config{DataDir: t.TempDir(), Explicit: true, Log: quiet, Events: rec, Now: func() time.Time { return moscowAt(2026, time.June, 3, 9) }})
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer a.Stop()
	if r := R(a.Deadlines.Remind()); !r.OK || len(rec.snapshot()) != 0 {
		t.Fatalf("an empty journal notified: %+v %v", r, rec.snapshot())
	}
	db, _ := a.journal()
	db.CreateRequest(context.Background(), store.NewRequest{Direction: domain.Incoming, Channel: domain.ChannelSMEV,
		Status: domain.StatusReceived, DueOn: a.today().AddDays(-2).String(), Actor: "t"})
	R(a.Deadlines.Remind())
	if n := rec.snapshot(); len(n) != 1 || !strings.Contains(n[0], "просрочено: 1") {
		t.Fatalf("%v", n)
	}
}

// The year's end: on 28 December 2027 the 2028 calendar is not there yet.
// «Сроки» and «Настройки» say so; a request sent through SMEV goes all the
// same, shows «срок не рассчитан…», and a paper one too; the moment the
// calendar is loaded, both get their deadline, in the journal and in «Сроки».
func TestYearEndWithoutNextCalendar(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.SetSettings(context.Background(), map[string]string{store.SettingTraining: "1", store.SettingClerk: "Иванова Мария Петровна"})
	db.Close()
	var mu sync.Mutex
	now := moscowAt(2027, time.December, 28, 10) // Tuesday
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	desk := &fakeDesktop{}
	// The training providers take an hour: the request stays sent.
	a := New(Config{DataDir: dir, Explicit: true, Log: quiet, Now: clock, Desktop: desk, TrainingDelay: time.Hour})
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Stop)

	info := R(a.Settings.Calendar()).Data.(CalendarInfo)
	if !strings.Contains(info.Notice, "2028") || info.Years[len(info.Years)-1] != 2027 {
		t.Fatalf("settings: %+v", info)
	}
	board := R(a.Deadlines.Board()).Data.(Board)
	if !strings.Contains(board.Notice, "Нет производственного календаря на 2028 год") {
		t.Fatalf("«Сроки» notice %q", board.Notice)
	}

	v := R(a.Requests.NewDraft("egrn-object", 0, "")).Data.(DraftView)
	R(a.Requests.SaveDraft(v.Request.ID, v.Template.Examples()))
	if r := R(a.Requests.OpenKey(KeyChoice{Training: true})); !r.OK {
		t.Fatalf("key: %+v", r)
	}
	if r := R(a.Requests.Send(v.Request.ID)); !r.OK {
		t.Fatalf("send: %+v", r)
	}
	// Sent; SMEV's "accepted" may be recorded first.
	tl := waitStatus(t, a, v.Request.ID, domain.StatusSent, domain.StatusAccepted)
	for end := time.Now().Add(10 * time.Second); tl.Request.SentAt.IsZero() && time.Now().Before(end); {
		time.Sleep(20 * time.Millisecond)
		tl = R(a.Requests.Timeline(v.Request.ID)).Data.(*workstation.Timeline)
	}
	paper := R(a.Deadlines.RegisterPaper(PaperRequest{Channel: "post", Number: "01-12/900", SentOn: "27.12.2027",
		Provider: "Социальный фонд России", Subject: "Сведения о выплатах"}))
	if !paper.OK {
		t.Fatalf("paper: %+v", paper)
	}
	paperID := paper.Data.(Row).ID
	const note = "срок не рассчитан: нет производственного календаря на 2028 год"
	rows := R(a.Journal.List(ListQuery{Direction: "out"})).Data.(ListResult).Rows
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		if r.DueOn != "" || r.DueNote != note {
			t.Fatalf("before the calendar: request %d due %q note %q", r.ID, r.DueOn, r.DueNote)
		}
	}
	if tl.Request.SentAt.IsZero() {
		t.Fatalf("not sent: %+v", tl.Request)
	}
	// The training node's incoming requests, received on 28.12.2027, wait
	// for the calendar as well (taken now: the poller's own interval is an
	// hour here).
	svc, err := a.service()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PollNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	pending := R(a.Deadlines.Board()).Data.(Board).Pending
	out, in := 0, 0
	for _, p := range pending {
		if p.Reminder != note || p.DueNote != note {
			t.Fatalf("«Сроки» pending: %+v", p)
		}
		if p.Direction == domain.Outgoing {
			out++
		} else {
			in++
		}
	}
	if out != 2 || in == 0 {
		t.Fatalf("«Сроки» pending: %d outgoing, %d incoming", out, in)
	}

	// A bad file changes nothing; cancelling the dialog neither.
	bad := filepath.Join(t.TempDir(), "2028.xml")
	os.WriteFile(bad, []byte(`<!DOCTYPE calendar [<!ENTITY a "b">]><calendar year="2028"/>`), 0o600)
	desk.choose = bad
	if r := R(a.Settings.ImportCalendar()); r.OK {
		t.Fatalf("a bad calendar imported: %+v", r)
	}
	desk.choose = ""
	if r := R(a.Settings.ImportCalendar()); !r.OK || r.Data.(CalendarInfo).Imported != 0 {
		t.Fatalf("cancel: %+v", r)
	}
	if p := R(a.Deadlines.Board()).Data.(Board).Pending; len(p) != out+in {
		t.Fatalf("pending after a refused import: %d", len(p))
	}

	desk.choose = "../calendar/testdata/fixture-2028.xml"
	r := R(a.Settings.ImportCalendar())
	if !r.OK {
		t.Fatalf("import: %+v", r)
	}
	if info := r.Data.(CalendarInfo); info.Imported != 2028 || info.Computed != out+in || info.Notice != "" {
		t.Fatalf("import: %+v", info)
	}
	// The ЕГРН card's term is 3 working days: 28.12.2027 + 3 = 29, 30
	// December, (31 December, 1–9 January off), 10 January; the paper one
	// has 5: 27.12.2027 + 5 = 28, 29, 30 December, 10, 11 January.
	want := map[int64]string{v.Request.ID: "2028-01-10", paperID: "2028-01-11"}
	for _, r := range R(a.Journal.List(ListQuery{Direction: "out"})).Data.(ListResult).Rows {
		if r.DueOn != want[r.ID] || r.DueNote != "" {
			t.Fatalf("after the calendar: request %d due %q note %q, want %s", r.ID, r.DueOn, r.DueNote, want[r.ID])
		}
	}
	mu.Lock()
	now = moscowAt(2028, time.January, 10, 9)
	mu.Unlock()
	b := R(a.Deadlines.Board()).Data.(Board)
	var today, tomorrow []int64
	for _, r := range b.DueToday {
		if r.Direction == domain.Outgoing {
			today = append(today, r.ID)
		}
	}
	for _, r := range b.Tomorrow {
		if r.Direction == domain.Outgoing {
			tomorrow = append(tomorrow, r.ID)
		}
	}
	if len(b.Pending) != 0 || len(today) != 1 || today[0] != v.Request.ID || len(tomorrow) != 1 || tomorrow[0] != paperID {
		t.Fatalf("«Сроки» on 10.01.2028: today %+v tomorrow %+v pending %+v", b.DueToday, b.Tomorrow, b.Pending)
	}
}
