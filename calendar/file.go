package calendar

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// MaxFileSize bounds a calendar file; a real one is about 3 KB.
const MaxFileSize = 256 << 10

// Kind says what a day is by the production calendar.
type Kind uint8

const (
	Unknown        Kind = iota // the calendar does not cover the day's year
	Workday                    // an ordinary working day
	ShortDay                   // a working day one hour shorter, before a holiday (t="2")
	WorkingWeekend             // a Saturday or Sunday made a working day (t="3")
	Weekend                    // an ordinary Saturday or Sunday
	DayOff                     // a holiday or a day off moved onto a weekday (t="1")
)

// Working reports whether the day counts as a working day.
func (k Kind) Working() bool { return k == Workday || k == ShortDay || k == WorkingWeekend }

func (k Kind) String() string {
	return [...]string{"неизвестно", "рабочий день", "сокращённый рабочий день",
		"рабочий выходной", "выходной", "нерабочий праздничный день"}[k]
}

// Year is one year of the production calendar, read and checked by
// ParseYear. It is immutable.
type Year struct {
	Year      int    // the year it covers
	Published string // the "date" attribute of the file, as written (may be "")
	kinds     []Kind // one per day of the year, from 1 January
}

// WorkingDays returns the number of working days in the year.
func (y *Year) WorkingDays() int {
	n := 0
	for _, k := range y.kinds {
		if k.Working() {
			n++
		}
	}
	return n
}

func badFile(format string, args ...any) error {
	return domain.Errorf(domain.EINVALID, "Файл производственного календаря не принят: "+format, args...)
}

// ParseYear reads a calendar file in the format of the public dataset
// xmlcalendar (see ../shared/calendar/README.md):
//
//	<calendar year="2025"><holidays><holiday id="1" title="…"/>…</holidays>
//	<days><day d="01.01" t="1" h="1"/>…</days></calendar>
//
// and checks it fully: no DOCTYPE or entities, only these elements, every
// day a real day of that year listed once, t one of 1 (day off), 2 (shortened
// working day), 3 (working Saturday or Sunday, only on a weekend), h naming a
// listed holiday, and 1 January a day off (a file without it is not a Russian
// production calendar). At most MaxFileSize bytes are read.
func ParseYear(r io.Reader) (*Year, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "calendar.ParseYear", "Файл производственного календаря не прочитан")
	}
	if len(data) > MaxFileSize {
		return nil, badFile("файл больше %d КБ", MaxFileSize>>10)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	p := &yearParser{holidays: map[string]bool{}, seen: map[int]bool{}}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, domain.Wrap(err, domain.EINVALID, "calendar.ParseYear", "Файл производственного календаря не принят: это неправильный XML")
		}
		if err := p.token(tok); err != nil {
			return nil, err
		}
	}
	return p.finish()
}

// yearParser reads a calendar file token by token.
type yearParser struct {
	y        *Year
	path     []string
	holidays map[string]bool
	seen     map[int]bool
	hrefs    []string
	sawRoot  bool
}

func (p *yearParser) token(tok xml.Token) error {
	switch t := tok.(type) {
	case xml.Directive:
		return badFile("объявления DOCTYPE и сущности запрещены")
	case xml.StartElement:
		return p.start(t)
	case xml.EndElement:
		p.path = p.path[:len(p.path)-1]
	case xml.CharData:
		if len(bytes.TrimSpace(t)) > 0 {
			return badFile("неожиданный текст %q", string(bytes.TrimSpace(t)))
		}
	}
	return nil
}

// start takes an element: <calendar year>, <holidays>/<holiday id>,
// <days>/<day d t h>; anything else is refused.
func (p *yearParser) start(t xml.StartElement) error {
	if t.Name.Space != "" {
		return badFile("элемент %s в пространстве имён не ожидался", t.Name.Local)
	}
	parent := ""
	if len(p.path) > 0 {
		parent = p.path[len(p.path)-1]
	}
	p.path = append(p.path, t.Name.Local)
	switch {
	case parent == "" && t.Name.Local == "calendar":
		if p.sawRoot {
			return badFile("второй корневой элемент")
		}
		p.sawRoot = true
		year, err := strconv.Atoi(attr(t, "year"))
		if err != nil || year < 1992 || year > 2200 {
			return badFile("год %q не указан или неверен", attr(t, "year"))
		}
		p.y = &Year{Year: year, Published: attr(t, "date"), kinds: defaultKinds(year)}
	case parent == "calendar" && (t.Name.Local == "holidays" || t.Name.Local == "days"):
	case parent == "holidays" && t.Name.Local == "holiday":
		id := attr(t, "id")
		if id == "" || p.holidays[id] {
			return badFile("праздник без номера или с повторным номером %q", id)
		}
		p.holidays[id] = true
	case parent == "days" && t.Name.Local == "day":
		if err := p.y.setDay(t, p.seen); err != nil {
			return err
		}
		if h := attr(t, "h"); h != "" {
			p.hrefs = append(p.hrefs, h)
		}
	default:
		return badFile("неожиданный элемент <%s>", t.Name.Local)
	}
	return nil
}

// finish checks the whole: a year, holidays that exist, 1 January off.
func (p *yearParser) finish() (*Year, error) {
	if p.y == nil {
		return nil, badFile("нет элемента <calendar>")
	}
	for _, h := range p.hrefs {
		if !p.holidays[h] {
			return nil, badFile("день ссылается на праздник %s, которого нет в списке", h)
		}
	}
	if p.y.kinds[0] != DayOff {
		return nil, badFile("1 января не отмечено нерабочим днём — это не производственный календарь России")
	}
	return p.y, nil
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func defaultKinds(year int) []Kind {
	jan1 := MustDate(year, time.January, 1)
	n := MustDate(year+1, time.January, 1).Sub(jan1)
	kinds := make([]Kind, n)
	for i := range kinds {
		switch jan1.AddDays(i).Weekday() {
		case time.Saturday, time.Sunday:
			kinds[i] = Weekend
		default:
			kinds[i] = Workday
		}
	}
	return kinds
}

// parseMD reads "MM.DD" as a day of year.
func parseMD(year int, s string) (Date, error) {
	if len(s) != 5 || s[2] != '.' || atoi(s[:2]) < 0 || atoi(s[3:]) < 0 {
		return Date{}, badFile("день %q записан не как ММ.ДД", s)
	}
	d, err := NewDate(year, time.Month(atoi(s[:2])), atoi(s[3:]))
	if err != nil {
		return Date{}, badFile("дня %s нет в %d году", s, year)
	}
	return d, nil
}

func (y *Year) setDay(t xml.StartElement, seen map[int]bool) error {
	d, err := parseMD(y.Year, attr(t, "d"))
	if err != nil {
		return err
	}
	if f := attr(t, "f"); f != "" {
		if len(f) != 5 || f[2] != '.' || atoi(f[:2]) < 1 || atoi(f[:2]) > 12 || atoi(f[3:]) < 1 || atoi(f[3:]) > 31 {
			return badFile("у дня %s перенос f=%q записан не как ММ.ДД", d.Russian(), f)
		}
	}
	i := d.Sub(MustDate(y.Year, time.January, 1))
	if seen[i] {
		return badFile("день %s указан дважды", d.Russian())
	}
	seen[i] = true
	weekend := y.kinds[i] == Weekend
	switch attr(t, "t") {
	case "1":
		y.kinds[i] = DayOff
	case "2":
		y.kinds[i] = ShortDay
	case "3":
		if !weekend {
			return badFile("день %s отмечен рабочим выходным (t=3), но это не суббота и не воскресенье", d.Russian())
		}
		y.kinds[i] = WorkingWeekend
	default:
		return badFile("у дня %s неизвестный тип t=%q (ожидается 1, 2 или 3)", d.Russian(), attr(t, "t"))
	}
	return nil
}

// yearMissing is the cause of an error for a date the calendar does not cover.
type yearMissing struct{ year int }

func (e *yearMissing) Error() string { return fmt.Sprintf("calendar: year %d not covered", e.year) }

// MissingYear returns the year that err says the calendar lacks, or 0 when
// err is not such an error. The window uses it to offer importing that year.
func MissingYear(err error) int {
	var m *yearMissing
	if errors.As(err, &m) {
		return m.year
	}
	return 0
}

func errMissing(op string, year int) error {
	return domain.Wrap(&yearMissing{year}, domain.ENOTFOUND, op,
		fmt.Sprintf("Производственного календаря на %d год нет в программе: загрузите файл календаря на этот год, иначе срок не посчитать", year))
}
