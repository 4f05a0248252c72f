package adapter

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/transport"
	ad "github.com/mezhved/mezhved/transport/adapter"
)

// outgoing is what the information system's ClientMessage carries.
type outgoing struct {
	clientID, replyTo string
	content, personal []byte // the business element; its ЭП-СП (ds:Signature) when given
	files             []transport.Attachment
	rejectCode        string
	rejectText        string
	test              bool
	inner             []byte // the RequestMessage / ResponseMessage children, for the history
	innerDecls        string
}

// send answers a ClientMessage: the message goes to SMEV with our ЭП-ОВ,
// the same SMEV MessageID for every retry of its clientId; a clientId the
// adapter already forwarded is answered again as it was (not sent twice).
func (a *Adapter) send(ctx context.Context, d *xmltree.Doc, el int32, itSystem string) ([]byte, error) {
	msg := d.ChildElement(el, ad.NS, "RequestMessage")
	isReq := msg != xmltree.None
	if !isReq {
		msg = d.ChildElement(el, ad.NS, "ResponseMessage")
	}
	o, err := a.readOutgoing(d, msg, isReq)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	s, known := a.sent[o.clientID]
	if known && s.accepted {
		a.stats.Duplicates[o.clientID]++
		a.mu.Unlock()
		return messageResult(itSystem, s.smevID), nil
	}
	if !known {
		id, err := transport.NewMessageID()
		if err != nil {
			a.mu.Unlock()
			return nil, err
		}
		s = &sent{smevID: id}
		a.sent[o.clientID] = s
	}
	if isReq {
		// Known before it goes: SMEV may answer before forward returns.
		a.bySMEV[s.smevID] = o.clientID
	}
	to := ""
	if !isReq {
		to = a.incoming[o.replyTo]
	}
	a.mu.Unlock()
	if !isReq && to == "" {
		return nil, validationFault("REPLY_TO", "Запрос с клиентским идентификатором %s адаптеру неизвестен: ответить на него нельзя.", o.replyTo)
	}
	if err := a.forward(ctx, s.smevID, to, o); err != nil {
		return nil, err
	}
	kind := ad.KindRequest
	if !isReq {
		kind = ad.KindResponse
	}
	a.mu.Lock()
	s.accepted = true
	a.stats.Forwarded[o.clientID]++
	a.mu.Unlock()
	a.record(&entry{kind: kind, ours: true, clientID: o.clientID, relation: o.replyTo, at: a.opts.Now(),
		result: queryResult(smevMD{messageID: s.smevID}, kind, "", o.innerDecls, func(b *bytes.Buffer) { b.Write(o.inner) })})
	return messageResult(itSystem, s.smevID), nil
}

// readOutgoing reads a RequestMessage or ResponseMessage (valid against
// the schema already) and the files it names.
func (a *Adapter) readOutgoing(d *xmltree.Doc, msg int32, isReq bool) (*outgoing, error) {
	o := &outgoing{}
	n := &d.Nodes[msg]
	o.inner, o.innerDecls = d.Src[n.StartTagEnd:n.EndTagStart], decls(d, msg)
	if isReq {
		md := childPath(d, msg, "RequestMetadata")
		o.clientID = text(d, md, "clientId")
		o.test = text(d, md, "testMessage") == "true" || text(d, md, "testMessage") == "1"
	} else {
		md := childPath(d, msg, "ResponseMetadata")
		o.clientID, o.replyTo = text(d, md, "clientId"), text(d, md, "replyToClientId")
	}
	rc := childPath(d, msg, "RequestContent")
	if !isReq {
		rc = childPath(d, msg, "ResponseContent")
	}
	if rj := d.ChildElement(rc, ad.NS, "rejects"); rj != xmltree.None {
		o.rejectCode, o.rejectText = text(d, rj, "code"), text(d, rj, "description")
		return o, nil
	}
	if d.ChildElement(rc, ad.NS, "status") != xmltree.None {
		return nil, validationFault("STATUS", "Учебный адаптер не пересылает бизнес-статусы.")
	}
	c := d.ChildElement(rc, ad.NS, "content")
	mpc := d.ChildElement(c, ad.NS, "MessagePrimaryContent")
	o.content = transport.Standalone(d, d.ChildElements(mpc)[0])
	if ps := d.ChildElement(c, ad.NS, "PersonalSignature"); ps != xmltree.None {
		o.personal = transport.Standalone(d, d.ChildElements(ps)[0])
	}
	hl := d.ChildElement(c, ad.NS, "AttachmentHeaderList")
	if hl == xmltree.None {
		return o, nil
	}
	for _, h := range d.ChildElements(hl) {
		f, err := a.readFile(text(d, h, "filePath"))
		if err != nil {
			return nil, err
		}
		f.Signature = decodeB64(text(d, h, "SignaturePKCS7"))
		o.files = append(o.files, f)
	}
	return o, nil
}

func text(d *xmltree.Doc, n int32, local string) string {
	if n == xmltree.None {
		return ""
	}
	c := d.ChildElement(n, ad.NS, local)
	if c == xmltree.None {
		return ""
	}
	return strings.TrimSpace(d.Text(c))
}

// readFile reads a file of the store by the path the message names.
func (a *Adapter) readFile(p string) (transport.Attachment, error) {
	fs := &ad.Files{Dir: a.opts.FilesDir}
	b, err := fs.Read(p)
	if err != nil {
		return transport.Attachment{}, validationFault("FILE", "Вложение %s не прочитано: %v", p, err)
	}
	base := path.Base(strings.ReplaceAll(p, `\`, "/"))
	id := strings.TrimSuffix(base, path.Ext(base))
	return transport.Attachment{ContentID: id, MimeType: mimeByExt[strings.ToLower(path.Ext(base))], Content: b}, nil
}

var mimeByExt = map[string]string{".pdf": "application/pdf", ".xml": "application/xml", ".jpg": "image/jpeg", ".png": "image/png", "": "application/octet-stream"}

// writeFile puts a received file into the store under the message's
// clientId and returns its path as the adapter names it.
func (a *Adapter) writeFile(clientID string, at transport.AttachmentIn) (string, error) {
	if a.opts.FilesDir == "" {
		return "", errors.New("the training adapter has no file store")
	}
	ext := ""
	for e, m := range mimeByExt {
		if m == at.MimeType && e != "" {
			ext = e
		}
	}
	dir := filepath.Join(a.opts.FilesDir, "in", clientID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, at.ContentID+ext), at.Content, 0o600); err != nil {
		return "", err
	}
	return "in/" + clientID + "/" + at.ContentID + ext, nil
}

// forward sends the message to SMEV: the envelope built around the
// content, the official's ЭП-СП put in as it came, our ЭП-ОВ over it.
func (a *Adapter) forward(ctx context.Context, smevID, to string, o *outgoing) error {
	ns := a.smev.NS()
	lim := transport.Limits{}
	var doc []byte
	var err error
	op := "SendRequest"
	if to == "" {
		doc, err = transport.BuildSendRequest(ns, transport.RequestSpec{MessageID: smevID, Content: o.content, Personal: len(o.personal) > 0,
			Attachments: o.files, Test: o.test}, lim)
	} else {
		op = "SendResponse"
		doc, err = transport.BuildSendResponse(ns, transport.ResponseSpec{MessageID: smevID, To: to, Content: o.content,
			Personal: len(o.personal) > 0, Attachments: o.files, RejectCode: o.rejectCode, RejectText: o.rejectText}, lim)
	}
	if err != nil {
		return validationFault("CONTENT", "%v", err)
	}
	if len(o.personal) > 0 {
		if doc, err = signer.InsertNamed(doc, "PersonalSignature", o.personal); err != nil {
			return validationFault("SIGNATURE", "ЭП-СП не вставлена: %v", err)
		}
	}
	if doc, err = signer.Sign(doc, transport.IDRequest, signer.KindSystem, a.smev.Key(), nil); err != nil {
		return systemFault("ЭП-ОВ не поставлена: %v", err)
	}
	body, ct, err := transport.JoinMTOM(doc, o.files)
	if err != nil {
		return systemFault("%v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err = a.smev.SendSigned(ctx, op, body, ct)
	var f *transport.Fault
	switch {
	case err == nil:
		return nil
	case errors.As(err, &f):
		switch transport.Classify(f).Action {
		case transport.ActDone:
			return nil
		case transport.ActRetry:
			return systemFault("СМЭВ: %s", transport.Classify(f).Ru)
		}
		return validationFault(f.Name, "СМЭВ отклонил сообщение: %s", transport.Classify(f).Ru)
	}
	return systemFault("нет связи со СМЭВ: %v", err)
}
