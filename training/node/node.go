// Package node is a SMEV 3 node of our own for the training mode, the
// demo and the tests: SendRequest, GetResponse, Ack, GetStatus, GetRequest
// and SendResponse over HTTP(S), one queue per participant (by the ЭП-ОВ
// certificate), ЭП-ОВ checked on every call with faults as SMEV sends them,
// simulated providers answering the built-in templates after a delay on a
// clock tests can move, sometimes NO_DATA, a fault or an outage.
package node

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
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
		seen: map[string]bool{}, accepted: map[string]int{}, dups: map[string]int{}, parts: map[string]*participant{},
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
	Delivered  map[string]int // SMEV message id of an answer → times delivered by GetResponse
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
	if err := os.WriteFile(name, body, 0o644); err != nil {
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
	raw, err := io.ReadAll(io.LimitReader(r.Body, n.opts.MaxBody+1))
	if err != nil {
		return
	}
	if int64(len(raw)) > n.opts.MaxBody {
		http.Error(w, "message too large", http.StatusRequestEntityTooLarge)
		return
	}
	ns13, _ := transport.Namespaces(transport.V13)
	xml, parts, err := transport.SplitMTOM(r.Header.Get("Content-Type"), raw, transport.Limits{MaxResponse: n.opts.MaxBody})
	if err != nil {
		n.fault(w, ns13, "PoorSOAPEnvelopeFormat", err.Error())
		return
	}
	env, err := transport.ParseEnvelope(xml, int(n.opts.MaxBody))
	if err != nil {
		n.dump("Invalid", raw, r.Header.Get("Content-Type"))
		n.sigFault(w, ns13, "PoorSOAPEnvelopeFormat", "Конверт не прочитан: "+trim(err.Error()))
		return
	}
	op := strings.TrimSuffix(env.Name, "Request") // SendRequestRequest → SendRequest, AckRequest → Ack
	n.dump(op, raw, r.Header.Get("Content-Type"))
	if a := strings.Trim(r.Header.Get("SOAPAction"), `"`); a != "" && a != "urn:"+op {
		n.fault(w, env.NS, "PoorSOAPEnvelopeFormat", "SOAPAction "+a+" does not match "+op)
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
	var out []byte
	var ctype string
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

// checkSignature verifies ЭП-ОВ (and ЭП-СП when present) of a call and
// returns the caller's participant.
func (n *Node) checkSignature(w http.ResponseWriter, env *transport.Envelope, xml []byte, parts map[string][]byte, signed string) (*participant, bool) {
	results := signer.VerifyDoc(env.Doc, &signer.VerifyOptions{Time: n.clock.Now(), Attachments: parts})
	var ov *signer.Result
	for i := range results {
		r := &results[i]
		switch r.Container {
		case "CallerInformationSystemSignature":
			ov = r
		case "PersonalSignature":
			if !r.Valid() {
				n.sigFault(w, env.NS, "SignatureIsInvalid", "ЭП-СП: "+trim(r.Problem()))
				return nil, false
			}
		}
	}
	if ov == nil {
		n.sigFault(w, env.NS, "NoSignatureFound", "ЭП-ОВ не найдена")
		return nil, false
	}
	if !strings.HasSuffix(ov.Element, "/"+signed) || !strings.HasPrefix(ov.Element, "/Envelope/Body/") {
		n.sigFault(w, env.NS, "IncorrectSignatureTarget", "ЭП-ОВ подписывает "+ov.Element)
		return nil, false
	}
	if ov.Certificate != nil && (ov.Certificate.Expired || ov.Certificate.NotYet) {
		n.sigFault(w, env.NS, "CertificateIsExpired", "Срок действия сертификата ЭП-ОВ: "+ov.Certificate.Validity())
		return nil, false
	}
	if !ov.Valid() {
		n.sigFault(w, env.NS, "SignatureIsInvalid", trim(ov.Problem()))
		return nil, false
	}
	c := ov.Certificate
	if n.opts.Registered != nil && !n.opts.Registered(c) {
		n.writeFault(w, env.NS, "SenderIsNotRegistered", "", "Отправитель "+c.Owner+" не зарегистрирован", false)
		return nil, false
	}
	id := c.OGRN
	if id == "" {
		id = c.INNLE
	}
	if id == "" {
		id = "SERIAL-" + c.Serial
	}
	n.mu.Lock()
	p := n.parts[id]
	fresh := p == nil
	if fresh {
		p = &participant{id: id, name: c.Owner}
		if len(c.Subject) > 0 && c.Owner == "" {
			p.name = c.Subject
		}
		n.parts[id] = p
	}
	n.mu.Unlock()
	if fresh {
		for i := 0; i < n.opts.IncomingPerParticipant; i++ {
			if err := n.SendIncoming(id); err != nil {
				n.opts.Log("node: incoming for %s: %v", id, err)
			}
		}
	}
	return p, true
}

func (n *Node) newID() string {
	id, err := transport.NewMessageID()
	if err != nil {
		panic(err)
	}
	return id
}

func (n *Node) sendRequest(w http.ResponseWriter, env *transport.Envelope, who *participant, parts map[string][]byte) ([]byte, error) {
	d := env.Doc
	req := env.Op
	spd := d.ChildElement(req, env.NS.Types, "SenderProvidedRequestData")
	id := textOf(env, spd, "MessageID")
	if !transport.ValidMessageID(id) {
		n.writeFault(w, env.NS, "InvalidMessageIdFormat", "", "MessageID is not a version 1 UUID", false)
		return nil, nil
	}
	now := n.clock.Now()
	if t, ok := transport.MessageIDTime(id); ok && now.Sub(t) > n.opts.StaleAfter {
		n.writeFault(w, env.NS, "StaleMessageId", "", "MessageID is too old", false)
		return nil, nil
	}
	mpc := d.ChildElement(spd, env.NS.Basic, "MessagePrimaryContent")
	content := firstChild(env, mpc)
	if content < 0 {
		n.writeFault(w, env.NS, "InvalidContent", "", "no MessagePrimaryContent", false)
		return nil, nil
	}
	attBytes, fault, text := n.checkAttachments(env, spd, parts)
	if fault != "" {
		n.writeFault(w, env.NS, fault, "", text, false)
		return nil, nil
	}
	nsURI, root := string(d.Nodes[content].URI), string(d.Nodes[content].Local)
	n.mu.Lock()
	if n.seen[id] {
		n.dups[id]++
		n.mu.Unlock()
		n.writeFault(w, env.NS, "MessageIsAlreadySent", "", "Сообщение с таким MessageID уже было отправлено", false)
		return nil, nil
	}
	prov := n.providers[nsURI]
	fail := prov != nil && n.opts.FaultRate > 0 && n.rnd.Float64() < n.opts.FaultRate
	noData := prov != nil && n.opts.NoDataRate > 0 && n.rnd.Float64() < n.opts.NoDataRate
	n.mu.Unlock()
	if prov == nil {
		n.writeFault(w, env.NS, "BusinessDataTypeIsNotSupported", root, "Вид сведений "+nsURI+" не зарегистрирован", false)
		return nil, nil
	}
	if fail {
		n.writeFault(w, env.NS, "SMEVFailure", "", "Временный сбой СМЭВ", true)
		return nil, nil
	}
	// Build the answer now (the provider works on it), visible after the delay.
	answer, err := prov.answer(transport.Standalone(d, content), noData)
	if err != nil {
		return nil, err
	}
	smevID := n.newID()
	respID := n.newID()
	visible := now.Add(n.opts.Delay)
	body, ctype, err := n.getResponseEnvelope(env.NS, id, responseData{
		MessageID: respID, To: "eol:" + who.id + ":" + id, Content: answer.content,
		RejectCode: answer.reject, RejectText: answer.rejectText, Attachments: answer.attachments,
	}, metadata{ID: respID, Type: "RESPONSE", Sender: prov.smevID, SenderName: prov.name, Recipient: who.id, RecipientName: who.name,
		Sending: visible, Delivery: visible, Status: "messageIsDelivered"}, prov.key)
	if err != nil {
		return nil, err
	}
	n.mu.Lock()
	if n.seen[id] { // a concurrent duplicate won the race
		n.dups[id]++
		n.mu.Unlock()
		n.writeFault(w, env.NS, "MessageIsAlreadySent", "", "Сообщение с таким MessageID уже было отправлено", false)
		return nil, nil
	}
	n.seen[id] = true
	n.accepted[id]++
	if attBytes > 0 {
		n.atts[id] = attBytes
	}
	who.responses = append(who.responses, &queued{smevID: respID, body: body, ctype: ctype, visibleAt: visible})
	if n.opts.Statuses {
		who.statuses = append(who.statuses, &statusMsg{original: id, category: "requestIsAcceptedBySmev", details: "Запрос принят СМЭВ и направлен поставщику: " + prov.name})
	}
	n.mu.Unlock()
	return n.sendResult(env.NS, "SendRequestResponse", metadata{ID: smevID, Type: "REQUEST", Sender: who.id, SenderName: who.name,
		Sending: now, Recipient: prov.smevID, RecipientName: prov.name, Status: "requestIsQueued"})
}

func (n *Node) getResponse(env *transport.Envelope, who *participant) ([]byte, string, error) {
	sel := env.Doc.ChildElement(env.Op, env.NS.Basic, "MessageTypeSelector")
	wantNS := textOf(env, sel, "NamespaceURI")
	now := n.clock.Now()
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, q := range who.responses {
		if q.acked || q.visibleAt.After(now) || n.hidden(q, now) {
			continue
		}
		if wantNS != "" && !strings.Contains(string(q.body), `xmlns="`+wantNS+`"`) && !strings.Contains(string(q.body), `="`+wantNS+`"`) {
			continue
		}
		q.delivered++
		q.lastAt = now
		return q.body, q.ctype, nil
	}
	return emptyResult(env.NS, "GetResponseResponse"), "", nil
}

func (n *Node) getRequest(env *transport.Envelope, who *participant) ([]byte, error) {
	now := n.clock.Now()
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, q := range who.requests {
		if q.acked || q.visibleAt.After(now) || n.hidden(q, now) {
			continue
		}
		q.delivered++
		q.lastAt = now
		return q.body, nil
	}
	return emptyResult(env.NS, "GetRequestResponse"), nil
}

func (n *Node) ack(w http.ResponseWriter, env *transport.Envelope, who *participant) ([]byte, error) {
	target := strings.TrimSpace(textOf(env, env.Op, "AckTargetMessage"))
	n.mu.Lock()
	found := false
	for _, list := range [][]*queued{who.responses, who.requests} {
		for _, q := range list {
			if q.smevID == target && !q.acked {
				q.acked, found = true, true
			}
		}
	}
	if found {
		// Drop what is acknowledged so the queues stay short.
		who.responses = keep(who.responses)
	}
	n.mu.Unlock()
	if !found {
		n.writeFault(w, env.NS, "TargetMessageIsNotFound", "", "Неподтверждённое сообщение "+target+" не найдено", false)
		return nil, nil
	}
	var b strings.Builder
	b.WriteString(`<soap:Envelope xmlns:soap="` + transport.SOAPNS + `"><soap:Body><tns:AckResponse xmlns:tns="` + env.NS.Types + `"/></soap:Body></soap:Envelope>`)
	return []byte(b.String()), nil
}

// keep drops acknowledged answers but keeps their delivery counts in
// the stats by leaving the last 10000 acknowledged ones.
func keep(qs []*queued) []*queued {
	acked := 0
	for _, q := range qs {
		if q.acked {
			acked++
		}
	}
	if acked < 10000 {
		return qs
	}
	out := qs[:0]
	for _, q := range qs {
		if !q.acked {
			out = append(out, q)
		}
	}
	return out
}

func (n *Node) getStatus(env *transport.Envelope, who *participant) ([]byte, error) {
	n.mu.Lock()
	var s *statusMsg
	if len(who.statuses) > 0 {
		s, who.statuses = who.statuses[0], who.statuses[1:]
	}
	n.mu.Unlock()
	if s == nil {
		return emptyResult(env.NS, "GetStatusResponse"), nil
	}
	return n.statusEnvelope(env.NS, s)
}

func (n *Node) sendResponse(w http.ResponseWriter, env *transport.Envelope, who *participant, parts map[string][]byte) ([]byte, error) {
	d := env.Doc
	spd := d.ChildElement(env.Op, env.NS.Types, "SenderProvidedResponseData")
	id := textOf(env, spd, "MessageID")
	to := textOf(env, spd, "To")
	if !transport.ValidMessageID(id) {
		n.writeFault(w, env.NS, "InvalidMessageIdFormat", "", "MessageID is not a version 1 UUID", false)
		return nil, nil
	}
	attBytes, fault, text := n.checkAttachments(env, spd, parts)
	if fault != "" {
		n.writeFault(w, env.NS, fault, "", text, false)
		return nil, nil
	}
	n.mu.Lock()
	if n.seen[id] {
		n.dups[id]++
		n.mu.Unlock()
		n.writeFault(w, env.NS, "MessageIsAlreadySent", "", "Сообщение с таким MessageID уже было отправлено", false)
		return nil, nil
	}
	in := n.replyTo[to]
	if in == nil || in.to != who.id {
		n.mu.Unlock()
		n.writeFault(w, env.NS, "RecipientIsNotFound", "", "Адрес ответа не найден", false)
		return nil, nil
	}
	kind := "response"
	if rr := d.ChildElement(spd, env.NS.Types, "RequestRejected"); rr >= 0 {
		kind = "reject:" + textOf(env, rr, "RejectionReasonCode")
	}
	n.seen[id] = true
	n.accepted[id]++
	if attBytes > 0 {
		n.atts[id] = attBytes
	}
	in.answered = true
	n.answers[in.messageID] = kind
	n.mu.Unlock()
	return n.sendResult(env.NS, "SendResponseResponse", metadata{ID: n.newID(), Type: "RESPONSE", Sender: who.id, SenderName: who.name,
		Sending: n.clock.Now(), Recipient: in.from.smevID, RecipientName: in.from.name, Status: "responseIsAcceptedBySmev"})
}

func textOf(env *transport.Envelope, parent int32, local string) string {
	d := env.Doc
	if parent < 0 {
		return ""
	}
	for c := d.Nodes[parent].FirstChild; c >= 0; c = d.Nodes[c].Next {
		if d.Nodes[c].Kind == 1 && string(d.Nodes[c].Local) == local {
			var b strings.Builder
			for t := d.Nodes[c].FirstChild; t >= 0; t = d.Nodes[t].Next {
				b.Write(d.Nodes[t].Data)
			}
			return strings.TrimSpace(b.String())
		}
	}
	if string(d.Nodes[parent].Local) == local {
		var b strings.Builder
		for t := d.Nodes[parent].FirstChild; t >= 0; t = d.Nodes[t].Next {
			b.Write(d.Nodes[t].Data)
		}
		return strings.TrimSpace(b.String())
	}
	return ""
}

func firstChild(env *transport.Envelope, n int32) int32 {
	if n < 0 {
		return -1
	}
	for c := env.Doc.Nodes[n].FirstChild; c >= 0; c = env.Doc.Nodes[c].Next {
		if env.Doc.Nodes[c].Kind == 1 {
			return c
		}
	}
	return -1
}

// Server is a node listening on an address.
type Server struct {
	Node *Node
	Addr string // host:port actually bound
	URL  string
	srv  *http.Server
	ln   net.Listener
}

// Listen serves the node on addr (":0" picks a port) with TLS config tc
// (mutual TLS), or plain HTTP when tc is nil.
func Listen(n *Node, addr string, tc *tls.Config) (*Server, error) {
	return ListenHandler(n, n, addr, tc)
}

// ListenHandler is Listen with h in front of the node (a recorder in tests).
func ListenHandler(n *Node, h http.Handler, addr string, tc *tls.Config) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{Node: n, Addr: ln.Addr().String(), ln: ln}
	s.srv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, WriteTimeout: 60 * time.Second,
		MaxHeaderBytes: 64 << 10, ErrorLog: log.New(io.Discard, "", 0)}
	if tc != nil {
		s.URL = "https://" + s.Addr + "/smev"
		s.srv.TLSConfig = tc
		go s.srv.ServeTLS(ln, "", "")
	} else {
		s.URL = "http://" + s.Addr + "/smev"
		go s.srv.Serve(ln)
	}
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return s.srv.Close()
	}
	return err
}

// checkAttachments compares AttachmentHeaderList (under the signed data)
// with AttachmentContentList and the MTOM parts, as SMEV does: every
// header has its content and every content its header, the bytes are
// there, and their total is within MaxAttachments.
func (n *Node) checkAttachments(env *transport.Envelope, data int32, parts map[string][]byte) (total int, fault, text string) {
	d := env.Doc
	headers := map[string]bool{}
	if hl := d.ChildElement(data, env.NS.Basic, "AttachmentHeaderList"); hl >= 0 {
		for c := d.Nodes[hl].FirstChild; c >= 0; c = d.Nodes[c].Next {
			if d.Nodes[c].Kind == 1 {
				headers[textOf(env, c, "contentId")] = true
			}
		}
	}
	contents := 0
	if cl := d.ChildElement(env.Op, env.NS.Basic, "AttachmentContentList"); cl >= 0 {
		for c := d.Nodes[cl].FirstChild; c >= 0; c = d.Nodes[c].Next {
			if d.Nodes[c].Kind != 1 {
				continue
			}
			contents++
			id := textOf(env, c, "Id")
			if !headers[id] {
				return 0, "AttachmentContentMiscoordination", "Содержимое вложения " + id + " без заголовка"
			}
			cn := d.ChildElement(c, env.NS.Basic, "Content")
			inc := firstChild(env, cn)
			if inc >= 0 {
				href, _ := d.Attr(inc, "", "href")
				b, ok := parts[strings.TrimPrefix(href, "cid:")]
				if !ok {
					return 0, "AttachmentContentMiscoordination", "Нет части MTOM " + href
				}
				total += len(b)
			} else {
				total += len(textOf(env, cn, "Content")) * 3 / 4
			}
		}
	}
	if contents != len(headers) {
		return 0, "AttachmentContentMiscoordination", "Заголовков вложений больше, чем их содержимого"
	}
	if int64(total) > n.opts.MaxAttachments {
		return 0, "AttachmentSizeLimitExceeded", fmt.Sprintf("Вложения %d байт, допустимо %d", total, n.opts.MaxAttachments)
	}
	return total, "", ""
}

// hidden reports whether a delivered message waits for its Ack (not given
// again before RedeliverAfter).
func (n *Node) hidden(q *queued, now time.Time) bool {
	return n.opts.RedeliverAfter > 0 && q.delivered > 0 && now.Before(q.lastAt.Add(n.opts.RedeliverAfter))
}
