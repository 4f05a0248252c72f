package transport

import (
	"bytes"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/signer/keys"
)

// Prepared is a signed message ready for the outbox.
type Prepared struct {
	MessageID   string
	Envelope    []byte // the signed envelope, or the MTOM body holding it
	ContentType string // "" (text/xml) or multipart/related
}

// PrepareRequest builds and signs a SendRequest: ЭП-СП with personal over
// the business element when spec.Personal (personal may be the same key
// as system in the training mode), then ЭП-ОВ with system over
// SenderProvidedRequestData. A new MessageID is made when spec has none.
func PrepareRequest(ns NS, spec RequestSpec, system, personal keys.Key, limits Limits) (*Prepared, error) {
	if spec.MessageID == "" {
		id, err := NewMessageID()
		if err != nil {
			return nil, err
		}
		spec.MessageID = id
	}
	doc, err := BuildSendRequest(ns, spec, limits)
	if err != nil {
		return nil, err
	}
	return signAndPack(doc, spec.MessageID, spec.Personal, spec.Attachments, system, personal)
}

// PrepareResponse builds and signs a SendResponse (an answer or a refusal).
func PrepareResponse(ns NS, spec ResponseSpec, system, personal keys.Key, limits Limits) (*Prepared, error) {
	if spec.MessageID == "" {
		id, err := NewMessageID()
		if err != nil {
			return nil, err
		}
		spec.MessageID = id
	}
	doc, err := BuildSendResponse(ns, spec, limits)
	if err != nil {
		return nil, err
	}
	return signAndPack(doc, spec.MessageID, spec.Personal && spec.RejectCode == "", spec.Attachments, system, personal)
}

func signAndPack(doc []byte, id string, personal bool, atts []Attachment, system, personalKey keys.Key) (*Prepared, error) {
	var err error
	if system == nil {
		return nil, domain.Errorf(domain.EINVALID, "Не задан ключ ЭП-ОВ.")
	}
	if personal {
		if personalKey == nil {
			return nil, domain.Errorf(domain.EINVALID, "Технологическая карта требует ЭП-СП: нужен ключ должностного лица.")
		}
		if doc, err = signer.Sign(doc, IDPersonal, signer.KindPersonal, personalKey, nil); err != nil {
			return nil, err
		}
	}
	if doc, err = signer.Sign(doc, IDRequest, signer.KindSystem, system, nil); err != nil {
		return nil, err
	}
	body, ct, err := JoinMTOM(doc, atts)
	if err != nil {
		return nil, domain.Wrap(err, domain.EINTERNAL, "transport.prepare", "Не удалось упаковать вложения.")
	}
	return &Prepared{MessageID: id, Envelope: body, ContentType: ct}, nil
}

// Renew gives a signed text/xml envelope a new MessageID for the moment now
// and signs its ЭП-ОВ again (after StaleMessageId); ЭП-СП, over the
// business element only, stays valid.
func Renew(envelope []byte, system keys.Key, now time.Time) (*Prepared, error) {
	d, err := xmltree.Parse(envelope)
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "transport.Renew", "Конверт в очереди повреждён.")
	}
	body := d.ChildElement(d.Root, SOAPNS, "Body")
	op := firstElement(d, body)
	data := child(d, op, "SenderProvidedRequestData")
	if data == xmltree.None {
		data = child(d, op, "SenderProvidedResponseData")
	}
	mid := child(d, data, "MessageID")
	sig := child(d, op, "CallerInformationSystemSignature")
	if mid == xmltree.None || sig == xmltree.None {
		return nil, domain.Errorf(domain.EINVALID, "Конверт в очереди не похож на SendRequest/SendResponse.")
	}
	id, err := NewMessageIDAt(now)
	if err != nil {
		return nil, err
	}
	m, s := &d.Nodes[mid], &d.Nodes[sig]
	out := bytes.Clone(envelope)
	if m.EndTagStart-m.StartTagEnd != len(id) {
		return nil, domain.Errorf(domain.EINVALID, "Неверный MessageID в конверте очереди.")
	}
	copy(out[m.StartTagEnd:m.EndTagStart], id)
	if !s.SelfClosing {
		out = append(out[:s.StartTagEnd:s.StartTagEnd], envelope[s.EndTagStart:]...)
	}
	out, err = signer.Sign(out, IDRequest, signer.KindSystem, system, nil)
	if err != nil {
		return nil, err
	}
	return &Prepared{MessageID: id, Envelope: out}, nil
}

// RenewPacked is Renew for what the outbox holds: a text/xml envelope, or
// an MTOM body whose root part is renewed and whose attachments stay.
func RenewPacked(body []byte, contentType string, system keys.Key, now time.Time) (*Prepared, error) {
	if contentType == "" {
		return Renew(body, system, now)
	}
	xml, _, err := SplitMTOM(contentType, body, Limits{MaxResponse: int64(len(body)) + 1, MaxAttachments: int64(len(body)) + 1})
	if err != nil {
		return nil, err
	}
	p, err := Renew(xml, system, now)
	if err != nil {
		return nil, err
	}
	if p.Envelope, err = replaceRoot(body, contentType, p.Envelope); err != nil {
		return nil, err
	}
	p.ContentType = contentType
	return p, nil
}
