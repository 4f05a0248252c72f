// Package node is a SMEV 3 node of our own for the training mode, the
// demo and the tests: SendRequest, GetResponse, Ack, GetStatus, GetRequest
// and SendResponse over HTTP(S), one queue per participant (by the ЭП-ОВ
// certificate), ЭП-ОВ checked on every call with faults as SMEV sends them,
// simulated providers answering the built-in templates after a delay on a
// clock tests can move, sometimes NO_DATA, a fault or an outage.
package node

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/transport"
)

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
	spd := d.ChildElement(env.Op, env.NS.Types, "SenderProvidedRequestData")
	id := textOf(env, spd, "MessageID")
	now := n.clock.Now()
	if !n.freshID(w, env, id, now) {
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

// freshID checks a request's MessageID: a version 1 UUID, not older than
// StaleAfter; otherwise the fault is written and false returned.
func (n *Node) freshID(w http.ResponseWriter, env *transport.Envelope, id string, now time.Time) bool {
	if !transport.ValidMessageID(id) {
		n.writeFault(w, env.NS, "InvalidMessageIdFormat", "", "MessageID is not a version 1 UUID", false)
		return false
	}
	if t, ok := transport.MessageIDTime(id); ok && now.Sub(t) > n.opts.StaleAfter {
		n.writeFault(w, env.NS, "StaleMessageId", "", "MessageID is too old", false)
		return false
	}
	return true
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
	var found bool
	// What is acknowledged leaves the queue at once (its content with
	// it): the node's memory and each GetResponse's scan stay the size of
	// what waits. Only the delivery count is kept, for Stats.
	who.responses, found = n.drop(who.responses, target)
	if !found {
		who.requests, found = n.drop(who.requests, target)
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

// drop takes the unacknowledged message target out of qs, keeping its
// delivery count.
func (n *Node) drop(qs []*queued, target string) ([]*queued, bool) {
	for i, q := range qs {
		if q.smevID == target && !q.acked {
			q.acked = true
			n.delivered[q.smevID] = q.delivered
			return append(qs[:i:i], qs[i+1:]...), true
		}
	}
	return qs, false
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
