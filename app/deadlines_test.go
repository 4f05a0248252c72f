package app

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
)

func TestBoardGroupsByUrgency(t *testing.T) {
	a := started(t)
	db, _ := a.journal()
	ctx := context.Background()
	cal := a.calendar()
	today := calendar.DateOf(time.Now())
	next, err := cal.AddWorkingDays(today, 1)
	if err != nil {
		t.Skipf("the calendar does not cover today: %v", err)
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
	r := a.Deadlines.Board()
	b := r.Data.(Board)
	if !r.OK || len(b.Overdue) != 2 || len(b.DueToday) != 1 || len(b.Tomorrow) != 1 {
		t.Fatalf("%+v", b)
	}
	if b.Overdue[0].Reminder == "" || b.Overdue[0].DaysLeft >= 0 {
		t.Fatalf("%+v", b.Overdue[0])
	}
}

func TestRegisterPaper(t *testing.T) {
	a := started(t)
	r := a.Deadlines.RegisterPaper(PaperRequest{Channel: "post", Number: "01-12/348", SentOn: "03.03.2025",
		Provider: "Социальный фонд России", Subject: "Сведения о выплатах"})
	if !r.OK {
		t.Fatalf("%+v", r)
	}
	row := r.Data.(Row)
	// Sent on Monday 3 March 2025; 5 working days later, 8 March a holiday:
	// 4, 5, 6, 7, 10 March.
	if row.DueOn != "2025-03-10" || row.Channel != domain.ChannelPost || row.Status != domain.StatusSent {
		t.Fatalf("%+v", row.Request)
	}
	bad := a.Deadlines.RegisterPaper(PaperRequest{Channel: "pigeon", SentOn: "31.02.2025", TermDays: -1})
	for _, want := range []string{"по факсу или почтой", "исходящий номер", "ведомство", "какие сведения", "Дата отправки", "Срок ответа"} {
		if bad.OK || !strings.Contains(bad.Message, want) {
			t.Errorf("message %q lacks %q", bad.Message, want)
		}
	}
	tomorrow := calendar.DateOf(time.Now()).AddDays(1).String()
	if r := a.Deadlines.RegisterPaper(PaperRequest{Channel: "fax", Number: "1", SentOn: tomorrow, Provider: "x", Subject: "y"}); r.OK {
		t.Fatal("a request sent tomorrow was registered")
	}
	page := a.Journal.List(ListQuery{}).Data.(ListResult)
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
	a := New(Config{DataDir: t.TempDir(), Explicit: true, Log: quiet, Events: rec})
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer a.Stop()
	if r := a.Deadlines.Remind(); !r.OK || len(rec.snapshot()) != 0 {
		t.Fatalf("an empty journal notified: %+v %v", r, rec.snapshot())
	}
	db, _ := a.journal()
	db.CreateRequest(context.Background(), store.NewRequest{Direction: domain.Incoming, Channel: domain.ChannelSMEV,
		Status: domain.StatusReceived, DueOn: calendar.DateOf(time.Now()).AddDays(-2).String(), Actor: "t"})
	a.Deadlines.Remind()
	if n := rec.snapshot(); len(n) != 1 || !strings.Contains(n[0], "просрочено: 1") {
		t.Fatalf("%v", n)
	}
}
