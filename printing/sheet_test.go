package printing

import (
	"bytes"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
)

func TestWriteSheet(t *testing.T) {
	s := Sheet{Title: "Сводка", Subtitle: []string{"Тестовая область"}, AsOf: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC),
		Parts: []SheetPart{
			{Heading: "1. Рейтинг", Bars: []SheetBar{{Label: "1. Берёзовское", Fraction: 0.951, Value: "95,1 %"}, {Label: "Кедровое", Fraction: -1, Value: "—"}}},
			{Heading: "2. Таблица", Table: &SheetTable{TotalLast: true, Columns: []SheetColumn{{Title: "Поселение"}, {Title: "Доля", Group: "Входящие", Width: 60, Right: true}},
				Rows: [][]string{{"Берёзовское", "95,1 %"}, {"Итого", "95,1 %"}}}, Note: "Примечание."},
		}}
	var buf bytes.Buffer
	res, err := WriteSheet(&buf, s)
	if err != nil || res.Pages != 1 || !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("%+v %v", res, err)
	}
	s.Parts[1].Table.Rows = append(s.Parts[1].Table.Rows, []string{"одна ячейка"})
	buf.Reset()
	if _, err := WriteSheet(&buf, s); domain.ErrorCode(err) != domain.EINVALID || buf.Len() != 0 {
		t.Fatalf("a short row: %v, %d bytes written", err, buf.Len())
	}
	if _, err := WriteSheet(&buf, Sheet{}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("no title: %v", err)
	}
}
