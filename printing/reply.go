package printing

import (
	"io"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// Request is the interagency request a reply answers, as the journal knows it.
type Request struct {
	Number        string    // the settlement's outgoing number; empty prints «б/н»
	Date          time.Time // when it was sent
	MessageID     string    // SMEV MessageID
	Provider      string    // the provider of the data, e.g. «Росреестр»
	TemplateTitle string    // the kind of data asked for, e.g. «Выписка из ЕГРН»
	Settlement    string    // the settlement's administration, printed at the top
	Clerk         string    // who made the request (optional)
}

// Field is one datum of a reply, under the template's Russian label.
type Field struct {
	Label string
	Value string // may hold line breaks; empty prints «—»
}

// Section is a titled group of fields (the title may be empty), or a
// table: Columns heads, a row of cells per occurrence of a repeated part.
type Section struct {
	Title   string
	Fields  []Field
	Columns []string
	Rows    [][]string
}

// Reply is a reply received through SMEV, ready to print.
type Reply struct {
	Request  Request
	Received time.Time
	Sections []Section
	Mark     *SignatureMark // nil: the printout says there is no signature data
	// Unconfirmed, when the signature is not «действительна», is printed
	// instead of the mark: that it was not confirmed, and why. The ГОСТ Р
	// 7.0.97 mark is only for a confirmed signature.
	Unconfirmed string
	Attachments []Attachment
	Printed     time.Time // optional: «Распечатано …» at the foot of each page
	// Ours: the settlement's own answer to an incoming request (Request
	// then describes that request: its number and date, the authority that
	// asked in Provider); Received is when our answer went.
	Ours bool
	// Paper, when set, says how the answer came or went outside SMEV
	// («почтой, письмо № 12 от 04.03.2026»): no MessageID is needed then.
	Paper string
}

// ReplyResult describes a printed reply.
type ReplyResult struct {
	Pages       int  // pages in the PDF, attachments included
	ReplyPages  int  // pages of the reply itself (numbered «Стр. N из M»)
	MarkPage    int  // page holding the signature mark, 1-based; 0 without a mark
	MarkRect    Rect // the mark's frame on that page
	Attachments []AttachmentResult
}

// Failed lists the attachments that could not be added to the printout.
func (r *ReplyResult) Failed() []AttachmentResult {
	var out []AttachmentResult
	for _, a := range r.Attachments {
		if a.Status == AttachmentFailed {
			out = append(out, a)
		}
	}
	return out
}

// WriteReply prints a reply: the request it answers, the reply's data under
// the template's labels, the list of attachments, the mark of the electronic
// signature, then the pages of the PDF attachments. An attachment that cannot
// be imported does not fail the printout: the list says so and the result
// reports it. On error nothing is written to w.
func WriteReply(w io.Writer, r Reply) (*ReplyResult, error) {
	const opName = "printing.WriteReply"
	if err := r.validate(); err != nil {
		return nil, err
	}
	m, err := fontMetrics()
	if err != nil {
		return nil, err
	}
	atts := make([]*probed, len(r.Attachments))
	for i, a := range r.Attachments {
		atts[i] = probe(a)
	}
	req := &r.Request
	info := docInfo{
		title:   "Ответ на запрос № " + m.clean(number(req.Number)) + " от " + date(req.Date),
		subject: "MessageID " + m.clean(req.MessageID),
		created: r.Printed,
	}
	if r.Paper != "" {
		info.subject = m.clean(r.Paper)
	}
	var pdf []byte
	var res *ReplyResult
	for {
		// each round marks one more attachment failed, so this ends
		var fl *flow
		fl, res = layoutReply(m, &r, atts)
		ours, err := render(m, fl.pages, info)
		if err != nil {
			return nil, err
		}
		var bad int
		if pdf, bad = appendAttachments(ours, res.ReplyPages, atts); bad < 0 {
			break
		}
		a := atts[bad]
		a.status, a.pages, a.why = AttachmentFailed, 0, "файл PDF повреждён или программа не может его прочитать"
	}
	if res.Pages > res.ReplyPages {
		pdf = withInfo(pdf, res.Pages, info)
	}
	if err := writeAll(w, opName, pdf); err != nil {
		return nil, err
	}
	return res, nil
}

func (r *Reply) validate() error {
	req := &r.Request
	switch {
	case strings.TrimSpace(req.MessageID) == "" && r.Paper == "":
		return domain.Errorf(domain.EINVALID, "Не указан идентификатор сообщения (MessageID) запроса, на который получен ответ.")
	case strings.TrimSpace(req.Provider) == "":
		return domain.Errorf(domain.EINVALID, "Не указан поставщик сведений, от которого получен ответ.")
	case r.Received.IsZero():
		return domain.Errorf(domain.EINVALID, "Не указаны дата и время получения ответа.")
	}
	n := 0
	for _, s := range r.Sections {
		for _, f := range s.Fields {
			if strings.TrimSpace(f.Label) == "" {
				return domain.Errorf(domain.EINVALID, "В ответе есть поле без названия (значение «%s»): проверьте шаблон сведений.", short(f.Value))
			}
			n++
		}
	}
	if n == 0 {
		return domain.Errorf(domain.EINVALID, "Ответ не содержит сведений для печати.")
	}
	for _, a := range r.Attachments {
		if strings.TrimSpace(a.Name) == "" {
			return domain.Errorf(domain.EINVALID, "У вложения ответа не указано имя файла.")
		}
	}
	if r.Mark != nil {
		return r.Mark.validate()
	}
	return nil
}

func short(s string) string {
	if rs := []rune(s); len(rs) > 40 {
		return string(rs[:40]) + "…"
	}
	return s
}

func number(n string) string {
	if strings.TrimSpace(n) == "" {
		return "б/н"
	}
	return strings.TrimSpace(n)
}

const (
	replyTitleSize = 14
	replyTextSize  = 12
	replyCellSize  = 11
	headSize       = 9 // running head on continuation pages
)

func layoutReply(m *metrics, r *Reply, atts []*probed) (*flow, *ReplyResult) {
	fl := newFlow(m, portrait)
	kv := &table{cols: []column{{weight: 36}, {weight: 64}}, size: replyCellSize, headSize: replyCellSize, pad: 3, noHeader: true}
	replyHead(fl, r)
	replyRequest(fl, kv, r)
	replySections(fl, kv, r)
	replyAttachments(fl, atts)
	res := &ReplyResult{}
	replySignature(fl, r, res)
	note := ""
	if !r.Printed.IsZero() {
		note = "Распечатано " + dateTime(r.Printed)
	}
	fl.footers(note)
	res.ReplyPages = len(fl.pages)
	next := res.ReplyPages + 1
	for _, a := range atts {
		ar := AttachmentResult{Name: a.name, Status: a.status, Err: a.err}
		if a.status == AttachmentAppended {
			ar.Pages, ar.FirstPage = a.pages, next
			next += a.pages
		}
		res.Attachments = append(res.Attachments, ar)
	}
	res.Pages = next - 1
	return fl, res
}

// replyHead sets the running head of continuation pages and writes the title.
func replyHead(fl *flow, r *Reply) {
	req, c := &r.Request, fl.m.clean
	runningHead := "Ответ на запрос № " + c(number(req.Number)) + " от " + date(req.Date)
	if r.Paper == "" {
		runningHead += ", MessageID " + c(req.MessageID)
	}
	fl.head = func() {
		fl.para(regular, headSize, alignLeft, runningHead+" (продолжение)", gray)
		fl.y += 8
	}
	if s := strings.TrimSpace(req.Settlement); s != "" {
		fl.para(bold, replyTextSize, alignCenter, c(s), black)
		fl.y += 8
	}
	fl.para(bold, replyTitleSize, alignCenter, "ОТВЕТ НА МЕЖВЕДОМСТВЕННЫЙ ЗАПРОС", black)
	if s := strings.TrimSpace(req.TemplateTitle); s != "" {
		fl.para(regular, replyTextSize, alignCenter, c(s), black)
	}
	fl.gap(14)
}

// replyRequest writes «Сведения о запросе».
func replyRequest(fl *flow, kv *table, r *Reply) {
	req, c := &r.Request, fl.m.clean
	party, when := "Поставщик сведений", "Ответ получен"
	if r.Ours {
		party, when = "Запрашивающий орган", "Ответ отправлен"
	}
	rows := []tableRow{{cells: []string{"Запрос", "№ " + c(number(req.Number)) + " от " + date(req.Date)}}}
	if r.Paper == "" && strings.TrimSpace(req.MessageID) != "" {
		rows = append(rows, tableRow{cells: []string{"Идентификатор сообщения (MessageID)", c(req.MessageID)}})
	}
	rows = append(rows, tableRow{cells: []string{party, c(req.Provider)}})
	if s := strings.TrimSpace(req.TemplateTitle); s != "" {
		rows = append(rows, tableRow{cells: []string{"Вид сведений", c(s)}})
	}
	how := dateTime(r.Received)
	if r.Paper != "" {
		how = c(r.Paper)
	}
	rows = append(rows, tableRow{cells: []string{when, how}})
	if s := strings.TrimSpace(req.Clerk); s != "" {
		rows = append(rows, tableRow{cells: []string{"Исполнитель", c(s)}})
	}
	fl.ensure(3 * replyTextSize * lineFactor)
	fl.para(bold, replyTextSize, alignLeft, "Сведения о запросе", black)
	fl.y += 4
	fl.table(kv, rows)
	fl.gap(14)
}

// replySections writes the data of the answer, section by section.
func replySections(fl *flow, kv *table, r *Reply) {
	c := fl.m.clean
	fl.ensure(3 * replyTextSize * lineFactor)
	title := "Сведения, полученные в ответе"
	if r.Ours {
		title = "Сведения, предоставленные в ответе"
	}
	fl.para(bold, replyTextSize, alignLeft, title, black)
	fl.y += 4
	for i, s := range r.Sections {
		if len(s.Fields) == 0 && len(s.Rows) == 0 {
			continue
		}
		if t := strings.TrimSpace(s.Title); t != "" {
			if i > 0 {
				fl.gap(6)
			}
			fl.ensure(replyCellSize*lineFactor*2 + 6 + 2*kv.pad)
			fl.para(bold, replyCellSize, alignLeft, c(t), black)
			fl.y += 2
		}
		if len(s.Fields) > 0 {
			rows := make([]tableRow, 0, len(s.Fields))
			for _, f := range s.Fields {
				rows = append(rows, tableRow{cells: []string{c(strings.TrimSpace(f.Label)), c(orDash(f.Value))}})
			}
			fl.table(kv, rows)
		}
		if len(s.Rows) > 0 {
			replyTable(fl, s)
		}
	}
}

// replyTable writes a repeated part as a table: a numbered row per
// occurrence under the columns' heads (repeated on every page it spans).
func replyTable(fl *flow, s Section) {
	c := fl.m.clean
	cols := []column{{title: "№", fixed: 22, align: alignRight}}
	for _, h := range s.Columns {
		cols = append(cols, column{title: c(h), weight: 1})
	}
	rows := make([]tableRow, 0, len(s.Rows))
	for i, r := range s.Rows {
		cells := []string{itoa(i + 1)}
		for j := range s.Columns {
			v := ""
			if j < len(r) {
				v = r[j]
			}
			cells = append(cells, c(orDash(v)))
		}
		rows = append(rows, tableRow{cells: cells})
	}
	fl.table(&table{cols: cols, size: replyCellSize, headSize: replyCellSize, pad: 3}, rows)
}

func orDash(v string) string {
	if v = strings.TrimSpace(v); v == "" {
		return "—"
	}
	return v
}

// replyAttachments writes «Приложения»: the heading stays with the first
// item, and no item is split between pages.
func replyAttachments(fl *flow, atts []*probed) {
	if len(atts) == 0 {
		return
	}
	m := fl.m
	fl.gap(12)
	first := "1. " + attachmentLine(m, atts[0])
	fl.ensure(replyTextSize*lineFactor + float64(len(m.wrap(regular, replyCellSize, fl.g.bodyWidth(), first)))*replyCellSize*lineFactor)
	fl.beginUnit()
	fl.para(bold, replyTextSize, alignLeft, "Приложения:", black)
	for i, a := range atts {
		item := itoa(i+1) + ". " + attachmentLine(m, a)
		if i > 0 {
			fl.ensure(float64(len(m.wrap(regular, replyCellSize, fl.g.bodyWidth(), item))) * replyCellSize * lineFactor)
			fl.beginUnit()
		}
		fl.para(regular, replyCellSize, alignLeft, item, black)
	}
}

// replySignature writes the e-signature mark (ГОСТ Р 7.0.97) for a
// confirmed signature; otherwise that it was not confirmed, and why.
func replySignature(fl *flow, r *Reply, res *ReplyResult) {
	switch {
	case r.Mark != nil:
		res.MarkPage, res.MarkRect = fl.mark(r.Mark)
	case r.Unconfirmed != "":
		fl.gap(12)
		fl.para(bold, replyCellSize, alignLeft, UnconfirmedHeading, black)
		fl.para(regular, replyCellSize, alignLeft, fl.m.clean(r.Unconfirmed), black)
	case r.Paper != "":
		fl.gap(12)
		fl.para(regular, replyCellSize, alignLeft, "Ответ на бумаге: электронной подписи у него нет, подлинник хранится в деле.", black)
	default:
		fl.gap(12)
		fl.para(regular, replyCellSize, alignLeft, "Сведения об электронной подписи ответа не переданы для печати.", black)
	}
}

// attachmentLine describes an attachment in the list «Приложения».
func attachmentLine(m *metrics, a *probed) string {
	name := m.clean(strings.TrimSpace(a.name))
	facts := ""
	if a.size > 0 || a.sum != "" {
		facts = sizeText(a.size)
		if a.sum != "" {
			facts += ", SHA-256 " + m.clean(a.sum)
		}
	}
	switch a.status {
	case AttachmentAppended:
		return name + " — " + pagesText(a.pages) + ", распечатано далее."
	case AttachmentFailed:
		s := name + " — ВЛОЖЕНИЕ НЕ УДАЛОСЬ ДОБАВИТЬ К РАСПЕЧАТКЕ: " + a.why + "; распечатайте его отдельно"
		if facts != "" {
			s += " (" + facts + ")"
		}
		return s + "."
	}
	s := name + " — файл не в формате PDF, не распечатывается"
	if facts != "" {
		s += " (" + facts + ")"
	}
	return s + "."
}

func sizeText(n int64) string {
	s := itoa(int(n))
	// group thousands with a space, as Russian typography does
	var b strings.Builder
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune(' ')
		}
		b.WriteRune(ch)
	}
	return b.String() + " байт"
}

// pagesText is «1 страница», «2 страницы», «5 страниц».
func pagesText(n int) string {
	return itoa(n) + " " + plural(n, "страница", "страницы", "страниц")
}

func plural(n int, one, few, many string) string {
	n %= 100
	if n >= 11 && n <= 14 {
		return many
	}
	switch n % 10 {
	case 1:
		return one
	case 2, 3, 4:
		return few
	}
	return many
}
