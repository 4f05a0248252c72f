// Package node is a SMEV 3 node of our own for the training mode, the
// demo and the tests: SendRequest, GetResponse, Ack, GetStatus, GetRequest
// and SendResponse over HTTP(S), one queue per participant (by the ЭП-ОВ
// certificate), ЭП-ОВ checked on every call with faults as SMEV sends them,
// simulated providers answering the built-in templates after a delay on a
// clock tests can move, sometimes NO_DATA, a fault or an outage.
package node

import (
	"crypto/x509"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/transport"
)

// Clock is the node's time.
type Clock interface{ Now() time.Time }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// FakeClock is a clock tests move.
type FakeClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewFakeClock starts at t.
func NewFakeClock(t time.Time) *FakeClock { return &FakeClock{t: t} }

// Now returns the clock's time.
func (c *FakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Advance moves the clock forward.
func (c *FakeClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// Options configure a node.
type Options struct {
	Key        keys.Key // ЭП-СМЭВ; a training key is made when nil
	Clock      Clock    // real time when nil
	Delay      time.Duration
	NoDataRate float64 // share of requests answered NO_DATA
	FaultRate  float64 // share of SendRequest calls refused with SMEVFailure (retryable)
	OutageRate float64 // share of calls answered 503 without a body
	Seed       uint64
	DumpDir    string // every envelope received is written here, one file each
	Catalogue  *templates.Catalogue
	// IncomingPerParticipant requests from other authorities are queued
	// for every participant on its first call.
	IncomingPerParticipant int
	// Statuses queues a requestIsAcceptedBySmev status (GetStatus) for
	// every accepted request.
	Statuses bool
	// MaxAttachments bounds the attachments of one message (default 50 MiB):
	// more is AttachmentSizeLimitExceeded.
	MaxAttachments int64
	// RedeliverAfter hides a delivered, unacknowledged answer or request
	// for this long before it is delivered again (0: at the next call).
	RedeliverAfter time.Duration
	// Registered, when set, says whether the owner of an ЭП-ОВ certificate
	// is a registered participant; a stranger gets SenderIsNotRegistered.
	Registered func(c *signer.CertInfo) bool
	MaxBody    int64         // default 32 MiB
	StaleAfter time.Duration // MessageID older than this: StaleMessageId; default 24 h
	Log        func(format string, args ...any)
}

// Node is a running SMEV 3 node simulation. It is an http.Handler.
type Node struct {
	opts      Options
	key       keys.Key
	clock     Clock
	providers map[string]*provider // by namespace of the type of data
	authors   []*authority
	anchors   []*x509.Certificate // the training CAs of the keys above

	mu       sync.Mutex
	rnd      *rand.Rand
	seen     map[string]bool // MessageIDs accepted (SendRequest and SendResponse)
	accepted map[string]int
	dups     map[string]int
	parts    map[string]*participant
	replyTo  map[string]*incoming // ReplyTo → the incoming request it answers
	inject   map[string][]Injected
	down     bool
	dumpSeq  int
	answers  map[string]string // incoming MessageID → our participant's answer kind
	atts     map[string]int    // MessageID → attachment bytes received
	// delivered: how many times each acknowledged message was delivered
	// (the messages themselves are gone).
	delivered map[string]int
}

// Injected is a fault the next call of an operation gets.
type Injected struct {
	Name    string // SMEV fault element: SMEVFailure, MessageIsAlreadySent…
	SigCode string // for SignatureVerificationFault
	Server  bool   // soap:Server rather than soap:Client
}

type queued struct {
	smevID    string
	body      []byte
	ctype     string
	visibleAt time.Time
	delivered int
	lastAt    time.Time
	acked     bool
}

type statusMsg struct {
	original, category, details, faultCode, faultText string
}

type participant struct {
	id        string
	name      string
	responses []*queued
	requests  []*queued
	statuses  []*statusMsg
}

type incoming struct {
	messageID string
	from      *authority
	to        string // participant id
	answered  bool
}

// TrainingAnchors are the training CAs that issued the certificates of the
// node's own key (ЭП-СМЭВ, unless Options.Key was given) and of its
// providers and authorities: the anchors of the training contour while this
// node runs (trust.Store.AddTrainingAnchor). They are made anew at each start.
func (n *Node) TrainingAnchors() []*x509.Certificate {
	return append([]*x509.Certificate(nil), n.anchors...)
}

// New makes a node; call Close when done.
func New(opts Options) (*Node, error) {
	n := &Node{opts: opts, key: opts.Key, clock: opts.Clock,
		seen: map[string]bool{}, accepted: map[string]int{}, delivered: map[string]int{}, dups: map[string]int{}, parts: map[string]*participant{},
		replyTo: map[string]*incoming{}, inject: map[string][]Injected{}, answers: map[string]string{}, atts: map[string]int{}}
	if n.clock == nil {
		n.clock = realClock{}
	}
	if n.opts.MaxBody <= 0 {
		n.opts.MaxBody = 32 << 20
	}
	if n.opts.MaxAttachments <= 0 {
		n.opts.MaxAttachments = 50 << 20
	}
	if n.opts.StaleAfter <= 0 {
		n.opts.StaleAfter = 24 * time.Hour
	}
	if n.opts.Log == nil {
		n.opts.Log = func(string, ...any) {}
	}
	n.rnd = rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	if n.key == nil {
		k, ca, err := keys.NewDemoGOST(keys.DemoSubject{CommonName: "СМЭВ 3 (учебный узел Межвед)", Organization: "Учебный узел СМЭВ",
			INNLE: "7707049388", OGRN: "1027700198767", ValidFrom: n.clock.Now()}, 5*365*24*time.Hour)
		if err != nil {
			return nil, err
		}
		n.key = k
		n.anchors = append(n.anchors, ca)
	}
	cat := opts.Catalogue
	if cat == nil {
		cat = templates.Builtin()
	}
	var err error
	if n.providers, err = newProviders(cat, n.clock.Now(), &n.anchors); err != nil {
		return nil, err
	}
	if n.authors, err = newAuthorities(n.clock.Now(), &n.anchors); err != nil {
		return nil, err
	}
	if opts.DumpDir != "" {
		if err := os.MkdirAll(opts.DumpDir, 0o755); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// Key is the node's ЭП-СМЭВ key.
func (n *Node) Key() keys.Key { return n.key }

// SetDown makes every call fail with 503 (an outage) until SetDown(false).
func (n *Node) SetDown(down bool) { n.mu.Lock(); n.down = down; n.mu.Unlock() }

// Inject makes the next calls of op (SendRequest, GetResponse, Ack…) get
// these faults, one per call, in order.
func (n *Node) Inject(op string, faults ...Injected) {
	n.mu.Lock()
	n.inject[op] = append(n.inject[op], faults...)
	n.mu.Unlock()
}

// Stats is what the node has seen.
type Stats struct {
	Accepted   map[string]int // MessageID → times accepted (always 1)
	Duplicates map[string]int // MessageID → times answered MessageIsAlreadySent
	Pending    int            // responses and requests not yet acknowledged
	Delivered  map[string]int // SMEV message id of an answer or an incoming request → times delivered (GetResponse, GetRequest), kept after its Ack
	Answers    map[string]string
	// Attachments counts the attachment bytes received per MessageID.
	Attachments map[string]int
}

// Stats returns a copy of the counters.
func (n *Node) Stats() Stats {
	n.mu.Lock()
	defer n.mu.Unlock()
	s := Stats{Accepted: map[string]int{}, Duplicates: map[string]int{}, Delivered: map[string]int{}, Answers: map[string]string{}, Attachments: map[string]int{}}
	for k, v := range n.atts {
		s.Attachments[k] = v
	}
	for k, v := range n.accepted {
		s.Accepted[k] = v
	}
	for k, v := range n.dups {
		s.Duplicates[k] = v
	}
	for k, v := range n.answers {
		s.Answers[k] = v
	}
	for k, v := range n.delivered {
		s.Delivered[k] = v
	}
	for _, p := range n.parts {
		for _, q := range p.responses {
			s.Delivered[q.smevID] = q.delivered
			if !q.acked {
				s.Pending++
			}
		}
		for _, q := range p.requests {
			if !q.acked {
				s.Pending++
			}
		}
	}
	return s
}

// Participants lists the participant ids the node has seen.
func (n *Node) Participants() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []string
	for id := range n.parts {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

const maxFaultText = 200

func (n *Node) dump(op string, body []byte, ctype string) {
	if n.opts.DumpDir == "" {
		return
	}
	n.mu.Lock()
	n.dumpSeq++
	seq := n.dumpSeq
	n.mu.Unlock()
	ext := ".xml"
	if strings.HasPrefix(ctype, "multipart/") {
		ext = ".mime"
	}
	name := filepath.Join(n.opts.DumpDir, fmt.Sprintf("%06d-%s%s", seq, op, ext))
	if err := os.WriteFile(name, body, 0o600); err != nil {
		n.opts.Log("node: dump %s: %v", name, err)
	}
}

// ServeHTTP answers one SOAP call.
func (n *Node) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST a SOAP envelope", http.StatusMethodNotAllowed)
		return
	}
	n.mu.Lock()
	down := n.down || (n.opts.OutageRate > 0 && n.rnd.Float64() < n.opts.OutageRate)
	n.mu.Unlock()
	if down {
		http.Error(w, "SMEV node is unavailable", http.StatusServiceUnavailable)
		return
	}
	env, xml, parts, op, ok := n.readCall(w, r)
	if !ok {
		return
	}
	n.mu.Lock()
	var inj *Injected
	if q := n.inject[op]; len(q) > 0 {
		inj, n.inject[op] = &q[0], q[1:]
	}
	n.mu.Unlock()
	if inj != nil {
		n.writeFault(w, env.NS, inj.Name, inj.SigCode, "injected fault "+inj.Name, inj.Server)
		return
	}
	signed, ok := map[string]string{"SendRequest": "SenderProvidedRequestData", "SendResponse": "SenderProvidedResponseData",
		"GetResponse": "MessageTypeSelector", "GetRequest": "MessageTypeSelector", "Ack": "AckTargetMessage", "GetStatus": "Timestamp"}[op]
	if !ok {
		n.writeFault(w, env.NS, "UnknownMessageType", "", "unknown operation "+env.Name, false)
		return
	}
	who, ok := n.checkSignature(w, env, xml, parts, signed)
	if !ok {
		return
	}
	n.dispatch(w, env, op, who, parts)
}

// readCall reads one call: bounded, MTOM split, the envelope parsed, the
// SOAPAction matching the operation; a problem is answered with a fault.
func (n *Node) readCall(w http.ResponseWriter, r *http.Request) (*transport.Envelope, []byte, map[string][]byte, string, bool) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, n.opts.MaxBody+1))
	if err != nil {
		return nil, nil, nil, "", false
	}
	if int64(len(raw)) > n.opts.MaxBody {
		http.Error(w, "message too large", http.StatusRequestEntityTooLarge)
		return nil, nil, nil, "", false
	}
	ns13, _ := transport.Namespaces(transport.V13)
	xml, parts, err := transport.SplitMTOM(r.Header.Get("Content-Type"), raw, transport.Limits{MaxResponse: n.opts.MaxBody})
	if err != nil {
		n.fault(w, ns13, "PoorSOAPEnvelopeFormat", err.Error())
		return nil, nil, nil, "", false
	}
	env, err := transport.ParseEnvelope(xml, int(n.opts.MaxBody))
	if err != nil {
		n.dump("Invalid", raw, r.Header.Get("Content-Type"))
		n.sigFault(w, ns13, "PoorSOAPEnvelopeFormat", "Конверт не прочитан: "+trim(err.Error()))
		return nil, nil, nil, "", false
	}
	op := strings.TrimSuffix(env.Name, "Request") // SendRequestRequest → SendRequest, AckRequest → Ack
	n.dump(op, raw, r.Header.Get("Content-Type"))
	if a := strings.Trim(r.Header.Get("SOAPAction"), `"`); a != "" && a != "urn:"+op {
		n.fault(w, env.NS, "PoorSOAPEnvelopeFormat", "SOAPAction "+a+" does not match "+op)
		return nil, nil, nil, "", false
	}
	return env, xml, parts, op, true
}

// dispatch runs an operation of a checked call and writes its answer.
func (n *Node) dispatch(w http.ResponseWriter, env *transport.Envelope, op string, who *participant, parts map[string][]byte) {
	var out []byte
	var ctype string
	var err error
	switch op {
	case "SendRequest":
		out, err = n.sendRequest(w, env, who, parts)
	case "GetResponse":
		out, ctype, err = n.getResponse(env, who)
	case "Ack":
		out, err = n.ack(w, env, who)
	case "GetStatus":
		out, err = n.getStatus(env, who)
	case "GetRequest":
		out, err = n.getRequest(env, who)
	case "SendResponse":
		out, err = n.sendResponse(w, env, who, parts)
	}
	if err != nil {
		n.opts.Log("node: %s: %v", op, err)
		n.writeFault(w, env.NS, "SMEVFailure", "", "internal error", true)
		return
	}
	if out == nil { // a fault was written
		return
	}
	if ctype == "" {
		ctype = "text/xml; charset=utf-8"
	}
	w.Header().Set("Content-Type", ctype)
	w.Write(out)
}

func trim(s string) string {
	if len(s) > maxFaultText {
		return s[:maxFaultText]
	}
	return s
}

func (n *Node) writeFault(w http.ResponseWriter, ns transport.NS, name, sigCode, text string, server bool) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	w.Write(faultEnvelope(ns, name, sigCode, text, server))
}

func (n *Node) fault(w http.ResponseWriter, ns transport.NS, sigCode, text string) {
	n.sigFault(w, ns, sigCode, text)
}

func (n *Node) sigFault(w http.ResponseWriter, ns transport.NS, code, text string) {
	n.writeFault(w, ns, "SignatureVerificationFault", code, text, false)
}
