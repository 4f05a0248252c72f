// Package transport speaks SMEV 3 (schema 1.3, 1.2 selectable): it builds
// the SOAP 1.1 envelopes of every operation as text, signs them (ЭП-ОВ,
// ЭП-СП) with signer, sends them over mutual TLS with bounded reads and
// timeouts, reads the answers with the strict reader of internal/xmltree,
// maps SMEV faults to what the client does, and keeps a durable outbox in
// the journal (Worker, Poller). training/node is a SMEV 3 node of our own
// for the training mode and the tests.
package transport

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
)

// SOAPNS is the SOAP 1.1 envelope namespace.
const SOAPNS = "http://schemas.xmlsoap.org/soap/envelope/"

// XOPNS is the namespace of xop:Include.
const XOPNS = "http://www.w3.org/2004/08/xop/include"

// Versions of the message-exchange schema.
const (
	V13 = "1.3"
	V12 = "1.2"
)

// NS is the set of namespaces of one schema version.
type NS struct {
	Version, Types, Basic, Faults string
}

// Namespaces returns the namespaces of version v ("1.3" when empty).
func Namespaces(v string) (NS, error) {
	if v == "" {
		v = V13
	}
	if v != V13 && v != V12 {
		return NS{}, domain.Errorf(domain.EUNSUPPORTED, "Версия схем СМЭВ %q не поддерживается (поддерживаются 1.3 и 1.2).", v)
	}
	return namespaces(v), nil
}

// V11 is read (answers in 1.1 are parsed), never written.
const V11 = "1.1"

func namespaces(v string) NS {
	const base = "urn://x-artefacts-smev-gov-ru/services/message-exchange/types/"
	return NS{Version: v, Types: base + v, Basic: base + "basic/" + v, Faults: base + "faults/" + v}
}

// Ids of the signed elements in the envelopes we build.
const (
	IDRequest   = "SIGNED_BY_CALLER"     // SenderProvidedRequestData / SenderProvidedResponseData
	IDSelector  = "SIGNED_BY_CALLER_SEL" // MessageTypeSelector
	IDAck       = "SIGNED_BY_CALLER_ACK" // AckTargetMessage
	IDTimestamp = "SIGNED_BY_CALLER_TS"  // GetStatus Timestamp
	IDPersonal  = "PERSONAL_SIGNATURE"   // the business element under MessagePrimaryContent (ЭП-СП)
)

// NewMessageID returns a time-based (version 1) UUID, as SMEV requires.
func NewMessageID() (string, error) { return NewMessageIDAt(time.Now()) }

// uuidEpoch is 1582-10-15T00:00:00Z in 100 ns intervals before the Unix epoch.
const uuidEpoch = 0x01B21DD213814000

// NewMessageIDAt returns a version 1 UUID for the moment at (SMEV reads
// the moment back and refuses old ones), with a random clock sequence and a
// random node (the multicast bit set, RFC 4122 §4.5: no network card's
// address leaves the workstation).
func NewMessageIDAt(at time.Time) (string, error) {
	var u uuid.UUID
	if _, err := rand.Read(u[8:]); err != nil {
		return "", domain.Wrap(err, domain.EINTERNAL, "transport.NewMessageID", "Не удалось создать идентификатор сообщения.")
	}
	ts := uint64(at.UnixNano()/100) + uuidEpoch
	binary.BigEndian.PutUint32(u[0:4], uint32(ts))
	binary.BigEndian.PutUint16(u[4:6], uint16(ts>>32))
	binary.BigEndian.PutUint16(u[6:8], uint16(ts>>48)&0x0fff|0x1000)
	u[8] = u[8]&0x3f | 0x80 // the RFC 4122 variant
	u[10] |= 0x01           // a random node is marked multicast
	return u.String(), nil
}

// MessageIDTime returns the moment a version 1 UUID was made.
func MessageIDTime(id string) (time.Time, bool) {
	u, err := uuid.Parse(id)
	if err != nil || u.Version() != 1 {
		return time.Time{}, false
	}
	sec, nsec := u.Time().UnixTime()
	return time.Unix(sec, nsec), true
}

// ValidMessageID reports whether id is a lower-case version 1 UUID.
func ValidMessageID(id string) bool {
	u, err := uuid.Parse(id)
	return err == nil && len(id) == 36 && u.Version() == 1 && u.String() == id
}

// Attachment is a file sent with a message: its header is under ЭП-ОВ,
// its bytes travel as an MTOM/XOP part.
type Attachment struct {
	ContentID string // unique in the message; an xs:ID (starts with a letter)
	MimeType  string // e.g. application/pdf
	Content   []byte
	Signature []byte // detached PKCS#7 (CMS SignedData) made with the official's key
}

// RequestSpec is what a SendRequest carries.
type RequestSpec struct {
	MessageID       string
	ReferenceID     string // ReferenceMessageID, the chain root (optional)
	TransactionCode string
	Content         []byte // one business element (templates.Compose)
	Personal        bool   // leave a PersonalSignature for ЭП-СП (the content gets Id=IDPersonal)
	Attachments     []Attachment
	Test            bool // TestMessage: the provider must not change its data
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

// Esc escapes text for element content and attribute values.
func Esc(s string) string { return escaper.Replace(s) }

func head(b *bytes.Buffer, ns NS, op string) {
	b.WriteString(`<soap:Envelope xmlns:soap="` + SOAPNS + `"><soap:Header/><soap:Body><tns:` + op +
		` xmlns:tns="` + ns.Types + `" xmlns:basic="` + ns.Basic + `">`)
}

func tail(b *bytes.Buffer, op string) {
	b.WriteString(`</tns:` + op + `></soap:Body></soap:Envelope>`)
}

// CheckContent is checkContent for the other channels (transport/adapter):
// the business content must be one element with a namespace, without an
// XML declaration; with personal it gets Id=IDPersonal for ЭП-СП.
func CheckContent(content []byte, personal bool) ([]byte, error) {
	return checkContent(content, personal)
}

// checkContent makes sure content is one well-formed element, and returns
// it (with Id=IDPersonal added to the root when personal is set).
func checkContent(content []byte, personal bool) ([]byte, error) {
	d, err := xmltree.ParseLimits(content, xmltree.Limits{MaxBytes: 16 << 20, MaxDepth: 128, MaxAttrs: 128})
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "transport.content", "Содержательная часть запроса не является корректным XML.")
	}
	if len(d.Top) != 1 || len(bytes.TrimSpace(content)) != d.Nodes[d.Root].End-d.Nodes[d.Root].Start {
		return nil, domain.Errorf(domain.EINVALID, "Содержательная часть запроса должна быть одним элементом XML без объявления.")
	}
	content = bytes.TrimSpace(content)
	root := &d.Nodes[d.Root]
	if len(root.URI) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "Корневой элемент содержательной части должен иметь пространство имён вида сведений.")
	}
	if !personal {
		return content, nil
	}
	if v, ok := d.Attr(d.Root, "", "Id"); ok {
		if v != IDPersonal {
			return nil, domain.Errorf(domain.EINVALID, "У корневого элемента уже есть Id=%q.", v)
		}
		return content, nil
	}
	// Insert the Id attribute at the end of the start tag.
	end := root.StartTagEnd - 1
	if root.SelfClosing {
		end--
	}
	out := make([]byte, 0, len(content)+32)
	out = append(out, content[:end]...)
	out = append(out, ` Id="`+IDPersonal+`"`...)
	out = append(out, content[end:]...)
	return out, nil
}

func writeAttachmentHeaders(b *bytes.Buffer, atts []Attachment) {
	if len(atts) == 0 {
		return
	}
	b.WriteString(`<basic:AttachmentHeaderList>`)
	for _, a := range atts {
		b.WriteString(`<basic:AttachmentHeader><basic:contentId>` + Esc(a.ContentID) + `</basic:contentId><basic:MimeType>` +
			Esc(a.MimeType) + `</basic:MimeType>`)
		if len(a.Signature) > 0 {
			b.WriteString(`<basic:SignaturePKCS7>` + base64.StdEncoding.EncodeToString(a.Signature) + `</basic:SignaturePKCS7>`)
		}
		b.WriteString(`</basic:AttachmentHeader>`)
	}
	b.WriteString(`</basic:AttachmentHeaderList>`)
}

// writeAttachmentContents writes the contents as xop:Include references
// (the bytes go into MTOM parts).
func writeAttachmentContents(b *bytes.Buffer, atts []Attachment) {
	if len(atts) == 0 {
		return
	}
	b.WriteString(`<basic:AttachmentContentList>`)
	for _, a := range atts {
		b.WriteString(`<basic:AttachmentContent><basic:Id>` + Esc(a.ContentID) + `</basic:Id><basic:Content><xop:Include xmlns:xop="` +
			XOPNS + `" href="cid:` + Esc(a.ContentID) + `"/></basic:Content></basic:AttachmentContent>`)
	}
	b.WriteString(`</basic:AttachmentContentList>`)
}

func checkAttachments(atts []Attachment, limits Limits) error {
	var total int64
	seen := map[string]bool{}
	for _, a := range atts {
		if !isNCName(a.ContentID) || seen[a.ContentID] {
			return domain.Errorf(domain.EINVALID, "Неверный или повторяющийся идентификатор вложения %q.", a.ContentID)
		}
		seen[a.ContentID] = true
		if !validMime(a.MimeType) {
			return domain.Errorf(domain.EINVALID, "Неверный тип вложения %q.", a.MimeType)
		}
		total += int64(len(a.Content))
	}
	if total > limits.attachments() {
		return domain.Errorf(domain.EINVALID, "Вложения слишком велики: %d байт, допустимо не более %d байт.", total, limits.attachments())
	}
	return nil
}

func isNCName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		letter := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if i == 0 && !letter {
			return false
		}
		if !letter && r != '-' && r != '.' && !(r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func validMime(s string) bool {
	i := strings.IndexByte(s, '/')
	if i < 0 {
		return false
	}
	switch s[:i] {
	case "text", "image", "audio", "video", "application":
	default:
		return false
	}
	for _, r := range s[i+1:] {
		if !(r == '-' || r == '+' || r == '.' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')) {
			return false
		}
	}
	return true
}

// BuildSendRequest returns an unsigned SendRequestRequest envelope with
// empty PersonalSignature (when spec.Personal) and
// CallerInformationSystemSignature containers.
func BuildSendRequest(ns NS, spec RequestSpec, limits Limits) ([]byte, error) {
	if !ValidMessageID(spec.MessageID) {
		return nil, domain.Errorf(domain.EINVALID, "Неверный идентификатор сообщения %q: нужен UUID версии 1.", spec.MessageID)
	}
	if spec.ReferenceID != "" && !ValidMessageID(spec.ReferenceID) {
		return nil, domain.Errorf(domain.EINVALID, "Неверный ReferenceMessageID %q.", spec.ReferenceID)
	}
	content, err := checkContent(spec.Content, spec.Personal)
	if err != nil {
		return nil, err
	}
	if err := checkAttachments(spec.Attachments, limits); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	head(&b, ns, "SendRequestRequest")
	b.WriteString(`<tns:SenderProvidedRequestData Id="` + IDRequest + `"><tns:MessageID>` + spec.MessageID + `</tns:MessageID>`)
	if spec.ReferenceID != "" {
		b.WriteString(`<tns:ReferenceMessageID>` + spec.ReferenceID + `</tns:ReferenceMessageID>`)
	}
	if spec.TransactionCode != "" {
		b.WriteString(`<tns:TransactionCode>` + Esc(spec.TransactionCode) + `</tns:TransactionCode>`)
	}
	b.WriteString(`<basic:MessagePrimaryContent>`)
	b.Write(content)
	b.WriteString(`</basic:MessagePrimaryContent>`)
	if spec.Personal {
		b.WriteString(`<tns:PersonalSignature/>`)
	}
	writeAttachmentHeaders(&b, spec.Attachments)
	if spec.Test {
		b.WriteString(`<tns:TestMessage/>`)
	}
	b.WriteString(`</tns:SenderProvidedRequestData>`)
	writeAttachmentContents(&b, spec.Attachments)
	b.WriteString(`<tns:CallerInformationSystemSignature/>`)
	tail(&b, "SendRequestRequest")
	return b.Bytes(), nil
}

// Reject codes of RequestRejected.
const (
	RejectAccessDenied = "ACCESS_DENIED"
	RejectNoData       = "NO_DATA"
	RejectUnknown      = "UNKNOWN_REQUEST_DESCRIPTION"
	RejectFailure      = "FAILURE"
)

// ResponseSpec is what a SendResponse carries: Content, or a refusal.
type ResponseSpec struct {
	MessageID   string
	To          string // ReplyTo of the request
	Content     []byte // MessagePrimaryContent; empty when rejecting
	Personal    bool
	Attachments []Attachment
	RejectCode  string // ACCESS_DENIED, NO_DATA, UNKNOWN_REQUEST_DESCRIPTION, FAILURE
	RejectText  string
}

// BuildSendResponse returns an unsigned SendResponseRequest envelope.
func BuildSendResponse(ns NS, spec ResponseSpec, limits Limits) ([]byte, error) {
	var b bytes.Buffer
	if err := writeResponseData(&b, ns, spec, limits, "tns"); err != nil {
		return nil, err
	}
	var e bytes.Buffer
	head(&e, ns, "SendResponseRequest")
	e.Write(b.Bytes())
	writeAttachmentContents(&e, spec.Attachments)
	e.WriteString(`<tns:CallerInformationSystemSignature/>`)
	tail(&e, "SendResponseRequest")
	return e.Bytes(), nil
}

// writeResponseData writes SenderProvidedResponseData with Id=IDRequest.
func writeResponseData(b *bytes.Buffer, ns NS, spec ResponseSpec, limits Limits, id string) error {
	if !ValidMessageID(spec.MessageID) {
		return domain.Errorf(domain.EINVALID, "Неверный идентификатор сообщения %q: нужен UUID версии 1.", spec.MessageID)
	}
	if spec.To == "" || len(spec.To) > 4000 {
		return domain.Errorf(domain.EINVALID, "Не указан или слишком длинный адрес ответа (To).")
	}
	b.WriteString(`<tns:SenderProvidedResponseData Id="` + IDRequest + `"><tns:MessageID>` + spec.MessageID + `</tns:MessageID><tns:To>` + Esc(spec.To) + `</tns:To>`)
	if spec.RejectCode != "" {
		switch spec.RejectCode {
		case RejectAccessDenied, RejectNoData, RejectUnknown, RejectFailure:
		default:
			return domain.Errorf(domain.EINVALID, "Неизвестный код отказа %q.", spec.RejectCode)
		}
		if len(spec.Content) > 0 || len(spec.Attachments) > 0 {
			return domain.Errorf(domain.EINVALID, "Отказ не может содержать сведения или вложения.")
		}
		text := spec.RejectText
		if text == "" {
			text = RejectText(spec.RejectCode)
		}
		b.WriteString(`<tns:RequestRejected><tns:RejectionReasonCode>` + spec.RejectCode + `</tns:RejectionReasonCode><tns:RejectionReasonDescription>` +
			Esc(text) + `</tns:RejectionReasonDescription></tns:RequestRejected>`)
	} else {
		content, err := checkContent(spec.Content, spec.Personal)
		if err != nil {
			return err
		}
		if err := checkAttachments(spec.Attachments, limits); err != nil {
			return err
		}
		b.WriteString(`<basic:MessagePrimaryContent>`)
		b.Write(content)
		b.WriteString(`</basic:MessagePrimaryContent>`)
		if spec.Personal {
			b.WriteString(`<tns:PersonalSignature/>`)
		}
		writeAttachmentHeaders(b, spec.Attachments)
	}
	b.WriteString(`</tns:SenderProvidedResponseData>`)
	return nil
}

// RejectText is the Russian description of a reject code.
func RejectText(code string) string {
	switch code {
	case RejectAccessDenied:
		return "Доступ к сведениям запрещён"
	case RejectNoData:
		return "Сведения не найдены"
	case RejectUnknown:
		return "Запрос не распознан"
	case RejectFailure:
		return "Сбой при обработке запроса"
	}
	return code
}

func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

// Selector filters GetResponse / GetRequest by the type of data.
type Selector struct {
	Namespace, Root string // both or neither
	NodeID          string
}

func buildSelector(ns NS, op string, sel Selector, now time.Time) ([]byte, error) {
	if (sel.Namespace == "") != (sel.Root == "") || (sel.Root != "" && !isNCName(sel.Root)) {
		return nil, domain.Errorf(domain.EINVALID, "Фильтр по виду сведений: нужны и пространство имён, и имя корневого элемента.")
	}
	var b bytes.Buffer
	head(&b, ns, op)
	b.WriteString(`<basic:MessageTypeSelector Id="` + IDSelector + `">`)
	if sel.Namespace != "" {
		b.WriteString(`<basic:NamespaceURI>` + Esc(sel.Namespace) + `</basic:NamespaceURI><basic:RootElementLocalName>` + sel.Root + `</basic:RootElementLocalName>`)
	}
	b.WriteString(`<basic:Timestamp>` + timestamp(now) + `</basic:Timestamp>`)
	if sel.NodeID != "" {
		b.WriteString(`<basic:NodeID>` + Esc(sel.NodeID) + `</basic:NodeID>`)
	}
	b.WriteString(`</basic:MessageTypeSelector><tns:CallerInformationSystemSignature/>`)
	tail(&b, op)
	return b.Bytes(), nil
}

// BuildGetResponse returns an unsigned GetResponseRequest.
func BuildGetResponse(ns NS, sel Selector, now time.Time) ([]byte, error) {
	return buildSelector(ns, "GetResponseRequest", sel, now)
}

// BuildGetRequest returns an unsigned GetRequestRequest.
func BuildGetRequest(ns NS, sel Selector, now time.Time) ([]byte, error) {
	return buildSelector(ns, "GetRequestRequest", sel, now)
}

// BuildAck returns an unsigned AckRequest for SMEV's MessageId of a message
// taken by Get*; accepted=false says its ЭП-СМЭВ was rejected.
func BuildAck(ns NS, messageID string, accepted bool) ([]byte, error) {
	if _, err := uuid.Parse(messageID); err != nil || len(messageID) != 36 {
		return nil, domain.Errorf(domain.EINVALID, "Неверный идентификатор подтверждаемого сообщения %q.", messageID)
	}
	acc := "true"
	if !accepted {
		acc = "false"
	}
	var b bytes.Buffer
	head(&b, ns, "AckRequest")
	b.WriteString(`<basic:AckTargetMessage Id="` + IDAck + `" accepted="` + acc + `">` + strings.ToLower(messageID) +
		`</basic:AckTargetMessage><tns:CallerInformationSystemSignature/>`)
	tail(&b, "AckRequest")
	return b.Bytes(), nil
}

// BuildGetStatus returns an unsigned GetStatusRequest.
func BuildGetStatus(ns NS, now time.Time) []byte {
	var b bytes.Buffer
	head(&b, ns, "GetStatusRequest")
	b.WriteString(`<basic:Timestamp Id="` + IDTimestamp + `">` + timestamp(now) + `</basic:Timestamp><tns:CallerInformationSystemSignature/>`)
	tail(&b, "GetStatusRequest")
	return b.Bytes()
}
