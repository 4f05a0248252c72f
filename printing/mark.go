package printing

import (
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// SignatureMark is what the printout shows of the electronic signature that
// signed a reply: the certificate's serial number and owner and its validity
// period (ГОСТ Р 7.0.97-2016, п. 5.23), optionally its issuer and the time of
// signing.
type SignatureMark struct {
	Serial    string // the certificate's serial number, as the signer reports it (hex)
	Owner     string // the certificate's subject: organisation and/or person
	Issuer    string // optional: the certification authority
	ValidFrom time.Time
	ValidTo   time.Time
	SignedAt  time.Time // optional
}

// MarkHeading is the phrase that opens the mark.
const MarkHeading = "Документ подписан электронной подписью"

// UnconfirmedHeading opens the statement printed instead of the mark when
// the signature was not confirmed.
const UnconfirmedHeading = "Электронная подпись ответа не подтверждена"

func (mk *SignatureMark) validate() error {
	switch {
	case strings.TrimSpace(mk.Serial) == "":
		return domain.Errorf(domain.EINVALID, "Отметка об электронной подписи: не указан номер сертификата.")
	case strings.TrimSpace(mk.Owner) == "":
		return domain.Errorf(domain.EINVALID, "Отметка об электронной подписи: не указан владелец сертификата.")
	case mk.ValidFrom.IsZero() || mk.ValidTo.IsZero():
		return domain.Errorf(domain.EINVALID, "Отметка об электронной подписи: не указан срок действия сертификата.")
	case mk.ValidTo.Before(mk.ValidFrom):
		return domain.Errorf(domain.EINVALID, "Отметка об электронной подписи: срок действия сертификата указан неверно (окончание %s раньше начала %s).", date(mk.ValidTo), date(mk.ValidFrom))
	}
	return nil
}

// markLines are the label–value lines of the mark under its heading.
func (mk *SignatureMark) lines(m *metrics) []string {
	ls := []string{
		"Сертификат: " + m.clean(strings.TrimSpace(mk.Serial)),
		"Владелец: " + m.clean(strings.TrimSpace(mk.Owner)),
	}
	if s := strings.TrimSpace(mk.Issuer); s != "" {
		ls = append(ls, "Издатель: "+m.clean(s))
	}
	ls = append(ls, "Действителен: с "+date(mk.ValidFrom)+" по "+date(mk.ValidTo))
	if !mk.SignedAt.IsZero() {
		ls = append(ls, "Дата подписания: "+dateTime(mk.SignedAt))
	}
	return ls
}

// Geometry of the mark (points).
const (
	markWidth    = 270 // about 95 mm
	markPad      = 7
	markHeadSize = 10
	markSize     = 9
	markGapAbove = 24 // free space between the text and the mark
)

// mark places the signature mark where a handwritten signature would be:
// after the text, at the right margin. If it does not fit in the rest of the
// page it goes to a new page, taking the last unit of the text along; it never
// covers text. It returns the
// page number (1-based) and the frame.
func (fl *flow) mark(mk *SignatureMark) (int, Rect) {
	m := fl.m
	w := min(float64(markWidth), fl.g.bodyWidth())
	inner := w - 2*markPad
	head := m.wrap(bold, markHeadSize, inner, MarkHeading)
	var body []string
	for _, l := range mk.lines(m) {
		body = append(body, m.wrap(regular, markSize, inner, l)...)
	}
	hl, bl := markHeadSize*lineFactor, markSize*lineFactor
	const sep = 8 // space around the rule under the heading
	h := markPad + float64(len(head))*hl + sep + float64(len(body))*bl + markPad

	if fl.y+markGapAbove+h > fl.bottom() {
		// the signature is not left alone on a page: the last row or list
		// item of the text comes along when it can
		fl.newPage()
		if fl.carryUnit(markGapAbove + h) {
			fl.y += markGapAbove
		} else {
			fl.y += markGapAbove / 2
		}
	} else {
		fl.y += markGapAbove
	}
	r := Rect{X: fl.right() - w, Y: fl.y, W: w, H: h}
	fl.frame(r, 1.2, markBlue)
	y := r.Y + markPad
	for _, ln := range head {
		fl.text(bold, markHeadSize, alignX(m, bold, markHeadSize, alignCenter, r.X+markPad, inner, ln), y, ln, markBlue)
		y += hl
	}
	fl.line(r.X+markPad, y+sep/2, r.X+w-markPad, y+sep/2, 0.6, markBlue)
	y += sep
	for _, ln := range body {
		fl.text(regular, markSize, r.X+markPad, y, ln, markBlue)
		y += bl
	}
	fl.y = r.Y + r.H
	return len(fl.pages), r
}
