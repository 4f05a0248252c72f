package printing

import (
	"io"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// Sheet is a document whose every text is composed elsewhere: headings,
// paragraphs, horizontal bar charts and tables, laid out here on landscape
// A4 with «Стр. N из M». The regional server prints its summary for a
// meeting with it, so that the PDF says exactly what its dashboard and CSV
// say: printing only lays the words out.
type Sheet struct {
	Title    string    // at the top in capitals, and the PDF's title
	Subtitle []string  // lines under the title: the region, the period
	AsOf     time.Time // «Сформирован ДД.ММ.ГГГГ» at the foot; zero: none
	Parts    []SheetPart
}

// SheetPart is a heading followed by any of a paragraph, a bar chart and
// a table, in that order.
type SheetPart struct {
	Heading string
	Text    string
	Bars    []SheetBar
	Table   *SheetTable
	Note    string // small text after the table
}

// SheetBar is one line of a bar chart: a label, a bar of Fraction (0..1;
// negative: no bar) of the chart's width, and its value as text.
type SheetBar struct {
	Label    string
	Fraction float64
	Value    string
}

// SheetTable is a bordered table, its header repeated on every page.
type SheetTable struct {
	Columns []SheetColumn
	Rows    [][]string
	// TotalLast sets the last row in bold.
	TotalLast bool
}

// SheetColumn is a column: its title, an optional group title above it
// (adjacent columns of one group share it), a width in points (0: a share
// of what the fixed columns leave) and the alignment of its cells.
type SheetColumn struct {
	Title, Group string
	Width        float64
	Right        bool
}

// WriteSheet prints a sheet. Nothing is written to w on error.
func WriteSheet(w io.Writer, s Sheet) (*Result, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	m, err := fontMetrics()
	if err != nil {
		return nil, err
	}
	fl := layoutSheet(m, &s)
	pdf, err := render(m, fl.pages, docInfo{title: s.Title, created: s.AsOf})
	if err != nil {
		return nil, err
	}
	if err := writeAll(w, "printing.WriteSheet", pdf); err != nil {
		return nil, err
	}
	return &Result{Pages: len(fl.pages)}, nil
}

func (s *Sheet) validate() error {
	if strings.TrimSpace(s.Title) == "" {
		return domain.Errorf(domain.EINVALID, "У документа нет заголовка.")
	}
	for _, p := range s.Parts {
		if p.Table == nil {
			continue
		}
		if len(p.Table.Columns) == 0 {
			return domain.Errorf(domain.EINVALID, "Таблица «%s» без столбцов.", short(p.Heading))
		}
		for _, r := range p.Table.Rows {
			if len(r) != len(p.Table.Columns) {
				return domain.Errorf(domain.EINVALID, "В таблице «%s» строка из %d ячеек при %d столбцах.", short(p.Heading), len(r), len(p.Table.Columns))
			}
		}
	}
	return nil
}

// Bar chart geometry: label column, bar length and line height in points.
const (
	sheetBarLabel = 230
	sheetBarLen   = 360
	sheetBarLine  = 15
)

var barGreen = rgb{46, 125, 79}

func layoutSheet(m *metrics, s *Sheet) *flow {
	c := m.clean
	fl := newFlow(m, landscape)
	fl.head = func() {
		fl.para(regular, headSize, alignLeft, c(s.Title)+" (продолжение)", gray)
		fl.y += 4
	}
	fl.para(bold, regTitleSize, alignCenter, strings.ToUpper(c(s.Title)), black)
	for _, ln := range s.Subtitle {
		fl.para(regular, regTextSize, alignCenter, c(ln), black)
	}
	fl.y += 8
	for i, p := range s.Parts {
		if i > 0 {
			fl.gap(12)
		}
		if p.Heading != "" {
			fl.ensure(4 * regTextSize * lineFactor)
			fl.para(bold, regTextSize, alignLeft, c(p.Heading), black)
			fl.y += 4
		}
		if p.Text != "" {
			fl.para(regular, regTextSize, alignLeft, c(p.Text), black)
			fl.y += 4
		}
		sheetBars(fl, c, p.Bars)
		if p.Table != nil {
			fl.table(sheetTable(p.Table), sheetRows(c, p.Table))
		}
		if p.Note != "" {
			fl.y += 4
			fl.para(regular, headSize, alignLeft, c(p.Note), black)
		}
	}
	note := ""
	if !s.AsOf.IsZero() {
		note = "Сформирован " + date(s.AsOf)
	}
	fl.footers(note)
	return fl
}

// sheetBars draws a bar chart, one line a bar, breaking pages between
// lines.
func sheetBars(fl *flow, c func(string) string, bars []SheetBar) {
	const size = regCellSize
	x := fl.left()
	for _, b := range bars {
		fl.ensure(sheetBarLine)
		rs := []rune(c(b.Label))
		for len(rs) > 1 && fl.m.width(regular, size, string(rs)) > sheetBarLabel-6 {
			rs = append(rs[:len(rs)-2:len(rs)-2], '…') // shortened, never wrapped
		}
		label := string(rs)
		fl.text(regular, size, x+sheetBarLabel-6-fl.m.width(regular, size, label), fl.y+2, label, black)
		fl.fill(Rect{x + sheetBarLabel, fl.y + 2, sheetBarLen, sheetBarLine - 5}, fillGray)
		if b.Fraction > 0 {
			fl.fill(Rect{x + sheetBarLabel, fl.y + 2, sheetBarLen * min(b.Fraction, 1), sheetBarLine - 5}, barGreen)
		}
		fl.text(regular, size, x+sheetBarLabel+sheetBarLen+6, fl.y+2, c(b.Value), black)
		fl.y += sheetBarLine
	}
}

func sheetTable(t *SheetTable) *table {
	cols := make([]column, len(t.Columns))
	for i, sc := range t.Columns {
		cols[i] = column{title: sc.Title, group: sc.Group, fixed: sc.Width, align: alignLeft}
		if sc.Width == 0 {
			cols[i].weight = 1
		}
		if sc.Right {
			cols[i].align = alignRight
		}
	}
	return &table{cols: cols, size: regCellSize, headSize: regCellSize, pad: 3}
}

func sheetRows(c func(string) string, t *SheetTable) []tableRow {
	out := make([]tableRow, len(t.Rows))
	for i, r := range t.Rows {
		cells := make([]string, len(r))
		for j, s := range r {
			cells[j] = c(s)
		}
		out[i] = tableRow{cells: cells, bold: t.TotalLast && i == len(t.Rows)-1}
	}
	return out
}
