package app

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/fsutil"
	"github.com/mezhved/mezhved/printing"
	"github.com/mezhved/mezhved/reports"
	"github.com/mezhved/mezhved/store"
)

// Desktop is what the window offers beyond the page: the system's save
// dialog and opening a file in its viewer (where the system print dialog
// is). The real one is Wails' runtime; tests give their own.
type Desktop interface {
	SaveFileDialog(title, defaultName string) (string, error) // "" when the clerk cancels
	// OpenFileDialog asks for a file to read, offering filterName (pattern
	// like "*.xml"); "" when the clerk cancels.
	OpenFileDialog(title, filterName, pattern string) (string, error)
	OpenFile(path string) error
}

// PrintService makes the paper documents: answers with the e-signature
// mark, registers, the overdue list and the quarterly statistics.
type PrintService struct{ app *App }

// PrintJob says what to print: an answer (MessageID) or a report (Kind with
// a period).
type PrintJob struct {
	MessageID string `json:"messageId"`
	Kind      string `json:"kind"` // outgoing, incoming, overdue, quarterly
	From      string `json:"from"` // ДД.ММ.ГГГГ or ГГГГ-ММ-ДД
	To        string `json:"to"`
}

// Printed describes a made PDF.
type Printed struct {
	Path    string   `json:"path"`
	Pages   int      `json:"pages"`
	Title   string   `json:"title"`
	Notes   []string `json:"notes"` // e.g. an attachment that could not be added
	Saved   bool     `json:"saved"` // false: the clerk cancelled the save dialog
	Opened  bool     `json:"opened"`
	Preview []string `json:"preview"` // what the document holds, line by line
}

func (s *PrintService) render(j PrintJob) ([]byte, Printed, error) {
	db, err := s.app.journal()
	if err != nil {
		return nil, Printed{}, err
	}
	ctx := context.Background()
	var buf bytes.Buffer
	var p Printed
	if j.MessageID != "" {
		doc, err := reports.ReplyDoc(ctx, db, strings.TrimSpace(j.MessageID), time.Now(), time.Local)
		if err != nil {
			return nil, p, err
		}
		res, err := printing.WriteReply(&buf, doc)
		if err != nil {
			return nil, p, err
		}
		p.Pages, p.Title = res.Pages, "Ответ — "+doc.Request.TemplateTitle
		p.Preview = append(p.Preview, fmt.Sprintf("Ответ на запрос № %s, %s", doc.Request.Number, doc.Request.Provider))
		if doc.Mark != nil {
			p.Preview = append(p.Preview, fmt.Sprintf("Отметка об электронной подписи: %s, сертификат %s", doc.Mark.Owner, doc.Mark.Serial))
		} else {
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
		return buf.Bytes(), p, nil
	}
	from, err1 := isoDate(j.From)
	to, err2 := isoDate(j.To)
	if err1 != nil || err2 != nil {
		return nil, p, domain.Errorf(domain.EINVALID, "Укажите период: даты в виде ДД.ММ.ГГГГ.")
	}
	settlement, _ := db.Setting(ctx, store.SettingSettlement)
	doc, err := reports.Build(ctx, db, reports.Params{Kind: j.Kind, From: from, To: to, Now: time.Now(), Settlement: settlement})
	if err != nil {
		return nil, p, err
	}
	var res *printing.Result
	switch d := doc.(type) {
	case printing.Register:
		res, err = printing.WriteRegister(&buf, d)
		p.Title = map[string]string{reports.KindOutgoing: "Реестр исходящих запросов", reports.KindIncoming: "Реестр входящих запросов",
			reports.KindOverdue: "Просроченные запросы"}[j.Kind]
		p.Preview = append(p.Preview, fmt.Sprintf("%s: %d", p.Title, len(d.Rows)))
	case printing.Quarterly:
		res, err = printing.WriteQuarterly(&buf, d)
		p.Title = "Статистика межведомственного взаимодействия"
		p.Preview = append(p.Preview, fmt.Sprintf("Ведомств: %d, видов сведений: %d", len(d.ByProvider), len(d.ByTemplate)))
	}
	if err != nil {
		return nil, p, err
	}
	p.Pages = res.Pages
	return buf.Bytes(), p, nil
}

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

// Preview makes the document and tells what it holds, without saving.
func (s *PrintService) Preview(j PrintJob) Result {
	_, p, err := s.render(j)
	if err != nil {
		return s.app.fail("print.Preview", err)
	}
	return ok(p)
}

// SavePDF makes the document and writes it where the clerk chooses in the
// system's save dialog.
func (s *PrintService) SavePDF(j PrintJob) Result {
	const op = "print.SavePDF"
	pdf, p, err := s.render(j)
	if err != nil {
		return s.app.fail(op, err)
	}
	if s.app.cfg.Desktop == nil {
		return s.app.fail(op, domain.Errorf(domain.EUNSUPPORTED, "Сохранение файла доступно только в окне программы."))
	}
	path, err := s.app.cfg.Desktop.SaveFileDialog("Сохранить PDF", fileName(p.Title))
	if err != nil {
		return s.app.fail(op, domain.Wrap(err, domain.EUNAVAILABLE, op, "Не удалось открыть окно сохранения файла."))
	}
	if path == "" {
		return ok(p) // cancelled
	}
	if !strings.HasSuffix(strings.ToLower(path), ".pdf") {
		path += ".pdf"
	}
	if err := fsutil.WriteFileAtomic(path, pdf, 0o644); err != nil {
		return s.app.fail(op, domain.Wrap(err, domain.EPERMISSION, op, "Не удалось записать файл "+path+". Выберите другую папку."))
	}
	p.Path, p.Saved = path, true
	return ok(p)
}

// Print makes the document, keeps it in the data directory's print folder
// and opens it in the system's viewer, whose print dialog prints it.
func (s *PrintService) Print(j PrintJob) Result {
	const op = "print.Print"
	pdf, p, err := s.render(j)
	if err != nil {
		return s.app.fail(op, err)
	}
	path := filepath.Join(s.app.cfg.DataDir, "print", time.Now().Format("2006-01-02_150405")+"_"+fileName(p.Title))
	if err := fsutil.WriteFileAtomic(path, pdf, 0o644); err != nil {
		return s.app.fail(op, domain.Wrap(err, domain.EPERMISSION, op, "Не удалось подготовить файл для печати."))
	}
	p.Path = path
	if s.app.cfg.Desktop == nil {
		return ok(p)
	}
	if err := s.app.cfg.Desktop.OpenFile(path); err != nil {
		return s.app.fail(op, domain.Wrap(err, domain.EUNAVAILABLE, op, "Файл готов ("+path+"), но открыть его не удалось: откройте его сами и напечатайте."))
	}
	p.Opened = true
	return ok(p)
}

// fileName is a title made safe for a file name.
func fileName(title string) string {
	r := strings.NewReplacer("/", "-", "\\", "-", ":", "-", "*", "", "?", "", "\"", "", "<", "", ">", "", "|", "")
	name := strings.TrimSpace(r.Replace(title))
	if name == "" {
		name = "документ"
	}
	if len([]rune(name)) > 80 {
		name = string([]rune(name)[:80])
	}
	return name + ".pdf"
}
