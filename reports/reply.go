package reports

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/printing"
	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
)

// ReplyDoc builds the printout of an answer found by a MessageID (the
// answer's own, or that of our request): the request it answers, the data
// under Russian labels, the mark of the electronic signature of the provider
// (the official's ЭП-СП when there is one, else the provider's system's
// ЭП-ОВ, else SMEV's) and the attachments. The mark is printed only for a
// signature «действительна»: its mathematics is checked again on the stored
// envelope, as at the moment the answer arrived, and its chain verdict is
// the one the journal recorded then (chain, revocation), so a reprint next
// year judges it as it was. Otherwise the printout says that the signature
// was not confirmed, and why.
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
	return out, fillReply(ctx, db, &out, rep, envelope, loc)
}

// fillReply writes the answer's own part: its data, how it came (or went),
// its signature mark and its files.
func fillReply(ctx context.Context, db *store.DB, out *printing.Reply, rep *store.Reply, envelope []byte, loc *time.Location) error {
	out.Ours = rep.Ours
	if rep.Channel != "" && rep.Channel != domain.ChannelSMEV {
		out.Paper = PaperLine(rep)
	}
	switch rep.Kind {
	case store.ReplyReject:
		fields := []printing.Field{{Label: "Причина отказа", Value: domain.RejectTitle(rep.RejectCode)}}
		if rep.Text != "" {
			fields = append(fields, printing.Field{Label: "Пояснение", Value: rep.Text})
		}
		out.Sections = append(out.Sections, printing.Section{Title: "Отказ в предоставлении сведений", Fields: fields})
	case store.ReplyResponse:
		if out.Paper != "" {
			fields := []printing.Field{{Label: "Ответ", Value: out.Paper}}
			if rep.Text != "" {
				fields = append(fields, printing.Field{Label: "Содержание", Value: rep.Text})
			}
			out.Sections = append(out.Sections, printing.Section{Title: "Ответ на бумаге", Fields: fields})
		}
	}
	if secs := templates.Describe(rep.Body); secs != nil { // a published kind of data: its schema's sections
		for _, s := range secs {
			sec := printing.Section{Title: s.Title, Columns: s.Columns, Rows: s.Rows}
			for _, f := range s.Fields {
				sec.Fields = append(sec.Fields, printing.Field{Label: f.Label, Value: f.Value})
			}
			out.Sections = append(out.Sections, sec)
		}
	} else if fields := Readable(rep.Body); len(fields) > 0 {
		out.Sections = append(out.Sections, printing.Section{Title: "Сведения", Fields: fields})
	}
	switch {
	case out.Paper != "":
	case rep.Ours:
		env, at, err := db.OutboxEnvelope(ctx, rep.MessageID)
		if err != nil {
			return err
		}
		out.Sections = append(out.Sections, printing.Section{Title: "Сообщение СМЭВ", Fields: []printing.Field{
			{Label: "Идентификатор ответа (MessageID)", Value: rep.MessageID},
			{Label: "Подписан", Value: at.In(loc).Format("02.01.2006 15:04")},
		}})
		out.Mark, out.Unconfirmed = ownMark(env, at)
	default:
		out.Sections = append(out.Sections, printing.Section{Title: "Сообщение СМЭВ", Fields: []printing.Field{
			{Label: "Идентификатор ответа (MessageID)", Value: rep.MessageID},
			{Label: "Получен", Value: rep.ReceivedAt.In(loc).Format("02.01.2006 15:04")},
		}})
		out.Mark, out.Unconfirmed = signatureMark(envelope, rep.ReceivedAt, rep.Signatures)
	}
	for _, f := range rep.Files {
		data, err := db.AttachmentContent(ctx, f.ID)
		if err != nil {
			out.Attachments = append(out.Attachments, printing.Attachment{Name: f.Name, Size: f.Size, SHA256: f.SHA256})
			continue
		}
		out.Attachments = append(out.Attachments, printing.Attachment{Name: f.Name, Data: data})
	}
	return nil
}

// signatureMark checks the answer's signatures again at the moment it was
// received and describes the one that speaks for the provider; when that
// one is not «действительна» it says why instead (no mark).
func signatureMark(envelope []byte, received time.Time, storedJSON string) (*printing.SignatureMark, string) {
	if len(envelope) == 0 {
		return nil, ""
	}
	results, err := signer.Verify(envelope, &signer.VerifyOptions{Time: received})
	if err != nil {
		return nil, "документ ответа не читается: " + domain.ErrorMessage(err)
	}
	var best *signer.Result
	rank := map[signer.Kind]int{signer.KindPersonal: 3, signer.KindSystem: 2, signer.KindSMEV: 1}
	for i := range results {
		r := &results[i]
		if rank[r.Kind] == 0 || r.Certificate == nil {
			continue
		}
		if best == nil || rank[r.Kind] > rank[best.Kind] {
			best = r
		}
	}
	if best == nil {
		return nil, "в ответе нет подписи поставщика"
	}
	if !best.Valid() {
		return nil, string(best.Kind) + " недействительна: " + problemsRu(best) + "."
	}
	if ok, why := storedVerdict(storedJSON, best); !ok {
		return nil, string(best.Kind) + " " + why + "."
	}
	c := best.Certificate
	owner := c.Owner
	if c.OGRN != "" {
		owner += ", ОГРН " + c.OGRN
	}
	return &printing.SignatureMark{Serial: c.Serial, Owner: owner, Issuer: c.Issuer, ValidFrom: c.NotBefore, ValidTo: c.NotAfter}, ""
}

// ownMark is the mark of our own answer: the signature that speaks for the
// settlement (the official's ЭП-СП, else the system's ЭП-ОВ), checked again
// on the envelope committed to the outbox at the moment it was signed. Its
// mathematics must hold and its certificate must have been in force then;
// the key is the settlement's own, checked when it was opened, so no
// stored verdict on its chain is asked for (the window shows the chain's
// verdict beside it).
func ownMark(envelope []byte, signed time.Time) (*printing.SignatureMark, string) {
	if len(envelope) == 0 {
		return nil, "подписанный ответ не найден в журнале"
	}
	results, err := signer.Verify(envelope, &signer.VerifyOptions{Time: signed})
	if err != nil {
		return nil, "документ ответа не читается: " + domain.ErrorMessage(err)
	}
	var best *signer.Result
	rank := map[signer.Kind]int{signer.KindPersonal: 2, signer.KindSystem: 1}
	for i := range results {
		r := &results[i]
		if rank[r.Kind] > 0 && r.Certificate != nil && (best == nil || rank[r.Kind] > rank[best.Kind]) {
			best = r
		}
	}
	if best == nil {
		return nil, "в ответе нет подписи поселения"
	}
	if !best.Valid() {
		return nil, string(best.Kind) + " недействительна: " + problemsRu(best) + "."
	}
	c := best.Certificate
	owner := c.Owner
	if c.OGRN != "" {
		owner += ", ОГРН " + c.OGRN
	}
	return &printing.SignatureMark{Serial: c.Serial, Owner: owner, Issuer: c.Issuer, ValidFrom: c.NotBefore, ValidTo: c.NotAfter}, ""
}

// PaperLine says how a paper answer came or went: «почтой, письмо № 12 от
// 04.03.2026».
func PaperLine(rep *store.Reply) string {
	how := map[domain.Channel]string{domain.ChannelPost: "почтой", domain.ChannelFax: "по факсу"}[rep.Channel]
	if rep.Number != "" {
		how += ", письмо № " + rep.Number
	}
	if rep.Dated != "" {
		how += " от " + domain.RussianDate(rep.Dated)
	}
	return how
}

// stored is what the journal recorded of a signature when the answer
// arrived (transport.SignatureSummary).
type stored struct {
	Kind        string `json:"kind"`
	Element     string `json:"element"`
	Verdict     string `json:"verdict"`
	VerdictText string `json:"verdictText"`
}

// storedVerdict says whether the journal recorded r's signature as
// «действительна» (chain to a trusted anchor, not revoked) when the answer
// arrived; if not, why, in Russian.
func storedVerdict(storedJSON string, r *signer.Result) (bool, string) {
	var list []stored
	if storedJSON == "" || json.Unmarshal([]byte(storedJSON), &list) != nil {
		return false, "не подтверждена: при получении цепочка сертификатов не проверялась"
	}
	for _, s := range list {
		if s.Kind != string(r.Kind) || s.Element != r.Element {
			continue
		}
		switch {
		case s.Verdict == "valid":
			return true, ""
		case s.Verdict == "":
			return false, "не подтверждена: ответ получен до проверки цепочек сертификатов, проверена только математика подписи"
		case s.VerdictText != "":
			return false, s.VerdictText
		}
		return false, "не подтверждена"
	}
	return false, "не подтверждена: при получении эта подпись не проверялась"
}

func problemsRu(r *signer.Result) string {
	var parts []string
	for _, p := range r.Problems {
		parts = append(parts, p.Ru)
	}
	return strings.Join(parts, "; ")
}
