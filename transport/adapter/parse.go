package adapter

import (
	"encoding/base64"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/transport"
)

// Kinds of a QueryResult's Message (its xsi:type).
const (
	KindRequest  = "RequestMessageType"  // a request to us
	KindResponse = "ResponseMessageType" // an answer (data, refusal or business status) to our request
	KindStatus   = "StatusMessage"       // the adapter's status of a message of ours
	KindError    = "ErrorMessage"        // the adapter's or SMEV's error about a message of ours
)

// MaxResults bounds the QueryResults of one Find that are read.
const MaxResults = 1000

// SMEVMetadata is what the adapter tells of SMEV's side of a message.
type SMEVMetadata struct {
	MessageID, ReferenceMessageID, TransactionCode, OriginalMessageID string
	Sender, Recipient                                                 string // newer adapters only
}

// Reject is a refusal of our request.
type Reject struct{ Code, Description string }

// Result is one QueryResult, read strictly: every element the data is read
// from is the only one of its name at its place.
type Result struct {
	Kind        string // KindRequest, KindResponse, KindStatus, KindError
	MessageType string // Message/messageType (PrimaryMessage, StatusMessage…)
	SMEV        SMEVMetadata
	ClientID    string // the message's clientId (the adapter's for what comes to us)
	ReplyTo     string // replyToClientId: our request's clientId (KindResponse)
	Original    string // statusMetadata/originalClientId (KindStatus, KindError)
	Test        bool   // testMessage of a request

	Content     []byte // the business element, standalone; nil without content
	ContentNS   string
	ContentRoot string
	Data        int32 // that element in Doc (xmltree.None without content): what ЭП-СП must cover
	Files       []FileRef
	Rejects     []Reject
	StatusCode  string // ResponseContent/status
	StatusText  string

	Category  string // StatusMessage/status: OTHER, ERROR
	Details   string
	Timestamp time.Time
	ErrorType string // SERVER, CLIENT
	FaultCode string
	FaultText string

	Doc  *xmltree.Doc // the document it was read from (the signatures are judged in it)
	Node int32        // the QueryResult element
	Raw  []byte       // the QueryResult element as a document of its own
}

// limits of what an adapter answer may make the reader do.
func limits(max int) xmltree.Limits {
	l := xmltree.DefaultLimits
	if max > 0 {
		l.MaxBytes = max
	}
	return l
}

func first(d *xmltree.Doc, n int32) int32 {
	for _, c := range d.ChildElements(n) {
		return c
	}
	return xmltree.None
}

// one returns the only child element of n named local in the adapter's
// namespace; none (when required) or more than one is an error.
func one(d *xmltree.Doc, n int32, local string, required bool) (int32, error) {
	found := xmltree.None
	for _, c := range d.ChildElements(n) {
		if !d.Is(c, NS, local) {
			continue
		}
		if found != xmltree.None {
			return xmltree.None, domain.Errorf(domain.EINVALID, "Сообщение адаптера СМЭВ отклонено: элемент %s встречается дважды.", local)
		}
		found = c
	}
	if found == xmltree.None && required {
		return xmltree.None, domain.Errorf(domain.EINVALID, "Сообщение адаптера СМЭВ неполно: нет элемента %s.", local)
	}
	return found, nil
}

// val is the trimmed text of the only child named local ("" when absent).
func val(d *xmltree.Doc, n int32, local string) (string, error) {
	c, err := one(d, n, local, false)
	if err != nil || c == xmltree.None {
		return "", err
	}
	return strings.TrimSpace(d.Text(c)), nil
}

// vals reads several optional values; the first error wins.
func vals(d *xmltree.Doc, n int32, dst map[string]*string) error {
	for local, p := range dst {
		v, err := val(d, n, local)
		if err != nil {
			return err
		}
		*p = v
	}
	return nil
}

// body parses a SOAP answer of the adapter: the element under soap:Body
// (xmltree.None for an empty Body), or a *Fault.
func body(xml []byte, max int) (*xmltree.Doc, int32, error) {
	d, err := xmltree.ParseLimits(xml, limits(max))
	if err != nil {
		return nil, xmltree.None, domain.Wrap(err, domain.EINVALID, "adapter.parse", "Ответ адаптера СМЭВ не является корректным XML: "+xmltree.Problem(err))
	}
	if !d.Is(d.Root, transport.SOAPNS, "Envelope") {
		return nil, xmltree.None, domain.Errorf(domain.EINVALID, "Ответ адаптера СМЭВ не является конвертом SOAP 1.1.")
	}
	b := d.ChildElement(d.Root, transport.SOAPNS, "Body")
	if b == xmltree.None {
		return nil, xmltree.None, domain.Errorf(domain.EINVALID, "В конверте SOAP нет элемента Body.")
	}
	el := first(d, b)
	if el != xmltree.None && d.Is(el, transport.SOAPNS, "Fault") {
		return d, el, parseFault(d, el)
	}
	return d, el, nil
}

// ParseMessageResult reads the answer to Send: the SMEV MessageId the
// adapter gave our message.
func ParseMessageResult(xml []byte, max int) (string, error) {
	d, el, err := body(xml, max)
	if err != nil {
		return "", err
	}
	if el == xmltree.None || !d.Is(el, NS, "MessageResult") {
		return "", domain.Errorf(domain.EINVALID, "Неожиданный ответ адаптера СМЭВ на Send.")
	}
	return val(d, el, "MessageId")
}

// ParseGet reads the answer to Get: nil when the queue is empty (an empty
// Body, or a QueryResult without a Message).
func ParseGet(xml []byte, max int) (*Result, error) {
	d, el, err := body(xml, max)
	if err != nil {
		return nil, err
	}
	if el == xmltree.None {
		return nil, nil
	}
	if !d.Is(el, NS, "QueryResult") {
		return nil, domain.Errorf(domain.EINVALID, "Неожиданный ответ адаптера СМЭВ на Get: %s.", d.Nodes[el].Local)
	}
	if m, err := one(d, el, "Message", false); err != nil || m == xmltree.None {
		return nil, err
	}
	return ParseResult(d, el)
}

// ParseFind reads the answer to Find: its QueryResults (at most
// MaxResults; more is an error).
func ParseFind(xml []byte, max int) ([]*Result, error) {
	d, el, err := body(xml, max)
	if err != nil {
		return nil, err
	}
	if el == xmltree.None || !d.Is(el, NS, "QueryResultList") {
		return nil, domain.Errorf(domain.EINVALID, "Неожиданный ответ адаптера СМЭВ на Find.")
	}
	var out []*Result
	for _, c := range d.ChildElements(el) {
		if !d.Is(c, NS, "QueryResult") {
			return nil, domain.Errorf(domain.EINVALID, "Неожиданный элемент в ответе адаптера СМЭВ: %s.", d.Nodes[c].Local)
		}
		if len(out) == MaxResults {
			return nil, domain.Errorf(domain.EINVALID, "Адаптер СМЭВ вернул больше %d сообщений за один поиск.", MaxResults)
		}
		r, err := ParseResult(d, c)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// ParseResult reads one QueryResult element of d.
func ParseResult(d *xmltree.Doc, qr int32) (*Result, error) {
	r := &Result{Doc: d, Node: qr, Data: xmltree.None, Raw: transport.Standalone(d, qr)}
	md, err := one(d, qr, "smevMetadata", true)
	if err != nil {
		return nil, err
	}
	s := &r.SMEV
	if err := vals(d, md, map[string]*string{"MessageId": &s.MessageID, "ReferenceMessageID": &s.ReferenceMessageID,
		"TransactionCode": &s.TransactionCode, "OriginalMessageID": &s.OriginalMessageID, "Sender": &s.Sender, "Recipient": &s.Recipient}); err != nil {
		return nil, err
	}
	m, err := one(d, qr, "Message", true)
	if err != nil {
		return nil, err
	}
	if r.Kind, err = messageKind(d, m); err != nil {
		return nil, err
	}
	if r.MessageType, err = val(d, m, "messageType"); err != nil {
		return nil, err
	}
	switch r.Kind {
	case KindRequest:
		err = r.request(d, m)
	case KindResponse:
		err = r.response(d, m)
	default:
		err = r.status(d, m)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// messageKind resolves Message's xsi:type in the adapter's namespace.
func messageKind(d *xmltree.Doc, m int32) (string, error) {
	t, ok := d.Attr(m, XSINS, "type")
	if !ok {
		return "", domain.Errorf(domain.EINVALID, "Сообщение адаптера СМЭВ без xsi:type: неизвестно, что это.")
	}
	prefix, local := "", strings.TrimSpace(t)
	if i := strings.IndexByte(local, ':'); i >= 0 {
		prefix, local = local[:i], local[i+1:]
	}
	uri, _ := d.LookupNS(m, prefix)
	if uri != NS {
		return "", domain.Errorf(domain.EINVALID, "Неизвестный тип сообщения адаптера СМЭВ: %s.", t)
	}
	switch local {
	case KindRequest, KindResponse, KindStatus, KindError:
		return local, nil
	}
	return "", domain.Errorf(domain.EINVALID, "Неизвестный тип сообщения адаптера СМЭВ: %s.", t)
}

func (r *Result) request(d *xmltree.Doc, m int32) error {
	md, err := one(d, m, "RequestMetadata", true)
	if err != nil {
		return err
	}
	var test string
	if err := vals(d, md, map[string]*string{"clientId": &r.ClientID, "testMessage": &test}); err != nil {
		return err
	}
	r.Test = test == "true" || test == "1"
	rc, err := one(d, m, "RequestContent", true)
	if err != nil {
		return err
	}
	c, err := one(d, rc, "content", true)
	if err != nil {
		return err
	}
	if err := r.content(d, c); err != nil {
		return err
	}
	return r.needID()
}

func (r *Result) response(d *xmltree.Doc, m int32) error {
	md, err := one(d, m, "ResponseMetadata", true)
	if err != nil {
		return err
	}
	if err := vals(d, md, map[string]*string{"clientId": &r.ClientID, "replyToClientId": &r.ReplyTo}); err != nil {
		return err
	}
	rc, err := one(d, m, "ResponseContent", true)
	if err != nil {
		return err
	}
	c, err := one(d, rc, "content", false)
	if err != nil {
		return err
	}
	st, err := one(d, rc, "status", false)
	if err != nil {
		return err
	}
	for _, e := range d.ChildElements(rc) {
		if d.Is(e, NS, "rejects") {
			rj := Reject{}
			if err := vals(d, e, map[string]*string{"code": &rj.Code, "description": &rj.Description}); err != nil {
				return err
			}
			r.Rejects = append(r.Rejects, rj)
		}
	}
	switch {
	case c != xmltree.None && st == xmltree.None && len(r.Rejects) == 0:
		err = r.content(d, c)
	case st != xmltree.None && c == xmltree.None && len(r.Rejects) == 0:
		err = vals(d, st, map[string]*string{"code": &r.StatusCode, "description": &r.StatusText})
	case len(r.Rejects) > 0 && c == xmltree.None && st == xmltree.None:
	default:
		err = domain.Errorf(domain.EINVALID, "Ответ адаптера СМЭВ должен содержать одно из: сведения, отказ, статус.")
	}
	if err != nil {
		return err
	}
	if r.ReplyTo == "" {
		return domain.Errorf(domain.EINVALID, "Ответ адаптера СМЭВ без replyToClientId.")
	}
	return r.needID()
}

func (r *Result) status(d *xmltree.Doc, m int32) error {
	md, err := one(d, m, "statusMetadata", true)
	if err != nil {
		return err
	}
	var ts string
	if err := vals(d, md, map[string]*string{"clientId": &r.ClientID, "originalClientId": &r.Original}); err != nil {
		return err
	}
	if err := vals(d, m, map[string]*string{"status": &r.Category, "details": &r.Details, "timestamp": &ts, "type": &r.ErrorType}); err != nil {
		return err
	}
	r.Timestamp, _ = time.Parse(time.RFC3339Nano, ts)
	if r.Kind == KindError {
		f, err := one(d, m, "fault", true)
		if err != nil {
			return err
		}
		// fault:Fault: its elements are in the faults namespace.
		for _, c := range d.ChildElements(f) {
			switch {
			case d.Is(c, FaultsNS, "code"):
				r.FaultCode = strings.TrimSpace(d.Text(c))
			case d.Is(c, FaultsNS, "description"):
				r.FaultText = strings.TrimSpace(d.Text(c))
			}
		}
	}
	if r.Original == "" {
		return domain.Errorf(domain.EINVALID, "Статус адаптера СМЭВ без originalClientId.")
	}
	return r.needID()
}

func (r *Result) needID() error {
	if r.ClientID == "" || len(r.ClientID) > maxString50 {
		return domain.Errorf(domain.EINVALID, "Сообщение адаптера СМЭВ без верного clientId.")
	}
	return nil
}

// content reads tns:content: the one element under MessagePrimaryContent,
// the files.
func (r *Result) content(d *xmltree.Doc, c int32) error {
	mpc, err := one(d, c, "MessagePrimaryContent", true)
	if err != nil {
		return err
	}
	kids := d.ChildElements(mpc)
	if len(kids) != 1 {
		return domain.Errorf(domain.EINVALID, "В содержательной части сообщения адаптера СМЭВ должен быть ровно один элемент.")
	}
	el := kids[0]
	r.Data, r.Content = el, transport.Standalone(d, el)
	r.ContentNS, r.ContentRoot = string(d.Nodes[el].URI), string(d.Nodes[el].Local)
	if _, err := one(d, c, "PersonalSignature", false); err != nil {
		return err
	}
	hl, err := one(d, c, "AttachmentHeaderList", false)
	if err != nil || hl == xmltree.None {
		return err
	}
	for _, h := range d.ChildElements(hl) {
		var path, sig string
		if err := vals(d, h, map[string]*string{"filePath": &path, "SignaturePKCS7": &sig}); err != nil {
			return err
		}
		f := FileRef{Path: path}
		if sig != "" {
			b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(sig), ""))
			if err != nil {
				return domain.Errorf(domain.EINVALID, "Неверная подпись PKCS#7 вложения %q.", path)
			}
			f.Signature = b
		}
		r.Files = append(r.Files, f)
	}
	return nil
}

// Fault is a SOAP fault of the adapter: SystemFault, ValidationFault or
// SyncFault with its code and description.
type Fault struct {
	Code, String string // faultcode, faultstring
	Name         string // SystemFault, ValidationFault, SyncFault (the detail's element)
	AdapterCode  string // detail/*/code
	Description  string // detail/*/description
}

func (f *Fault) Error() string {
	s := "adapter fault " + f.Name
	if f.Name == "" {
		s = "SOAP fault " + f.Code
	}
	if f.AdapterCode != "" {
		s += " " + f.AdapterCode
	}
	if t := f.Description; t != "" || f.String != "" {
		if t == "" {
			t = f.String
		}
		s += ": " + t
	}
	return s
}

func parseFault(d *xmltree.Doc, n int32) *Fault {
	txt := func(p int32, local string) string {
		for _, c := range d.ChildElements(p) {
			if string(d.Nodes[c].Local) == local {
				return strings.TrimSpace(d.Text(c))
			}
		}
		return ""
	}
	f := &Fault{Code: txt(n, "faultcode"), String: txt(n, "faultstring")}
	for _, det := range d.ChildElements(n) {
		if string(d.Nodes[det].Local) != "detail" {
			continue
		}
		if e := first(d, det); e != xmltree.None && string(d.Nodes[e].URI) == FaultsNS {
			f.Name = string(d.Nodes[e].Local)
			f.AdapterCode, f.Description = txt(e, "code"), txt(e, "description")
		}
	}
	return f
}

type qname struct{ ns, local string }

// rootOf reads the root element's name of a business element.
func rootOf(el []byte) (qname, error) {
	d, err := xmltree.ParseLimits(el, xmltree.Limits{MaxBytes: 16 << 20, MaxDepth: 128, MaxAttrs: 128})
	if err != nil {
		return qname{}, err
	}
	return qname{string(d.Nodes[d.Root].URI), string(d.Nodes[d.Root].Local)}, nil
}
