package transport

import (
	"context"
	"sync"
	"time"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer/cms"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/trust"
)

// Service is what the app layer (the window, the CLI) uses: queue a signed
// request, start and stop the background worker and poller, poll now,
// list replies, answer an incoming request.
type Service struct {
	DB       *store.DB
	Client   *Client // SMEV 3 directly; nil on another channel
	Worker   *Worker
	Poller   *Poller
	Calendar Terms
	now      func() time.Time
	channel  Channel  // nil: SMEV 3 directly
	system   keys.Key // ЭП-ОВ (direct); on the adapter channel the default key for files' PKCS#7, may be nil

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

// ServiceConfig wires a Service.
type ServiceConfig struct {
	DB           *store.DB
	Endpoint     Endpoint
	SystemKey    keys.Key // ЭП-ОВ of the information system (the agent)
	Calendar     Terms    // answer deadlines; the built-in calendar when nil
	Backoff      Backoff
	SendInterval time.Duration        // how often the worker looks at the outbox (default 1 s)
	PollInterval time.Duration        // GetResponse interval (default 30 s)
	Provider     bool                 // take incoming requests too
	Catalogue    *templates.Catalogue // the cards incoming requests are named after; built-in when nil
	Log          func(format string, args ...any)
	Now          func() time.Time // the clock (default time.Now): MessageIDs, signing and checking times
	// Trust and Contour judge the signatures of what SMEV hands us: only a
	// message whose ЭП-СМЭВ and sender's ЭП-ОВ chain to an anchor of the
	// contour is taken. Without a store nothing is trusted.
	Trust   *trust.Store
	Contour trust.Contour
	// Channel, when set, is the road instead of SMEV 3 directly (the
	// region's adapter, transport/adapter): Endpoint is then not used, the
	// channel packs (Packer), sends and polls, and SystemKey may be nil.
	Channel Channel
}

// NewService returns a stopped service.
func NewService(cfg ServiceConfig) (*Service, error) {
	if cfg.Channel != nil {
		return newChannelService(cfg)
	}
	c, err := NewClient(cfg.Endpoint, cfg.SystemKey)
	if err != nil {
		return nil, err
	}
	var cal Terms = calendar.Builtin()
	if cfg.Calendar != nil {
		cal = cfg.Calendar
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Service{
		DB: cfg.DB, Client: c, Calendar: cal, now: now, system: cfg.SystemKey,
		Worker: &Worker{DB: cfg.DB, Client: c, Calendar: cal, Renew: cfg.SystemKey, Backoff: cfg.Backoff, Interval: cfg.SendInterval, Log: cfg.Log, Now: now},
		Poller: &Poller{DB: cfg.DB, Client: c, Calendar: cal, Interval: cfg.PollInterval, Provider: cfg.Provider, Log: cfg.Log,
			Catalogue: cfg.Catalogue, Now: now, Checker: &Checker{Trust: cfg.Trust, Contour: cfg.Contour}},
	}, nil
}

// Start runs the worker and the poller in the background until Stop.
func (s *Service) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); s.Worker.Run(ctx) }()
	go func() { defer wg.Done(); s.Poller.Run(ctx) }()
	go func() { wg.Wait(); close(s.done) }()
}

// Stop stops the background work and waits for it.
func (s *Service) Stop() {
	s.mu.Lock()
	cancel, done := s.cancel, s.done
	s.cancel = nil
	s.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// newChannelService wires a service over another channel: the channel
// packs, sends and polls; the worker and the poller keep their discipline.
func newChannelService(cfg ServiceConfig) (*Service, error) {
	if _, ok := cfg.Channel.(Packer); !ok {
		return nil, domain.Errorf(domain.EINTERNAL, "Канал %s не умеет упаковывать сообщения.", cfg.Channel.Via())
	}
	var cal Terms = calendar.Builtin()
	if cfg.Calendar != nil {
		cal = cfg.Calendar
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Service{
		DB: cfg.DB, Calendar: cal, now: now, channel: cfg.Channel, system: cfg.SystemKey,
		Worker: &Worker{DB: cfg.DB, Channel: cfg.Channel, Calendar: cal, Backoff: cfg.Backoff, Interval: cfg.SendInterval, Log: cfg.Log, Now: now},
		Poller: &Poller{DB: cfg.DB, Channel: cfg.Channel, Calendar: cal, Interval: cfg.PollInterval, Provider: cfg.Provider, Log: cfg.Log,
			Catalogue: cfg.Catalogue, Now: now, Checker: &Checker{Trust: cfg.Trust, Contour: cfg.Contour}},
	}, nil
}

// Via names the service's road: store.ViaDirect or store.ViaAdapter.
func (s *Service) Via() string {
	if s.channel != nil {
		return s.channel.Via()
	}
	return store.ViaDirect
}

// Close stops the service and drops idle connections.
func (s *Service) Close() {
	s.Stop()
	if s.Client != nil {
		s.Client.Close()
	}
	if c, ok := s.channel.(interface{ Close() }); ok {
		c.Close()
	}
}

// OutgoingRequest is what the clerk asks for: a template, its values and
// the keys that sign.
type OutgoingRequest struct {
	Template      *templates.Template
	Values        map[string]string // the form's values (templates.Check names)
	Body          []byte            // an already composed body (instead of Values)
	Today         calendar.Date     // for Compose; today when zero
	ApplicationID int64
	Applicant     string
	SNILS         string
	Attachments   []Attachment // files the request carries (SignaturePKCS7 made with Personal when empty)
	Personal      keys.Key     // the official's key for ЭП-СП and attachment signatures; SystemKey when nil
	Actor         string       // who queues it (the clerk's name)
	Test          bool         // TestMessage
}

// Queued is the result of QueueRequest.
type Queued struct {
	RequestID int64  `json:"requestId"`
	MessageID string `json:"messageId"`
}

// QueueRequest composes (when Values are given), signs and commits an
// outgoing request to the outbox; the worker sends it. The answer deadline
// is set when SMEV accepts it: the card's term in working days from the
// day of SMEV's SendingTimestamp (Moscow time).
func (s *Service) QueueRequest(ctx context.Context, r OutgoingRequest) (*Queued, error) {
	body, p, err := s.prepare(r)
	if err != nil {
		return nil, err
	}
	n, m := s.outgoingRows(r, body, p)
	id, err := s.DB.EnqueueOutgoing(ctx, n, m)
	if err != nil {
		return nil, err
	}
	s.Worker.Wake()
	return &Queued{RequestID: id, MessageID: p.MessageID}, nil
}

// QueueDraft signs a draft already in the journal (its form composed into
// r.Body or r.Values) and puts it into the outbox: the same request, now
// queued with its MessageID, in one transaction with its event.
func (s *Service) QueueDraft(ctx context.Context, requestID int64, r OutgoingRequest) (*Queued, error) {
	_, p, err := s.prepare(r)
	if err != nil {
		return nil, err
	}
	err = s.DB.QueueRequest(ctx, requestID, store.OutboxMessage{MessageID: p.MessageID, Envelope: p.Envelope,
		ContentType: p.ContentType, TermDays: r.Template.TermDays, Via: s.Via()}, actorOf(r))
	if err != nil {
		return nil, err
	}
	s.Worker.Wake()
	return &Queued{RequestID: requestID, MessageID: p.MessageID}, nil
}

func actorOf(r OutgoingRequest) string {
	if r.Actor == "" {
		return "clerk"
	}
	return r.Actor
}

// prepare composes (when needed) and signs a request: ЭП-СП when the card
// wants it, PKCS#7 of the files, ЭП-ОВ.
func (s *Service) prepare(r OutgoingRequest) ([]byte, *Prepared, error) {
	t := r.Template
	if t == nil {
		return nil, nil, domain.Errorf(domain.EINVALID, "Не выбран шаблон запроса.")
	}
	viaSMEV := false
	for _, c := range t.Channels {
		viaSMEV = viaSMEV || c == templates.SMEV
	}
	if !viaSMEV {
		return nil, nil, domain.Errorf(domain.EINVALID, "Запрос «%s» по технологической карте не отправляется через СМЭВ.", t.Title)
	}
	body := r.Body
	if body == nil {
		today := r.Today
		if today.IsZero() {
			today = calendar.DateOf(s.now().In(Moscow))
		}
		b, p := t.Compose(r.Values, today)
		if len(p) > 0 {
			return nil, nil, domain.Wrap(p.Err(), domain.EINVALID, "transport.QueueRequest", "Запрос не составлен: "+p.Error())
		}
		body = b
	}
	personal := r.Personal
	if personal == nil {
		personal = s.system
	}
	atts, err := s.signFiles(r.Attachments, personal)
	if err != nil {
		return nil, nil, err
	}
	id, err := NewMessageIDAt(s.now())
	if err != nil {
		return nil, nil, err
	}
	if pk, ok := s.channel.(Packer); ok {
		p, err := pk.PackRequest(PackSpec{ID: id, Template: t, Content: body, Personal: t.PersonalSignature, PersonalKey: personal,
			Attachments: atts, Test: r.Test})
		if err != nil {
			return nil, nil, err
		}
		return body, p, nil
	}
	// Outside the production contour every request is a TestMessage: the
	// provider must not act on it.
	test := r.Test || s.Poller.Checker.Contour == trust.Test || s.Poller.Checker.Contour == trust.Training
	p, err := PrepareRequest(s.Client.NS(), RequestSpec{MessageID: id, Content: body, Personal: t.PersonalSignature, Attachments: atts, Test: test},
		s.Client.Key(), personal, s.Client.ep.Limits)
	if err != nil {
		return nil, nil, err
	}
	return body, p, nil
}

// signFiles makes the detached PKCS#7 of the files that have none, with
// the official's key.
func (s *Service) signFiles(in []Attachment, key keys.Key) ([]Attachment, error) {
	atts := append([]Attachment(nil), in...)
	for i := range atts {
		if len(atts[i].Signature) > 0 {
			continue
		}
		if key == nil {
			return nil, domain.Errorf(domain.EINVALID, "Файлы подписываются ключом должностного лица (ЭП-СП): откройте ключ.")
		}
		sig, err := cms.SignDetached(atts[i].Content, key, s.now())
		if err != nil {
			return nil, err
		}
		atts[i].Signature = sig
	}
	return atts, nil
}

// PollNow takes answers, statuses (and incoming requests) now.
func (s *Service) PollNow(ctx context.Context) (PollResult, error) { return s.Poller.PollOnce(ctx) }

// SendNow sends what is due in the outbox now.
func (s *Service) SendNow(ctx context.Context) (SendResult, error) { return s.Worker.RunOnce(ctx) }

// Replies lists the replies of a request.
func (s *Service) Replies(ctx context.Context, requestID int64) ([]*store.Reply, error) {
	return s.DB.Replies(ctx, requestID)
}

// IncomingAnswer is our answer to another authority's request.
type IncomingAnswer struct {
	RequestID   int64
	Content     []byte // the business answer, one element; or
	RejectCode  string // ACCESS_DENIED, NO_DATA, UNKNOWN_REQUEST_DESCRIPTION, FAILURE
	RejectText  string
	Personal    keys.Key // ЭП-СП over Content when PersonalSignature; nil: none
	Attachments []Attachment
	Actor       string
}

// Answer signs our answer to an incoming request and commits it to the
// outbox (SendResponse to the request's ReplyTo).
func (s *Service) Answer(ctx context.Context, a IncomingAnswer) (*Queued, error) {
	to, err := s.DB.IncomingReplyTo(ctx, a.RequestID)
	if err != nil {
		return nil, err
	}
	if via, err := s.DB.RequestVia(ctx, a.RequestID); err != nil {
		return nil, err
	} else if via != "" && via != s.Via() {
		return nil, domain.Errorf(domain.ECONFLICT, "Запрос №%d пришёл %s, а программа сейчас работает %s: ответ уходит тем же путём, каким пришёл запрос. Переключите канал СМЭВ в настройках.",
			a.RequestID, ViaTitle(via), ViaTitle(s.Via()))
	}
	signWith := a.Personal
	if signWith == nil {
		signWith = s.system
	}
	atts, err := s.signFiles(a.Attachments, signWith)
	if err != nil {
		return nil, err
	}
	id, err := NewMessageIDAt(s.now())
	if err != nil {
		return nil, err
	}
	var p *Prepared
	if pk, ok := s.channel.(Packer); ok {
		p, err = pk.PackResponse(PackSpec{ID: id, ReplyTo: to, Content: a.Content, Personal: a.Personal != nil && a.RejectCode == "",
			PersonalKey: a.Personal, Attachments: atts, RejectCode: a.RejectCode, RejectText: a.RejectText})
	} else {
		p, err = PrepareResponse(s.Client.NS(), ResponseSpec{MessageID: id, To: to, Content: a.Content, Personal: a.Personal != nil,
			Attachments: atts, RejectCode: a.RejectCode, RejectText: a.RejectText}, s.Client.Key(), a.Personal, s.Client.ep.Limits)
	}
	if err != nil {
		return nil, err
	}
	actor := a.Actor
	if actor == "" {
		actor = "clerk"
	}
	if err := s.DB.EnqueueResponse(ctx, a.RequestID, store.OutboxMessage{MessageID: p.MessageID, Envelope: p.Envelope, ContentType: p.ContentType, Via: s.Via()}, actor); err != nil {
		return nil, err
	}
	s.Worker.Wake()
	return &Queued{RequestID: a.RequestID, MessageID: p.MessageID}, nil
}

// Outbox lists the outbox (newest first), in the given states or all.
func (s *Service) Outbox(ctx context.Context, limit int, states ...string) ([]*store.OutboxItem, error) {
	return s.DB.ListOutbox(ctx, limit, states...)
}

// Channel is a sentence for the window about the connection (plain HTTP is
// said plainly).
func (s *Service) Channel() string {
	if d, ok := s.channel.(Describer); ok {
		return d.Description()
	}
	return s.Client.ep.ChannelDescription()
}

// Plain reports whether the connection is plain HTTP.
func (s *Service) Plain() bool {
	if d, ok := s.channel.(Describer); ok {
		return d.Plain()
	}
	return s.Client.ep.Plain()
}

// ViaTitle names a road through SMEV for the window.
func ViaTitle(via string) string {
	switch via {
	case store.ViaAdapter:
		return "через адаптер СМЭВ региона"
	case store.ViaDirect:
		return "через СМЭВ 3 напрямую"
	}
	return "не через СМЭВ"
}

// Terms computes answer deadlines on the production calendar
// (*calendar.Calendar is one). The app passes one that always asks its
// current calendar, so a year imported while the service runs is used at
// once. A year the calendar lacks is the second result, not an error.
type Terms interface {
	DueOn(from string, days int) (due string, missingYear int, err error)
}
