package app

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/workstation"
)

// A paper request reaches its end: the answer that came by post is recorded
// with its number, date and scan, and the page shows it in Russian.
func TestPaperRequestAnsweredByPost(t *testing.T) {
	a := startedAt(t, moscowAt(2025, time.April, 2, 15))
	row := R(a.Deadlines.RegisterPaper(PaperRequest{Channel: "post", Number: "01-12/348", SentOn: "3.3.25",
		Provider: "Социальный фонд России", Subject: "Сведения о выплатах"})).Data.(Row)
	tl := R(a.Requests.Timeline(row.ID)).Data.(*workstation.Timeline)
	if !tl.CanAnswerOnPaper || !tl.CanWithdraw || tl.CanAnswer {
		t.Fatalf("a paper request offers %+v", tl)
	}
	scan := FileUpload{Name: "ответ СФР.pdf", Mime: "application/pdf", Base64: base64.StdEncoding.EncodeToString([]byte("%PDF-1.4\n%%EOF\n"))}
	bad := R(a.Requests.RecordPaperAnswer(PaperAnswerInput{RequestID: row.ID, Channel: "post", Dated: "5.4.25"}))
	if bad.OK || !strings.Contains(bad.Message, "позже сегодняшней") {
		t.Fatalf("a letter of tomorrow: %+v", bad)
	}
	r := R(a.Requests.RecordPaperAnswer(PaperAnswerInput{RequestID: row.ID, Channel: "post", Number: "СФР-77", Dated: "1.4.25",
		Files: []FileUpload{scan}}))
	if !r.OK {
		t.Fatalf("%+v", r)
	}
	tl = r.Data.(*workstation.Timeline)
	if tl.Request.Status != domain.StatusAnswered || tl.Status != "Ответ получен" || len(tl.Replies) != 1 || tl.CanAnswerOnPaper || tl.CanWithdraw {
		t.Fatalf("after the answer: %s %+v", tl.Status, tl.Replies)
	}
	rep := tl.Replies[0]
	if rep.ChannelTitle != "почтой" || rep.Number != "СФР-77" || rep.Dated != "01.04.2025" || len(rep.Attachments) != 1 {
		t.Fatalf("%+v", rep)
	}
	last := tl.Events[len(tl.Events)-1]
	if last.Note != "ответ получен почтой, письмо № СФР-77 от 01.04.2025" || last.Title != "Ответ получен" {
		t.Fatalf("%+v", last)
	}
	// The paper answer prints, without a MessageID and saying it is on paper.
	p := R(a.Print.Preview(PrintJob{MessageID: rep.MessageID}))
	if !p.OK || !strings.Contains(strings.Join(p.Data.(Printed).Preview, " "), "почтой, письмо № СФР-77") {
		t.Fatalf("%+v", p)
	}
}

// An incoming request registered by hand is refused on paper: the reason and
// the explanation are required, and it ends as «Отказ отправлен».
func TestIncomingByHandRefusedOnPaper(t *testing.T) {
	a := startedAt(t, moscowAt(2025, time.April, 2, 15))
	row := R(a.Deadlines.RegisterPaper(PaperRequest{Direction: "in", Channel: "fax", SentOn: "01.04.2025",
		Provider: "Социальный фонд России", Subject: "Выписка из похозяйственной книги"})).Data.(Row)
	if row.Direction != domain.Incoming || row.Status != domain.StatusReceived || row.DueOn == "" {
		t.Fatalf("%+v", row.Request)
	}
	tl := R(a.Requests.Timeline(row.ID)).Data.(*workstation.Timeline)
	if tl.CanAnswer || !tl.CanAnswerOnPaper || tl.ViaSMEV || tl.ProviderFrom != "Социального фонда России" {
		t.Fatalf("%+v", tl)
	}
	// Through SMEV it cannot go: said plainly, before any key is asked for.
	if r := R(a.Requests.Answer(AnswerInput{RequestID: row.ID, RejectCode: "NO_DATA", Text: "x"})); r.OK {
		t.Fatalf("%+v", r)
	}
	bad := R(a.Requests.RecordPaperAnswer(PaperAnswerInput{RequestID: row.ID, Channel: "post", Refuse: true, RejectCode: "NO_DATA", Dated: "02.04.2025"}))
	if bad.OK || !strings.Contains(bad.Message, "пояснение") {
		t.Fatalf("a refusal without its explanation: %+v", bad)
	}
	r := R(a.Requests.RecordPaperAnswer(PaperAnswerInput{RequestID: row.ID, Channel: "post", Refuse: true, RejectCode: "NO_DATA",
		Text: "Хозяйство в книге не значится", Number: "12", Dated: "02.04.2025"}))
	if !r.OK {
		t.Fatalf("%+v", r)
	}
	tl = r.Data.(*workstation.Timeline)
	if tl.Status != "Отказ отправлен" || len(tl.OurAnswers) != 1 || len(tl.Replies) != 0 {
		t.Fatalf("%s %+v", tl.Status, tl)
	}
	our := tl.OurAnswers[0]
	if our.KindTitle != "Наш отказ" || our.RejectText != "Сведения не найдены" || our.Text != "Хозяйство в книге не значится" {
		t.Fatalf("%+v", our)
	}
	list := R(a.Journal.List(ListQuery{Direction: "in"})).Data.(ListResult)
	if list.Rows[0].StatusTitle != "Отказ отправлен" {
		t.Fatalf("the journal says %q", list.Rows[0].StatusTitle)
	}
	// Printed for the paper file: our answer.
	pr := R(a.Print.Preview(PrintJob{MessageID: our.MessageID}))
	if !pr.OK || !strings.HasPrefix(pr.Data.(Printed).Title, "Наш ответ") {
		t.Fatalf("%+v", pr)
	}
}

func TestWithdraw(t *testing.T) {
	a := startedAt(t, moscowAt(2025, time.April, 2, 15))
	row := R(a.Deadlines.RegisterPaper(PaperRequest{Channel: "fax", Number: "7", SentOn: "01.04.2025", Provider: "Росреестр", Subject: "Выписка"})).Data.(Row)
	if r := R(a.Requests.Withdraw(row.ID, "")); r.OK {
		t.Fatal("withdrawn without a reason")
	}
	r := R(a.Requests.Withdraw(row.ID, "заявитель отозвал заявление"))
	if !r.OK {
		t.Fatalf("%+v", r)
	}
	tl := r.Data.(*workstation.Timeline)
	if tl.Request.Status != domain.StatusCancelled || tl.CanWithdraw || tl.CanAnswerOnPaper {
		t.Fatalf("%+v", tl)
	}
}

// A template's «Создать запрос» keeps nothing; the first save does. The
// settlement's ОГРН, the signer and the position come from the settings;
// dates typed short are kept in full; a draft is deleted.
func TestDraftOnFirstSaveWithSettings(t *testing.T) {
	a := startedAt(t, moscowAt(2025, time.April, 2, 15))
	R(a.Settings.SaveIdentity(Identity{Settlement: "Берёзовское сельское поселение", Clerk: "Иванова Мария Петровна",
		OKTMO: "46608404", OGRN: "1024600000017", Position: "Глава администрации", Signer: "Петров Пётр Петрович"}))
	v := R(a.Requests.StartDraft("sfr-snils-check", 0, "")).Data.(DraftView)
	if v.Request.ID != 0 {
		t.Fatalf("a draft was kept on opening the form: %d", v.Request.ID)
	}
	if page := R(a.Journal.List(ListQuery{})).Data.(ListResult); page.Total != 0 {
		t.Fatalf("%d requests after opening a form", page.Total)
	}
	for field, want := range map[string]string{"org.ogrn": "1024600000017", "org.official_name": "Петров Пётр Петрович",
		"org.official_position": "Глава администрации", "org.name": "Берёзовское сельское поселение"} {
		if v.Values[field] != want {
			t.Errorf("%s = %q, want %q", field, v.Values[field], want)
		}
	}
	values := v.Values
	values["applicant.birth_date"] = "1.2.85"
	values["application.date"] = "1.4.25"
	saved := R(a.Requests.CreateDraft("sfr-snils-check", 0, "", values))
	if !saved.OK {
		t.Fatalf("%+v", saved)
	}
	d := saved.Data.(DraftView)
	if d.Request.ID == 0 || d.Values["applicant.birth_date"] != "01.02.1985" || d.Values["application.date"] != "01.04.2025" {
		t.Fatalf("id %d, dates %q %q", d.Request.ID, d.Values["applicant.birth_date"], d.Values["application.date"])
	}
	for _, p := range d.Problems {
		if p.Field == "applicant.birth_date" || p.Field == "application.date" {
			t.Errorf("a short date is a problem: %+v", p)
		}
	}
	// Reopened, its problems are there to be marked field by field.
	if re := R(a.Requests.Draft(d.Request.ID)).Data.(DraftView); len(re.Problems) == 0 || re.Problems[0].Field == "" {
		t.Fatalf("problems of a reopened draft: %+v", re.Problems)
	}
	if r := R[any](nil, a.Requests.DeleteDraft(d.Request.ID)); !r.OK {
		t.Fatalf("%+v", r)
	}
	if page := R(a.Journal.List(ListQuery{})).Data.(ListResult); page.Total != 0 {
		t.Fatalf("%d requests after deleting the draft", page.Total)
	}
	id := R(a.Deadlines.RegisterPaper(PaperRequest{Channel: "fax", Number: "7", SentOn: "01.04.2025", Provider: "Росреестр", Subject: "Выписка"})).Data.(Row).ID
	if r := R[any](nil, a.Requests.DeleteDraft(id)); r.OK || r.Code != domain.ECONFLICT {
		t.Fatalf("a sent request deleted: %+v", r)
	}
}
