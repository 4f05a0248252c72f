package app

import (
	"context"
	"encoding/base64"
	"path/filepath"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/fsutil"
	"github.com/mezhved/mezhved/printing"
	"github.com/mezhved/mezhved/workstation"
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
	// Images are the first pages as they will print (PNG data URLs), for
	// the preview; empty when they could not be made (Notes say why).
	Images []string `json:"images"`
}

func (s *PrintService) render(j PrintJob) ([]byte, Printed, error) {
	ws, err := s.app.core()
	if err != nil {
		return nil, Printed{}, err
	}
	doc, err := ws.Print(context.Background(), workstation.PrintJob{MessageID: j.MessageID, Kind: j.Kind, From: j.From, To: j.To})
	if err != nil {
		return nil, Printed{}, err
	}
	return doc.PDF, Printed{Pages: doc.Pages, Title: doc.Title, Notes: doc.Notes, Preview: doc.Preview}, nil
}

// previewPages is how many pages the preview shows, at previewDPI.
const (
	previewPages = 3
	previewDPI   = 80
)

// Preview makes the document and shows its first pages as they will
// print, and what it holds, without saving.
func (s *PrintService) Preview(j PrintJob) (Printed, error) {
	pdf, p, err := s.render(j)
	if err != nil {
		return Printed{}, s.app.fail("print.Preview", err)
	}
	p.Images = []string{}
	pages, err := printing.PageImages(context.Background(), pdf, previewPages, previewDPI)
	if err != nil {
		s.app.log.Warn("preview pages not rendered", "err", err)
		p.Notes = append(p.Notes, domain.ErrorMessage(err))
		return p, nil
	}
	for _, b := range pages {
		p.Images = append(p.Images, "data:image/png;base64,"+base64.StdEncoding.EncodeToString(b))
	}
	return p, nil
}

// SavePDF makes the document and writes it where the clerk chooses in the
// system's save dialog.
func (s *PrintService) SavePDF(j PrintJob) (Printed, error) {
	const op = "print.SavePDF"
	pdf, p, err := s.render(j)
	if err != nil {
		return Printed{}, s.app.fail(op, err)
	}
	if s.app.cfg.Desktop == nil {
		return Printed{}, s.app.fail(op, domain.Errorf(domain.EUNSUPPORTED, "Сохранение файла доступно только в окне программы."))
	}
	path, err := s.app.cfg.Desktop.SaveFileDialog("Сохранить PDF", fileName(p.Title))
	if err != nil {
		return Printed{}, s.app.fail(op, domain.Wrap(err, domain.EUNAVAILABLE, op, "Не удалось открыть окно сохранения файла."))
	}
	if path == "" {
		return p, nil // cancelled
	}
	if !strings.HasSuffix(strings.ToLower(path), ".pdf") {
		path += ".pdf"
	}
	if err := fsutil.WriteFileAtomic(path, pdf, 0o600); err != nil {
		return Printed{}, s.app.fail(op, domain.Wrap(err, domain.EPERMISSION, op, "Не удалось записать файл "+path+". Выберите другую папку."))
	}
	p.Path, p.Saved = path, true
	return p, nil
}

// Print makes the document, keeps it in the data directory's print folder
// and opens it in the system's viewer, whose print dialog prints it.
func (s *PrintService) Print(j PrintJob) (Printed, error) {
	const op = "print.Print"
	pdf, p, err := s.render(j)
	if err != nil {
		return Printed{}, s.app.fail(op, err)
	}
	path := filepath.Join(s.app.cfg.DataDir, "print", time.Now().Format("2006-01-02_150405")+"_"+fileName(p.Title))
	if err := fsutil.WriteFileAtomic(path, pdf, 0o600); err != nil {
		return Printed{}, s.app.fail(op, domain.Wrap(err, domain.EPERMISSION, op, "Не удалось подготовить файл для печати."))
	}
	p.Path = path
	if s.app.cfg.Desktop == nil {
		return p, nil
	}
	if err := s.app.cfg.Desktop.OpenFile(path); err != nil {
		return Printed{}, s.app.fail(op, domain.Wrap(err, domain.EUNAVAILABLE, op, "Файл готов ("+path+"), но открыть его не удалось: откройте его сами и напечатайте."))
	}
	p.Opened = true
	return p, nil
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
