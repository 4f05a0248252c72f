package printing

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// StatRow holds the figures of one provider or one kind of data for a
// period. The outcomes are disjoint: every sent request is answered in term,
// answered late, refused, ended in an error, or still without an answer.
type StatRow struct {
	Name    string
	Sent    int // requests sent
	InTerm  int // answered within the term
	Late    int // answered after the term
	Refused int // the provider refused
	Errors  int // SMEV or the provider returned an error
}

func (r StatRow) pending() int { return r.Sent - r.InTerm - r.Late - r.Refused - r.Errors }

// Quarterly is the statistics regions ask settlements for: per provider and
// per kind of data.
type Quarterly struct {
	Settlement string
	From, To   time.Time // usually a calendar quarter
	AsOf       time.Time // optional: «Сформирован …»
	// BySettlement is the region's table: settlements in the order given
	// (the ranking); printed first, empty for one settlement's report.
	BySettlement []StatRow
	ByProvider   []StatRow
	ByTemplate   []StatRow
	// Incoming are the requests other authorities sent the settlement, by
	// the authority: Sent counts those received, InTerm and Late the
	// settlement's answers, Refused its refusals.
	Incoming []StatRow
}

// WriteQuarterly prints the statistics on landscape A4: counts and per cent of
// the requests sent, with totals. No rows at all is ENOTFOUND; nothing is
// written to w on error.
func WriteQuarterly(w io.Writer, q Quarterly) (*Result, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	m, err := fontMetrics()
	if err != nil {
		return nil, err
	}
	fl := layoutQuarterly(m, &q)
	pdf, err := render(m, fl.pages, docInfo{title: "Статистика межведомственных запросов " + quarterText(q.From, q.To), created: q.AsOf})
	if err != nil {
		return nil, err
	}
	if err := writeAll(w, "printing.WriteQuarterly", pdf); err != nil {
		return nil, err
	}
	return &Result{Pages: len(fl.pages)}, nil
}

func (q *Quarterly) validate() error {
	if err := validatePeriod(q.From, q.To); err != nil {
		return err
	}
	if len(q.BySettlement) == 0 && len(q.ByProvider) == 0 && len(q.ByTemplate) == 0 && len(q.Incoming) == 0 {
		return domain.Errorf(domain.ENOTFOUND, "За период %s запросов не направлялось: статистику печатать не из чего.", periodText(q.From, q.To))
	}
	for _, set := range [][]StatRow{q.BySettlement, q.ByProvider, q.ByTemplate, q.Incoming} {
		for _, r := range set {
			name := strings.TrimSpace(r.Name)
			switch {
			case name == "":
				return domain.Errorf(domain.EINVALID, "В статистике есть строка без названия поставщика или вида сведений.")
			case r.Sent < 0 || r.InTerm < 0 || r.Late < 0 || r.Refused < 0 || r.Errors < 0:
				return domain.Errorf(domain.EINVALID, "Статистика «%s»: количество не может быть отрицательным.", short(name))
			case r.pending() < 0:
				return domain.Errorf(domain.EINVALID, "Статистика «%s»: ответов, отказов и ошибок (%d) больше, чем направлено запросов (%d).", short(name), r.InTerm+r.Late+r.Refused+r.Errors, r.Sent)
			}
		}
	}
	return nil
}

var romanQuarter = [...]string{"I", "II", "III", "IV"}

// quarterText is «за I квартал 2026 года» for a calendar quarter, otherwise
// «за период с … по …».
func quarterText(from, to time.Time) string {
	f, t := dayOf(from), dayOf(to)
	if f.Day() == 1 && (f.Month()-1)%3 == 0 {
		end := f.AddDate(0, 3, -1)
		if end.Equal(t) {
			return "за " + romanQuarter[(f.Month()-1)/3] + " квартал " + strconv.Itoa(f.Year()) + " года"
		}
	}
	return "за период " + periodText(from, to)
}

// percent is n of total with one decimal and a decimal comma, «—» when total is 0.
func percent(n, total int) string {
	if total == 0 {
		return "—"
	}
	return strings.Replace(strconv.FormatFloat(float64(n)*100/float64(total), 'f', 1, 64), ".", ",", 1)
}

func layoutQuarterly(m *metrics, q *Quarterly) *flow {
	c := m.clean
	fl := newFlow(m, landscape)
	period := quarterText(q.From, q.To)
	fl.head = func() {
		fl.para(regular, headSize, alignLeft, "Статистика межведомственных запросов "+period+" (продолжение)", gray)
		fl.y += 4
	}
	if s := strings.TrimSpace(q.Settlement); s != "" {
		fl.para(bold, regTextSize, alignCenter, c(s), black)
		fl.y += 6
	}
	fl.para(bold, regTitleSize, alignCenter, "СТАТИСТИКА МЕЖВЕДОМСТВЕННЫХ ЗАПРОСОВ", black)
	fl.para(regular, regTextSize, alignCenter, period, black)
	fl.y += 8

	n := 0
	for _, part := range []struct {
		title, col string
		rows       []StatRow
	}{
		{"Запросы по поселениям", "Поселение", q.BySettlement},
		{"Исходящие запросы по поставщикам сведений", "Поставщик сведений", q.ByProvider},
		{"Исходящие запросы по видам сведений", "Вид сведений", q.ByTemplate},
		{"Входящие запросы: ответы поселения по запрашивающим органам", "Запрашивающий орган", q.Incoming},
	} {
		if len(part.rows) == 0 {
			continue
		}
		n++
		if n > 1 {
			fl.gap(14)
		}
		fl.ensure(6 * regTextSize * lineFactor)
		fl.para(bold, regTextSize, alignLeft, itoa(n)+". "+part.title, black)
		fl.y += 4
		count := "Направлено запросов"
		if part.col == "Запрашивающий орган" {
			count = "Поступило запросов"
		}
		fl.table(statTable(part.col, count), statRows(c, part.rows))
	}
	fl.gap(10)
	fl.para(regular, headSize, alignLeft, "Проценты — доля от числа направленных (для входящих — поступивших) запросов. «Отказ» — мотивированный отказ поставщика (для входящих — поселения) в предоставлении сведений; «Ошибка» — запрос, на который СМЭВ или поставщик вернули сообщение об ошибке; «Без ответа» — ответ ещё не получен.", black)
	note := ""
	if !q.AsOf.IsZero() {
		note = "Сформирован " + date(q.AsOf)
	}
	fl.footers(note)
	return fl
}

func statTable(nameCol, countCol string) *table {
	cols := []column{
		{title: "№ п/п", fixed: 30, align: alignCenter},
		{title: nameCol, weight: 1},
		{title: countCol, fixed: 62, align: alignRight},
	}
	for _, g := range []string{"Ответ в срок", "Ответ с нарушением срока", "Отказ", "Ошибка", "Без ответа"} {
		cols = append(cols,
			column{title: "шт.", fixed: 44, align: alignRight, group: g},
			column{title: "%", fixed: 44, align: alignRight, group: g})
	}
	return &table{cols: cols, size: regCellSize, headSize: regCellSize, pad: 3}
}

func statRows(c func(string) string, rs []StatRow) []tableRow {
	var out []tableRow
	var tot StatRow
	line := func(no, name string, r StatRow, b bool) tableRow {
		cells := []string{no, name, itoa(r.Sent)}
		for _, v := range []int{r.InTerm, r.Late, r.Refused, r.Errors, r.pending()} {
			cells = append(cells, itoa(v), percent(v, r.Sent))
		}
		return tableRow{cells: cells, bold: b}
	}
	for i, r := range rs {
		out = append(out, line(itoa(i+1), c(strings.TrimSpace(r.Name)), r, false))
		tot.Sent += r.Sent
		tot.InTerm += r.InTerm
		tot.Late += r.Late
		tot.Refused += r.Refused
		tot.Errors += r.Errors
	}
	return append(out, line("", "Итого", tot, true))
}
