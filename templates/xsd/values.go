package xsd

import (
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

const zone = `(Z|[+-][0-9]{2}:[0-9]{2})?`

var (
	reDate       = regexp.MustCompile(`^(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})` + zone + `$`)
	reDateTime   = regexp.MustCompile(`^(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?` + zone + `$`)
	reTime       = regexp.MustCompile(`^([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?` + zone + `$`)
	reGYear      = regexp.MustCompile(`^(-?[0-9]{4,})` + zone + `$`)
	reGYearMonth = regexp.MustCompile(`^(-?[0-9]{4,})-([0-9]{2})` + zone + `$`)
	reInteger    = regexp.MustCompile(`^[+-]?[0-9]+$`)
	reDecimal    = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)
	reDouble     = regexp.MustCompile(`^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|INF|-INF|NaN)$`)
)

// lexical returns "" when v (normalized) is in the lexical space of the
// primitive of t, or what is wrong.
func (t *SimpleType) lexical(v string) string {
	ok := true
	switch t.kind {
	case kDate:
		m := reDate.FindStringSubmatch(v)
		ok = m != nil && validYear(m[1]) && validDay(m[1], m[2], m[3]) && validZone(m[4])
	case kDateTime:
		m := reDateTime.FindStringSubmatch(v)
		ok = m != nil && validYear(m[1]) && validDay(m[1], m[2], m[3]) && validClock(m[4], m[5], m[6], m[7]) && validZone(m[8])
	case kTime:
		m := reTime.FindStringSubmatch(v)
		ok = m != nil && validClock(m[1], m[2], m[3], m[4]) && validZone(m[5])
	case kGYear:
		m := reGYear.FindStringSubmatch(v)
		ok = m != nil && validYear(m[1]) && validZone(m[2])
	case kGYearMonth:
		m := reGYearMonth.FindStringSubmatch(v)
		ok = m != nil && validYear(m[1]) && atoi2(m[2]) >= 1 && atoi2(m[2]) <= 12 && validZone(m[3])
	case kInteger:
		ok = reInteger.MatchString(v)
	case kDecimal:
		ok = reDecimal.MatchString(v)
	case kDouble:
		ok = reDouble.MatchString(v)
	case kBoolean:
		ok = v == "true" || v == "false" || v == "1" || v == "0"
	}
	if !ok {
		return fmt.Sprintf("«%s» не подходит для типа %s", v, kindRu[t.kind])
	}
	return ""
}

var kindRu = map[kind]string{kString: "строка", kNormalized: "строка", kToken: "строка", kDate: "дата (ГГГГ-ММ-ДД)",
	kDateTime: "дата и время", kTime: "время", kGYear: "год", kGYearMonth: "год и месяц", kDecimal: "число",
	kInteger: "целое число", kDouble: "число", kBoolean: "логическое значение"}

func validYear(y string) bool {
	y = strings.TrimPrefix(y, "-")
	if strings.HasPrefix(y, "-") {
		return false
	}
	// libxml2 keeps the year in a long: longer years are refused there
	// and here alike.
	return !(len(y) > 4 && y[0] == '0') && strings.Trim(y, "0") != "" && len(y) <= 18
}

func validDay(year, mon, day string) bool {
	y := 0
	digits := strings.TrimPrefix(year, "-")
	for _, c := range digits[len(digits)-4:] { // leap years repeat every 400 years
		y = y*10 + int(c-'0')
	}
	if strings.HasPrefix(year, "-") { // proleptic: year -1 is 2 BC… leave BC dates to the check of the year
		y = (400 - y%400) % 400
	}
	m, d := atoi2(mon), atoi2(day)
	return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

func validClock(h, m, s, frac string) bool {
	hh, mm, ss := atoi2(h), atoi2(m), atoi2(s)
	if hh == 24 {
		return mm == 0 && ss == 0 && strings.Trim(frac, ".0") == ""
	}
	return hh < 24 && mm < 60 && ss < 60
}

func validZone(tz string) bool {
	if len(tz) != 6 {
		return true
	}
	hh, mm := atoi2(tz[1:3]), atoi2(tz[4:6])
	return mm <= 59 && (hh < 14 || hh == 14 && mm == 0)
}

func hasZone(v string) bool {
	return strings.HasSuffix(v, "Z") || len(v) > 6 && (v[len(v)-6] == '+' || v[len(v)-6] == '-') && v[len(v)-3] == ':'
}

// dateKey is a date-like value (without its zone) in a form that sorts as
// the values do, for positive years.
func dateKey(v string) string {
	if hasZone(v) {
		if strings.HasSuffix(v, "Z") {
			v = v[:len(v)-1]
		} else {
			v = v[:len(v)-6]
		}
	}
	year, rest, _ := strings.Cut(v, "-")
	if year == "" { // a negative year sorts before every positive one
		return "-" + v
	}
	return fmt.Sprintf("%012s", year) + "-" + rest
}

func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// digitCounts returns the total and the fraction digits of a decimal
// value as XSD counts them (no leading zeros, no trailing fraction zeros).
func digitCounts(v string) (total, frac int) {
	v = strings.TrimLeft(v, "+-")
	ip, fp, _ := strings.Cut(v, ".")
	ip = strings.TrimLeft(ip, "0")
	fp = strings.TrimRight(fp, "0")
	total = len(ip) + len(fp)
	if total == 0 {
		total = 1
	}
	return total, len(fp)
}

// check returns "" when value is valid for t, or what is wrong, in Russian.
func (t *SimpleType) check(value string) string {
	v := normalize(value, t.kind)
	if msg := t.lexical(v); msg != "" {
		return msg
	}
	if msg := t.checkLengths(v); msg != "" {
		return msg
	}
	if msg := t.checkNumber(v); msg != "" {
		return msg
	}
	for _, step := range t.patterns {
		ok := false
		for _, re := range step {
			ok = ok || re.MatchString(v)
		}
		if !ok {
			return fmt.Sprintf("«%s» не подходит под образец схемы", v)
		}
	}
	for _, step := range t.enums {
		ok := false
		for _, e := range step {
			ok = ok || t.equal(e, v)
		}
		if !ok {
			return fmt.Sprintf("«%s» нет среди допустимых значений (%s)", v, strings.Join(step, ", "))
		}
	}
	return ""
}

func (t *SimpleType) checkLengths(v string) string {
	n := utf8.RuneCountInString(v)
	for _, l := range t.length {
		if n != l {
			return fmt.Sprintf("длина %d, а должна быть %d", n, l)
		}
	}
	for _, l := range t.minLen {
		if n < l {
			return fmt.Sprintf("длина %d меньше %d", n, l)
		}
	}
	for _, l := range t.maxLen {
		if n > l {
			return fmt.Sprintf("длина %d больше %d", n, l)
		}
	}
	return ""
}

func (t *SimpleType) checkNumber(v string) string {
	if t.kind.numeric() {
		total, frac := digitCounts(v)
		for _, d := range t.digits {
			if total > d {
				return fmt.Sprintf("в числе «%s» больше %d цифр", v, d)
			}
		}
		for _, d := range t.frac {
			if frac > d {
				return fmt.Sprintf("в числе «%s» больше %d знаков после запятой", v, d)
			}
		}
	}
	for _, b := range t.bounds {
		var c int
		if b.num != nil {
			x, _ := new(big.Rat).SetString(strings.TrimPrefix(v, "+"))
			if x == nil {
				return fmt.Sprintf("«%s» не число", v)
			}
			c = x.Cmp(b.num)
		} else {
			c = strings.Compare(dateKey(v), b.key)
		}
		if b.max && (c > 0 || c == 0 && !b.inclusive) {
			return fmt.Sprintf("«%s» больше допустимого %s", v, b.text)
		}
		if !b.max && (c < 0 || c == 0 && !b.inclusive) {
			return fmt.Sprintf("«%s» меньше допустимого %s", v, b.text)
		}
	}
	return ""
}

// equal compares an enumerated value with a value: by number for numeric
// types, as text otherwise.
func (t *SimpleType) equal(enum, v string) bool {
	if t.kind.numeric() || t.kind == kDouble {
		a, ok1 := new(big.Rat).SetString(strings.TrimPrefix(enum, "+"))
		b, ok2 := new(big.Rat).SetString(strings.TrimPrefix(v, "+"))
		if ok1 && ok2 {
			return a.Cmp(b) == 0
		}
	}
	if t.kind == kBoolean {
		return boolOf(enum) == boolOf(v)
	}
	return enum == v
}

func boolOf(v string) bool { b, _ := strconv.ParseBool(v); return b }

// Check returns "" when value is valid for t, or what is wrong, in Russian.
func (t *SimpleType) Check(value string) string { return t.check(value) }

// MaxLength returns the smallest maxLength or length of t, 0 when none.
func (t *SimpleType) MaxLength() int {
	n := 0
	for _, l := range append(append([]int(nil), t.maxLen...), t.length...) {
		if n == 0 || l < n {
			n = l
		}
	}
	return n
}
