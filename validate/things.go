package validate

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mezhved/mezhved/calendar"
)

// Cadastral checks the cadastral number of a property object
// (АА:ВВ:CCCCCCC:N): the district (2 digits), the area (2 digits), the
// cadastral quarter (6 or 7 digits) and the number of the object in the
// quarter (1 to 9 digits, not 0). Spaces around ":" are dropped.
func Cadastral(s string) (string, error) {
	v, parts, ok := cadParts(s)
	if !ok || len(parts) != 4 || !cadQuarterOK(parts[:3]) || !allDigits(parts[3], 1, 9) || strings.Trim(parts[3], "0") == "" {
		if ok && len(parts) == 3 && cadQuarterOK(parts) {
			return "", invalid("это номер кадастрового квартала, а нужен номер объекта: добавьте «:номер» (например, 50:21:0110104:123)")
		}
		return "", invalid("нужен вид АА:ВВ:ССССССС:N (например, 50:21:0110104:123)")
	}
	return v, nil
}

// CadastralQuarter checks the number of a cadastral quarter (АА:ВВ:ССССССС).
func CadastralQuarter(s string) (string, error) {
	v, parts, ok := cadParts(s)
	if !ok || len(parts) != 3 || !cadQuarterOK(parts) {
		return "", invalid("нужен номер кадастрового квартала вида АА:ВВ:ССССССС (например, 50:21:0110104)")
	}
	return v, nil
}

func cadParts(s string) (string, []string, bool) {
	v := strings.Join(strings.Fields(s), "")
	if v == "" {
		return "", nil, false
	}
	return v, strings.Split(v, ":"), true
}

func cadQuarterOK(p []string) bool {
	return allDigits(p[0], 2, 2) && allDigits(p[1], 2, 2) && allDigits(p[2], 6, 7)
}

func allDigits(s string, lo, hi int) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// PassportSeries checks the series of a passport of a citizen of the Russian
// Federation: 4 digits (the region code, then the year the form was printed),
// written "4508" or "45 08". The canonical form is "4508".
func PassportSeries(s string) (string, error) {
	v, ok := digitsOnly(s, " ")
	if !ok || len(v) != 4 {
		return "", invalid("серия паспорта — 4 цифры (например, 45 08)")
	}
	if v[:2] == "00" {
		return "", invalid("серия паспорта не может начинаться с 00")
	}
	return v, nil
}

// PassportNumber checks the number of a passport of the Russian Federation:
// 6 digits, not all zero.
func PassportNumber(s string) (string, error) {
	v, ok := digitsOnly(s, "")
	if !ok || len(v) != 6 {
		return "", invalid("номер паспорта — 6 цифр")
	}
	if v == "000000" {
		return "", invalid("номер паспорта не может быть 000000")
	}
	return v, nil
}

// Passport checks a series and number written together ("45 08 123456",
// "4508 123456", "4508123456") and returns "4508 123456".
func Passport(s string) (string, error) {
	v, ok := digitsOnly(s, " №")
	if !ok || len(v) != 10 {
		return "", invalid("нужны серия и номер паспорта: 10 цифр (например, 45 08 123456)")
	}
	series, err := PassportSeries(v[:4])
	if err != nil {
		return "", err
	}
	number, err := PassportNumber(v[4:])
	if err != nil {
		return "", err
	}
	return series + " " + number, nil
}

// DivisionCode checks the code of the division that issued a passport
// (код подразделения): 6 digits written XXX-XXX; returns "XXX-XXX".
func DivisionCode(s string) (string, error) {
	v, ok := digitsOnly(s, "- ")
	if !ok || len(v) != 6 {
		return "", invalid("код подразделения — 6 цифр вида 123-456")
	}
	if v[:2] == "00" {
		return "", invalid("код подразделения не может начинаться с 00")
	}
	return v[:3] + "-" + v[3:], nil
}

var earliest = calendar.MustDate(1900, 1, 1)

// Dates are read forgivingly, as clerks write them: the day, the month and
// the year separated by dots, slashes, hyphens or spaces, with or without
// leading zeros («1.2.85», «01/02/1985», «1 2 1985»), eight digits in a row
// (01021985) or ISO (1985-02-01). A two-digit year takes its century by
// the kind of date (the rule the clerk is told in the field's hint):
//   - a date that cannot be in the future (birth, issue, registration:
//     BirthDate, PastDate) is the latest such day not after today:
//     «1.2.85» is 01.02.1985, «1.2.24» is 01.02.2024 in 2026;
//   - any other date (Date) is in 2000–2049 for 00–49 and in 1950–1999 for
//     50–99: «1.12.26» is 01.12.2026.
// The value is given back in full (ГГГГ-ММ-ДД; the form shows ДД.ММ.ГГГГ).

// dateParts splits a written date into day, month and year as written
// (yearDigits: 2 or 4); ok is false when it is not a date's shape.
func dateParts(s string) (d, m, y, yearDigits int, ok bool) {
	s = strings.TrimSpace(s)
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		y, m, d = num(s[0:4]), num(s[5:7]), num(s[8:10])
		return d, m, y, 4, y >= 0 && m >= 0 && d >= 0
	}
	if len(s) == 8 && num(s) >= 0 {
		return num(s[0:2]), num(s[2:4]), num(s[4:8]), 4, true
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '/' || r == '-' || r == ' ' || r == ',' })
	if len(parts) != 3 || len(parts[0]) > 2 || len(parts[1]) > 2 || (len(parts[2]) != 2 && len(parts[2]) != 4) {
		return 0, 0, 0, 0, false
	}
	d, m, y = num(parts[0]), num(parts[1]), num(parts[2])
	return d, m, y, len(parts[2]), d >= 0 && m >= 0 && y >= 0
}

// num parses ASCII digits; -1 for anything else or nothing.
func num(s string) int {
	if s == "" {
		return -1
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return -1
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// ReadDate reads a date as clerks write it (see above); notAfter, when not
// zero, decides the century of a two-digit year: the latest day not after
// it. Without it 00–49 are 2000s and 50–99 are 1900s.
func ReadDate(s string, notAfter calendar.Date) (calendar.Date, error) {
	bad := invalid("дата записана неверно или такого дня нет: нужен вид ДД.ММ.ГГГГ")
	d, m, y, digits, ok := dateParts(s)
	if !ok {
		return calendar.Date{}, bad
	}
	if digits == 2 {
		switch {
		case !notAfter.IsZero():
			y += 2000
			if c, err := calendar.NewDate(y, time.Month(m), d); err == nil && c.After(notAfter) {
				y -= 100
			}
		case y < 50:
			y += 2000
		default:
			y += 1900
		}
	}
	day, err := calendar.NewDate(y, time.Month(m), d)
	if err != nil {
		return calendar.Date{}, bad
	}
	if day.Before(earliest) || day.Year() > 2100 {
		return calendar.Date{}, invalid("дата %s вне допустимого диапазона (1900–2100)", day.Russian())
	}
	return day, nil
}

// Date checks a date (read as ReadDate reads it), between 1900 and 2100,
// and returns it as xs:date (ГГГГ-ММ-ДД).
func Date(s string) (string, error) {
	d, err := ReadDate(s, calendar.Date{})
	if err != nil {
		return "", err
	}
	return d.String(), nil
}

// PastDate checks a date that cannot be later than today (a date of issue,
// of registration).
func PastDate(s string, today calendar.Date) (string, error) {
	d, err := ReadDate(s, today)
	if err != nil {
		return "", err
	}
	if d.After(today) {
		return "", invalid("дата %s ещё не наступила", d.Russian())
	}
	return d.String(), nil
}

// BirthDate checks a date of birth: a real day, not in the future, not
// before 1900.
func BirthDate(s string, today calendar.Date) (string, error) {
	d, err := ReadDate(s, today)
	if err != nil {
		return "", err
	}
	if d.After(today) {
		return "", invalid("дата рождения %s в будущем", d.Russian())
	}
	return d.String(), nil
}

// MaxNameLen is the longest name part accepted, in letters.
const MaxNameLen = 60

// Name checks a surname, a first name or a patronymic written in Cyrillic:
// letters (Ё included), words joined by a hyphen, a space or an apostrophe
// ("Салтыков-Щедрин", "Мамед оглы"), starting with a capital letter. Spaces
// at the ends and repeated spaces are dropped.
func Name(s string) (string, error) {
	v := strings.Join(strings.Fields(s), " ")
	if v == "" {
		return "", invalid("не заполнено")
	}
	if utf8.RuneCountInString(v) > MaxNameLen {
		return "", invalid("длиннее %d букв", MaxNameLen)
	}
	prevSep := true
	for i, r := range v {
		switch {
		case isCyrillic(r):
			if i == 0 && !(r >= 'А' && r <= 'Я' || r == 'Ё') {
				return "", invalid("должно начинаться с заглавной буквы")
			}
			prevSep = false
		case r == '-' || r == ' ' || r == '\'' || r == '’':
			if prevSep {
				return "", invalid("знак «%c» не на своём месте", r)
			}
			prevSep = true
		case r < utf8.RuneSelf && (r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z'):
			return "", invalid("латинская буква «%c»: пишите русскими буквами", r)
		default:
			return "", invalid("недопустимый знак «%c»: только русские буквы, дефис, пробел и апостроф", r)
		}
	}
	if prevSep {
		return "", invalid("не может кончаться знаком «%s»", v[len(v)-1:])
	}
	return v, nil
}

func isCyrillic(r rune) bool {
	return r >= 'А' && r <= 'я' || r == 'Ё' || r == 'ё'
}

// Text checks free text: at most max characters (0: no limit) after spaces
// at the ends are dropped, and no control characters (a line break is
// allowed).
func Text(s string, max int) (string, error) {
	v := strings.TrimSpace(s)
	if max > 0 && utf8.RuneCountInString(v) > max {
		return "", invalid("длиннее %d знаков", max)
	}
	for _, r := range v {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r == utf8.RuneError || r == 0xFFFE || r == 0xFFFF {
			return "", invalid("недопустимый невидимый знак в тексте")
		}
	}
	return v, nil
}
