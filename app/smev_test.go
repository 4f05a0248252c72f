package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/workstation"
)

// training starts the app in the training mode against the built-in node
// (real loopback mutual TLS, real signatures).
func training(t *testing.T, ev Events) *App {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.SetSettings(context.Background(), map[string]string{store.SettingTraining: "1", store.SettingClerk: "Иванова Мария Петровна",
		store.SettingSettlement: "Берёзовское сельское поселение"})
	db.Close()
	if ev == nil {
		ev = NopEvents{}
	}
	a := New(Config{DataDir: dir, Explicit: true, Log: quiet, Events: ev, TrainingDelay: 50 * time.Millisecond})
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Stop)
	return a
}

func waitStatus(t *testing.T, a *App, id int64, want ...domain.Status) *workstation.Timeline {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		r := R(a.Requests.Timeline(id))
		if !r.OK {
			t.Fatalf("%+v", r)
		}
		tl := r.Data.(*workstation.Timeline)
		for _, w := range want {
			if tl.Request.Status == w {
				return tl
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("request %d stays %s (%s), want %v", id, tl.Request.Status, tl.Request.LastError, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestTrainingComposeSignSendAnswer(t *testing.T) {
	rec := &recorder{}
	a := training(t, rec)
	r := R(a.Requests.NewDraft("egrn-object", 0, ""))
	v := r.Data.(DraftView)
	R(a.Requests.SaveDraft(v.Request.ID, v.Template.Examples()))

	// No key yet: a clear refusal, nothing sent.
	if r := R(a.Requests.Send(v.Request.ID)); r.OK || r.Code != domain.EPERMISSION || !strings.Contains(r.Message, "PIN") {
		t.Fatalf("%+v", r)
	}
	r = R(a.Requests.OpenKey(KeyChoice{Training: true, PIN: "1234"}))
	cv, isCert := r.Data.(CertView)
	if !r.OK || !isCert || !cv.Valid || cv.Owner != "Иванова Мария Петровна" || cv.SNILS == "" {
		t.Fatalf("%+v", r)
	}
	r = R(a.Requests.Send(v.Request.ID))
	if !r.OK {
		t.Fatalf("%+v", r)
	}
	tl := waitStatus(t, a, v.Request.ID, domain.StatusAnswered, domain.StatusRejected)
	if tl.Request.MessageID == "" || tl.Request.DueOn == "" || len(tl.Replies) == 0 {
		t.Fatalf("%+v", tl)
	}
	rep := tl.Replies[len(tl.Replies)-1]
	if !rep.Valid || len(rep.Signatures) == 0 || rep.Signatures[0].Owner == "" {
		t.Fatalf("the answer's signature check is not shown: %+v", rep)
	}
	if tl.Request.Status == domain.StatusAnswered && (len(rep.Readable) == 0 || len(rep.Attachments) == 0) {
		t.Fatalf("an ЕГРН answer without data or its PDF: %+v", rep)
	}
	var titles []string
	for _, e := range tl.Events {
		titles = append(titles, e.To)
	}
	if got := strings.Join(titles, " "); !strings.HasPrefix(got, "draft signed queued sent") {
		t.Fatalf("timeline %q", got)
	}
	// Sending twice is refused.
	if r := R(a.Requests.Send(v.Request.ID)); r.OK || r.Code != domain.ECONFLICT {
		t.Fatalf("%+v", r)
	}
	// The window was told.
	deadline := time.Now().Add(5 * time.Second)
	for len(rec.snapshot()) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if notes := rec.snapshot(); len(notes) == 0 {
		t.Fatal("no notification for the answer")
	}
}

func TestTrainingAnswerIncoming(t *testing.T) {
	a := training(t, nil)
	R(a.Requests.OpenKey(KeyChoice{Training: true}))
	var id int64
	deadline := time.Now().Add(30 * time.Second)
	for id == 0 {
		p := R(a.Journal.List(ListQuery{Direction: "in", Statuses: []string{"received"}})).Data.(ListResult)
		if p.Total > 0 {
			id = p.Rows[0].ID
		} else if time.Now().After(deadline) {
			t.Fatal("no incoming request from the training node")
		} else {
			time.Sleep(50 * time.Millisecond)
		}
	}
	tl := R(a.Requests.Timeline(id)).Data.(*workstation.Timeline)
	if !tl.CanAnswer || len(tl.Readable) == 0 || tl.Request.DueOn == "" || tl.AnswerCard == nil {
		t.Fatalf("%+v", tl)
	}
	r := R(a.Requests.Answer(AnswerInput{RequestID: id}))
	if r.OK || r.Code != domain.EINVALID || !strings.Contains(r.Message, "Сведения похозяйственной книги") {
		t.Fatalf("an empty answer: %+v", r)
	}
	if r := R(a.Requests.Answer(AnswerInput{RequestID: id, RejectCode: "MAYBE"})); r.OK {
		t.Fatalf("an unknown code: %+v", r)
	}
	r = R(a.Requests.Answer(AnswerInput{RequestID: id, Values: map[string]string{"answer.found": "true",
		"answer.household": "Лицевой счёт № 112, похозяйственная книга № 3 <с пометкой & без>"}}))
	if !r.OK {
		t.Fatalf("%+v", r)
	}
	waitStatus(t, a, id, domain.StatusAnswered)
}

func TestTrainingSendsAttachments(t *testing.T) {
	a := training(t, nil)
	desk := &fakeDesktop{}
	a.cfg.Desktop = desk
	v := R(a.Requests.NewDraft("sfr-payments", 0, "")).Data.(DraftView)
	R(a.Requests.SaveDraft(v.Request.ID, v.Template.Examples()))
	pdf := "JVBERi0xLjQKJcfsj6IKJSVFT0YK" // "%PDF-1.4 …%%EOF"
	if r := R(a.Requests.AddAttachment(v.Request.ID, "/home/x/../заявление.pdf", "application/pdf", pdf)); !r.OK || len(r.Data.(DraftView).Files) != 1 || r.Data.(DraftView).Files[0].Name != "заявление.pdf" {
		t.Fatalf("%+v", r)
	}
	if r := R(a.Requests.AddAttachment(v.Request.ID, "bad.pdf", "", "не base64!")); r.OK || r.Code != domain.EINVALID {
		t.Fatalf("%+v", r)
	}
	R(a.Requests.OpenKey(KeyChoice{Training: true}))
	if r := R(a.Requests.Send(v.Request.ID)); !r.OK {
		t.Fatalf("%+v", r)
	}
	tl := waitStatus(t, a, v.Request.ID, domain.StatusAnswered, domain.StatusRejected)
	if tl.Request.Status != domain.StatusAnswered && tl.Request.Status != domain.StatusRejected {
		t.Fatalf("%+v", tl.Request)
	}
	files := R(a.Requests.Draft(v.Request.ID)).Data.(DraftView).Files
	if r := R(a.Requests.OpenAttachment(files[0].ID, "../../заявление.pdf")); !r.OK || len(desk.opened) != 1 || strings.Contains(desk.opened[0], "..") {
		t.Fatalf("%+v %v", r, desk.opened)
	}
}
