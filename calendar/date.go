package calendar

import (
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// Date is a civil date: a day of the Gregorian calendar with no time and no
// time zone. The zero Date is "no date" (IsZero); every other value is a real
// day between the years 1 and 9999. Dates are comparable with == and usable as
// map keys.
type Date struct {
	n int32 // days since 1970-01-01 plus epochShift; 0 means no date
}

// epochShift keeps the zero value free: 0001-01-01 is day 1.
const epochShift = 719163

// NewDate returns the date y-m-d, or an error when there is no such day
// (2025-02-29, month 13) or the year is outside 1..9999.
func NewDate(y int, m time.Month, d int) (Date, error) {
	if y < 1 || y > 9999 || m < time.January || m > time.December || d < 1 || d > daysIn(y, m) {
		return Date{}, domain.Errorf(domain.EINVALID, "Нет такой даты: %04d-%02d-%02d", y, int(m), d)
	}
	u := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
	return Date{n: int32(u + epochShift)}, nil
}

// MustDate is NewDate for constants in code and tests; it panics on a day
// that does not exist.
func MustDate(y int, m time.Month, d int) Date {
	t, err := NewDate(y, m, d)
	if err != nil {
		panic(err)
	}
	return t
}

// DateOf returns the civil date of t in t's own location. Convert the
// instant to the clerk's zone first (t.In(loc)): the same instant is a
// different day in Kaliningrad and in Kamchatka.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return MustDate(y, m, d)
}

// ParseDate reads "YYYY-MM-DD" (ISO 8601, as xs:date without a zone) or the
// Russian "ДД.ММ.ГГГГ". Nothing else is accepted.
func ParseDate(s string) (Date, error) {
	var y, m, d int
	switch {
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		y, m, d = atoi(s[0:4]), atoi(s[5:7]), atoi(s[8:10])
	case len(s) == 10 && s[2] == '.' && s[5] == '.':
		d, m, y = atoi(s[0:2]), atoi(s[3:5]), atoi(s[6:10])
	default:
		y = -1
	}
	if y < 0 || m < 0 || d < 0 {
		return Date{}, domain.Errorf(domain.EINVALID, "Дата %q записана неверно: нужен вид ДД.ММ.ГГГГ или ГГГГ-ММ-ДД", s)
	}
	return NewDate(y, time.Month(m), d)
}

// atoi parses a run of ASCII digits; -1 when there is anything else.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return -1
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// IsZero reports whether d is the zero Date ("no date").
func (d Date) IsZero() bool { return d.n == 0 }

// Time returns midnight of d in UTC; for arithmetic with time only.
func (d Date) Time() time.Time {
	return time.Unix(int64(d.n-epochShift)*86400, 0).UTC()
}

// Year, Month and Day return the parts of d.
func (d Date) Year() int             { return d.Time().Year() }
func (d Date) Month() time.Month     { return d.Time().Month() }
func (d Date) Day() int              { return d.Time().Day() }
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// AddDays returns the date n calendar days after d (before it when n < 0).
func (d Date) AddDays(n int) Date { return Date{n: d.n + int32(n)} }

// Sub returns the number of calendar days from e to d (d - e).
func (d Date) Sub(e Date) int { return int(d.n - e.n) }

// Before, After and Compare order dates.
func (d Date) Before(e Date) bool { return d.n < e.n }
func (d Date) After(e Date) bool  { return d.n > e.n }
func (d Date) Compare(e Date) int {
	switch {
	case d.n < e.n:
		return -1
	case d.n > e.n:
		return 1
	}
	return 0
}

// String returns "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	y, m, dd := d.Time().Date()
	return fmt.Sprintf("%04d-%02d-%02d", y, int(m), dd)
}

// Russian returns "ДД.ММ.ГГГГ", the form a clerk reads and prints.
func (d Date) Russian() string {
	if d.IsZero() {
		return ""
	}
	y, m, dd := d.Time().Date()
	return fmt.Sprintf("%02d.%02d.%04d", dd, int(m), y)
}

// MarshalText writes "YYYY-MM-DD" (JSON, the window, the journal); the zero
// Date is written as "".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads what ParseDate reads; "" gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value stores a Date in SQL as TEXT "YYYY-MM-DD" (NULL for the zero Date),
// which sorts in date order.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads what Value stores: TEXT or BLOB "YYYY-MM-DD", or NULL.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case string:
		return d.UnmarshalText([]byte(v))
	case []byte:
		return d.UnmarshalText(v)
	}
	return fmt.Errorf("calendar: cannot scan %T into a Date", src)
}
