package reports

import (
	"context"
	"strconv"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/printing"
	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/store"
)

// ReplyDoc builds the printout of an answer found by a MessageID (the
// answer's own, or that of our request): the request it answers, the data
// under Russian labels, the mark of the electronic signature of the provider
// (the official's ЭП-СП when there is one, else the provider's system's
// ЭП-ОВ, else SMEV's) checked again now, and the attachments.
func ReplyDoc(ctx context.Context, db *store.DB, messageID string, now time.Time, loc *time.Location) (printing.Reply, error) {
	if loc == nil {
		loc = time.Local
	}
	var out printing.Reply
	if messageID == "" {
		return out, domain.Errorf(domain.EINVALID, "Не указан идентификатор сообщения (MessageID).")
	}
	rep, envelope, err := db.ReplyForMessage(ctx, messageID)
	if err != nil {
		return out, err
	}
	req, err := db.Request(ctx, rep.RequestID)
	if err != nil {
		return out, err
	}
	settlement, err := db.Setting(ctx, store.SettingSettlement)
	if err != nil {
		return out, err
	}
	clerk, _ := db.Setting(ctx, store.SettingClerk)
	date := req.SentAt
	if date.IsZero() {
		date = req.CreatedAt
	}
	out.Request = printing.Request{Number: req.Number, Date: date.In(loc), MessageID: req.MessageID, Provider: req.Provider,
		TemplateTitle: req.TemplateTitle, Settlement: settlement, Clerk: clerk}
	if out.Request.Number == "" {
		out.Request.Number = strconv.FormatInt(req.ID, 10)
	}
	out.Received = rep.ReceivedAt.In(loc)
	out.Printed = now.In(loc)
	switch rep.Kind {
	case store.ReplyReject:
		out.Sections = append(out.Sections, printing.Section{Title: "Отказ в предоставлении сведений",
			Fields: []printing.Field{{Label: "Код отказа", Value: rep.RejectCode}}})
	}
	if fields := Readable(rep.Body); len(fields) > 0 {
		out.Sections = append(out.Sections, printing.Section{Title: "Сведения", Fields: fields})
	}
	out.Sections = append(out.Sections, printing.Section{Title: "Сообщение СМЭВ", Fields: []printing.Field{
		{Label: "Идентификатор ответа (MessageID)", Value: rep.MessageID},
		{Label: "Получен", Value: rep.ReceivedAt.In(loc).Format("02.01.2006 15:04")},
	}})
	if mark := signatureMark(envelope, now); mark != nil {
		out.Mark = mark
	}
	for _, f := range rep.Files {
		data, err := db.AttachmentContent(ctx, f.ID)
		if err != nil {
			out.Attachments = append(out.Attachments, printing.Attachment{Name: f.Name, Size: f.Size, SHA256: f.SHA256})
			continue
		}
		out.Attachments = append(out.Attachments, printing.Attachment{Name: f.Name, Data: data})
	}
	return out, nil
}

// signatureMark checks the answer's signatures again and describes the one
// that speaks for the provider.
func signatureMark(envelope []byte, now time.Time) *printing.SignatureMark {
	if len(envelope) == 0 {
		return nil
	}
	results, err := signer.Verify(envelope, &signer.VerifyOptions{Time: now})
	if err != nil {
		return nil
	}
	var best *signer.Result
	rank := map[signer.Kind]int{signer.KindPersonal: 3, signer.KindSystem: 2, signer.KindSMEV: 1}
	for i := range results {
		r := &results[i]
		if r.Certificate == nil || !r.DigestOK || !r.SignatureOK {
			continue
		}
		if best == nil || rank[r.Kind] > rank[best.Kind] {
			best = r
		}
	}
	if best == nil {
		return nil
	}
	c := best.Certificate
	owner := c.Owner
	if c.OGRN != "" {
		owner += ", ОГРН " + c.OGRN
	}
	return &printing.SignatureMark{Serial: c.Serial, Owner: owner, Issuer: c.Issuer, ValidFrom: c.NotBefore, ValidTo: c.NotAfter}
}
