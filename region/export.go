package region

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/printing"
)

// csvHeader are the CSV's columns: the ranking with every figure of both
// directions.
var csvHeader = []string{"Место", "ОКТМО", "Поселение",
	"Входящие: получено", "Входящие: ответ в срок", "Входящие: ответ с опозданием", "Входящие: отказ", "Входящие: отменено",
	"Входящие: просрочено", "Входящие: ждут ответа", "Входящие: доля в срок, %", "Входящие: к прошлому кварталу", "Входящие: просрочено сейчас",
	"Исходящие: направлено", "Исходящие: ответ в срок", "Исходящие: ответ с опозданием", "Исходящие: отказ", "Исходящие: ошибки",
	"Исходящие: просрочено", "Исходящие: доля в срок, %", "Исходящие: просрочено сейчас",
	"Последняя синхронизация", "Связь"}

func countsCSV(c Counts) []string {
	return []string{strconv.Itoa(c.Total), strconv.Itoa(c.InTerm), strconv.Itoa(c.Late), strconv.Itoa(c.Refused)}
}

// csvRecord is a settlement's (or the region's) line of the CSV.
func csvRecord(r SettlementRow, rep *Report) []string {
	place := ""
	if r.Place > 0 {
		place = strconv.Itoa(r.Place)
	}
	rec := []string{place, r.OKTMO, csvSafe(r.Name)}
	rec = append(rec, countsCSV(r.In)...)
	rec = append(rec, strconv.Itoa(r.In.Cancelled), strconv.Itoa(r.In.Overdue), strconv.Itoa(r.In.Waiting()+r.In.Errors),
		percentText(r.In), r.QuarterDelta(), strconv.Itoa(r.InOverdueNow))
	rec = append(rec, countsCSV(r.Out)...)
	rec = append(rec, strconv.Itoa(r.Out.Errors), strconv.Itoa(r.Out.Overdue), percentText(r.Out), strconv.Itoa(r.OutOverdueNow))
	last := ""
	if !r.LastSync.IsZero() {
		last = lastSyncText(r)
	}
	return append(rec, last, quietText(r, rep.AsOf))
}

// WriteCSV writes the report as `;`-separated UTF-8 with a BOM (Excel
// reads it so): the ranking, then the region's total.
func WriteCSV(rep *Report) []byte {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	cw.Write(csvHeader)
	for _, r := range rep.Rows {
		cw.Write(csvRecord(r, rep))
	}
	total := csvRecord(rep.Total, rep)
	total[len(total)-2], total[len(total)-1] = "", ""
	cw.Write(total)
	cw.Flush()
	return buf.Bytes()
}

// csvSafe keeps a spreadsheet from reading a name as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func attachment(w http.ResponseWriter, p Period, ext, contentType string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="mezhved-region-%s-%s.%s"`, p.From.Format("20060102"), p.To.Format("20060102"), ext))
}

func (s *Server) exportCSV(w http.ResponseWriter, r *http.Request, user string) {
	p, err := s.period(r)
	if err != nil {
		http.Error(w, domain.ErrorMessage(err), http.StatusBadRequest)
		return
	}
	rep := s.report(r.Context(), w, p)
	if rep == nil {
		return
	}
	attachment(w, p, "csv", "text/csv; charset=utf-8")
	w.Write(WriteCSV(rep))
}

func (s *Server) exportPDF(w http.ResponseWriter, r *http.Request, user string) {
	p, err := s.period(r)
	if err != nil {
		http.Error(w, domain.ErrorMessage(err), http.StatusBadRequest)
		return
	}
	rep := s.report(r.Context(), w, p)
	if rep == nil {
		return
	}
	var buf bytes.Buffer
	if _, err := printing.WriteSheet(&buf, MeetingSheet(rep)); err != nil {
		s.logger.Printf("region: pdf: %v", err)
		http.Error(w, domain.ErrorMessage(err), http.StatusInternalServerError)
		return
	}
	attachment(w, p, "pdf", "application/pdf")
	w.Write(buf.Bytes())
}

// definitions is the note under the PDF's table and the dashboard's.
const definitions = "Входящие запросы — запросы органов власти к поселению, по дню поступления; срок ответа — 5 рабочих дней по производственному календарю. " +
	"Исходящие — запросы поселения, по дню направления. Доля в срок = ответы в срок / (ответы в срок + ответы с опозданием + просроченные без ответа). " +
	"Учебные и тестовые рабочие места не учитываются."

// MeetingSheet is the report as a document for a meeting: the period, the
// ranking chart, every settlement's figures, the quarter against the
// previous one and a year before, the largest overdue groups and the
// settlements without contact. Every figure is the text the dashboard and
// the CSV print.
func MeetingSheet(rep *Report) printing.Sheet {
	sh := printing.Sheet{
		Title:    "Исполнение межведомственных запросов поселениями",
		Subtitle: []string{rep.Region, "за период " + periodText(rep.Period) + " · данные на " + rep.AsOf.Format("02.01.2006 15:04") + " (МСК)"},
		AsOf:     rep.AsOf,
	}
	var bars []printing.SheetBar
	for _, r := range rep.Rows {
		label := r.Name
		if r.Place > 0 {
			label = strconv.Itoa(r.Place) + ". " + r.Name
		}
		bars = append(bars, printing.SheetBar{Label: label, Fraction: r.In.Share(), Value: ShareText(r.In)})
	}
	sh.Parts = append(sh.Parts,
		printing.SheetPart{Heading: "1. Рейтинг поселений: доля входящих запросов, отвеченных в срок", Bars: bars},
		printing.SheetPart{Heading: "2. Показатели поселений", Table: rankingTable(rep), Note: definitions},
		printing.SheetPart{Heading: "3. Динамика: квартал к прошлому кварталу и к тому же кварталу год назад", Table: compareTable(rep)},
		overduePart(rep), quietPart(rep))
	return sh
}

func rankingTable(rep *Report) *printing.SheetTable {
	const in, out = "Входящие (отвечает поселение)", "Исходящие (запрашивает поселение)"
	t := &printing.SheetTable{TotalLast: true, Columns: []printing.SheetColumn{
		{Title: "Место", Width: 34, Right: true}, {Title: "Поселение"},
		{Title: "Получено", Group: in, Width: 50, Right: true}, {Title: "В срок", Group: in, Width: 42, Right: true},
		{Title: "С опозданием", Group: in, Width: 56, Right: true}, {Title: "Просрочено", Group: in, Width: 56, Right: true},
		{Title: "Доля в срок", Group: in, Width: 50, Right: true}, {Title: "К прошлому кварталу", Group: in, Width: 58, Right: true},
		{Title: "Направлено", Group: out, Width: 56, Right: true}, {Title: "Доля в срок", Group: out, Width: 50, Right: true},
		{Title: "Просрочено сейчас", Group: out, Width: 56, Right: true},
		{Title: "Последняя синхронизация", Width: 80},
	}}
	line := func(r SettlementRow, place string) []string {
		return []string{place, r.Name, groupDigits(r.In.Total), groupDigits(r.In.InTerm), groupDigits(r.In.Late), groupDigits(r.In.Overdue),
			ShareText(r.In), r.QuarterDelta(), groupDigits(r.Out.Total), ShareText(r.Out), groupDigits(r.OutOverdueNow), lastSyncText(r)}
	}
	for _, r := range rep.Rows {
		place := "—"
		if r.Place > 0 {
			place = strconv.Itoa(r.Place)
		}
		t.Rows = append(t.Rows, line(r, place))
	}
	total := line(rep.Total, "")
	total[len(total)-1] = ""
	t.Rows = append(t.Rows, total)
	return t
}

func compareTable(rep *Report) *printing.SheetTable {
	t := &printing.SheetTable{Columns: []printing.SheetColumn{
		{Title: "Квартал"}, {Title: "Период", Width: 150},
		{Title: "Получено", Group: "Входящие", Width: 60, Right: true}, {Title: "Доля в срок", Group: "Входящие", Width: 70, Right: true},
		{Title: "Направлено", Group: "Исходящие", Width: 60, Right: true}, {Title: "Доля в срок", Group: "Исходящие", Width: 70, Right: true},
	}}
	for _, c := range rep.Compare {
		t.Rows = append(t.Rows, []string{c.Label, periodText(c.Period), groupDigits(c.In.Total), ShareText(c.In), groupDigits(c.Out.Total), ShareText(c.Out)})
	}
	return t
}

func overduePart(rep *Report) printing.SheetPart {
	p := printing.SheetPart{Heading: "4. Наибольшие просрочки на " + ruDay(rep.Today)}
	if len(rep.TopOverdue) == 0 {
		p.Text = "Просроченных запросов нет."
		return p
	}
	p.Table = &printing.SheetTable{Columns: []printing.SheetColumn{
		{Title: "Поселение", Width: 150}, {Title: "Запросы", Width: 60}, {Title: "Ведомство"}, {Title: "Вид сведений"},
		{Title: "Просрочено", Width: 60, Right: true}, {Title: "Самый ранний срок", Width: 70},
	}}
	for _, g := range rep.TopOverdue {
		p.Table.Rows = append(p.Table.Rows, []string{g.Settlement, directionText(g.Direction), orNone(g.Agency), orNone(g.Kind), groupDigits(g.Count), ruDay(g.Oldest)})
	}
	return p
}

func quietPart(rep *Report) printing.SheetPart {
	p := printing.SheetPart{Heading: "5. Поселения без связи с регионом (не синхронизировались или молчат более " + daysText(rep.SilentDays) + ")"}
	if len(rep.Quiet) == 0 {
		p.Text = "Все поселения синхронизировались за последние " + daysText(rep.SilentDays) + "."
	} else {
		p.Table = &printing.SheetTable{Columns: []printing.SheetColumn{
			{Title: "Поселение"}, {Title: "ОКТМО", Width: 80}, {Title: "Последняя синхронизация", Width: 120}, {Title: "Связь", Width: 200},
		}}
		for _, r := range rep.Quiet {
			p.Table.Rows = append(p.Table.Rows, []string{r.Name, r.OKTMO, lastSyncText(r), quietText(r, rep.AsOf)})
		}
	}
	if len(rep.Excluded) > 0 {
		var names []string
		for _, x := range rep.Excluded {
			names = append(names, x.Settlement+" — "+x.Workstation+" ("+contourText(x.Contour)+")")
		}
		p.Note = "Не учитываются в показателях: " + strings.Join(names, "; ") + "."
	}
	return p
}
