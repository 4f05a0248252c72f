package store

import (
	"context"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
)

func TestPaperAnswerClosesAPaperRequest(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	id, err := db.CreateRequest(ctx, NewRequest{Direction: domain.Outgoing, Number: "01-12/348", Provider: "Социальный фонд России",
		TemplateTitle: "Сведения о выплатах", Channel: domain.ChannelPost, Status: domain.StatusSent, DueOn: "2026-03-10", Actor: "Иванова"})
	if err != nil {
		t.Fatal(err)
	}
	// A refusal without its reason and explanation is refused.
	_, err = db.SavePaperReply(ctx, PaperReply{RequestID: id, Channel: domain.ChannelPost, Kind: ReplyReject, Dated: "2026-03-05", Actor: "Иванова"})
	wantCode(t, err, domain.EINVALID)
	// Ours to an outgoing request does not fit.
	_, err = db.SavePaperReply(ctx, PaperReply{RequestID: id, Ours: true, Channel: domain.ChannelPost, Kind: ReplyResponse, Dated: "2026-03-05", Actor: "Иванова"})
	wantCode(t, err, domain.EINVALID)

	at := time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)
	rid, err := db.SavePaperReply(ctx, PaperReply{RequestID: id, Channel: domain.ChannelFax, Kind: ReplyResponse, Number: "СФР-77",
		Dated: "2026-03-04", At: at, Actor: "Иванова", Files: []NewAttachment{{Name: "скан.pdf", MimeType: "application/pdf", Content: []byte("%PDF-1.4")}}})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := db.Request(ctx, id)
	if r.Status != domain.StatusAnswered || !r.AnsweredAt.Equal(at) {
		t.Fatalf("request after the paper answer: %s %v", r.Status, r.AnsweredAt)
	}
	reps, err := db.Replies(ctx, id)
	if err != nil || len(reps) != 1 {
		t.Fatalf("%v %d replies", err, len(reps))
	}
	rep := reps[0]
	if rep.ID != rid || rep.Channel != domain.ChannelFax || rep.Ours || rep.Number != "СФР-77" || rep.Dated != "2026-03-04" || len(rep.Files) != 1 || rep.Files[0].Name != "скан.pdf" {
		t.Fatalf("reply %+v", rep)
	}
	if !IsPaperID(rep.MessageID) {
		t.Fatalf("message id %q", rep.MessageID)
	}
	evs, _ := db.Events(ctx, id)
	if last := evs[len(evs)-1]; last.Note != "ответ получен по факсу, письмо № СФР-77 от 04.03.2026" || last.Actor != "Иванова" {
		t.Fatalf("event %+v", last)
	}
	if u, err := db.UnackedReplies(ctx, 10); err != nil || len(u) != 0 {
		t.Fatalf("paper replies wait for an Ack: %v %v", u, err)
	}
	// Closed: nothing more is recorded.
	_, err = db.SavePaperReply(ctx, PaperReply{RequestID: id, Channel: domain.ChannelFax, Kind: ReplyResponse, Dated: "2026-03-04", Actor: "Иванова"})
	wantCode(t, err, domain.ECONFLICT)
}

func TestIncomingByHandAnsweredOnPaperOrWithdrawn(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	in := func() int64 {
		id, err := db.CreateRequest(ctx, NewRequest{Direction: domain.Incoming, Provider: "Социальный фонд России", TemplateTitle: "Выписка",
			Channel: domain.ChannelPost, Status: domain.StatusReceived, Actor: "Иванова"})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	a := in()
	if via, err := db.IncomingViaSMEV(ctx, a); err != nil || via {
		t.Fatalf("by hand: via SMEV %v %v", via, err)
	}
	if _, err := db.SavePaperReply(ctx, PaperReply{RequestID: a, Ours: true, Channel: domain.ChannelPost, Kind: ReplyReject, RejectCode: "NO_DATA",
		Text: "Лицевой счёт не найден", Dated: "2026-03-04", Actor: "Иванова"}); err != nil {
		t.Fatal(err)
	}
	r, _ := db.Request(ctx, a)
	if r.Status != domain.StatusRejected || r.StatusTitle() != "Отказ отправлен" {
		t.Fatalf("%s %s", r.Status, r.StatusTitle())
	}
	b := in()
	wantCode(t, db.Withdraw(ctx, b, "Иванова", " "), domain.EINVALID)
	if err := db.Withdraw(ctx, b, "Иванова", "ведомство отозвало запрос письмом"); err != nil {
		t.Fatal(err)
	}
	r, _ = db.Request(ctx, b)
	evs, _ := db.Events(ctx, b)
	if r.Status != domain.StatusCancelled || evs[len(evs)-1].Note != "запрос отозван: ведомство отозвало запрос письмом" {
		t.Fatalf("%s %+v", r.Status, evs)
	}
	wantCode(t, db.Withdraw(ctx, b, "Иванова", "ещё раз"), domain.ECONFLICT)
}

func TestWithdrawTakesTheMessageOutOfTheOutbox(t *testing.T) {
	db := openOutboxDB(t)
	ctx := context.Background()
	id := enqueue(t, db, mid1)
	if err := db.Withdraw(ctx, id, "Иванова", "заявитель забрал заявление"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT count(*) FROM outbox WHERE request_id = ? AND state = 'pending'`, id); n != 0 {
		t.Fatalf("%d messages still pending", n)
	}
}

func TestDeleteDraft(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	id, err := db.CreateRequest(ctx, NewRequest{Direction: domain.Outgoing, TemplateID: "x", Channel: domain.ChannelSMEV, Status: domain.StatusDraft, Actor: "Иванова"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddRequestAttachment(ctx, id, "a.pdf", "", []byte("x")); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.Withdraw(ctx, id, "Иванова", "не нужен"), domain.ECONFLICT)
	if err := db.DeleteDraft(ctx, id); err != nil {
		t.Fatal(err)
	}
	_, err = db.Request(ctx, id)
	wantCode(t, err, domain.ENOTFOUND)
	if n := count(t, db, `SELECT count(*) FROM attachments`); n != 0 {
		t.Fatalf("%d files left", n)
	}
	sent, _ := db.CreateRequest(ctx, NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelPost, Status: domain.StatusSent, Actor: "Иванова"})
	wantCode(t, db.DeleteDraft(ctx, sent), domain.ECONFLICT)
}

func TestOurRefusalThroughSMEVEndsAsARefusal(t *testing.T) {
	db := openOutboxDB(t)
	ctx := context.Background()
	id, _, err := db.SaveIncoming(ctx, NewIncoming{Request: NewRequest{Provider: "СФР", TemplateTitle: "Выписка"},
		ReplyTo: "to", SMEVMessageID: "smev-1"})
	if err != nil {
		t.Fatal(err)
	}
	if via, _ := db.IncomingViaSMEV(ctx, id); !via {
		t.Fatal("not via SMEV")
	}
	// An intent never queued is shown nowhere and replaced by the next.
	for i := 0; i < 2; i++ {
		if err := db.RecordAnswerIntent(ctx, OwnAnswer{RequestID: id, Kind: ReplyReject, RejectCode: "NO_DATA", Text: "нет сведений"}); err != nil {
			t.Fatal(err)
		}
	}
	if reps, _ := db.Replies(ctx, id); len(reps) != 0 {
		t.Fatalf("an intent is shown: %+v", reps[0])
	}
	if err := db.EnqueueResponse(ctx, id, OutboxMessage{MessageID: mid2, Envelope: []byte("<env/>")}, "Иванова"); err != nil {
		t.Fatal(err)
	}
	reps, _ := db.Replies(ctx, id)
	if len(reps) != 1 || reps[0].MessageID != mid2 || !reps[0].Ours || reps[0].Kind != ReplyReject || reps[0].Text != "нет сведений" {
		t.Fatalf("%+v", reps)
	}
	it, err := db.OutboxByMessageID(ctx, mid2)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.OutboxSent(ctx, it.ID, time.Now(), "", "ответ отправлен"); err != nil {
		t.Fatal(err)
	}
	r, _ := db.Request(ctx, id)
	if r.Status != domain.StatusRejected || r.StatusTitle() != "Отказ отправлен" {
		t.Fatalf("%s", r.Status)
	}
	if env, _, err := db.OutboxEnvelope(ctx, mid2); err != nil || string(env) != "<env/>" {
		t.Fatalf("%q %v", env, err)
	}
}
