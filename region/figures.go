package region

import (
	"strconv"
	"strings"
	"time"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
)

// The region's figures have one definition, here; the dashboard, the CSV
// and the PDF print what BuildReport computes with it, and format shares
// with percentText. Every date is a civil date in Moscow time (the
// settlements' deadlines are Moscow dates), compared as YYYY-MM-DD.
//
// A request counts in the period by the day it reached the settlement
// (incoming: received, the request's creation in the journal) or left it
// (outgoing: sent; a request never sent is not counted). Its deadline is
// the one the workstation synced (the production calendar there); an
// incoming request without one gets 5 working days from the day of
// receipt by the region's built-in production calendar (210-FZ art. 7.2
// part 3, calendar.DefaultAnswerTerm). Its outcome is one of, in order:
//
//	в срок         answered on or before the deadline (or without one)
//	с опозданием   answered after the deadline
//	отказ          refused without an answer (outgoing: by the provider)
//	отменён        cancelled or withdrawn: nothing is owed
//	просрочен      no answer and the deadline has passed (today is after
//	               it), whatever the status (an answer stuck in error too)
//	ошибка         in error now, the deadline not passed yet
//	ждёт           the rest: the deadline has not passed
//
// Доля в срок = в срок / (в срок + с опозданием + просрочен), for incoming
// and outgoing alike; «—» when none of the three is there yet. The ranking
// orders settlements by the share of their incoming requests (their own
// duty); outgoing requests are shown beside it. «Просрочено сейчас» is
// every request whose outcome is просрочен today, whenever it came.
// Requests of training and test workstations are not counted.

// outcome is what became of one request.
type outcome uint8

const (
	outWaiting outcome = iota
	outInTerm
	outLate
	outRefused
	outCancelled
	outOverdue
	outErrors
)

// Counts are the outcomes of the requests of one direction in a period.
type Counts struct {
	Total     int // received (incoming) or sent (outgoing) in the period
	InTerm    int
	Late      int
	Refused   int
	Cancelled int
	Overdue   int
	Errors    int
}

// Waiting is how many wait with their deadline still ahead.
func (c Counts) Waiting() int {
	return c.Total - c.InTerm - c.Late - c.Refused - c.Cancelled - c.Overdue - c.Errors
}

// Decided is how many count in the share: answered (in term or late) or
// overdue.
func (c Counts) Decided() int { return c.InTerm + c.Late + c.Overdue }

// Share is the share answered in term of the decided requests, or -1 when
// none is decided yet.
func (c Counts) Share() float64 {
	if c.Decided() == 0 {
		return -1
	}
	return float64(c.InTerm) / float64(c.Decided())
}

func (c *Counts) add(o outcome) {
	c.Total++
	switch o {
	case outInTerm:
		c.InTerm++
	case outLate:
		c.Late++
	case outRefused:
		c.Refused++
	case outCancelled:
		c.Cancelled++
	case outOverdue:
		c.Overdue++
	case outErrors:
		c.Errors++
	}
}

func (c *Counts) plus(o Counts) {
	c.Total += o.Total
	c.InTerm += o.InTerm
	c.Late += o.Late
	c.Refused += o.Refused
	c.Cancelled += o.Cancelled
	c.Overdue += o.Overdue
	c.Errors += o.Errors
}

// Figures are both directions of one settlement (or the region).
type Figures struct {
	In  Counts // incoming: the settlement answers
	Out Counts // outgoing: the settlement asks
}

func (f *Figures) plus(o Figures) {
	f.In.plus(o.In)
	f.Out.plus(o.Out)
}

// decimal is x with one decimal and a decimal comma.
func decimal(x float64) string {
	return strings.Replace(strconv.FormatFloat(x, 'f', 1, 64), ".", ",", 1)
}

// percentText is the share in per cent as every output prints it: «33,3»,
// or "" when there is no share.
func percentText(c Counts) string {
	if c.Share() < 0 {
		return ""
	}
	return decimal(c.Share() * 100)
}

// ShareText is the share for reading: «33,3 %», or «—».
func ShareText(c Counts) string {
	if p := percentText(c); p != "" {
		return p + "\u00a0%"
	}
	return "—"
}

// deltaText is the change of a share in percentage points: «+4,2 п.п.»,
// «−1,0 п.п.», «0,0 п.п.», or «—» when either has no share.
func deltaText(now, before Counts) string {
	if now.Share() < 0 || before.Share() < 0 {
		return "—"
	}
	d := (now.Share() - before.Share()) * 100
	s := decimal(d)
	switch {
	case s == "0,0" || s == "-0,0":
		s = "0,0"
	case d > 0:
		s = "+" + s
	default:
		s = "−" + strings.TrimPrefix(s, "-")
	}
	return s + "\u00a0п.п."
}

// reqRow is a request as the figures read it from the store.
type reqRow struct {
	OKTMO      string
	Direction  string
	Provider   string // the agency asked (outgoing) or asking (incoming)
	Kind       string // the kind of data: the template's title
	CreatedAt  string // stored times (TimeLayout, UTC); "" none
	SentAt     string
	AnsweredAt string
	DueOn      string // YYYY-MM-DD, as synced; "" none
	Status     string
}

// mskDay is the Moscow date of a stored time, "" for none.
func mskDay(stored string) string {
	if stored == "" {
		return ""
	}
	t, err := time.Parse(TimeLayout, stored)
	if err != nil {
		return ""
	}
	return t.In(moscow).Format(time.DateOnly)
}

// day is the Moscow date the request counts in: received or sent.
func (r *reqRow) day() string {
	if r.Direction == string(domain.Incoming) {
		return mskDay(r.CreatedAt)
	}
	return mskDay(r.SentAt)
}

// due is the request's deadline (see the definition above).
func (r *reqRow) due() string {
	if r.DueOn != "" || r.Direction != string(domain.Incoming) {
		return r.DueOn
	}
	day := r.day()
	if day == "" {
		return ""
	}
	due, _, err := calendar.Builtin().DueOn(day, calendar.DefaultAnswerTerm)
	if err != nil {
		return ""
	}
	return due
}

// classify is the outcome of a request on today (YYYY-MM-DD, Moscow).
func classify(r *reqRow, today string) outcome {
	st := domain.Status(r.Status)
	if r.AnsweredAt != "" || st == domain.StatusAnswered {
		due := r.due()
		if due == "" || r.AnsweredAt == "" || mskDay(r.AnsweredAt) <= due {
			return outInTerm
		}
		return outLate
	}
	switch st {
	case domain.StatusRejected:
		return outRefused
	case domain.StatusCancelled:
		return outCancelled
	}
	if due := r.due(); due != "" && due < today {
		return outOverdue
	}
	if st == domain.StatusError {
		return outErrors
	}
	return outWaiting
}

// mskMidnight is the start of a civil date in Moscow as a stored time.
func mskMidnight(d time.Time) string {
	return fmtT(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, moscow))
}

// storedBounds are the period's bounds as stored times: from the start of
// its first day to the start of the day after its last, Moscow time.
func (p Period) storedBounds() (from, to string) {
	return mskMidnight(p.From), mskMidnight(p.To.AddDate(0, 0, 1))
}
