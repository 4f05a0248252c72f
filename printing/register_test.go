package printing

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
)

var providers = []string{"Росреестр", "ФНС России", "Пенсионный фонд (СФР)", "МВД России", "Федеральная служба судебных приставов"}
var templates = []string{"Выписка из ЕГРН об объекте недвижимости", "Сведения о регистрации по месту жительства", "Сведения о доходах физического лица", "Справка о наличии (отсутствии) судимости"}
var statuses = []string{"Ответ получен", "Ожидает ответа", "Отказ поставщика", "Ошибка СМЭВ: сообщение отклонено, повторите отправку"}

func testRows(n int) []RegisterRow {
	rows := make([]RegisterRow, n)
	start := time.Date(2026, 1, 9, 10, 0, 0, 0, msk)
	for i := range rows {
		d := start.Add(time.Duration(i) * 5 * time.Hour)
		rows[i] = RegisterRow{
			Date:         d,
			Number:       fmt.Sprintf("ИСХ-%04d", i+1),
			MessageID:    fmt.Sprintf("%08x-5b3d-11f1-9a2b-0242ac12%04x", i+1, i),
			Counterparty: providers[i%len(providers)],
			Template:     templates[i%len(templates)],
			Applicant:    fmt.Sprintf("Заявитель %d Сидорова М. П.", i+1),
			Due:          d.AddDate(0, 0, 5),
			Status:       statuses[i%len(statuses)],
		}
		if i%4 != 1 {
			rows[i].Answered = d.AddDate(0, 0, 2+i%6)
		}
	}
	return rows
}

func testRegister(kind RegisterKind, n int) Register {
	return Register{
		Kind:       kind,
		Settlement: "Администрация Кривоборского сельского поселения",
		From:       time.Date(2026, 1, 1, 0, 0, 0, 0, msk),
		To:         time.Date(2026, 3, 31, 0, 0, 0, 0, msk),
		AsOf:       time.Date(2026, 4, 2, 0, 0, 0, 0, msk),
		Rows:       testRows(n),
	}
}

func writeRegister(t testing.TB, reg Register) ([]byte, *Result) {
	t.Helper()
	var buf bytes.Buffer
	res, err := WriteRegister(&buf, reg)
	if err != nil {
		t.Fatalf("WriteRegister: %v", err)
	}
	return buf.Bytes(), res
}

func TestRegisterPaginatesWithHeaders(t *testing.T) {
	reg := testRegister(Outgoing, 240)
	reg.Rows[100].Status = strings.Repeat("очень длинное примечание к состоянию запроса ", 40)
	pdf, res := writeRegister(t, reg)
	keepArtifacts(t, "register-outgoing", pdf, 1, 3)
	if res.Pages < 5 {
		t.Fatalf("240 rows on %d pages", res.Pages)
	}
	if n := pdfPages(t, pdf); n != res.Pages {
		t.Fatalf("pdfinfo counts %d pages, the result %d", n, res.Pages)
	}
	boxes := wordBoxes(t, pdf)
	pages := physicalLines(boxes)
	if len(pages) != res.Pages {
		t.Fatalf("pdftotext sees %d pages", len(pages))
	}
	if !strings.Contains(pages[0], "РЕЕСТР ИСХОДЯЩИХ МЕЖВЕДОМСТВЕННЫХ ЗАПРОСОВ\nза период с 01.01.2026 по 31.03.2026") ||
		!strings.Contains(pages[0], "Администрация Кривоборского сельского поселения") || !strings.Contains(pages[0], "Всего записей: 240") {
		t.Errorf("first page lacks the title, period or settlement:\n%s", pages[0])
	}
	for i, p := range pages {
		// the header as printed: titles of two lines centred around the one-line ones
		for _, h := range []string{"№ Срок Дата\n", "\nДата Исх. № Поставщик сведений Вид сведений Заявитель Состояние\n", "\nп/п ответа ответа\n"} {
			if !strings.Contains(p, h) {
				t.Errorf("page %d has no column header %q", i+1, h)
			}
		}
		if !strings.Contains(p, fmt.Sprintf("Стр. %d из %d", i+1, res.Pages)) {
			t.Errorf("page %d has no «Стр. %d из %d»", i+1, i+1, res.Pages)
		}
		if i > 0 && !strings.Contains(p, "Реестр исходящих межведомственных запросов за период с 01.01.2026 по 31.03.2026 (продолжение)") {
			t.Errorf("page %d has no running head", i+1)
		}
	}
	all := strings.Join(pages, "\n")
	for i, r := range reg.Rows {
		if !strings.Contains(all, fmt.Sprintf("\n%d %s %s ", i+1, date(r.Date), r.Number)) || strings.Contains(all, r.MessageID) {
			t.Fatalf("row %d (%s) is missing, or its MessageID (a technical column) is printed", i+1, r.Number)
		}
	}
	// Lines for the signatures close the register, on its last page.
	last := pages[len(pages)-1]
	for _, w := range []string{"Составил:", "(подпись)", "Проверил:", "(расшифровка подписи)", "20___ г."} {
		if !strings.Contains(last, w) {
			t.Errorf("the last page has no %q", w)
		}
	}
	for _, w := range []string{"очень", "длинное", "примечание", "состоянию"} {
		if n := strings.Count(all, w); n != 40 {
			t.Errorf("the long status was cut: %d of 40 «%s»", n, w)
		}
	}
	// landscape A4, every word inside the margins
	if boxes[0].W < boxes[0].H {
		t.Errorf("the register is not landscape: %vx%v", boxes[0].W, boxes[0].H)
	}
	checkInsidePages(t, boxes, landscape)
}

func TestRegisterKinds(t *testing.T) {
	in := testRegister(Incoming, 12)
	for i := range in.Rows {
		in.Rows[i].Applicant = ""
		in.Rows[i].Number = fmt.Sprintf("ВХ-%d", i+1)
	}
	pdf, _ := writeRegister(t, in)
	text := pdfText(t, pdf)
	for _, w := range []string{"РЕЕСТР ВХОДЯЩИХ МЕЖВЕДОМСТВЕННЫХ ЗАПРОСОВ", "Вх. №", "Запрашивающий орган", "ВХ-12"} {
		if !strings.Contains(text, w) {
			t.Errorf("incoming register lacks %q", w)
		}
	}
	if strings.Contains(text, "Заявитель") {
		t.Error("the applicant column is printed though no row has an applicant")
	}

	od := testRegister(Overdue, 3)
	od.Rows[0].Due = time.Date(2026, 3, 20, 0, 0, 0, 0, msk)
	od.Rows[0].Answered = time.Time{} // 13 days late by 02.04.2026
	od.Rows[0].Number = "ПРОСР-1"
	od.Rows[1].Due = time.Date(2026, 3, 1, 0, 0, 0, 0, msk)
	od.Rows[1].Answered = time.Date(2026, 3, 4, 23, 0, 0, 0, msk) // 3 days late
	od.Rows[1].Number = "ПРОСР-2"
	pdf, _ = writeRegister(t, od)
	keepArtifacts(t, "register-overdue", pdf)
	checkInsidePages(t, wordBoxes(t, pdf), landscape)
	text = strings.Join(physicalLines(wordBoxes(t, pdf)), "")
	for _, w := range []string{"ПЕРЕЧЕНЬ ЗАПРОСОВ С НАРУШЕНИЕМ СРОКА ОТВЕТА", "по состоянию на 02.04.2026", "ответа ответа дн.",
		"Дата № Ведомство Вид сведений Заявитель Состояние",
		"1 09.01.2026 ПРОСР-1 Росреестр Выписка из ЕГРН об объекте Заявитель 1 20.03.2026 — 13 Ответ получен",
		"2 09.01.2026 ПРОСР-2 ФНС России Сведения о регистрации по месту Заявитель 2 01.03.2026 04.03.2026 3 Ожидает ответа"} {
		if !strings.Contains(text, w) {
			t.Errorf("overdue list lacks %q:\n%s", w, text)
		}
	}
}

func TestRegisterErrors(t *testing.T) {
	cases := map[string]struct {
		spoil func(*Register)
		code  string
	}{
		"empty period":     {func(r *Register) { r.Rows = nil }, domain.ENOTFOUND},
		"reversed period":  {func(r *Register) { r.From, r.To = r.To, r.From }, domain.EINVALID},
		"no period":        {func(r *Register) { r.From = time.Time{} }, domain.EINVALID},
		"unknown kind":     {func(r *Register) { r.Kind = "monthly" }, domain.EINVALID},
		"row without date": {func(r *Register) { r.Rows[1].Date = time.Time{} }, domain.EINVALID},
		"row without ids":  {func(r *Register) { r.Rows[0].Number, r.Rows[0].MessageID = "", " " }, domain.EINVALID},
		"overdue w/o asof": {func(r *Register) { r.Kind, r.AsOf = Overdue, time.Time{} }, domain.EINVALID},
		"overdue w/o due":  {func(r *Register) { r.Kind, r.Rows[0].Due = Overdue, time.Time{} }, domain.EINVALID},
		"too many rows":    {func(r *Register) { r.Rows = make([]RegisterRow, MaxRegisterRows+1) }, domain.EINVALID},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			reg := testRegister(Outgoing, 3)
			c.spoil(&reg)
			var buf bytes.Buffer
			res, err := WriteRegister(&buf, reg)
			if err == nil || res != nil {
				t.Fatal("no error")
			}
			if got := domain.ErrorCode(err); got != c.code {
				t.Errorf("code %q, want %q: %v", got, c.code, err)
			}
			if !isRussian(domain.ErrorMessage(err)) {
				t.Errorf("message %q", domain.ErrorMessage(err))
			}
			if buf.Len() != 0 {
				t.Errorf("%d bytes written on error", buf.Len())
			}
		})
	}
}

func testQuarterly() Quarterly {
	return Quarterly{
		Settlement: "Администрация Кривоборского сельского поселения",
		From:       time.Date(2026, 1, 1, 0, 0, 0, 0, msk),
		To:         time.Date(2026, 3, 31, 0, 0, 0, 0, msk),
		AsOf:       time.Date(2026, 4, 2, 0, 0, 0, 0, msk),
		ByProvider: []StatRow{
			{Name: "Росреестр", Sent: 30, InTerm: 20, Late: 5, Refused: 2, Errors: 1},
			{Name: "ФНС России", Sent: 3, InTerm: 1, Late: 0, Refused: 0, Errors: 2},
			{Name: "МВД России", Sent: 0},
		},
		ByTemplate: []StatRow{
			{Name: "Выписка из ЕГРН об объекте недвижимости", Sent: 30, InTerm: 20, Late: 5, Refused: 2, Errors: 1},
			{Name: "Сведения о доходах физического лица", Sent: 3, InTerm: 1, Errors: 2},
		},
		Incoming: []StatRow{
			{Name: "Социальный фонд России", Sent: 4, InTerm: 2, Late: 1, Refused: 1},
		},
	}
}

func TestQuarterly(t *testing.T) {
	var buf bytes.Buffer
	res, err := WriteQuarterly(&buf, testQuarterly())
	if err != nil {
		t.Fatal(err)
	}
	pdf := buf.Bytes()
	keepArtifacts(t, "quarterly", pdf)
	if res.Pages != 1 {
		t.Errorf("%d pages", res.Pages)
	}
	checkInsidePages(t, wordBoxes(t, pdf), landscape)
	text := strings.Join(physicalLines(wordBoxes(t, pdf)), "")
	for _, w := range []string{
		"СТАТИСТИКА МЕЖВЕДОМСТВЕННЫХ ЗАПРОСОВ\nза I квартал 2026 года",
		"1. Исходящие запросы по поставщикам сведений", "2. Исходящие запросы по видам сведений",
		"3. Входящие запросы: ответы поселения по запрашивающим органам", "Поступило",
		"Социальный фонд России 4 2 50,0 1 25,0 1 25,0 0 0,0 0 0,0",
		"Ответ в срок Отказ Ошибка Без ответа\n", "нарушением срока", "шт. % шт. % шт. % шт. % шт. %\n",
		// Росреестр: 30 sent, 20 in term (66,7 %), 5 late (16,7), 2 refused (6,7), 1 error (3,3), 2 pending (6,7)
		"Росреестр 30 20 66,7 5 16,7 2 6,7 1 3,3 2 6,7",
		"ФНС России 3 1 33,3 0 0,0 0 0,0 2 66,7 0 0,0",
		"МВД России 0 0 — 0 — 0 — 0 — 0 —",
		"Итого 33 21 63,6 5 15,2 2 6,1 3 9,1 2 6,1",
		"Сформирован 02.04.2026",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("statistics lack %q:\n%s", w, text)
		}
	}
	q := testQuarterly()
	q.To = time.Date(2026, 2, 15, 0, 0, 0, 0, msk)
	buf.Reset()
	if _, err := WriteQuarterly(&buf, q); err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, buf.Bytes()); !strings.Contains(text, "за период с 01.01.2026 по 15.02.2026") {
		t.Errorf("a non-quarter period is not printed as dates:\n%s", text)
	}
}

func TestQuarterlyErrors(t *testing.T) {
	cases := map[string]struct {
		spoil func(*Quarterly)
		code  string
	}{
		"nothing":        {func(q *Quarterly) { q.ByProvider, q.ByTemplate, q.Incoming = nil, nil, nil }, domain.ENOTFOUND},
		"negative":       {func(q *Quarterly) { q.ByProvider[0].Late = -1 }, domain.EINVALID},
		"more than sent": {func(q *Quarterly) { q.ByTemplate[1].InTerm = 3 }, domain.EINVALID},
		"no name":        {func(q *Quarterly) { q.ByProvider[1].Name = " " }, domain.EINVALID},
		"no period":      {func(q *Quarterly) { q.To = time.Time{} }, domain.EINVALID},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			q := testQuarterly()
			c.spoil(&q)
			var buf bytes.Buffer
			_, err := WriteQuarterly(&buf, q)
			if domain.ErrorCode(err) != c.code || !isRussian(domain.ErrorMessage(err)) || buf.Len() != 0 {
				t.Errorf("code %q (want %q), %d bytes written: %v", domain.ErrorCode(err), c.code, buf.Len(), err)
			}
		})
	}
}

func TestQuarterlyPaginates(t *testing.T) {
	q := testQuarterly()
	q.ByProvider = nil
	for i := 0; i < 70; i++ {
		q.ByProvider = append(q.ByProvider, StatRow{Name: fmt.Sprintf("Поставщик сведений номер %d", i+1), Sent: 10 + i, InTerm: 5, Late: i % 5, Refused: 1, Errors: 1})
	}
	var buf bytes.Buffer
	res, err := WriteQuarterly(&buf, q)
	if err != nil {
		t.Fatal(err)
	}
	pdf := buf.Bytes()
	boxes := wordBoxes(t, pdf)
	if res.Pages < 3 || len(boxes) != res.Pages {
		t.Fatalf("70 + 2 rows on %d pages (pdftotext: %d)", res.Pages, len(boxes))
	}
	checkInsidePages(t, boxes, landscape)
	for i, p := range physicalLines(boxes) {
		for _, h := range []string{"Ответ в срок", "нарушением срока", "шт. % шт. % шт. % шт. % шт. %\n", fmt.Sprintf("Стр. %d из %d", i+1, res.Pages)} {
			if !strings.Contains(p, h) {
				t.Errorf("page %d lacks %q", i+1, h)
			}
		}
	}
}
