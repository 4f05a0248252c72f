package transport

import (
	"context"
	"time"

	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
)

// Channel is one road of the outbox through SMEV: SMEV 3 directly (the
// default, this package's Client) or the region's SMEV 3 adapter
// (transport/adapter). The Worker sends with it what the outbox holds for
// it, the Poller polls with it; the discipline is theirs and the same for
// both roads: a message is committed before it is considered taken, a
// retry sends the same id again, statuses and events change together.
type Channel interface {
	// Via names the road in the journal: store.ViaDirect or store.ViaAdapter.
	Via() string
	// Send hands over one committed outbox message, as it was committed.
	// A nil error means the other side has it (Receipt.At: its time when it
	// says, else zero). An error that is a Classified says what to do; any
	// other error (no connection, garbage) is retried later with the same
	// id.
	Send(ctx context.Context, it *store.OutboxItem) (Receipt, error)
	// Poll takes what waits (answers, statuses, incoming requests) and
	// commits each to the journal before it is considered taken.
	Poll(ctx context.Context) (PollResult, error)
}

// Receipt is what the other side said when it took a message.
type Receipt struct {
	At   time.Time // the other side's time of receipt; zero: ours
	Note string    // for the request's history
}

// Classified is a refusal that knows what the client does about it (a
// SMEV fault, an adapter fault).
type Classified interface {
	error
	Class() FaultClass
}

// Class is Classify(f): a SMEV fault is a Classified.
func (f *Fault) Class() FaultClass { return Classify(f) }

// PackSpec is what a channel packs into an outbox message: our request
// (Template set) or our answer to an incoming request (ReplyTo set).
type PackSpec struct {
	ID          string              // the message's id for its whole life (MessageID, clientId)
	Template    *templates.Template // the card of a request: its routing data; nil for an answer
	Content     []byte              // the business element; empty for a refusal
	Personal    bool                // ЭП-СП over Content
	PersonalKey keys.Key            // the official's key for ЭП-СП
	Attachments []Attachment        // with their PKCS#7 made
	Test        bool                // a test message
	ReplyTo     string              // the incoming request's address (answers)
	RejectCode  string              // a refusal (answers)
	RejectText  string
}

// Packer packs requests and answers for a channel that is not SMEV 3
// directly (the direct channel signs SMEV envelopes itself, see prepare).
type Packer interface {
	PackRequest(PackSpec) (*Prepared, error)
	PackResponse(PackSpec) (*Prepared, error)
}

// Describer says for the window what the connection is.
type Describer interface {
	Description() string
	Plain() bool
}

// direct is SMEV 3 itself: SendRequest/SendResponse with our ЭП-ОВ, and
// the Poller's GetResponse/GetStatus/GetRequest with Ack.
type direct struct {
	c *Client
	p *Poller
}

func (d direct) Via() string { return store.ViaDirect }

func (d direct) Send(ctx context.Context, it *store.OutboxItem) (Receipt, error) {
	op := "SendRequest"
	if it.Kind == store.OutboxResponse {
		op = "SendResponse"
	}
	md, err := d.c.SendSigned(ctx, op, it.Envelope, it.ContentType)
	if err != nil {
		return Receipt{}, err
	}
	return Receipt{At: md.SendingTimestamp, Note: "принят СМЭВ"}, nil
}

func (d direct) Poll(ctx context.Context) (PollResult, error) { return d.p.pollDirect(ctx) }
