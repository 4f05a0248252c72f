// Package calendar counts working days on the Russian production calendar
// (производственный календарь) and computes the deadlines of interagency
// requests.
//
// # Data
//
// The calendars for 2020–2027 are embedded (data/, copied from the public
// dataset xmlcalendar/data, see ../shared/calendar/README.md). A newer year is
// added by importing a file of the same format (Import); it is checked fully
// before it is kept. A date in a year the calendar does not have is an error
// (ENOTFOUND, MissingYear tells which year), never a guess from weekends.
//
// A working day is a Monday–Friday that the calendar does not mark as a day
// off, a Saturday or Sunday it marks as working (t="3"), or a shortened day
// before a holiday (t="2"): a shortened day is one hour shorter (Labour Code
// art. 95) and counts as a full working day in every term.
//
// # Deadline rules and their sources
//
//   - The answer to an interagency request is due within 5 working days from
//     the day the provider received the request, unless the technological card
//     or another act sets a different term: Federal Law 210-FZ of 27.07.2010,
//     art. 7.2 part 3 (AnswerDue, DefaultAnswerTerm). For a request sent
//     through SMEV 3 the day of receipt is the day of
//     MessageMetadata/SendingTimestamp, taken as a civil date in the clerk's
//     own time zone.
//   - The request must be sent within 2 working days after the day the
//     application was registered (SendBy, SendTerm). This term is set by the
//     administrative regulations of the municipal services and the regional
//     rules of interagency interaction, not by 210-FZ itself; 2 working days is
//     the term those rules commonly set (../shared/docs/smev3.md). A region
//     with another term needs a change of SendTerm.
//   - The same terms apply when the settlement is the provider: an incoming
//     request is answered within 5 working days of its receipt.
//
// # How the days are counted
//
// A term of N working days runs from the day after the event (Civil Code of
// the Russian Federation, art. 191: a term begins on the day after the date
// of the event that starts it). The day of receipt or registration is day 0
// and never counts, whether it is a working day or not. Day 1 is the first
// working day after day 0, and the due date is day N: the N-th working day
// after day 0; the answer is in time if it is given on or before the due
// date (art. 194: until 24:00 of that day, or until the close of business
// when the act is done in an organisation). Because only working
// days are counted, the due date is always a working day, so the rule of art.
// 193 (a term ending on a day off moves to the next working day) never has to
// be applied.
//
// Example: a request received on Friday 2024-12-27 (day 0). Saturday
// 2024-12-28 was a working Saturday (day 1), 30 and 31 December and 1–8
// January were days off, so day 2 is Thursday 2025-01-09, day 3 Friday
// 2025-01-10, day 4 Monday 2025-01-13, and the 5-day answer is due on Tuesday
// 2025-01-14.
//
// A Calendar is immutable and safe for concurrent use. AddWorkingDays walks a
// precomputed table of day kinds (O(N) in the term, no allocation);
// WorkingDaysBetween is O(1) after a prefix count.
package calendar

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/fsutil"
)

// DefaultAnswerTerm is the answer term in working days, 210-FZ art. 7.2 part 3.
const DefaultAnswerTerm = 5

// SendTerm is the term in working days for sending a request after the
// application was registered.
const SendTerm = 2

//go:embed data/*.xml
var embedded embed.FS

// Calendar is a set of years of the production calendar.
type Calendar struct {
	years map[int]*Year
	base  Date    // 1 January of the first year
	kinds []Kind  // one per day from base to 31 December of the last year
	cum   []int32 // cum[i] = working days among kinds[:i]
}

// New builds a calendar from years; a year given twice is an error. The
// years need not be consecutive: days of a missing year are Unknown.
func New(years ...*Year) (*Calendar, error) {
	m := map[int]*Year{}
	for _, y := range years {
		if m[y.Year] != nil {
			return nil, domain.Errorf(domain.EINVALID, "Производственный календарь на %d год указан дважды", y.Year)
		}
		m[y.Year] = y
	}
	return build(m), nil
}

func build(m map[int]*Year) *Calendar {
	c := &Calendar{years: m}
	if len(m) == 0 {
		return c
	}
	first, last := 1<<30, 0
	for y := range m {
		first, last = min(first, y), max(last, y)
	}
	c.base = MustDate(first, time.January, 1)
	c.kinds = make([]Kind, MustDate(last+1, time.January, 1).Sub(c.base))
	for y, yr := range m {
		copy(c.kinds[MustDate(y, time.January, 1).Sub(c.base):], yr.kinds)
	}
	c.cum = make([]int32, len(c.kinds)+1)
	for i, k := range c.kinds {
		c.cum[i+1] = c.cum[i]
		if k.Working() {
			c.cum[i+1]++
		}
	}
	return c
}

var (
	builtinOnce sync.Once
	builtin     *Calendar
)

// Builtin returns the calendar embedded in the program (2020–2027).
func Builtin() *Calendar {
	builtinOnce.Do(func() {
		var years []*Year
		names, _ := fs.Glob(embedded, "data/*.xml")
		for _, name := range names {
			f, _ := embedded.Open(name)
			y, err := ParseYear(f)
			f.Close()
			if err != nil {
				panic(fmt.Sprintf("calendar: embedded %s: %v", name, err)) // a build defect, caught by tests
			}
			years = append(years, y)
		}
		c, err := New(years...)
		if err != nil {
			panic(err)
		}
		builtin = c
	})
	return builtin
}

// With returns a calendar with y added, replacing the same year if c has it.
func (c *Calendar) With(y *Year) *Calendar {
	m := make(map[int]*Year, len(c.years)+1)
	for k, v := range c.years {
		m[k] = v
	}
	m[y.Year] = y
	return build(m)
}

// Years returns the covered years in order.
func (c *Calendar) Years() []int {
	ys := make([]int, 0, len(c.years))
	for y := range c.years {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	return ys
}

// Load returns the built-in calendar with every imported year from dir
// (files named <year>.xml, written by Import) added; an imported year
// replaces the built-in one. A missing dir is not an error.
func Load(dir string) (*Calendar, error) {
	c := Builtin()
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	} else if err != nil {
		return nil, domain.Wrap(err, domain.EPERMISSION, "calendar.Load", "Папка производственных календарей не читается")
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".xml") {
			continue
		}
		want, err := strconv.Atoi(strings.TrimSuffix(name, ".xml"))
		if err != nil {
			continue // not ours (temp files of an interrupted import end in .tmp)
		}
		y, err := readYearFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		if y.Year != want {
			return nil, domain.Errorf(domain.ECORRUPT, "Файл календаря %s содержит %d год", name, y.Year)
		}
		c = c.With(y)
	}
	return c, nil
}

// readFile reads at most MaxFileSize+1 bytes of path (ParseYear refuses more).
func readFile(path string) ([]byte, error) {
	data, err := fsutil.ReadFileLimited(path, MaxFileSize)
	if err != nil {
		return nil, domain.Wrap(err, domain.EPERMISSION, "calendar", "Файл производственного календаря не читается: "+path)
	}
	return data, nil
}

func readYearFile(path string) (*Year, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return ParseYear(bytes.NewReader(data))
}

// Import reads a calendar file from src, checks it fully (ParseYear), and
// keeps it in dir as <year>.xml, written to a temporary file and renamed, so
// that dir never holds a half-written year. An invalid file changes nothing.
// It returns the year read; Load(dir) then includes it.
func Import(dir, src string) (*Year, error) {
	data, err := readFile(src)
	if err != nil {
		return nil, err
	}
	y, err := ParseYear(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if err := writeAtomic(dir, strconv.Itoa(y.Year)+".xml", data); err != nil {
		return nil, err
	}
	return y, nil
}

func writeAtomic(dir, name string, data []byte) error {
	if err := fsutil.WriteFileAtomic(filepath.Join(dir, name), data, 0o644); err != nil {
		return domain.Wrap(err, domain.EPERMISSION, "calendar.Import", "Календарь не сохранён: нет доступа к папке "+dir)
	}
	return nil
}

// index returns the table index of d, or an error naming d's year when the
// calendar does not cover it.
func (c *Calendar) index(op string, d Date) (int, error) {
	i := d.Sub(c.base)
	if d.IsZero() {
		return 0, domain.Errorf(domain.EINVALID, "Дата не указана")
	}
	if len(c.kinds) == 0 || i < 0 || i >= len(c.kinds) || c.kinds[i] == Unknown {
		return 0, errMissing(op, d.Year())
	}
	return i, nil
}

// Kind returns what day d is.
func (c *Calendar) Kind(d Date) (Kind, error) {
	i, err := c.index("calendar.Kind", d)
	if err != nil {
		return Unknown, err
	}
	return c.kinds[i], nil
}

// IsWorkingDay reports whether d is a working day (shortened days and
// working weekends included).
func (c *Calendar) IsWorkingDay(d Date) (bool, error) {
	k, err := c.Kind(d)
	return k.Working(), err
}

// AddWorkingDays returns the n-th working day after from (from is day 0 and
// never counts; see the package comment). n = 0 returns from itself; n < 0 is
// an error. Every day from `from` to the result must be covered.
func (c *Calendar) AddWorkingDays(from Date, n int) (Date, error) {
	const op = "calendar.AddWorkingDays"
	if n < 0 {
		return Date{}, domain.Errorf(domain.EINVALID, "Срок не может быть отрицательным: %d рабочих дней", n)
	}
	i, err := c.index(op, from)
	if err != nil {
		return Date{}, err
	}
	for n > 0 {
		i++
		if i >= len(c.kinds) || c.kinds[i] == Unknown {
			return Date{}, errMissing(op, c.base.AddDays(i).Year())
		}
		if c.kinds[i].Working() {
			n--
		}
	}
	return c.base.AddDays(i), nil
}

// WorkingDaysBetween returns the number of working days d with
// from < d ≤ to, so that AddWorkingDays(from, n) == to gives n. When to is
// before from the count of (to, from] is returned negated. Both dates and
// every year between them must be covered.
func (c *Calendar) WorkingDaysBetween(from, to Date) (int, error) {
	const op = "calendar.WorkingDaysBetween"
	i, err := c.index(op, from)
	if err != nil {
		return 0, err
	}
	j, err := c.index(op, to)
	if err != nil {
		return 0, err
	}
	lo, hi := min(from.Year(), to.Year()), max(from.Year(), to.Year())
	for y := lo + 1; y < hi; y++ {
		if c.years[y] == nil {
			return 0, errMissing(op, y)
		}
	}
	// Working days in (i, j] are those in kinds[i+1 : j+1].
	return int(c.cum[j+1] - c.cum[i+1]), nil
}

// AnswerDue returns the date by which the answer to a request received on
// `received` is due: the term-th working day after it. term ≤ 0 means the
// default term of 210-FZ art. 7.2 part 3 (5 working days).
func (c *Calendar) AnswerDue(received Date, term int) (Date, error) {
	if term <= 0 {
		term = DefaultAnswerTerm
	}
	return c.AddWorkingDays(received, term)
}

// SendBy returns the last day to send the requests of an application
// registered on `registered`: the SendTerm-th (2nd) working day after it.
func (c *Calendar) SendBy(registered Date) (Date, error) {
	return c.AddWorkingDays(registered, SendTerm)
}
