package workstation

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/printing"
	"github.com/mezhved/mezhved/reports"
	"github.com/mezhved/mezhved/store"
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
	p.Preview = append(p.Preview, fmt.Sprintf("Ответ на запрос № %s, %s", doc.Request.Number, doc.Request.Provider))
	if doc.Mark != nil {
		p.Preview = append(p.Preview, fmt.Sprintf("Отметка об электронной подписи: %s, сертификат %s", doc.Mark.Owner, doc.Mark.Serial))
	} else {
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
	doc, err := reports.Build(ctx, w.db, reports.Params{Kind: j.Kind, From: from, To: to, Now: w.Now().In(w.cfg.Zone), Settlement: settlement})
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
		p.Preview = append(p.Preview, fmt.Sprintf("Ведомств: %d, видов сведений: %d", len(d.ByProvider), len(d.ByTemplate)))
	default:
		return p, domain.Errorf(domain.EINVALID, "Неизвестный вид отчёта: %q.", j.Kind)
	}
	if err != nil {
		return p, err
	}
	p.PDF, p.Pages = buf.Bytes(), res.Pages
	return p, nil
}

// isoDate reads ДД.ММ.ГГГГ or ГГГГ-ММ-ДД.
func isoDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("02.01.2006", s); err == nil {
		return t.Format(time.DateOnly), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return "", err
	}
	return t.Format(time.DateOnly), nil
}
