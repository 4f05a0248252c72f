// Package adapter is the training contour's SMEV 3 adapter: an HTTP server
// that speaks the adapter's integration interface (transport/adapter) to
// the workstation and SMEV 3 to a SMEV node (training/node), as the
// region's adapter does: it takes the business content and the official's
// ЭП-СП, signs ЭП-ОВ with its own key, sends, polls, acknowledges, and
// keeps the queue and the history of the information system. Every
// message it receives is validated against the adapter's XSD (schema.go)
// and refused with a ValidationFault when it is not valid; every answer is
// checked against it before it goes.
package adapter

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/transport"
	ad "github.com/mezhved/mezhved/transport/adapter"
)

// Options configure the training adapter.
type Options struct {
	Node     transport.Endpoint // the SMEV node it speaks SMEV 3 with
	Key      keys.Key           // the body's ЭП-ОВ; a training key is made when nil
	ITSystem string             // the information system it serves; "" takes any mnemonic
	FilesDir string             // the attachment store it shares with the workstation
	// Checker judges the node's messages (ЭП-СМЭВ, the sender's ЭП-ОВ); a
	// message that fails is acknowledged as not accepted and dropped. nil:
	// not checked.
	Checker *transport.Checker
	DumpDir string // every message received and answered is written here
	MaxBody int64  // default 32 MiB
	Now     func() time.Time
	Log     func(format string, args ...any)
}

// entry is a message of the information system's history (what Find
// searches) and, until Get takes it, of its queue.
type entry struct {
	kind               string // ad.KindRequest, KindResponse, KindStatus, KindError
	ours               bool   // sent by the information system
	clientID, relation string // relation: replyToClientId or originalClientId
	at                 time.Time
	result             []byte // the QueryResult element
}

// sent is a message the information system handed over.
type sent struct {
	smevID   string // the MessageID it goes to SMEV with, the same for every retry
	accepted bool
}

// Adapter is the training adapter; it is an http.Handler.
type Adapter struct {
	opts   Options
	schema *Schema
	smev   *transport.Client

	mu       sync.Mutex
	history  []*entry
	queue    []*entry
	sent     map[string]*sent  // clientId → its SMEV message
	bySMEV   map[string]string // SMEV MessageID of a request of ours → its clientId
	incoming map[string]string // clientId of a request to us → SMEV ReplyTo
	taken    map[string]bool   // SMEV MessageIDs taken from the node (delivered again when an Ack is lost)
	stats    Stats
	dumpSeq  int
}

// Stats counts what the adapter did.
type Stats struct {
	Received   int            // messages received from the information system
	Invalid    int            // of them refused as not valid against the XSD
	Forwarded  map[string]int // clientId → times it went to SMEV accepted (1)
	Duplicates map[string]int // clientId → Sends of a message the adapter already had
	Answers    int            // answers put in the queue
	Requests   int            // incoming requests put in the queue
	Queue      int            // messages not yet taken by Get
}

// New makes an adapter for a node.
func New(opts Options) (*Adapter, error) {
	s, err := AdapterSchema()
	if err != nil {
		return nil, err
	}
	if opts.Key == nil {
		k, _, err := keys.NewDemoGOST(keys.DemoSubject{CommonName: "Адаптер СМЭВ (учебный, Межвед)", Organization: "Учебная администрация поселения",
			INNLE: "7700000000", OGRN: "1027700000000"}, 365*24*time.Hour)
		if err != nil {
			return nil, err
		}
		opts.Key = k
	}
	c, err := transport.NewClient(opts.Node, opts.Key)
	if err != nil {
		return nil, err
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = 32 << 20
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = func(string, ...any) {}
	}
	if opts.DumpDir != "" {
		if err := os.MkdirAll(opts.DumpDir, 0o755); err != nil {
			return nil, err
		}
	}
	return &Adapter{opts: opts, schema: s, smev: c, sent: map[string]*sent{}, bySMEV: map[string]string{}, incoming: map[string]string{}, taken: map[string]bool{},
		stats: Stats{Forwarded: map[string]int{}, Duplicates: map[string]int{}}}, nil
}

// Close drops the node connections.
func (a *Adapter) Close() { a.smev.Close() }

// Stats returns a copy of the counters.
func (a *Adapter) Stats() Stats {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.stats
	s.Forwarded, s.Duplicates = map[string]int{}, map[string]int{}
	for k, v := range a.stats.Forwarded {
		s.Forwarded[k] = v
	}
	for k, v := range a.stats.Duplicates {
		s.Duplicates[k] = v
	}
	s.Queue = len(a.queue)
	return s
}

// faultError is an answer refused with an adapter fault.
type faultError struct{ name, code, text string }

func (f *faultError) Error() string { return f.name + ": " + f.text }

func validationFault(code, format string, args ...any) *faultError {
	return &faultError{"ValidationFault", code, fmt.Sprintf(format, args...)}
}

func systemFault(format string, args ...any) *faultError {
	return &faultError{"SystemFault", "", fmt.Sprintf(format, args...)}
}

// ServeHTTP reads one SOAP call, validates its message and dispatches it.
func (a *Adapter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST a SOAP envelope", http.StatusMethodNotAllowed)
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, a.opts.MaxBody+1))
	if err != nil || int64(len(raw)) > a.opts.MaxBody {
		a.write(w, "fault", soapFault("ValidationFault", "TOO_LARGE", "Сообщение слишком велико или не прочитано."), http.StatusInternalServerError)
		return
	}
	a.dump("in", raw)
	defer func() {
		if p := recover(); p != nil { // a defect of the training adapter: said, not a dropped connection
			a.write(w, "fault", soapFault("SystemFault", "", fmt.Sprintf("внутренняя ошибка учебного адаптера: %v", p)), http.StatusInternalServerError)
		}
	}()
	out, err := a.handle(r.Context(), raw)
	if err != nil {
		f, ok := err.(*faultError)
		if !ok {
			f = systemFault("%v", err)
		}
		a.opts.Log("training adapter: %v", f)
		a.write(w, "fault", soapFault(f.name, f.code, f.text), http.StatusInternalServerError)
		return
	}
	env := ad.Wrap(out)
	if out == nil {
		env = []byte(`<soap:Envelope xmlns:soap="` + transport.SOAPNS + `"><soap:Body/></soap:Envelope>`)
	}
	a.write(w, "out", env, http.StatusOK)
}

func (a *Adapter) write(w http.ResponseWriter, kind string, env []byte, status int) {
	a.dump(kind, env)
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	w.Write(env)
}

// handle validates the message under soap:Body and answers it; nil: an
// empty Body (Get of an empty queue).
func (a *Adapter) handle(ctx context.Context, raw []byte) ([]byte, error) {
	d, err := xmltree.ParseLimits(raw, xmltree.Limits{MaxBytes: int(a.opts.MaxBody), MaxDepth: 128, MaxAttrs: 64, MaxNodes: 1 << 20, MaxScope: 64})
	if err != nil {
		return nil, validationFault("XML", "Сообщение не является корректным XML: %s", xmltree.Problem(err))
	}
	body := d.ChildElement(d.Root, transport.SOAPNS, "Body")
	if !d.Is(d.Root, transport.SOAPNS, "Envelope") || body == xmltree.None {
		return nil, validationFault("SOAP", "Нужен конверт SOAP 1.1.")
	}
	els := d.ChildElements(body)
	if len(els) != 1 {
		return nil, validationFault("SOAP", "В теле SOAP должно быть ровно одно сообщение.")
	}
	el := els[0]
	a.mu.Lock()
	a.stats.Received++
	a.mu.Unlock()
	if problems := a.schema.ValidateDoc(d, el); len(problems) > 0 {
		a.mu.Lock()
		a.stats.Invalid++
		a.mu.Unlock()
		return nil, validationFault("SCHEMA", "Сообщение не соответствует схеме адаптера: %s", strings.Join(problems, "; "))
	}
	it := txt(d, d.ChildElement(el, ad.NS, "itSystem"))
	if a.opts.ITSystem != "" && it != a.opts.ITSystem {
		return nil, validationFault("IT_SYSTEM", "Информационная система %q не зарегистрирована в адаптере.", it)
	}
	var out []byte
	switch string(d.Nodes[el].Local) {
	case "ClientMessage":
		out, err = a.send(ctx, d, el, it)
	case "MessageQuery":
		out, err = a.get(ctx, d, el)
	case "FindMessageQuery":
		out, err = a.find(ctx, d, el)
	default:
		return nil, validationFault("OPERATION", "Операция %s не поддерживается.", d.Nodes[el].Local)
	}
	if err != nil || out == nil {
		return out, err
	}
	if problems := a.schema.Validate(out); len(problems) > 0 {
		return nil, systemFault("учебный адаптер составил ответ не по схеме: %s", strings.Join(problems, "; "))
	}
	return out, nil
}

func (a *Adapter) dump(kind string, b []byte) {
	if a.opts.DumpDir == "" {
		return
	}
	a.mu.Lock()
	a.dumpSeq++
	n := a.dumpSeq
	a.mu.Unlock()
	_ = os.WriteFile(filepath.Join(a.opts.DumpDir, fmt.Sprintf("adapter-%05d-%s.xml", n, kind)), b, 0o600)
}

// get answers MessageQuery: the next message of the queue (of the type
// asked), taken out of it; nil when there is none.
func (a *Adapter) get(ctx context.Context, d *xmltree.Doc, el int32) ([]byte, error) {
	a.pump(ctx)
	typ := txt(d, childPath(d, el, "specificQuery", "messageTypeCriteria"))
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, e := range a.queue {
		if typ == ad.TypeRequest && e.kind != ad.KindRequest || typ == ad.TypeResponse && e.kind == ad.KindRequest {
			continue
		}
		a.queue = append(a.queue[:i:i], a.queue[i+1:]...)
		return e.result, nil
	}
	return nil, nil
}

// find answers FindMessageQuery from the history; nothing is taken.
func (a *Adapter) find(ctx context.Context, d *xmltree.Doc, el int32) ([]byte, error) {
	a.pump(ctx)
	q := d.ChildElement(el, ad.NS, "specificQuery")
	var match func(e *entry) bool
	if c := d.ChildElement(q, ad.NS, "messageClientIdCriteria"); c != xmltree.None {
		id := txt(d, d.ChildElement(c, ad.NS, "clientId"))
		switch txt(d, d.ChildElement(c, ad.NS, "clientIdCriteria")) {
		case ad.RequestByRequestID:
			match = func(e *entry) bool { return e.kind == ad.KindRequest && e.clientID == id }
		case ad.ResponsesByRequestID:
			match = func(e *entry) bool { return e.kind != ad.KindRequest && e.relation == id }
		default: // ResponseByResponseID
			match = func(e *entry) bool { return e.kind == ad.KindResponse && e.clientID == id }
		}
	} else {
		p := d.ChildElement(q, ad.NS, "messagePeriodCriteria")
		from, err1 := time.Parse(time.RFC3339Nano, txt(d, d.ChildElement(p, ad.NS, "from")))
		to := time.Now().Add(time.Hour)
		var err2 error
		if t := d.ChildElement(p, ad.NS, "to"); t != xmltree.None {
			to, err2 = time.Parse(time.RFC3339Nano, txt(d, t))
		}
		if err1 != nil || err2 != nil {
			return nil, validationFault("PERIOD", "Период поиска задан без часового пояса или неверно.")
		}
		match = func(e *entry) bool { return !e.at.Before(from) && !e.at.After(to) }
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	var out [][]byte
	for _, e := range a.history {
		if match(e) && len(out) < ad.MaxResults {
			out = append(out, e.result)
		}
	}
	return queryResultList(out), nil
}

// txt is the trimmed text of element n; "" for no element.
func txt(d *xmltree.Doc, n int32) string {
	if n == xmltree.None {
		return ""
	}
	return strings.TrimSpace(d.Text(n))
}

func childPath(d *xmltree.Doc, n int32, locals ...string) int32 {
	for _, l := range locals {
		if n == xmltree.None {
			return n
		}
		n = d.ChildElement(n, ad.NS, l)
	}
	return n
}

// record keeps a message in the history and, when it comes to the
// information system, in its queue.
func (a *Adapter) record(e *entry) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.history = append(a.history, e)
	if !e.ours {
		a.queue = append(a.queue, e)
	}
}
