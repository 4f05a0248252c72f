package calendar

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
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
	lim := xmltree.DefaultLimits
	lim.MaxBytes = MaxFileSize
	d, err := xmltree.ParseLimits(data, lim)
	if errors.Is(err, xmltree.ErrDTD) {
		return nil, badFile("объявления DOCTYPE и сущности запрещены")
	} else if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "calendar.ParseYear", "Файл производственного календаря не принят: это неправильный XML")
	}
	p := &yearParser{d: d, holidays: map[string]bool{}, seen: map[int]bool{}}
	if err := p.walk(d.Root, ""); err != nil {
		return nil, err
	}
	return p.finish()
}

// yearParser reads a calendar file from the project's strict XML tree.
type yearParser struct {
	d        *xmltree.Doc
	y        *Year
	holidays map[string]bool
	seen     map[int]bool
	hrefs    []string
}

// walk takes element n under an element named parent ("" for the root),
// then its children: only whitespace text, no namespaces.
func (p *yearParser) walk(n int32, parent string) error {
	if err := p.element(n, parent); err != nil {
		return err
	}
	name := string(p.d.Nodes[n].Local)
	for c := p.d.Nodes[n].FirstChild; c != xmltree.None; c = p.d.Nodes[c].Next {
		switch nd := &p.d.Nodes[c]; nd.Kind {
		case xmltree.Element:
			if err := p.walk(c, name); err != nil {
				return err
			}
		case xmltree.Text:
			if t := bytes.TrimSpace(nd.Data); len(t) > 0 {
				return badFile("неожиданный текст %q", string(t))
			}
		}
	}
	return nil
}

// element takes <calendar year>, <holidays>/<holiday id>, <days>/<day d t
// h f>; anything else is refused.
func (p *yearParser) element(n int32, parent string) error {
	nd := &p.d.Nodes[n]
	local := string(nd.Local)
	if len(nd.URI) > 0 {
		return badFile("элемент %s в пространстве имён не ожидался", local)
	}
	attr := func(name string) string { v, _ := p.d.Attr(n, "", name); return v }
	switch {
	case parent == "" && local == "calendar":
		year, err := strconv.Atoi(attr("year"))
		if err != nil || year < 1992 || year > 2200 {
			return badFile("год %q не указан или неверен", attr("year"))
		}
		p.y = &Year{Year: year, Published: attr("date"), kinds: defaultKinds(year)}
	case parent == "calendar" && (local == "holidays" || local == "days"):
	case parent == "holidays" && local == "holiday":
		id := attr("id")
		if id == "" || p.holidays[id] {
			return badFile("праздник без номера или с повторным номером %q", id)
		}
		p.holidays[id] = true
	case parent == "days" && local == "day":
		if err := p.y.setDay(attr, p.seen); err != nil {
			return err
		}
		if h := attr("h"); h != "" {
			p.hrefs = append(p.hrefs, h)
		}
	default:
		return badFile("неожиданный элемент <%s>", local)
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

func (y *Year) setDay(attr func(string) string, seen map[int]bool) error {
	d, err := parseMD(y.Year, attr("d"))
	if err != nil {
		return err
	}
	if f := attr("f"); f != "" {
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
	switch attr("t") {
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
		return badFile("у дня %s неизвестный тип t=%q (ожидается 1, 2 или 3)", d.Russian(), attr("t"))
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
