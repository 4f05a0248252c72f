package node

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/transport"
)

// Ids of the elements the node signs.
const (
	idSMEV     = "SIGNED_BY_SMEV"
	idProvider = "SIGNED_BY_PROVIDER"
	idSender   = "SIGNED_BY_SENDER"
)

func ts(t time.Time) string { return t.In(transport.Moscow).Format("2006-01-02T15:04:05.000-07:00") }

func open(b *bytes.Buffer, ns transport.NS, op string) {
	b.WriteString(`<soap:Envelope xmlns:soap="` + transport.SOAPNS + `"><soap:Body><tns:` + op +
		` xmlns:tns="` + ns.Types + `" xmlns:basic="` + ns.Basic + `">`)
}

func closeEnv(b *bytes.Buffer, op string) {
	b.WriteString(`</tns:` + op + `></soap:Body></soap:Envelope>`)
}

// metadata is MessageMetadata as SMEV fills it.
type metadata struct {
	ID, Type                 string
	Sender, SenderName       string
	Recipient, RecipientName string
	Sending, Delivery        time.Time
	Status                   string
}

func writeMetadata(b *bytes.Buffer, m metadata, id string) {
	b.WriteString(`<tns:MessageMetadata`)
	if id != "" {
		b.WriteString(` Id="` + id + `"`)
	}
	b.WriteString(`><tns:MessageId>` + m.ID + `</tns:MessageId><tns:MessageType>` + m.Type + `</tns:MessageType>`)
	if m.Sender != "" {
		b.WriteString(`<tns:Sender><tns:Mnemonic>` + transport.Esc(m.Sender) + `</tns:Mnemonic><tns:HumanReadableName>` +
			transport.Esc(m.SenderName) + `</tns:HumanReadableName></tns:Sender>`)
	}
	b.WriteString(`<tns:SendingTimestamp>` + ts(m.Sending) + `</tns:SendingTimestamp>`)
	if m.Recipient != "" {
		b.WriteString(`<tns:Recipient><tns:Mnemonic>` + transport.Esc(m.Recipient) + `</tns:Mnemonic><tns:HumanReadableName>` +
			transport.Esc(m.RecipientName) + `</tns:HumanReadableName></tns:Recipient>`)
	}
	if !m.Delivery.IsZero() {
		b.WriteString(`<tns:DeliveryTimestamp>` + ts(m.Delivery) + `</tns:DeliveryTimestamp>`)
	}
	if m.Status != "" {
		b.WriteString(`<tns:Status>` + m.Status + `</tns:Status>`)
	}
	b.WriteString(`</tns:MessageMetadata>`)
}

// signInto signs the element with Id=id and puts the signature into the
// only element named container.
func signInto(doc []byte, id, container string, key keys.Key) ([]byte, error) {
	d, err := xmltree.Parse(doc)
	if err != nil {
		return nil, err
	}
	c := xmltree.None
	for i := range d.Nodes {
		if d.Nodes[i].Kind == xmltree.Element && string(d.Nodes[i].Local) == container {
			if c != xmltree.None {
				return nil, fmt.Errorf("node: two %s elements", container)
			}
			c = int32(i)
		}
	}
	if c == xmltree.None {
		return nil, fmt.Errorf("node: no %s element", container)
	}
	sig, err := signer.SignatureForDoc(d, id, key, nil)
	if err != nil {
		return nil, err
	}
	return signer.Insert(d, c, sig)
}

// sendResult builds a signed SendRequestResponse / SendResponseResponse.
func (n *Node) sendResult(ns transport.NS, op string, m metadata) ([]byte, error) {
	var b bytes.Buffer
	open(&b, ns, op)
	writeMetadata(&b, m, idSMEV)
	b.WriteString(`<tns:SMEVSignature/>`)
	closeEnv(&b, op)
	return signInto(b.Bytes(), idSMEV, "SMEVSignature", n.key)
}

// faultEnvelope builds a SOAP fault with the SMEV fault detail.
func faultEnvelope(ns transport.NS, name, sigCode, text string, server bool) []byte {
	code := "soap:Client"
	if server {
		code = "soap:Server"
	}
	var b bytes.Buffer
	b.WriteString(`<soap:Envelope xmlns:soap="` + transport.SOAPNS + `"><soap:Body><soap:Fault><faultcode>` + code +
		`</faultcode><faultstring>` + transport.Esc(text) + `</faultstring><detail><f:` + name + ` xmlns:f="` + ns.Faults +
		`" xmlns:basic="` + ns.Basic + `">`)
	switch name {
	case "SignatureVerificationFault":
		b.WriteString(`<basic:Code>` + sigCode + `</basic:Code><basic:Description>` + transport.Esc(text) +
			`</basic:Description><f:SignatureVerificationFault>` + sigCode + `</f:SignatureVerificationFault>`)
	case "BusinessDataTypeIsNotSupported":
		b.WriteString(`<basic:Description>` + transport.Esc(text) + `</basic:Description><f:RootElementLocalName>` +
			transport.Esc(sigCode) + `</f:RootElementLocalName><f:RootElementNamespaceURI>unknown</f:RootElementNamespaceURI>`)
	case "DestinationOverflow":
		b.WriteString(`<basic:Description>` + transport.Esc(text) + `</basic:Description><f:MessageBrokerAddress>node</f:MessageBrokerAddress><f:DestinationName>queue</f:DestinationName>`)
	case "InvalidContent":
		b.WriteString(`<basic:Description>` + transport.Esc(text) + `</basic:Description><f:ValidationError errorPosition="0">` + transport.Esc(text) + `</f:ValidationError>`)
	case "AttachmentSizeLimitExceeded":
		b.WriteString(`<f:PermittedTotalAttachmentSize>0</f:PermittedTotalAttachmentSize><f:RealTotalAttachmentSize>0</f:RealTotalAttachmentSize>`)
	case "QuoteLimitExceeded":
		b.WriteString(`<f:RemainedTotalQuoteSize>0</f:RemainedTotalQuoteSize><f:RealTotalAttachmentSize>0</f:RealTotalAttachmentSize>`)
	case "EndOfLifeReached", "PersonalAccessDenied", "TransactionCodeInvalid":
		b.WriteString(`<basic:Description>` + transport.Esc(text) + `</basic:Description>`)
	}
	b.WriteString(`</f:` + name + `></detail></soap:Fault></soap:Body></soap:Envelope>`)
	return b.Bytes()
}

// responseData is SenderProvidedResponseData as a provider writes it.
type responseData struct {
	MessageID, To string
	Content       []byte
	RejectCode    string
	RejectText    string
	Attachments   []transport.Attachment
}

func writeResponseData(b *bytes.Buffer, r responseData) {
	b.WriteString(`<tns:SenderProvidedResponseData Id="` + idProvider + `"><tns:MessageID>` + r.MessageID + `</tns:MessageID><tns:To>` + transport.Esc(r.To) + `</tns:To>`)
	if r.RejectCode != "" {
		b.WriteString(`<tns:RequestRejected><tns:RejectionReasonCode>` + r.RejectCode + `</tns:RejectionReasonCode><tns:RejectionReasonDescription>` +
			transport.Esc(r.RejectText) + `</tns:RejectionReasonDescription></tns:RequestRejected>`)
	} else {
		b.WriteString(`<basic:MessagePrimaryContent>`)
		b.Write(r.Content)
		b.WriteString(`</basic:MessagePrimaryContent>`)
		if len(r.Attachments) > 0 {
			b.WriteString(`<basic:AttachmentHeaderList>`)
			for _, a := range r.Attachments {
				b.WriteString(`<basic:AttachmentHeader><basic:contentId>` + a.ContentID + `</basic:contentId><basic:MimeType>` + a.MimeType + `</basic:MimeType>`)
				if len(a.Signature) > 0 {
					b.WriteString(`<basic:SignaturePKCS7>` + b64(a.Signature) + `</basic:SignaturePKCS7>`)
				}
				b.WriteString(`</basic:AttachmentHeader>`)
			}
			b.WriteString(`</basic:AttachmentHeaderList>`)
		}
	}
	b.WriteString(`</tns:SenderProvidedResponseData>`)
}

func writeContents(b *bytes.Buffer, atts []transport.Attachment) {
	if len(atts) == 0 {
		return
	}
	b.WriteString(`<basic:AttachmentContentList>`)
	for _, a := range atts {
		b.WriteString(`<basic:AttachmentContent><basic:Id>` + a.ContentID + `</basic:Id><basic:Content><xop:Include xmlns:xop="` +
			transport.XOPNS + `" href="cid:` + a.ContentID + `"/></basic:Content></basic:AttachmentContent>`)
	}
	b.WriteString(`</basic:AttachmentContentList>`)
}

// getResponseEnvelope builds a signed GetResponseResponse carrying one
// answer: the provider's ЭП-ОВ over SenderProvidedResponseData, then
// ЭП-СМЭВ over Response. It returns the HTTP body and its content type.
func (n *Node) getResponseEnvelope(ns transport.NS, original string, r responseData, m metadata, provider keys.Key) ([]byte, string, error) {
	var b bytes.Buffer
	open(&b, ns, "GetResponseResponse")
	b.WriteString(`<tns:ResponseMessage><tns:Response Id="` + idSMEV + `"><tns:OriginalMessageId>` + original + `</tns:OriginalMessageId>`)
	writeResponseData(&b, r)
	writeMetadata(&b, m, "")
	b.WriteString(`<tns:SenderInformationSystemSignature/></tns:Response>`)
	writeContents(&b, r.Attachments)
	b.WriteString(`<tns:SMEVSignature/></tns:ResponseMessage>`)
	closeEnv(&b, "GetResponseResponse")
	doc, err := signInto(b.Bytes(), idProvider, "SenderInformationSystemSignature", provider)
	if err != nil {
		return nil, "", err
	}
	if doc, err = signInto(doc, idSMEV, "SMEVSignature", n.key); err != nil {
		return nil, "", err
	}
	body, ct, err := transport.JoinMTOM(doc, r.Attachments)
	return body, ct, err
}

// getRequestEnvelope builds a signed GetRequestResponse with a request of
// another authority for the settlement.
func (n *Node) getRequestEnvelope(ns transport.NS, messageID string, content []byte, m metadata, replyTo string, sender keys.Key) ([]byte, error) {
	var b bytes.Buffer
	open(&b, ns, "GetRequestResponse")
	b.WriteString(`<tns:RequestMessage><tns:Request Id="` + idSMEV + `"><tns:SenderProvidedRequestData Id="` + idSender + `"><tns:MessageID>` +
		messageID + `</tns:MessageID><basic:MessagePrimaryContent>`)
	b.Write(content)
	b.WriteString(`</basic:MessagePrimaryContent></tns:SenderProvidedRequestData>`)
	writeMetadata(&b, m, "")
	b.WriteString(`<tns:ReplyTo>` + transport.Esc(replyTo) + `</tns:ReplyTo><tns:SenderInformationSystemSignature/></tns:Request><tns:SMEVSignature/></tns:RequestMessage>`)
	closeEnv(&b, "GetRequestResponse")
	doc, err := signInto(b.Bytes(), idSender, "SenderInformationSystemSignature", sender)
	if err != nil {
		return nil, err
	}
	return signInto(doc, idSMEV, "SMEVSignature", n.key)
}

// statusEnvelope builds a signed GetStatusResponse.
func (n *Node) statusEnvelope(ns transport.NS, s *statusMsg) ([]byte, error) {
	var b bytes.Buffer
	open(&b, ns, "GetStatusResponse")
	b.WriteString(`<tns:SmevAsyncProcessingMessage><tns:AsyncProcessingStatusData Id="` + idSMEV + `"><tns:AsyncProcessingStatus><tns:OriginalMessageId>` +
		s.original + `</tns:OriginalMessageId><tns:StatusCategory>` + s.category + `</tns:StatusCategory>`)
	if s.details != "" {
		b.WriteString(`<tns:StatusDetails>` + transport.Esc(s.details) + `</tns:StatusDetails>`)
	}
	if s.faultCode != "" {
		b.WriteString(`<tns:SmevFault><basic:Code>` + transport.Esc(s.faultCode) + `</basic:Code><basic:Description>` + transport.Esc(s.faultText) + `</basic:Description></tns:SmevFault>`)
	}
	b.WriteString(`</tns:AsyncProcessingStatus></tns:AsyncProcessingStatusData><tns:SMEVSignature/></tns:SmevAsyncProcessingMessage>`)
	closeEnv(&b, "GetStatusResponse")
	return signInto(b.Bytes(), idSMEV, "SMEVSignature", n.key)
}

func emptyResult(ns transport.NS, op string) []byte {
	var b bytes.Buffer
	b.WriteString(`<soap:Envelope xmlns:soap="` + transport.SOAPNS + `"><soap:Body><tns:` + op + ` xmlns:tns="` + ns.Types + `"/></soap:Body></soap:Envelope>`)
	return b.Bytes()
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
