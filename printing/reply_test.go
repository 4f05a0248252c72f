package printing

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
)

var msk = time.FixedZone("MSK", 3*3600)

func testMark() *SignatureMark {
	return &SignatureMark{
		Serial:    "7C0012AB34CD56EF7890AB12CD34EF5600",
		Owner:     "Управление Федеральной службы государственной регистрации, кадастра и картографии по Воронежской области",
		Issuer:    "Казначейство России",
		ValidFrom: time.Date(2026, 2, 1, 9, 0, 0, 0, msk),
		ValidTo:   time.Date(2027, 5, 1, 9, 0, 0, 0, msk),
		SignedAt:  time.Date(2026, 3, 3, 14, 5, 0, 0, msk),
	}
}

func testReply() Reply {
	return Reply{
		Request: Request{
			Number:        "15-исх",
			Date:          time.Date(2026, 3, 1, 10, 0, 0, 0, msk),
			MessageID:     "2f1c9a7e-5b3d-11f1-9a2b-0242ac120002",
			Provider:      "Росреестр",
			TemplateTitle: "Выписка из ЕГРН об объекте недвижимости",
			Settlement:    "Администрация Кривоборского сельского поселения Рамонского муниципального района",
			Clerk:         "Петрова Анна Сергеевна",
		},
		Received: time.Date(2026, 3, 3, 14, 7, 0, 0, msk),
		Sections: []Section{
			{Title: "Объект недвижимости", Fields: []Field{
				{Label: "Кадастровый номер", Value: "36:25:6945001:123"},
				{Label: "Адрес (местоположение)", Value: "Воронежская область, Рамонский район, с. Кривоборье, ул. Школьная, д. 7"},
				{Label: "Площадь, кв. м", Value: "1500"},
				{Label: "Категория земель", Value: "Земли населённых пунктов"},
			}},
			{Title: "Правообладатель", Fields: []Field{
				{Label: "Фамилия, имя, отчество", Value: "Иванов Иван Иванович"},
				{Label: "Вид права", Value: "Собственность"},
				{Label: "Дата государственной регистрации", Value: "12.05.2015"},
				{Label: "Ограничения прав", Value: ""},
			}},
		},
		Mark:    testMark(),
		Printed: time.Date(2026, 3, 4, 9, 30, 0, 0, msk),
	}
}

func writeReply(t testing.TB, r Reply) ([]byte, *ReplyResult) {
	t.Helper()
	var buf bytes.Buffer
	res, err := WriteReply(&buf, r)
	if err != nil {
		t.Fatalf("WriteReply: %v", err)
	}
	if res.Pages != res.ReplyPages+appendedPages(res) {
		t.Fatalf("result counts %d pages, %d of the reply", res.Pages, res.ReplyPages)
	}
	return buf.Bytes(), res
}

func appendedPages(res *ReplyResult) int {
	n := 0
	for _, a := range res.Attachments {
		n += a.Pages
	}
	return n
}

func TestReplyTextAndMark(t *testing.T) {
	r := testReply()
	pdf, res := writeReply(t, r)
	keepArtifacts(t, "reply", pdf)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatal("output is not a PDF")
	}
	if n := pdfPages(t, pdf); n != res.Pages {
		t.Fatalf("pdfinfo counts %d pages, the result %d", n, res.Pages)
	}
	text := pdfText(t, pdf)
	want := []string{
		"Администрация Кривоборского сельского поселения",
		"ОТВЕТ НА МЕЖВЕДОМСТВЕННЫЙ ЗАПРОС",
		"Выписка из ЕГРН об объекте недвижимости",
		"№ 15-исх от 01.03.2026",
		"2f1c9a7e-5b3d-11f1-9a2b-0242ac120002",
		"Поставщик сведений Росреестр",
		"Ответ получен 03.03.2026 14:07",
		"Исполнитель Петрова Анна Сергеевна",
		"Кадастровый номер 36:25:6945001:123",
		"Земли населённых пунктов",
		"Правообладатель",
		"Иванов Иван Иванович",
		"Ограничения прав —",
		"Распечатано 04.03.2026 09:30",
		"Стр. 1 из 1",
		// every field of the mark
		MarkHeading,
		"Сертификат: 7C0012AB34CD56EF7890AB12CD34EF5600",
		"Владелец: Управление Федеральной службы государственной регистрации, кадастра и картографии по Воронежской области",
		"Издатель: Казначейство России",
		"Действителен: с 01.02.2026 по 01.05.2027",
		"Дата подписания: 03.03.2026 14:05",
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("pdftotext does not find %q in:\n%s", w, text)
		}
	}
	if res.MarkPage != 1 || res.MarkRect.W <= 0 || res.MarkRect.H <= 0 {
		t.Fatalf("mark placement %d %+v", res.MarkPage, res.MarkRect)
	}
	checkInsidePages(t, wordBoxes(t, pdf), portrait)
	checkMark(t, pdf, res)
}

// checkMark asserts that the mark's frame holds the mark's words, covers no
// other word, lies inside the body at the right margin and comes after all
// the text of its page (only the footer may be lower).
func checkMark(t *testing.T, pdf []byte, res *ReplyResult) {
	t.Helper()
	pages := wordBoxes(t, pdf)
	if res.MarkPage < 1 || res.MarkPage > len(pages) {
		t.Fatalf("mark on page %d of %d", res.MarkPage, len(pages))
	}
	p := pages[res.MarkPage-1]
	mr := res.MarkRect
	if mr.X < portrait.left-0.5 || mr.X+mr.W > p.W-portrait.right+0.5 || mr.Y < portrait.top-0.5 || mr.Y+mr.H > p.H-portrait.bottom-footerSpace+0.5 {
		t.Errorf("mark %+v is outside the body of a %vx%v page", mr, p.W, p.H)
	}
	if d := p.W - portrait.right - (mr.X + mr.W); d > 1 || d < -1 {
		t.Errorf("mark is not at the right margin: %v pt off", d)
	}
	footerTop := p.H - portrait.bottom - footerSpace
	inside := ""
	for _, w := range p.Words {
		cx, cy := w.Box.X+w.Box.W/2, w.Box.Y+w.Box.H/2
		if cx > mr.X && cx < mr.X+mr.W && cy > mr.Y && cy < mr.Y+mr.H {
			inside += w.Text + " "
			if !(w.Box.X >= mr.X && w.Box.X+w.Box.W <= mr.X+mr.W && w.Box.Y >= mr.Y && w.Box.Y+w.Box.H <= mr.Y+mr.H) {
				t.Errorf("word %q %+v crosses the mark's frame %+v", w.Text, w.Box, mr)
			}
			continue
		}
		if w.Box.Intersects(mr) {
			t.Errorf("word %q %+v overlaps the mark %+v", w.Text, w.Box, mr)
		}
		if w.Box.Y+w.Box.H > mr.Y && w.Box.Y < footerTop {
			t.Errorf("word %q %+v is below the top of the mark %+v: the mark must follow the text", w.Text, w.Box, mr)
		}
	}
	if !strings.HasPrefix(inside, "Документ подписан электронной подписью Сертификат:") {
		t.Errorf("the mark's frame holds %q", inside)
	}
}

func TestMarkNeverOverText(t *testing.T) {
	moved := false
	for n := 1; n <= 48; n += 1 {
		r := testReply()
		r.Sections = []Section{{Title: "Сведения", Fields: nil}}
		for i := 0; i < n; i++ {
			r.Sections[0].Fields = append(r.Sections[0].Fields, Field{Label: fmt.Sprintf("Показатель %d", i+1), Value: "значение показателя, достаточно длинное, чтобы занять строку"})
		}
		pdf, res := writeReply(t, r)
		checkMark(t, pdf, res)
		if res.MarkPage > 1 {
			// the mark is never alone on its page: text of the reply (not only
			// the running head) stands above it
			text := ""
			for _, w := range wordBoxes(t, pdf)[res.MarkPage-1].Words {
				if w.Box.Y > portrait.top+headSize*lineFactor && w.Box.Y+w.Box.H <= res.MarkRect.Y {
					text += w.Text + " "
				}
			}
			if !strings.Contains(text, "Показатель") {
				t.Errorf("n=%d: the mark is alone on page %d (text above it: %q)", n, res.MarkPage, text)
			}
			if strings.Count(text, "Показатель") == 1 {
				// the last row was carried over with the mark
				if !moved {
					keepArtifacts(t, "reply-mark-moved", pdf)
				}
				moved = true
			}
		}
	}
	if !moved {
		t.Error("no case moved the mark to a new page: the test does not cover it")
	}
}

func TestReplyAttachments(t *testing.T) {
	good, err := os.ReadFile("testdata/attachment-2pages.pdf")
	if err != nil {
		t.Fatal(err)
	}
	broken, _ := os.ReadFile("testdata/broken-truncated.pdf")
	fake, _ := os.ReadFile("testdata/not-a-pdf.pdf")
	r := testReply()
	r.Attachments = []Attachment{
		{Name: "План участка.pdf", Data: good},
		{Name: "Повреждённый.pdf", Data: broken},
		{Name: "Скан.pdf", Data: fake},
		{Name: "Обрезанный.pdf", Data: mustRead(t, "testdata/truncated-tail.pdf")},
		{Name: "Зашифрованный.pdf", Data: mustRead(t, "testdata/encrypted.pdf")},
		{Name: "С паролем.pdf", Data: mustRead(t, "testdata/password.pdf")},
		{Name: "Фото.jpg", Size: 123456, SHA256: "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"},
	}
	pdf, res := writeReply(t, r)
	keepArtifacts(t, "reply-attachments", pdf)
	if res.Pages != res.ReplyPages+4 {
		t.Fatalf("%d pages, %d of the reply: want the 2+2 attachment pages after it", res.Pages, res.ReplyPages)
	}
	if n := pdfPages(t, pdf); n != res.Pages {
		t.Fatalf("pdfinfo counts %d pages, the result %d", n, res.Pages)
	}
	if info := string(run(t, "pdfinfo", writeTemp(t, pdf))); !strings.Contains(info, "Ответ на запрос № 15-исх от 01.03.2026") {
		t.Errorf("the merged printout lost its title:\n%s", info)
	}
	pages := pageTexts(t, pdf)
	if len(pages) != res.Pages {
		t.Fatalf("pdftotext sees %d pages", len(pages))
	}
	if !strings.Contains(pages[res.ReplyPages], "ATTACHMENT-PAGE-ONE") || !strings.Contains(pages[res.ReplyPages+1], "ATTACHMENT-PAGE-TWO") {
		t.Errorf("attachment pages are not in order after the reply:\n%q\n%q", pages[res.ReplyPages], pages[res.ReplyPages+1])
	}
	a := res.Attachments
	if len(a) != 7 || a[0].Status != AttachmentAppended || a[0].Pages != 2 || a[0].FirstPage != res.ReplyPages+1 ||
		a[1].Status != AttachmentFailed || a[1].Err == nil || a[2].Status != AttachmentFailed || a[3].Status != AttachmentFailed ||
		a[4].Status != AttachmentAppended || a[4].Pages != 2 || a[4].FirstPage != res.ReplyPages+3 ||
		a[5].Status != AttachmentFailed || a[6].Status != AttachmentListed {
		t.Fatalf("attachment results: %+v", a)
	}
	if f := res.Failed(); len(f) != 4 || f[0].Name != "Повреждённый.pdf" || f[1].Name != "Скан.pdf" || f[2].Name != "Обрезанный.pdf" || f[3].Name != "С паролем.pdf" {
		t.Errorf("Failed() = %+v", f)
	}
	text := pdfText(t, pdf, 1, res.ReplyPages)
	for _, w := range []string{
		"Приложения:",
		"1. План участка.pdf — 2 страницы, распечатано далее.",
		"2. Повреждённый.pdf — ВЛОЖЕНИЕ НЕ УДАЛОСЬ ДОБАВИТЬ К РАСПЕЧАТКЕ: файл PDF повреждён",
		"3. Скан.pdf — ВЛОЖЕНИЕ НЕ УДАЛОСЬ ДОБАВИТЬ К РАСПЕЧАТКЕ: файл назван .pdf, но не является документом PDF; распечатайте его отдельно (35 байт, SHA-256",
		"4. Обрезанный.pdf — ВЛОЖЕНИЕ НЕ УДАЛОСЬ ДОБАВИТЬ К РАСПЕЧАТКЕ: файл PDF повреждён",
		"5. Зашифрованный.pdf — 2 страницы, распечатано далее.",
		"6. С паролем.pdf — ВЛОЖЕНИЕ НЕ УДАЛОСЬ ДОБАВИТЬ К РАСПЕЧАТКЕ: документ PDF защищён паролем",
		"7. Фото.jpg — файл не в формате PDF, не распечатывается (123 456 байт, SHA-256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08).",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("the reply's pages lack %q:\n%s", w, text)
		}
	}
	checkMark(t, pdf, res)
	checkInsidePages(t, wordBoxes(t, pdf)[:res.ReplyPages], portrait)
}

func TestReplyLongValueSpansPages(t *testing.T) {
	r := testReply()
	var long []string
	for i := 1; i <= 900; i++ {
		long = append(long, fmt.Sprintf("слово%d", i))
	}
	r.Sections[0].Fields[1].Value = strings.Join(long, " ")
	r.Sections[1].Fields[0].Value = strings.Repeat("Щ", 400) // one word wider than the column
	pdf, res := writeReply(t, r)
	keepArtifacts(t, "reply-long", pdf)
	if res.ReplyPages < 2 {
		t.Fatalf("a 900-word value fits on %d page", res.ReplyPages)
	}
	text := pdfText(t, pdf)
	for _, w := range long {
		if !strings.Contains(text, w+" ") {
			t.Fatalf("%q was lost", w)
		}
	}
	if got := strings.Count(strings.ReplaceAll(text, " ", ""), "Щ"); got != 400 {
		t.Errorf("%d of 400 letters of the long word printed", got)
	}
	for i := 1; i <= res.ReplyPages; i++ {
		if !strings.Contains(text, fmt.Sprintf("Стр. %d из %d", i, res.ReplyPages)) {
			t.Errorf("no «Стр. %d из %d»", i, res.ReplyPages)
		}
	}
	if !strings.Contains(text, "Ответ на запрос № 15-исх от 01.03.2026, MessageID 2f1c9a7e-5b3d-11f1-9a2b-0242ac120002 (продолжение)") {
		t.Error("continuation pages have no running head")
	}
	checkInsidePages(t, wordBoxes(t, pdf)[:res.ReplyPages], portrait)
	checkMark(t, pdf, res)
}

// checkInsidePages asserts that every word lies within the page's margins
// (minus a little for glyph overhang), so nothing is cut at an edge, and that
// no two words overlap.
func checkInsidePages(t *testing.T, pages []bboxPage, g geometry) {
	t.Helper()
	for i, p := range pages {
		for j, w := range p.Words {
			for _, o := range p.Words[j+1:] {
				// boxes include the font's ascent and descent: allow 1.5 pt between lines
				a, b := w.Box, o.Box
				a.Y, a.H, b.Y, b.H = a.Y+0.75, a.H-1.5, b.Y+0.75, b.H-1.5
				if a.Intersects(b) {
					t.Errorf("page %d: words %q %+v and %q %+v overlap", i+1, w.Text, w.Box, o.Text, o.Box)
				}
			}
			b := w.Box
			if b.X < g.left-2 || b.X+b.W > p.W-g.right+2 || b.Y < g.top-4 || b.Y+b.H > p.H-g.bottom+4 {
				t.Errorf("page %d: word %q %+v is outside the margins", i+1, w.Text, b)
			}
		}
	}
}

func TestReplyOddCharacters(t *testing.T) {
	r := testReply()
	r.Sections[0].Fields[0].Value = "ok\x00\x07 \xff\xfe emoji😀 中文\tтаб"
	pdf, _ := writeReply(t, r)
	text := pdfText(t, pdf)
	if !strings.Contains(text, "ok ? emoji? ?? таб") {
		t.Errorf("odd characters: %s", text)
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	f.n += len(p)
	return 0, errors.New("disk full")
}

func TestReplyErrors(t *testing.T) {
	cases := map[string]func(*Reply){
		"no MessageID":     func(r *Reply) { r.Request.MessageID = " " },
		"no provider":      func(r *Reply) { r.Request.Provider = "" },
		"no received time": func(r *Reply) { r.Received = time.Time{} },
		"no fields":        func(r *Reply) { r.Sections = []Section{{Title: "Пусто"}} },
		"nil sections":     func(r *Reply) { r.Sections = nil },
		"field w/o label":  func(r *Reply) { r.Sections[0].Fields[0].Label = "" },
		"mark w/o serial":  func(r *Reply) { r.Mark.Serial = "" },
		"mark w/o owner":   func(r *Reply) { r.Mark.Owner = "" },
		"mark w/o dates":   func(r *Reply) { r.Mark.ValidTo = time.Time{} },
		"mark reversed":    func(r *Reply) { r.Mark.ValidTo = r.Mark.ValidFrom.AddDate(-1, 0, 0) },
		"attachment name":  func(r *Reply) { r.Attachments = []Attachment{{Data: []byte("x")}} },
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			r := testReply()
			spoil(&r)
			var buf bytes.Buffer
			res, err := WriteReply(&buf, r)
			if err == nil || res != nil {
				t.Fatalf("no error (%v)", res)
			}
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("code %q: %v", domain.ErrorCode(err), err)
			}
			if msg := domain.ErrorMessage(err); !isRussian(msg) {
				t.Errorf("message is not for the clerk: %q", msg)
			}
			if buf.Len() != 0 {
				t.Errorf("%d bytes written on error", buf.Len())
			}
		})
	}
	t.Run("writer fails", func(t *testing.T) {
		_, err := WriteReply(&failWriter{}, testReply())
		if domain.ErrorCode(err) != domain.EUNAVAILABLE || !isRussian(domain.ErrorMessage(err)) {
			t.Errorf("%q %v", domain.ErrorCode(err), err)
		}
	})
}

func isRussian(s string) bool {
	for _, r := range s {
		if r >= 'А' && r <= 'я' {
			return true
		}
	}
	return false
}

func mustRead(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// A repeated part of the answer prints as a table: numbered rows under the
// columns' heads, an empty cell as «—».
func TestReplyTable(t *testing.T) {
	r := testReply()
	r.Sections = append(r.Sections, Section{Title: "Члены хозяйства", Columns: []string{"ФИО", "Дата рождения"},
		Rows: [][]string{{"Кузнецова Анна Сергеевна", "14.02.1987"}, {"Кузнецов Иван Петрович", ""}}})
	pdf, _ := writeReply(t, r)
	keepArtifacts(t, "reply-table", pdf)
	text := pdfText(t, pdf)
	for _, w := range []string{"Члены хозяйства", "№ ФИО", "Дата рождения", "1 Кузнецова Анна Сергеевна 14.02.1987", "2 Кузнецов Иван Петрович —"} {
		if !strings.Contains(text, w) {
			t.Errorf("pdftotext does not find %q in:\n%s", w, text)
		}
	}
}
