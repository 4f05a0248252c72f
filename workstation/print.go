package workstation

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/printing"
	"github.com/mezhved/mezhved/reports"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/validate"
)

// PrintJob says what to print: an answer (MessageID, the answer's or our
// request's) or a report (Kind with a period).
type PrintJob struct {
	MessageID string
	Kind      string // reports.KindOutgoing, KindIncoming, KindOverdue, KindQuarterly
	From, To  string // ДД.ММ.ГГГГ or ГГГГ-ММ-ДД
}

// Printed is a document made for printing.
type Printed struct {
	PDF     []byte
	Pages   int
	Title   string
	Preview []string // what the document holds, line by line, in Russian
	Notes   []string // what the clerk should know (an attachment left out…)
	// Unconfirmed: an answer whose signature was not confirmed, so the
	// printout carries no e-signature mark and says why.
	Unconfirmed bool
}

// Print makes the PDF of a job: the one print dispatch of both faces, in
// the clerk's time zone, on the workstation's clock.
func (w *Workstation) Print(ctx context.Context, j PrintJob) (Printed, error) {
	if strings.TrimSpace(j.MessageID) != "" {
		return w.printReply(ctx, strings.TrimSpace(j.MessageID))
	}
	return w.printReport(ctx, j)
}

func (w *Workstation) printReply(ctx context.Context, messageID string) (Printed, error) {
	var p Printed
	doc, err := reports.ReplyDoc(ctx, w.db, messageID, w.Now(), w.cfg.Zone)
	if err != nil {
		return p, err
	}
	var buf bytes.Buffer
	res, err := printing.WriteReply(&buf, doc)
	if err != nil {
		return p, err
	}
	p.PDF, p.Pages, p.Title = buf.Bytes(), res.Pages, "Ответ — "+doc.Request.TemplateTitle
	if doc.Ours {
		p.Title = "Наш ответ — " + doc.Request.TemplateTitle
	}
	p.Preview = append(p.Preview, fmt.Sprintf("Ответ на запрос № %s, %s", doc.Request.Number, doc.Request.Provider))
	switch {
	case doc.Mark != nil:
		p.Preview = append(p.Preview, fmt.Sprintf("Отметка об электронной подписи: %s, сертификат %s", doc.Mark.Owner, doc.Mark.Serial))
	case doc.Paper != "":
		p.Preview = append(p.Preview, "Ответ на бумаге: "+doc.Paper)
	default:
		p.Unconfirmed = true
		p.Notes = append(p.Notes, "Подпись ответа не подтверждена: распечатка об этом сообщает.")
	}
	for _, a := range res.Attachments {
		if a.Status == printing.AttachmentAppended {
			p.Preview = append(p.Preview, fmt.Sprintf("Вложение %s: %d стр.", a.Name, a.Pages))
		}
	}
	for _, a := range res.Failed() {
		p.Notes = append(p.Notes, fmt.Sprintf("Вложение %s не удалось добавить: распечатайте его отдельно.", a.Name))
	}
	return p, nil
}

// reportTitles name the reports.
var reportTitles = map[string]string{
	reports.KindOutgoing: "Реестр исходящих запросов", reports.KindIncoming: "Реестр входящих запросов",
	reports.KindOverdue: "Просроченные запросы", reports.KindQuarterly: "Статистика межведомственного взаимодействия",
}

func (w *Workstation) printReport(ctx context.Context, j PrintJob) (Printed, error) {
	var p Printed
	from, err1 := isoDate(j.From)
	to, err2 := isoDate(j.To)
	if err1 != nil || err2 != nil {
		return p, domain.Errorf(domain.EINVALID, "Укажите период: даты в виде ДД.ММ.ГГГГ.")
	}
	settlement, err := w.db.Setting(ctx, store.SettingSettlement)
	if err != nil {
		return p, err
	}
	official, position := w.Official(ctx)
	doc, err := reports.Build(ctx, w.db, reports.Params{Kind: j.Kind, From: from, To: to, Now: w.Now().In(w.cfg.Zone), Settlement: settlement,
		Official: official, Position: position})
	if err != nil {
		return p, err
	}
	var buf bytes.Buffer
	var res *printing.Result
	p.Title = reportTitles[j.Kind]
	switch d := doc.(type) {
	case printing.Register:
		res, err = printing.WriteRegister(&buf, d)
		p.Preview = append(p.Preview, fmt.Sprintf("%s: %d", p.Title, len(d.Rows)))
	case printing.Quarterly:
		res, err = printing.WriteQuarterly(&buf, d)
		p.Preview = append(p.Preview, fmt.Sprintf("Исходящие: ведомств %d, видов сведений %d; входящие: запрашивающих органов %d",
			len(d.ByProvider), len(d.ByTemplate), len(d.Incoming)))
	default:
		return p, domain.Errorf(domain.EINVALID, "Неизвестный вид отчёта: %q.", j.Kind)
	}
	if err != nil {
		return p, err
	}
	p.PDF, p.Pages = buf.Bytes(), res.Pages
	return p, nil
}

// isoDate reads a date as clerks write it (validate.ReadDate).
func isoDate(s string) (string, error) {
	d, err := validate.ReadDate(s, calendar.Date{})
	if err != nil {
		return "", err
	}
	return d.String(), nil
}

// Settings of the signature block: who signs the settlement's requests and
// registers, and in what position (the clerk when no signer is named).
const (
	SettingSigner   = "identity.signer"
	SettingPosition = "identity.position"
)

// Official is who signs for the settlement and the position: the signer
// of the settings, else the clerk.
func (w *Workstation) Official(ctx context.Context) (name, position string) {
	name, _ = w.db.Setting(ctx, SettingSigner)
	if strings.TrimSpace(name) == "" {
		name, _ = w.db.Setting(ctx, store.SettingClerk)
	}
	position, _ = w.db.Setting(ctx, SettingPosition)
	return strings.TrimSpace(name), strings.TrimSpace(position)
}
