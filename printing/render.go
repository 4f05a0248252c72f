package printing

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/signintech/gopdf"

	"github.com/mezhved/mezhved/domain"
)

// docInfo goes into the PDF's information dictionary.
type docInfo struct {
	title   string
	subject string
	created time.Time
}

// render turns laid-out pages into a PDF in memory with gopdf. A panic
// becomes an EINTERNAL error rather than a crash of the window.
func render(m *metrics, pages []*page, info docInfo) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, domain.Wrap(fmt.Errorf("panic: %v", p), domain.EINTERNAL, "printing.render", "Не удалось сформировать PDF-документ.")
		}
	}()
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{PageSize: gopdf.Rect{W: a4Short, H: a4Long}, Unit: gopdf.UnitPT})
	gp.SetCompressLevel(1) // zlib.BestSpeed: registers ~25 % faster than the default level, files ~25 % larger
	gp.SetInfo(gopdf.PdfInfo{Title: info.title, Subject: info.subject, Creator: "Межвед", Producer: "Межвед (gopdf)", CreationDate: info.created})
	if err := addFonts(gp); err != nil {
		return nil, err
	}
	for _, p := range pages {
		gp.AddPageWithOption(gopdf.PageOption{PageSize: &gopdf.Rect{W: p.w, H: p.h}})
		if err := drawPage(gp, p); err != nil {
			return nil, domain.Wrap(err, domain.EINTERNAL, "printing.render", "Не удалось сформировать PDF-документ.")
		}
	}
	var buf bytes.Buffer
	if _, err := gp.WriteTo(&buf); err != nil {
		return nil, domain.Wrap(err, domain.EINTERNAL, "printing.render", "Не удалось сформировать PDF-документ.")
	}
	return buf.Bytes(), nil
}

func drawPage(gp *gopdf.GoPdf, p *page) error {
	curFont, curSize := fontID(255), 0.0
	curColor := rgb{1, 2, 3}
	for i := range p.ops {
		o := &p.ops[i]
		switch o.kind {
		case opText:
			if o.font != curFont || o.size != curSize {
				if err := gp.SetFont(fontFamilies[o.font], "", o.size); err != nil {
					return err
				}
				curFont, curSize = o.font, o.size
			}
			if o.color != curColor {
				gp.SetTextColor(o.color.r, o.color.g, o.color.b)
				curColor = o.color
			}
			gp.SetXY(o.x, o.y+fontAscent*o.size)
			if err := gp.Text(o.text); err != nil {
				return err
			}
		case opLine:
			gp.SetStrokeColor(o.color.r, o.color.g, o.color.b)
			gp.SetLineWidth(o.width)
			gp.Line(o.x, o.y, o.w, o.h)
		case opRect:
			gp.SetStrokeColor(o.color.r, o.color.g, o.color.b)
			gp.SetLineWidth(o.width)
			gp.RectFromUpperLeftWithStyle(o.x, o.y, o.w, o.h, "D")
		case opFill:
			gp.SetFillColor(o.color.r, o.color.g, o.color.b)
			gp.RectFromUpperLeftWithStyle(o.x, o.y, o.w, o.h, "F")
		}
	}
	return nil
}

// writeAll writes a finished document; the writer sees nothing on any
// earlier error.
func writeAll(w io.Writer, op string, pdf []byte) error {
	if w == nil {
		return domain.Errorf(domain.EINTERNAL, "Некуда записать PDF-документ.")
	}
	if _, err := w.Write(pdf); err != nil {
		return domain.Wrap(err, domain.EUNAVAILABLE, op, "Не удалось записать PDF-документ: проверьте место на диске и доступ к файлу.")
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// date formats t as DD.MM.YYYY, "—" for the zero time.
func date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("02.01.2006")
}

func dateTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("02.01.2006 15:04")
}
