package region

import (
	"strconv"
	"strings"
	"time"

	"github.com/mezhved/mezhved/region/regionsync"
)

// The words and dates every output prints the report with: the dashboard,
// the CSV and the PDF call these, so that they say the same.

// moscow is the zone the dashboard shows times in.
var moscow = regionsync.Moscow

var monthsShort = [...]string{"янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"}

// monthLabel is «янв 2026» for 2026-01.
func monthLabel(m string) string {
	y, mm, ok := strings.Cut(m, "-")
	n, err := strconv.Atoi(mm)
	if !ok || err != nil || n < 1 || n > 12 {
		return m
	}
	return monthsShort[n-1] + " " + y
}

// ruDate is ДД.ММ.ГГГГ.
func ruDate(t time.Time) string { return t.Format("02.01.2006") }

// ruDay is ДД.ММ.ГГГГ for a stored civil date YYYY-MM-DD.
func ruDay(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return ruDate(t)
}

// periodText is «с 01.01.2026 по 22.11.2026».
func periodText(p Period) string { return "с " + ruDate(p.From) + " по " + ruDate(p.To) }

// lastSyncText is the last sync in Moscow time, or «нет данных».
func lastSyncText(r SettlementRow) string {
	if r.LastSync.IsZero() {
		return "нет данных"
	}
	return r.LastSync.In(moscow).Format("02.01.2006 15:04")
}

// quietText says why a settlement is highlighted, "" when it is not.
func quietText(r SettlementRow, asOf time.Time) string {
	switch {
	case r.Never:
		return "ни разу не синхронизировалось"
	case r.Silent:
		return "нет связи " + daysText(int(asOf.Sub(r.LastSync).Hours()/24))
	}
	return ""
}

// daysText is «12 дней», «1 день», «3 дня».
func daysText(n int) string {
	word := "дней"
	switch {
	case n%100 >= 11 && n%100 <= 14:
	case n%10 == 1:
		word = "день"
	case n%10 >= 2 && n%10 <= 4:
		word = "дня"
	}
	return strconv.Itoa(n) + " " + word
}

// directionText names a direction for the region's staff.
func directionText(d string) string {
	if d == "in" {
		return "входящий"
	}
	return "исходящий"
}

// contourText names a reported contour.
func contourText(c string) string {
	if c == "training" {
		return "учебный режим"
	}
	return "тестовый контур СМЭВ"
}

// orNone is s, or «(не указан)».
func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(не указан)"
	}
	return s
}

// groupDigits is n with a no-break space between thousands.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(c)
	}
	return b.String()
}
