package transport

import (
	"bytes"
	"encoding/base64"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
)

// Envelope is a parsed SOAP envelope.
type Envelope struct {
	Doc  *xmltree.Doc
	Op   int32  // the element under soap:Body (SendRequestResponse, Fault…)
	Name string // its local name
	NS   NS     // the message-exchange version it speaks ("" Version for a Fault)
}

// ParseEnvelope reads a SOAP 1.1 envelope with the strict reader (no
// DOCTYPE, no entities, bounded). A soap:Fault comes back as *Fault.
func ParseEnvelope(b []byte, maxBytes int) (*Envelope, error) {
	lim := xmltree.DefaultLimits
	if maxBytes > 0 {
		lim.MaxBytes = maxBytes
	}
	d, err := xmltree.ParseLimits(b, lim)
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "transport.ParseEnvelope", "Ответ СМЭВ не является корректным XML.")
	}
	if !d.Is(d.Root, SOAPNS, "Envelope") {
		return nil, domain.Errorf(domain.EINVALID, "Ответ СМЭВ не является конвертом SOAP 1.1.")
	}
	body := d.ChildElement(d.Root, SOAPNS, "Body")
	if body == xmltree.None {
		return nil, domain.Errorf(domain.EINVALID, "В конверте SOAP нет элемента Body.")
	}
	op := firstElement(d, body)
	if op == xmltree.None {
		return nil, domain.Errorf(domain.EINVALID, "Пустое тело конверта SOAP.")
	}
	e := &Envelope{Doc: d, Op: op, Name: string(d.Nodes[op].Local)}
	if d.Is(op, SOAPNS, "Fault") {
		return e, parseFault(d, op)
	}
	uri := string(d.Nodes[op].URI)
	for _, v := range []string{V13, V12, V11} {
		ns := namespaces(v)
		if uri == ns.Types {
			e.NS = ns
			return e, nil
		}
	}
	return nil, domain.Errorf(domain.EUNSUPPORTED, "Неизвестное пространство имён ответа СМЭВ: %s.", uri)
}

func firstElement(d *xmltree.Doc, n int32) int32 {
	for c := d.Nodes[n].FirstChild; c != xmltree.None; c = d.Nodes[c].Next {
		if d.Nodes[c].Kind == xmltree.Element {
			return c
		}
	}
	return xmltree.None
}

// child returns the first child element of n with that local name (any
// namespace: types and basic of the version at hand).
func child(d *xmltree.Doc, n int32, local string) int32 {
	if n == xmltree.None {
		return xmltree.None
	}
	for c := d.Nodes[n].FirstChild; c != xmltree.None; c = d.Nodes[c].Next {
		if d.Nodes[c].Kind == xmltree.Element && string(d.Nodes[c].Local) == local {
			return c
		}
	}
	return xmltree.None
}

func path(d *xmltree.Doc, n int32, locals ...string) int32 {
	for _, l := range locals {
		n = child(d, n, l)
	}
	return n
}

// text returns the text content of element n (children text only), trimmed.
func text(d *xmltree.Doc, n int32) string {
	if n == xmltree.None {
		return ""
	}
	return strings.TrimSpace(d.Text(n))
}

// Standalone returns element n as a document of its own: its bytes with
// every namespace in scope from its ancestors declared on it.
func Standalone(d *xmltree.Doc, n int32) []byte {
	node := &d.Nodes[n]
	own := map[string]bool{}
	for _, ns := range d.Decls(n) {
		own[string(ns.Prefix)] = true
	}
	var extra bytes.Buffer
	if parent := node.Parent; parent != xmltree.None {
		d.InScope(parent, func(prefix, uri []byte) {
			p := string(prefix)
			if own[p] || p == "xml" {
				return
			}
			if p == "" {
				extra.WriteString(` xmlns="`)
			} else {
				extra.WriteString(` xmlns:` + p + `="`)
			}
			extra.WriteString(Esc(string(uri)) + `"`)
		})
	}
	src := d.Src
	nameEnd := node.Start + 1 + len(node.Prefix) + len(node.Local)
	if len(node.Prefix) > 0 {
		nameEnd++
	}
	out := make([]byte, 0, node.End-node.Start+extra.Len())
	out = append(out, src[node.Start:nameEnd]...)
	out = append(out, extra.Bytes()...)
	out = append(out, src[nameEnd:node.End]...)
	return out
}

func parseFault(d *xmltree.Doc, n int32) *Fault {
	f := &Fault{Code: text(d, child(d, n, "faultcode")), String: text(d, child(d, n, "faultstring"))}
	if det := child(d, n, "detail"); det != xmltree.None {
		if e := firstElement(d, det); e != xmltree.None {
			f.Name = string(d.Nodes[e].Local)
			f.SMEVCode = text(d, child(d, e, "Code"))
			f.Description = text(d, child(d, e, "Description"))
			f.SigFault = text(d, child(d, e, "SignatureVerificationFault"))
		}
	}
	return f
}

// Metadata is SMEV's MessageMetadata.
type Metadata struct {
	MessageID         string
	Type              string
	Sender            string // mnemonic
	SenderName        string
	Recipient         string
	SendingTimestamp  time.Time
	DeliveryTimestamp time.Time
	Status            string
}

func parseMetadata(d *xmltree.Doc, n int32) Metadata {
	m := Metadata{
		MessageID:  text(d, child(d, n, "MessageId")),
		Type:       text(d, child(d, n, "MessageType")),
		Sender:     text(d, path(d, n, "Sender", "Mnemonic")),
		SenderName: text(d, path(d, n, "Sender", "HumanReadableName")),
		Recipient:  text(d, path(d, n, "Recipient", "Mnemonic")),
		Status:     text(d, child(d, n, "Status")),
	}
	m.SendingTimestamp, _ = time.Parse(time.RFC3339Nano, text(d, child(d, n, "SendingTimestamp")))
	m.DeliveryTimestamp, _ = time.Parse(time.RFC3339Nano, text(d, child(d, n, "DeliveryTimestamp")))
	return m
}

// ParseSendResult reads SendRequestResponse / SendResponseResponse.
func ParseSendResult(e *Envelope) (Metadata, error) {
	if e.Name != "SendRequestResponse" && e.Name != "SendResponseResponse" {
		return Metadata{}, domain.Errorf(domain.EINVALID, "Неожиданный ответ СМЭВ: %s.", e.Name)
	}
	md := child(e.Doc, e.Op, "MessageMetadata")
	if md == xmltree.None {
		return Metadata{}, domain.Errorf(domain.EINVALID, "В ответе СМЭВ нет MessageMetadata.")
	}
	return parseMetadata(e.Doc, md), nil
}

// AttachmentIn is an attachment received with a message.
type AttachmentIn struct {
	ContentID string
	MimeType  string
	Signature []byte // detached PKCS#7 from the header
	Content   []byte // from the MTOM part, or inline base64
}

// Incoming is the business part of a received request or response.
type Incoming struct {
	MessageID   string // the sender's MessageID (SenderProvided*Data/MessageID)
	Content     []byte // MessagePrimaryContent's element, standalone
	ContentNS   string
	ContentRoot string
	RejectCode  string // RequestRejected
	RejectText  string
	StatusCode  string // RequestStatus
	StatusText  string
	Attachments []AttachmentIn
}

func parseProvided(d *xmltree.Doc, n int32, parts map[string][]byte) (Incoming, error) {
	in := Incoming{MessageID: text(d, child(d, n, "MessageID"))}
	if mpc := child(d, n, "MessagePrimaryContent"); mpc != xmltree.None {
		el := firstElement(d, mpc)
		if el == xmltree.None {
			return in, domain.Errorf(domain.EINVALID, "Пустая содержательная часть сообщения.")
		}
		in.Content = Standalone(d, el)
		in.ContentNS, in.ContentRoot = string(d.Nodes[el].URI), string(d.Nodes[el].Local)
	} else if rr := child(d, n, "RequestRejected"); rr != xmltree.None {
		in.RejectCode = text(d, child(d, rr, "RejectionReasonCode"))
		in.RejectText = text(d, child(d, rr, "RejectionReasonDescription"))
	} else if rs := child(d, n, "RequestStatus"); rs != xmltree.None {
		in.StatusCode = text(d, child(d, rs, "StatusCode"))
		in.StatusText = text(d, child(d, rs, "StatusDescription"))
	} else if as := child(d, n, "AsyncProcessingStatus"); as != xmltree.None {
		in.StatusCode = text(d, child(d, as, "StatusCategory"))
		in.StatusText = text(d, child(d, as, "StatusDetails"))
	}
	if hl := child(d, n, "AttachmentHeaderList"); hl != xmltree.None {
		for h := d.Nodes[hl].FirstChild; h != xmltree.None; h = d.Nodes[h].Next {
			if d.Nodes[h].Kind != xmltree.Element {
				continue
			}
			a := AttachmentIn{ContentID: text(d, child(d, h, "contentId")), MimeType: text(d, child(d, h, "MimeType"))}
			if s := text(d, child(d, h, "SignaturePKCS7")); s != "" {
				sig, err := base64.StdEncoding.DecodeString(stripSpace(s))
				if err != nil {
					return in, domain.Errorf(domain.EINVALID, "Неверная подпись PKCS#7 вложения %q.", a.ContentID)
				}
				a.Signature = sig
			}
			in.Attachments = append(in.Attachments, a)
		}
	}
	return in, nil
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, s)
}

// attachContents fills the attachments' bytes from AttachmentContentList:
// an xop:Include takes its MTOM part, a base64 text is decoded.
func attachContents(d *xmltree.Doc, list int32, in *Incoming, parts map[string][]byte) error {
	contents := map[string][]byte{}
	if list != xmltree.None {
		for c := d.Nodes[list].FirstChild; c != xmltree.None; c = d.Nodes[c].Next {
			if d.Nodes[c].Kind != xmltree.Element {
				continue
			}
			id := text(d, child(d, c, "Id"))
			cn := child(d, c, "Content")
			if inc := child(d, cn, "Include"); inc != xmltree.None {
				href, _ := d.Attr(inc, "", "href")
				b, ok := parts[strings.TrimPrefix(href, "cid:")]
				if !ok {
					return domain.Errorf(domain.EINVALID, "Вложение %q не пришло: нет части MTOM %s.", id, href)
				}
				contents[id] = b
			} else {
				b, err := base64.StdEncoding.DecodeString(stripSpace(text(d, cn)))
				if err != nil {
					return domain.Errorf(domain.EINVALID, "Содержимое вложения %q не в base64.", id)
				}
				contents[id] = b
			}
		}
	}
	for i := range in.Attachments {
		b, ok := contents[in.Attachments[i].ContentID]
		if !ok {
			return domain.Errorf(domain.EINVALID, "Заголовок вложения %q без содержимого.", in.Attachments[i].ContentID)
		}
		in.Attachments[i].Content = b
	}
	return nil
}

// Response is one message from GetResponse.
type Response struct {
	OriginalMessageID string // our request's MessageID
	Data              Incoming
	Metadata          Metadata // Metadata.MessageID is what Ack names
	Envelope          []byte
	Signed            SignedParts // where the data was read from, for the signature check
	// Malformed is set, and Data empty, when the message is built so that
	// its signed parts cannot be told apart (a duplicate of a signed
	// element): it is refused, yet SMEV must be told so (Metadata, read
	// leniently, names it).
	Malformed error
}

// SignedParts names the elements of a received message that its
// signatures must cover, in the parsed document the data was read from:
// ЭП-СМЭВ covers Message (Response or Request), the sender's ЭП-ОВ covers
// Data (SenderProvided*Data). Each is the only element of its name at its
// place (a duplicate makes the envelope invalid), and the data is read from
// exactly these nodes, never looked up again by name.
type SignedParts struct {
	Doc     *xmltree.Doc
	Message int32
	Data    int32
	Parts   map[string][]byte // MTOM parts, for signed content holding xop:Include
}

// only returns the one child element of n with that local name: none or
// more than one is an error (a second, unsigned element next to a signed
// one is how signature wrapping works).
func only(d *xmltree.Doc, n int32, local string) (int32, error) {
	found := xmltree.None
	for c := d.Nodes[n].FirstChild; c != xmltree.None; c = d.Nodes[c].Next {
		if d.Nodes[c].Kind != xmltree.Element || string(d.Nodes[c].Local) != local {
			continue
		}
		if found != xmltree.None {
			return xmltree.None, domain.Errorf(domain.EINVALID, "Сообщение СМЭВ отклонено: элемент %s встречается дважды (подделка подписанного сообщения).", local)
		}
		found = c
	}
	if found == xmltree.None {
		return xmltree.None, domain.Errorf(domain.EINVALID, "Сообщение СМЭВ неполно: нет элемента %s.", local)
	}
	return found, nil
}

// messageParts finds, strictly, the message element (Response or Request)
// under its container and the data, metadata and ЭП-СМЭВ around it.
func messageParts(d *xmltree.Doc, container int32, message, data string) (msg, spd, md int32, err error) {
	if msg, err = only(d, container, message); err != nil {
		return
	}
	if _, err = only(d, container, "SMEVSignature"); err != nil {
		return
	}
	if spd, err = only(d, msg, data); err != nil {
		return
	}
	md, err = only(d, msg, "MessageMetadata")
	return
}

// ParseGetResponse reads GetResponseResponse; nil when the queue is empty.
func ParseGetResponse(e *Envelope, parts map[string][]byte) (*Response, error) {
	if e.Name != "GetResponseResponse" {
		return nil, domain.Errorf(domain.EINVALID, "Неожиданный ответ СМЭВ: %s.", e.Name)
	}
	d := e.Doc
	if child(d, e.Op, "ResponseMessage") == xmltree.None {
		return nil, nil
	}
	rm, err := only(d, e.Op, "ResponseMessage")
	if err != nil {
		return nil, err
	}
	resp, spd, md, err := messageParts(d, rm, "Response", "SenderProvidedResponseData")
	if err != nil {
		return malformedResponse(d, rm, err)
	}
	data, err := parseProvided(d, spd, parts)
	if err != nil {
		return nil, err
	}
	if err := attachContents(d, child(d, rm, "AttachmentContentList"), &data, parts); err != nil {
		return nil, err
	}
	r := &Response{OriginalMessageID: text(d, child(d, resp, "OriginalMessageId")), Data: data, Metadata: parseMetadata(d, md), Envelope: d.Src,
		Signed: SignedParts{Doc: d, Message: resp, Data: spd, Parts: parts}}
	if r.Metadata.MessageID == "" {
		r.Metadata.MessageID = data.MessageID
	}
	return r, nil
}

// Request is one message from GetRequest.
type Request struct {
	Data     Incoming
	Metadata Metadata
	ReplyTo  string
	Envelope []byte
	Signed   SignedParts
	// Malformed: see Response.Malformed.
	Malformed error
}

// ParseGetRequest reads GetRequestResponse; nil when the queue is empty.
func ParseGetRequest(e *Envelope, parts map[string][]byte) (*Request, error) {
	if e.Name != "GetRequestResponse" {
		return nil, domain.Errorf(domain.EINVALID, "Неожиданный ответ СМЭВ: %s.", e.Name)
	}
	d := e.Doc
	if child(d, e.Op, "RequestMessage") == xmltree.None {
		return nil, nil
	}
	rm, err := only(d, e.Op, "RequestMessage")
	if err != nil {
		return nil, err
	}
	req, spd, md, err := messageParts(d, rm, "Request", "SenderProvidedRequestData")
	if err != nil {
		return malformedRequest(d, rm, err)
	}
	data, err := parseProvided(d, spd, parts)
	if err != nil {
		return nil, err
	}
	if err := attachContents(d, child(d, rm, "AttachmentContentList"), &data, parts); err != nil {
		return nil, err
	}
	r := &Request{Data: data, Metadata: parseMetadata(d, md), ReplyTo: text(d, child(d, req, "ReplyTo")), Envelope: d.Src,
		Signed: SignedParts{Doc: d, Message: req, Data: spd, Parts: parts}}
	if r.Metadata.MessageID == "" {
		r.Metadata.MessageID = data.MessageID
	}
	return r, nil
}

// Status is one asynchronous status from GetStatus.
type Status struct {
	OriginalMessageID string
	Category          string // InteractionStatusType
	Details           string
	FaultCode         string
	FaultDescription  string
}

// ParseGetStatus reads GetStatusResponse; nil when the queue is empty.
func ParseGetStatus(e *Envelope) (*Status, error) {
	if e.Name != "GetStatusResponse" {
		return nil, domain.Errorf(domain.EINVALID, "Неожиданный ответ СМЭВ: %s.", e.Name)
	}
	d := e.Doc
	st := path(d, e.Op, "SmevAsyncProcessingMessage", "AsyncProcessingStatusData", "AsyncProcessingStatus")
	if st == xmltree.None {
		return nil, nil
	}
	return &Status{
		OriginalMessageID: text(d, child(d, st, "OriginalMessageId")),
		Category:          text(d, child(d, st, "StatusCategory")),
		Details:           text(d, child(d, st, "StatusDetails")),
		FaultCode:         text(d, path(d, st, "SmevFault", "Code")),
		FaultDescription:  text(d, path(d, st, "SmevFault", "Description")),
	}, nil
}

// malformedResponse names a refused answer by what can be read of it
// (the first Response's metadata), so it can be recorded and acknowledged
// as not accepted; without a MessageId it is only an error.
func malformedResponse(d *xmltree.Doc, rm int32, cause error) (*Response, error) {
	resp := child(d, rm, "Response")
	md := parseMetadata(d, child(d, resp, "MessageMetadata"))
	if md.MessageID == "" {
		return nil, cause
	}
	return &Response{OriginalMessageID: text(d, child(d, resp, "OriginalMessageId")), Metadata: md, Envelope: d.Src, Malformed: cause}, nil
}

// malformedRequest is malformedResponse for an incoming request.
func malformedRequest(d *xmltree.Doc, rm int32, cause error) (*Request, error) {
	md := parseMetadata(d, child(d, child(d, rm, "Request"), "MessageMetadata"))
	if md.MessageID == "" {
		return nil, cause
	}
	return &Request{Metadata: md, Envelope: d.Src, Malformed: cause}, nil
}
