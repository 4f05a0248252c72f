package app

import (
	"context"
	"fmt"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/training/node"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/trust"
	"github.com/mezhved/mezhved/workstation"
)

// The SMEV side of the app: in the training mode a node of our own runs
// in-process on loopback mutual TLS and answers like the real providers; the
// outbox worker and the poller run in the background; the journal's change
// feed tells the window (and the desktop) when answers and requests come.

// smevState is what the app holds of the SMEV connection.
type smevState struct {
	svc      *transport.Service
	drain    *transport.Service // the previous road, until it owes nothing (drainOtherRoad)
	node     *node.Loopback
	system   keys.Key // ЭП-ОВ of the agent
	personal keys.Key // the clerk's key, opened with a PIN for this session
	// trainingKey is the training mode's key of this session (see
	// trainingKey in keys.go); personal when the clerk chose it.
	trainingKey keys.Key
	note        string // why there is no connection, for the window
}

// startSMEV connects the outbox to SMEV: the training node when the training
// mode is on. A real node needs the information system's key, opened by the
// clerk (ConnectSMEV); until then requests wait as drafts.
func (a *App) startSMEV(ctx context.Context) {
	ws, err := a.core()
	if err != nil {
		return
	}
	db := ws.Journal()
	training, _ := db.Setting(ctx, store.SettingTraining)
	if training != "1" {
		a.mu.Lock()
		a.smev.note = "Подключение к СМЭВ не настроено: запросы можно готовить, а отправлять — после настройки канала и ключа информационной системы (раздел «Настройки») или в учебном режиме."
		a.mu.Unlock()
		return
	}
	delay, poll := 4*time.Second, 3*time.Second
	if a.cfg.TrainingDelay > 0 {
		delay, poll = a.cfg.TrainingDelay, a.cfg.TrainingDelay
	}
	lb, err := node.StartLoopback(node.Options{Delay: delay, NoDataRate: 0.1, IncomingPerParticipant: 2,
		Statuses: true, RedeliverAfter: 30 * time.Second, Catalogue: a.catalogue(), Clock: appClock{a}}, "", nil)
	if err != nil {
		a.smevFailed("the training node did not start", err)
		return
	}
	system, _, err := keys.NewDemoGOST(keys.DemoSubject{CommonName: "Межвед (учебная ИС)", Organization: a.settlementName(ctx, db),
		INNLE: "7700000001", OGRN: "1027700000001", ValidFrom: a.now()}, 365*24*time.Hour)
	if err != nil {
		lb.Close()
		a.smevFailed("the training key was not made", err)
		return
	}
	ws.TrustTraining(lb.Node.TrainingAnchors())
	svc, err := ws.NewService(lb.Endpoint, system, workstation.ServiceOptions{Contour: trust.Training, Provider: true,
		SendInterval: time.Second, PollInterval: poll, Log: func(f string, args ...any) { a.log.Info(fmt.Sprintf(f, args...)) }})
	if err != nil {
		system.Close()
		lb.Close()
		a.smevFailed("the SMEV service did not start", err)
		return
	}
	svc.Start()
	a.mu.Lock()
	a.smev = smevState{svc: svc, node: lb, system: system}
	a.mu.Unlock()
	a.log.Info("training SMEV node", "endpoint", lb.Endpoint.URL)
}

func (a *App) smevFailed(what string, err error) {
	a.log.Error(what, "err", err)
	a.mu.Lock()
	a.smev.note = "Учебный узел СМЭВ не запустился: " + domain.ErrorMessage(err)
	a.mu.Unlock()
}

func (a *App) stopSMEV() {
	a.mu.Lock()
	st := a.smev
	a.smev = smevState{}
	a.mu.Unlock()
	if st.svc != nil {
		st.svc.Close()
	}
	if st.drain != nil {
		st.drain.Close()
	}
	if st.node != nil {
		st.node.Close()
	}
	for _, k := range []keys.Key{st.system, st.personal, st.trainingKey} {
		if k != nil {
			k.Close()
		}
	}
}

func (a *App) settlementName(ctx context.Context, db *store.DB) string {
	if v, _ := db.Setting(ctx, store.SettingSettlement); v != "" {
		return v
	}
	return "Администрация поселения"
}

// personalKey returns the clerk's key opened for this session.
func (a *App) personalKey() (keys.Key, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.smev.personal == nil {
		return nil, domain.Errorf(domain.EPERMISSION, "Сначала выберите ключ электронной подписи и введите PIN.")
	}
	return a.smev.personal, nil
}

func (a *App) service() (*transport.Service, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.smev.svc == nil {
		note := a.smev.note
		if note == "" {
			note = "СМЭВ ещё не подключена. Подождите несколько секунд."
		}
		return nil, domain.Errorf(domain.EUNAVAILABLE, "%s", note)
	}
	return a.smev.svc, nil
}

// watchJournal follows the journal's events and tells the window about
// answers, refusals, errors and incoming requests as they are committed.
func (a *App) watchJournal(ctx context.Context) {
	db, err := a.journal()
	if err != nil {
		return
	}
	last, err := db.LastEventSeq(ctx)
	if err != nil {
		return
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		evs, err := db.EventsAfter(ctx, last, 500)
		if err != nil || len(evs) == 0 {
			continue
		}
		last = evs[len(evs)-1].Seq
		a.cfg.Events.Emit("journal", len(evs))
		for _, e := range evs {
			a.announce(ctx, db, e)
		}
	}
}

func (a *App) announce(ctx context.Context, db *store.DB, e domain.Event) {
	var title string
	switch {
	case e.To == domain.StatusAnswered && e.From != domain.StatusQueued:
		title = "Получен ответ на запрос"
	case e.To == domain.StatusRejected:
		title = "Ведомство отказало в предоставлении сведений"
	case e.To == domain.StatusError:
		title = "Запрос требует внимания"
	case e.To == domain.StatusReceived && e.From == "":
		title = "Поступил запрос от другого ведомства"
	default:
		return
	}
	r, err := db.Request(ctx, e.RequestID)
	if err != nil || (e.To == domain.StatusAnswered && r.Direction != domain.Outgoing) {
		return
	}
	body := r.TemplateTitle
	if r.Provider != "" {
		body += " — " + r.Provider
	}
	if r.Applicant != "" {
		body += ", заявитель " + r.Applicant
	}
	a.cfg.Events.Notify(title, body)
}

// Send signs a complete draft with the opened key (ЭП-СП when the card
// wants it, ЭП-ОВ always) and puts it into the outbox; the worker sends it.
func (s *RequestsService) Send(id int64) (*workstation.Timeline, error) {
	const op = "requests.Send"
	ws, err := s.app.core()
	if err != nil {
		return nil, s.app.fail(op, err)
	}
	svc, err := s.app.service()
	if err != nil {
		return nil, s.app.fail(op, err)
	}
	personal, err := s.app.personalKey()
	if err != nil {
		return nil, s.app.fail(op, err)
	}
	ctx := context.Background()
	q, err := ws.SendDraft(ctx, svc, id, personal, s.app.actor(ctx, ws.Journal()))
	if err != nil {
		return nil, s.app.fail(op, err)
	}
	s.app.log.Info("request queued", "id", id, "message_id", q.MessageID)
	return s.Timeline(id)
}

// Timeline returns a request's page: its history, deadlines, answers (each
// with its signature check) and attachments, with the channel it goes by.
func (s *RequestsService) Timeline(id int64) (*workstation.Timeline, error) {
	const op = "requests.Timeline"
	ws, err := s.app.core()
	if err != nil {
		return nil, s.app.fail(op, err)
	}
	t, err := ws.Timeline(context.Background(), id)
	if err != nil {
		return nil, s.app.fail(op, err)
	}
	if svc, err := s.app.service(); err == nil {
		t.Connection = svc.Channel()
	}
	return t, nil
}

// AnswerInput is the clerk's answer to an incoming request: the answer
// card's form, or a refusal with its code and an explanation.
type AnswerInput struct {
	RequestID  int64             `json:"requestId"`
	Values     map[string]string `json:"values"`     // the answer card's fields
	RejectCode string            `json:"rejectCode"` // NO_DATA, ACCESS_DENIED, UNKNOWN_REQUEST_DESCRIPTION, FAILURE
	Text       string            `json:"text"`       // the refusal's explanation
}

// Answer signs and sends our answer to another authority's request.
func (s *RequestsService) Answer(in AnswerInput) (*workstation.Timeline, error) {
	const op = "requests.Answer"
	ws, err := s.app.core()
	if err != nil {
		return nil, s.app.fail(op, err)
	}
	svc, err := s.app.service()
	if err != nil {
		return nil, s.app.fail(op, err)
	}
	personal, err := s.app.personalKey()
	if err != nil {
		return nil, s.app.fail(op, err)
	}
	ctx := context.Background()
	reply := workstation.Reply{RequestID: in.RequestID, Values: in.Values, RejectCode: in.RejectCode, Text: in.Text}
	if _, err := ws.Answer(ctx, svc, reply, personal, s.app.actor(ctx, ws.Journal())); err != nil {
		return nil, s.app.fail(op, err)
	}
	return s.Timeline(in.RequestID)
}
