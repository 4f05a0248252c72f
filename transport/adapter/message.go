// Package adapter is the channel «через адаптер СМЭВ региона»: the client
// of the SMEV 3 adapter's integration web service (SOAP 1.1, document
// literal; service SMEVServiceAdapterService, port type
// SMEVServiceAdapterPortType, operations Send, Get and Find) and a
// transport.Channel over it, so that the outbox's Worker and the Poller
// drive it with the same discipline as SMEV 3 directly.
//
// The information system hands the adapter the business content (and the
// official's ЭП-СП); the adapter signs ЭП-ОВ with the body's key, speaks
// SMEV 3 and keeps the queues. Messages are the 2018 edition of the
// adapter's types (namespace NS, faults FaultsNS): ClientMessage with a
// RequestMessage or a ResponseMessage (Send → MessageResult), MessageQuery
// (Get → one QueryResult, taken from the queue) and FindMessageQuery (Find
// → QueryResultList, nothing taken).
package adapter

import (
	"bytes"
	"encoding/base64"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/transport"
)

// Namespaces of the adapter's interface.
const (
	NS       = "urn://x-artefacts-smev-gov-ru/services/service-adapter/types"
	FaultsNS = "urn://x-artefacts-smev-gov-ru/services/service-adapter/types/faults"
	// WSDLNS is the target namespace of the adapter's WSDL.
	WSDLNS = "urn://x-artefacts-smev-gov-ru/services/service-adapter"
	// XSINS is the XML Schema instance namespace (xsi:type of Message).
	XSINS = "http://www.w3.org/2001/XMLSchema-instance"
)

// Names of the adapter's WSDL, for the settings dialog and the docs.
const (
	ServiceName  = "SMEVServiceAdapterService"
	PortTypeName = "SMEVServiceAdapterPortType"
	PortName     = "SMEVServiceAdapterEndpoint"
	// DefaultPath is where adapters publish the service (http://host:7575/ws/…).
	DefaultPath = "/ws/SMEVServiceAdapterService"
)

// The adapter's reject codes (RejectCode of the 2018 edition).
const (
	RejectAccessDenied = "ACCESS_DENIED"
	RejectNoData       = "NO_DATA"
	RejectUnknown      = "UNKNOWN_REQUEST_DESCRIPTION"
)

// Query types of MessageQuery/specificQuery/messageTypeCriteria.
const (
	TypeResponse = "RESPONSE" // answers (and statuses) to our requests
	TypeRequest  = "REQUEST"  // requests to us
)

// Find criteria by client id.
const (
	RequestByRequestID   = "GET_REQUEST_BY_REQUEST_CLIENTID"
	ResponsesByRequestID = "GET_RESPONSE_BY_REQUEST_CLIENTID"
	ResponseByResponseID = "GET_RESPONSE_BY_RESPONSE_CLIENTID"
)

// IDPersonal is the Id the business element gets for ЭП-СП.
const IDPersonal = transport.IDPersonal

// maxString50 is string-50 of the schema (clientId, itSystem, nodeId).
const maxString50 = 50

// FileRef is an attachment as the adapter takes it: a path in the
// adapter's attachment store and the official's detached PKCS#7.
type FileRef struct {
	Path      string
	Signature []byte
}

// RequestSpec is what our request carries to the adapter.
type RequestSpec struct {
	ITSystem string
	ClientID string // our id of the request for its whole life
	NodeID   string
	Content  []byte // one business element
	Personal bool   // leave a PersonalSignature for ЭП-СП (the content gets Id=IDPersonal)
	Files    []FileRef
	Test     bool
}

// ResponseSpec is our answer to a request that came through the adapter.
type ResponseSpec struct {
	ITSystem   string
	ClientID   string // our id of the answer
	ReplyTo    string // the request's clientId (replyToClientId)
	Content    []byte // or a refusal:
	RejectCode string // ACCESS_DENIED, NO_DATA, UNKNOWN_REQUEST_DESCRIPTION
	RejectText string
	Personal   bool
	Files      []FileRef
}

func esc(s string) string { return string(xmltree.AppendText(nil, s)) }

func checkID(what, v string) error {
	if v == "" || len(v) > maxString50 {
		return domain.Errorf(domain.EINVALID, "Адаптер СМЭВ: %s должен быть непустым и не длиннее %d знаков (%q).", what, maxString50, v)
	}
	return nil
}

func checkIDs(it, client string) error {
	if err := checkID("код информационной системы (itSystem)", it); err != nil {
		return err
	}
	return checkID("клиентский идентификатор (clientId)", client)
}

// content writes tns:content: MessagePrimaryContent, an empty
// PersonalSignature to be signed, AttachmentHeaderList.
func content(b *bytes.Buffer, body []byte, personal bool, files []FileRef) error {
	el, err := transport.CheckContent(body, personal)
	if err != nil {
		return err
	}
	b.WriteString(`<tns:content><tns:MessagePrimaryContent>`)
	b.Write(el)
	b.WriteString(`</tns:MessagePrimaryContent>`)
	if personal {
		b.WriteString(`<tns:PersonalSignature/>`)
	}
	if len(files) > 0 {
		b.WriteString(`<tns:AttachmentHeaderList>`)
		for _, f := range files {
			if f.Path == "" {
				return domain.Errorf(domain.EINVALID, "Вложение без пути в хранилище адаптера.")
			}
			b.WriteString(`<tns:AttachmentHeader><tns:filePath>` + esc(f.Path) + `</tns:filePath>`)
			if len(f.Signature) > 0 {
				b.WriteString(`<tns:SignaturePKCS7>` + base64.StdEncoding.EncodeToString(f.Signature) + `</tns:SignaturePKCS7>`)
			}
			b.WriteString(`</tns:AttachmentHeader>`)
		}
		b.WriteString(`</tns:AttachmentHeaderList>`)
	}
	b.WriteString(`</tns:content>`)
	return nil
}

// BuildRequest returns an unsigned ClientMessage with our RequestMessage
// (an empty PersonalSignature when spec.Personal).
func BuildRequest(spec RequestSpec) ([]byte, error) {
	if err := checkIDs(spec.ITSystem, spec.ClientID); err != nil {
		return nil, err
	}
	if len(spec.NodeID) > maxString50 {
		return nil, domain.Errorf(domain.EINVALID, "Адаптер СМЭВ: идентификатор узла длиннее %d знаков.", maxString50)
	}
	var b bytes.Buffer
	b.WriteString(`<tns:ClientMessage xmlns:tns="` + NS + `"><tns:itSystem>` + esc(spec.ITSystem) + `</tns:itSystem><tns:RequestMessage>`)
	b.WriteString(`<tns:RequestMetadata><tns:clientId>` + esc(spec.ClientID) + `</tns:clientId>`)
	if spec.NodeID != "" {
		b.WriteString(`<tns:nodeId>` + esc(spec.NodeID) + `</tns:nodeId>`)
	}
	if spec.Test {
		b.WriteString(`<tns:testMessage>true</tns:testMessage>`)
	}
	b.WriteString(`</tns:RequestMetadata><tns:RequestContent>`)
	if err := content(&b, spec.Content, spec.Personal, spec.Files); err != nil {
		return nil, err
	}
	b.WriteString(`</tns:RequestContent></tns:RequestMessage></tns:ClientMessage>`)
	return b.Bytes(), nil
}

// RejectText is the Russian description of a reject code.
func RejectText(code string) string { return transport.RejectText(code) }

// BuildResponse returns an unsigned ClientMessage with our ResponseMessage:
// the answer's content, or a refusal (rejects).
func BuildResponse(spec ResponseSpec) ([]byte, error) {
	if err := checkIDs(spec.ITSystem, spec.ClientID); err != nil {
		return nil, err
	}
	if err := checkID("адрес ответа (replyToClientId)", spec.ReplyTo); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`<tns:ClientMessage xmlns:tns="` + NS + `"><tns:itSystem>` + esc(spec.ITSystem) + `</tns:itSystem><tns:ResponseMessage>`)
	b.WriteString(`<tns:ResponseMetadata><tns:clientId>` + esc(spec.ClientID) + `</tns:clientId><tns:replyToClientId>` + esc(spec.ReplyTo) +
		`</tns:replyToClientId></tns:ResponseMetadata><tns:ResponseContent>`)
	if spec.RejectCode != "" {
		switch spec.RejectCode {
		case RejectAccessDenied, RejectNoData, RejectUnknown:
		default:
			return nil, domain.Errorf(domain.EINVALID, "Адаптер СМЭВ не принимает код отказа %q (допустимы ACCESS_DENIED, NO_DATA, UNKNOWN_REQUEST_DESCRIPTION).", spec.RejectCode)
		}
		if len(spec.Content) > 0 || len(spec.Files) > 0 {
			return nil, domain.Errorf(domain.EINVALID, "Отказ не может содержать сведения или вложения.")
		}
		text := spec.RejectText
		if text == "" {
			text = RejectText(spec.RejectCode)
		}
		if len([]rune(text)) > 4000 {
			return nil, domain.Errorf(domain.EINVALID, "Причина отказа длиннее 4000 знаков.")
		}
		b.WriteString(`<tns:rejects><tns:code>` + spec.RejectCode + `</tns:code><tns:description>` + esc(text) + `</tns:description></tns:rejects>`)
	} else if err := content(&b, spec.Content, spec.Personal, spec.Files); err != nil {
		return nil, err
	}
	b.WriteString(`</tns:ResponseContent></tns:ResponseMessage></tns:ClientMessage>`)
	return b.Bytes(), nil
}

// Query is a Get: the next message of the queue of our information
// system, of one type when Type is set.
type Query struct {
	ITSystem, NodeID string
	Type             string // "", TypeResponse, TypeRequest
}

// BuildGet returns a MessageQuery.
func BuildGet(q Query) ([]byte, error) {
	if err := checkID("код информационной системы (itSystem)", q.ITSystem); err != nil {
		return nil, err
	}
	if len(q.NodeID) > maxString50 || (q.Type != "" && q.Type != TypeRequest && q.Type != TypeResponse) {
		return nil, domain.Errorf(domain.EINVALID, "Адаптер СМЭВ: неверный запрос сообщения (узел %q, тип %q).", q.NodeID, q.Type)
	}
	var b bytes.Buffer
	b.WriteString(`<tns:MessageQuery xmlns:tns="` + NS + `"><tns:itSystem>` + esc(q.ITSystem) + `</tns:itSystem>`)
	if q.NodeID != "" {
		b.WriteString(`<tns:nodeId>` + esc(q.NodeID) + `</tns:nodeId>`)
	}
	if q.Type != "" {
		b.WriteString(`<tns:specificQuery><tns:messageTypeCriteria>` + q.Type + `</tns:messageTypeCriteria></tns:specificQuery>`)
	}
	b.WriteString(`</tns:MessageQuery>`)
	return b.Bytes(), nil
}

// Search is a Find: by a client id (ClientID and Criteria), or by a
// period (From, and To when not zero).
type Search struct {
	ITSystem string
	ClientID string
	Criteria string // RequestByRequestID, ResponsesByRequestID, ResponseByResponseID
	From, To time.Time
}

func dateTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// BuildFind returns a FindMessageQuery.
func BuildFind(s Search) ([]byte, error) {
	if err := checkID("код информационной системы (itSystem)", s.ITSystem); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`<tns:FindMessageQuery xmlns:tns="` + NS + `"><tns:itSystem>` + esc(s.ITSystem) + `</tns:itSystem><tns:specificQuery>`)
	switch {
	case s.ClientID != "":
		if err := checkID("клиентский идентификатор (clientId)", s.ClientID); err != nil {
			return nil, err
		}
		switch s.Criteria {
		case RequestByRequestID, ResponsesByRequestID, ResponseByResponseID:
		default:
			return nil, domain.Errorf(domain.EINVALID, "Адаптер СМЭВ: неизвестный критерий поиска %q.", s.Criteria)
		}
		b.WriteString(`<tns:messageClientIdCriteria><tns:clientId>` + esc(s.ClientID) + `</tns:clientId><tns:clientIdCriteria>` + s.Criteria +
			`</tns:clientIdCriteria></tns:messageClientIdCriteria>`)
	case !s.From.IsZero():
		b.WriteString(`<tns:messagePeriodCriteria><tns:from>` + dateTime(s.From) + `</tns:from>`)
		if !s.To.IsZero() {
			b.WriteString(`<tns:to>` + dateTime(s.To) + `</tns:to>`)
		}
		b.WriteString(`</tns:messagePeriodCriteria>`)
	default:
		return nil, domain.Errorf(domain.EINVALID, "Адаптер СМЭВ: поиск без идентификатора и без периода.")
	}
	b.WriteString(`</tns:specificQuery></tns:FindMessageQuery>`)
	return b.Bytes(), nil
}

// Wrap puts a message into a SOAP 1.1 envelope.
func Wrap(el []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(el) + 128)
	b.WriteString(`<soap:Envelope xmlns:soap="` + transport.SOAPNS + `"><soap:Body>`)
	b.Write(el)
	b.WriteString(`</soap:Body></soap:Envelope>`)
	return b.Bytes()
}
