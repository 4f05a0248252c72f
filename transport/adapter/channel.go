package adapter

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/signer/cms"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/transport"
)

// Config wires a Channel.
type Config struct {
	Client *Client
	DB     *store.DB
	Files  *Files // the adapter's attachment store; nil: no files either way
	// Checker judges the signatures an answer still carries (ЭП-СП of the
	// provider; ЭП-СМЭВ and ЭП-ОВ when a newer adapter passes them on).
	Checker   *transport.Checker
	Catalogue *templates.Catalogue // names incoming requests; built-in when nil
	Calendar  transport.Terms      // deadlines of incoming requests; built-in when nil
	Provider  bool                 // take incoming requests too
	Batch     int                  // messages taken from the queue per poll; default 100
	// Recheck is how often a request still waiting for its answer is
	// looked up by Find (what a Get took before a crash is found so), and
	// how often the incoming requests of the last period are; default
	// 10 min. After a start everything is looked up at once.
	Recheck time.Duration
	// Lookback is the period searched for incoming requests after a
	// start; default 72 h.
	Lookback        time.Duration
	CheckAttachment func(content, signature []byte) error // default cms.VerifyDetached
	Now             func() time.Time
	Log             func(format string, args ...any)
}

// Channel is the road «через адаптер СМЭВ региона»: a transport.Channel
// (the Worker sends through it, the Poller polls it), a transport.Packer
// (requests and answers become ClientMessages) and a transport.Describer.
type Channel struct {
	cfg Config

	mu      sync.Mutex
	checked map[string]time.Time // clientId of a waiting request → its last Find
	swept   time.Time            // the start of the last search for incoming requests
}

// New checks the configuration and returns the channel.
func New(cfg Config) (*Channel, error) {
	if cfg.Client == nil || cfg.DB == nil {
		return nil, domain.Errorf(domain.EINVALID, "Канал через адаптер СМЭВ: не заданы клиент адаптера или журнал.")
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 100
	}
	if cfg.Recheck <= 0 {
		cfg.Recheck = 10 * time.Minute
	}
	if cfg.Lookback <= 0 {
		cfg.Lookback = 72 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	if cfg.Calendar == nil {
		cfg.Calendar = calendar.Builtin()
	}
	if cfg.Catalogue == nil {
		cfg.Catalogue = templates.Builtin()
	}
	if cfg.CheckAttachment == nil {
		cfg.CheckAttachment = func(content, sig []byte) error {
			_, err := cms.VerifyDetached(content, sig)
			return err
		}
	}
	return &Channel{cfg: cfg, checked: map[string]time.Time{}}, nil
}

// Via is store.ViaAdapter.
func (c *Channel) Via() string { return store.ViaAdapter }

// Close drops idle connections.
func (c *Channel) Close() { c.cfg.Client.Close() }

// Description says what the connection is, for the window.
func (c *Channel) Description() string {
	ep := c.cfg.Client.Endpoint()
	if ep.Plain() {
		return "Соединение с адаптером СМЭВ региона без шифрования (HTTP): защиту канала должна обеспечивать защищённая сеть (ViPNet). ЭП-ОВ ставит адаптер."
	}
	return "Соединение с адаптером СМЭВ региона по HTTPS с сертификатом клиента; сертификат адаптера проверяется по закреплённому корневому сертификату. ЭП-ОВ ставит адаптер."
}

// Plain reports whether the connection is plain HTTP.
func (c *Channel) Plain() bool { ep := c.cfg.Client.Endpoint(); return ep.Plain() }

// Send hands one committed outbox message (a ClientMessage) to the
// adapter. The adapter is asked first whether it has the message already
// (Find by its clientId): a message whose earlier send got through, but
// whose record did not (a crash, a lost answer), is not sent twice.
func (c *Channel) Send(ctx context.Context, it *store.OutboxItem) (transport.Receipt, error) {
	crit := RequestByRequestID
	if it.Kind == store.OutboxResponse {
		crit = ResponseByResponseID
	}
	found, err := c.cfg.Client.Find(ctx, Search{ClientID: it.MessageID, Criteria: crit})
	var ne *transport.NetError
	switch {
	case errors.As(err, &ne):
		return transport.Receipt{}, err
	case err != nil:
		// The adapter cannot say (a fault, an answer we cannot read): send;
		// its answer to Send decides.
		c.cfg.Log("adapter: Find %s before sending: %v", it.MessageID, err)
	}
	for _, r := range found {
		if r.ClientID == it.MessageID {
			return transport.Receipt{Note: "адаптер СМЭВ уже принял это сообщение ранее"}, nil
		}
	}
	id, err := c.cfg.Client.Send(ctx, it.Envelope)
	if err != nil {
		return transport.Receipt{}, err
	}
	note := "принят адаптером СМЭВ региона"
	if id != "" {
		note += " (идентификатор сообщения СМЭВ " + id + ")"
	}
	return transport.Receipt{Note: note}, nil
}

// PackRequest makes the ClientMessage of our request: the card's type of
// data decides the route (the adapter routes by it), ЭП-СП over the
// content when the card wants it, files into the adapter's store.
func (c *Channel) PackRequest(p transport.PackSpec) (*transport.Prepared, error) {
	if t := p.Template; t != nil && t.DataType.Namespace != "" {
		el, err := transport.CheckContent(p.Content, false)
		if err != nil {
			return nil, err
		}
		if r, err := rootOf(el); err != nil || r.ns != t.DataType.Namespace || (t.DataType.Root != "" && r.local != t.DataType.Root) {
			return nil, domain.Errorf(domain.EINVALID, "Содержимое запроса не того вида сведений, что в технологической карте (%s): адаптер направит его не тому поставщику.", t.DataType.Namespace)
		}
	}
	files, err := c.cfg.Files.Put(p.ID, p.Attachments)
	if err != nil {
		return nil, err
	}
	cl := c.cfg.Client
	doc, err := BuildRequest(RequestSpec{ITSystem: cl.ITSystem, ClientID: p.ID, NodeID: cl.NodeID, Content: p.Content,
		Personal: p.Personal, Files: files, Test: p.Test})
	if err != nil {
		return nil, err
	}
	return signPersonal(doc, p)
}

// PackResponse makes the ClientMessage of our answer to a request that
// came through the adapter (replyToClientId = its clientId).
func (c *Channel) PackResponse(p transport.PackSpec) (*transport.Prepared, error) {
	files, err := c.cfg.Files.Put(p.ID, p.Attachments)
	if err != nil {
		return nil, err
	}
	cl := c.cfg.Client
	doc, err := BuildResponse(ResponseSpec{ITSystem: cl.ITSystem, ClientID: p.ID, ReplyTo: p.ReplyTo, Content: p.Content,
		RejectCode: p.RejectCode, RejectText: p.RejectText, Personal: p.Personal && p.RejectCode == "", Files: files})
	if err != nil {
		return nil, err
	}
	if p.RejectCode != "" {
		p.Personal = false
	}
	return signPersonal(doc, p)
}

func signPersonal(doc []byte, p transport.PackSpec) (*transport.Prepared, error) {
	if p.Personal {
		if p.PersonalKey == nil {
			return nil, domain.Errorf(domain.EINVALID, "Технологическая карта требует ЭП-СП: нужен ключ должностного лица.")
		}
		var err error
		if doc, err = signer.Sign(doc, IDPersonal, signer.KindPersonal, p.PersonalKey, nil); err != nil {
			return nil, err
		}
	}
	return &transport.Prepared{MessageID: p.ID, Envelope: doc}, nil
}
