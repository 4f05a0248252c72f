package printing

import (
	"io"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// RegisterKind selects which register WriteRegister prints.
type RegisterKind string

const (
	Outgoing RegisterKind = "outgoing" // requests the settlement sent
	Incoming RegisterKind = "incoming" // requests the settlement received
	Overdue  RegisterKind = "overdue"  // requests whose answer is (or was) late
)

// RegisterRow is one request in a register.
type RegisterRow struct {
	Date         time.Time // sent (outgoing) or received (incoming)
	Number       string    // the outgoing or incoming number
	MessageID    string    // SMEV MessageID: not printed (a register is for people), kept for callers
	Counterparty string    // the provider (outgoing) or the requester (incoming)
	Template     string    // the kind of data
	Applicant    string    // optional: the citizen or organisation the request is for
	Due          time.Time // when the answer is due
	Answered     time.Time // when it was answered; zero if not yet
	Status       string    // the journal's status, in Russian
}

// Register is a register of requests for a period.
type Register struct {
	Kind       RegisterKind
	Settlement string
	From, To   time.Time // the period, inclusive
	AsOf       time.Time // when the register is made; overdue days count to it (required for Overdue)
	Rows       []RegisterRow
	// Official and Position are who compiles the register; lines for the
	// signatures (compiled by, checked by the head) close it.
	Official, Position string
}

// MaxRegisterRows bounds one register (about 1,700 pages): the document is
// built in memory.
const MaxRegisterRows = 20000

// Result describes a printed register or report.
type Result struct {
	Pages int
}

// Font sizes of registers.
const (
	regTitleSize = 13
	regTextSize  = 11
	regCellSize  = 9
)

// WriteRegister prints a register of requests on landscape A4, the column
// headers repeated on every page and «Стр. N из M» at the foot. An empty
// register is an error (ENOTFOUND); nothing is written to w on error.
func WriteRegister(w io.Writer, reg Register) (*Result, error) {
	if err := reg.validate(); err != nil {
		return nil, err
	}
	m, err := fontMetrics()
	if err != nil {
		return nil, err
	}
	fl := layoutRegister(m, &reg)
	pdf, err := render(m, fl.pages, docInfo{title: registerTitle(reg.Kind) + " " + periodText(reg.From, reg.To), created: reg.AsOf})
	if err != nil {
		return nil, err
	}
	if err := writeAll(w, "printing.WriteRegister", pdf); err != nil {
		return nil, err
	}
	return &Result{Pages: len(fl.pages)}, nil
}

func validatePeriod(from, to time.Time) error {
	switch {
	case from.IsZero() || to.IsZero():
		return domain.Errorf(domain.EINVALID, "Не указан период: нужны даты начала и окончания.")
	case dayOf(to).Before(dayOf(from)):
		return domain.Errorf(domain.EINVALID, "Период указан неверно: дата окончания %s раньше даты начала %s.", date(to), date(from))
	}
	return nil
}

func (reg *Register) validate() error {
	switch reg.Kind {
	case Outgoing, Incoming, Overdue:
	default:
		return domain.Errorf(domain.EINVALID, "Неизвестный вид реестра «%s»: допустимы outgoing, incoming, overdue.", reg.Kind)
	}
	if err := validatePeriod(reg.From, reg.To); err != nil {
		return err
	}
	if reg.Kind == Overdue && reg.AsOf.IsZero() {
		return domain.Errorf(domain.EINVALID, "Для перечня просроченных запросов нужна дата, на которую считается просрочка.")
	}
	if len(reg.Rows) == 0 {
		return domain.Errorf(domain.ENOTFOUND, "%s: за период %s записей нет, печатать нечего.", registerTitle(reg.Kind), periodText(reg.From, reg.To))
	}
	if len(reg.Rows) > MaxRegisterRows {
		return domain.Errorf(domain.EINVALID, "За период %s записей %d — больше, чем помещается в один реестр (%d). Выберите период короче.", periodText(reg.From, reg.To), len(reg.Rows), MaxRegisterRows)
	}
	for i, r := range reg.Rows {
		switch {
		case r.Date.IsZero():
			return domain.Errorf(domain.EINVALID, "Строка %d реестра: не указана дата запроса.", i+1)
		case strings.TrimSpace(r.Number) == "" && strings.TrimSpace(r.MessageID) == "":
			return domain.Errorf(domain.EINVALID, "Строка %d реестра: не указаны ни номер, ни идентификатор сообщения (MessageID).", i+1)
		case reg.Kind == Overdue && r.Due.IsZero():
			return domain.Errorf(domain.EINVALID, "Строка %d перечня просроченных запросов: не указан срок ответа.", i+1)
		}
	}
	return nil
}

func registerTitle(k RegisterKind) string {
	switch k {
	case Incoming:
		return "Реестр входящих межведомственных запросов"
	case Overdue:
		return "Перечень запросов с нарушением срока ответа"
	}
	return "Реестр исходящих межведомственных запросов"
}

func periodText(from, to time.Time) string {
	return "с " + date(from) + " по " + date(to)
}

func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// daysLate counts calendar days from the due date to the answer (or to asOf
// when there is no answer yet).
func daysLate(r RegisterRow, asOf time.Time) int {
	end := r.Answered
	if end.IsZero() {
		end = asOf
	}
	return int(dayOf(end).Sub(dayOf(r.Due)).Hours() / 24)
}

func layoutRegister(m *metrics, reg *Register) *flow {
	c := m.clean
	fl := newFlow(m, landscape)
	title := registerTitle(reg.Kind)
	period := "за период " + periodText(reg.From, reg.To)
	if reg.Kind == Overdue {
		period += ", по состоянию на " + date(reg.AsOf)
	}
	fl.head = func() {
		fl.para(regular, headSize, alignLeft, title+" "+period+" (продолжение)", gray)
		fl.y += 4
	}
	if s := strings.TrimSpace(reg.Settlement); s != "" {
		fl.para(bold, regTextSize, alignCenter, c(s), black)
		fl.y += 6
	}
	fl.para(bold, regTitleSize, alignCenter, strings.ToUpper(title), black)
	fl.para(regular, regTextSize, alignCenter, period, black)
	fl.y += 6
	fl.para(regular, regTextSize, alignLeft, "Всего записей: "+itoa(len(reg.Rows)), black)
	fl.y += 4

	withApplicant := false
	for _, r := range reg.Rows {
		if strings.TrimSpace(r.Applicant) != "" {
			withApplicant = true
			break
		}
	}
	fl.table(&table{cols: registerColumns(reg.Kind, withApplicant), size: regCellSize, headSize: regCellSize, pad: 3},
		registerRows(m, reg, withApplicant))
	signatureLines(fl, reg.Position, reg.Official)
	note := ""
	if !reg.AsOf.IsZero() {
		note = "Сформирован " + date(reg.AsOf)
	}
	fl.footers(note)
	return fl
}

// signatureLines closes a document with lines for the signatures of who
// compiled it and who checked it, each with the position, the signature
// and the name, and the date; kept together on one page.
func signatureLines(fl *flow, position, official string) {
	c := fl.m.clean
	fl.gap(18)
	fl.ensure(5 * regTextSize * lineFactor * 2)
	fl.beginUnit()
	pos := strings.TrimSpace(position)
	if pos == "" {
		pos = "________________________"
	}
	name := strings.TrimSpace(official)
	if name == "" {
		name = "________________________"
	}
	fl.para(regular, regTextSize, alignLeft, "Составил: "+c(pos)+"    ________________ (подпись)    "+c(name), black)
	fl.y += 10
	fl.para(regular, regTextSize, alignLeft, "Проверил: ________________________ (должность)    ________________ (подпись)    ________________________ (расшифровка подписи)", black)
	fl.y += 10
	fl.para(regular, regTextSize, alignLeft, "«____» ______________ 20___ г.", black)
}

// registerColumns are the register's columns; fixed widths hold a date on
// one line. No technical columns: a register is for people.
func registerColumns(kind RegisterKind, withApplicant bool) []column {
	numTitle, partyTitle := "Исх. №", "Поставщик сведений"
	switch kind {
	case Incoming:
		numTitle, partyTitle = "Вх. №", "Запрашивающий орган"
	case Overdue:
		numTitle, partyTitle = "№", "Ведомство"
	}
	cols := []column{
		{title: "№ п/п", fixed: 30, align: alignCenter},
		{title: "Дата", fixed: 52, align: alignCenter},
		{title: numTitle, fixed: 70},
		{title: partyTitle, weight: 16},
		{title: "Вид сведений", weight: 18},
	}
	if withApplicant {
		cols = append(cols, column{title: "Заявитель", weight: 12})
	}
	cols = append(cols,
		column{title: "Срок ответа", fixed: 52, align: alignCenter},
		column{title: "Дата ответа", fixed: 52, align: alignCenter})
	if kind == Overdue {
		cols = append(cols, column{title: "Просрочка, дн.", fixed: 56, align: alignCenter})
	}
	return append(cols, column{title: "Состояние", weight: 15})
}

// registerRows are the register's rows, one a request.
func registerRows(m *metrics, reg *Register, withApplicant bool) []tableRow {
	c := m.clean
	rows := make([]tableRow, 0, len(reg.Rows))
	for i, r := range reg.Rows {
		cells := []string{itoa(i + 1), date(r.Date), dash(c(r.Number)), dash(c(r.Counterparty)), dash(c(r.Template))}
		if withApplicant {
			cells = append(cells, dash(c(r.Applicant)))
		}
		cells = append(cells, date(r.Due), date(r.Answered))
		if reg.Kind == Overdue {
			d := daysLate(r, reg.AsOf)
			if d > 0 {
				cells = append(cells, itoa(d))
			} else {
				cells = append(cells, "—")
			}
		}
		cells = append(cells, dash(c(r.Status)))
		rows = append(rows, tableRow{cells: cells})
	}
	return rows
}

func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return strings.TrimSpace(s)
}
