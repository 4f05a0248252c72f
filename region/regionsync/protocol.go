package regionsync

import (
	"fmt"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/mezhved/mezhved/domain"
)

// Limits of one batch.
const (
	MaxBatchEvents = 2000    // events in one POST
	MaxBodyBytes   = 8 << 20 // bytes of one POST
	maxText        = 500     // runes of a free-text field (template title, provider)
)

// HeaderContour is the HTTP header in which a workstation reports the
// contour it works in (ContourProduction, ContourTest, ContourTraining) with
// every request of the sync API. A header and not a field of the batch:
// servers before it decode batches strictly and ignore unknown headers, and
// a workstation before it sends none, which the server takes as production.
const HeaderContour = "Mezhved-Contour"

// The contours a workstation reports. Requests of a training or test
// workstation are not counted in the region's figures.
const (
	ContourProduction = "production"
	ContourTest       = "test"
	ContourTraining   = "training"
)

// ValidContour reports whether s is a contour a workstation may report.
func ValidContour(s string) bool {
	return s == ContourProduction || s == ContourTest || s == ContourTraining
}

// RequestMeta is what the region learns about a request: metadata, and the
// applicant only when the settlement shares personal data.
type RequestMeta struct {
	ID            int64  `json:"id"` // the journal's request id
	Direction     string `json:"direction"`
	TemplateID    string `json:"templateId,omitempty"`
	TemplateTitle string `json:"templateTitle,omitempty"`
	Provider      string `json:"provider,omitempty"`
	ProviderCode  string `json:"providerCode,omitempty"`
	Channel       string `json:"channel"`
	CreatedAt     string `json:"createdAt"`           // RFC 3339
	DueOn         string `json:"dueOn,omitempty"`     // YYYY-MM-DD
	Applicant     string `json:"applicant,omitempty"` // only with sync.personal
	SNILS         string `json:"snils,omitempty"`     // only with sync.personal
}

// Event is one status change as it travels.
type Event struct {
	Seq       int64  `json:"seq"`
	RequestID int64  `json:"requestId"`
	At        string `json:"at"` // RFC 3339
	Actor     string `json:"actor"`
	From      string `json:"from,omitempty"`
	To        string `json:"to"`
}

// PushRequest is one batch.
type PushRequest struct {
	Settlement string        `json:"settlement"` // OKTMO; must be the certificate's
	After      int64         `json:"after"`      // the sequence the client believes is stored
	Requests   []RequestMeta `json:"requests"`
	Events     []Event       `json:"events"`
}

// PushResponse is the server's answer.
type PushResponse struct {
	Stored int64 `json:"stored"`
}

// ErrorResponse is every refusal's body.
type ErrorResponse struct {
	Code     string `json:"code"`
	Message  string `json:"message"` // Russian, for the clerk
	Expected *int64 `json:"expected,omitempty"`
}

var (
	oktmoRe       = regexp.MustCompile(`^(\d{8}|\d{11})$`)
	workstationRe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	dateRe        = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	codeRe        = regexp.MustCompile(`^[A-Za-z0-9._:/-]{0,100}$`)
)

// ValidOKTMO reports whether s is an OKTMO code (8 or 11 digits).
func ValidOKTMO(s string) bool { return oktmoRe.MatchString(s) }

// ValidWorkstation reports whether s is a workstation name.
func ValidWorkstation(s string) bool { return workstationRe.MatchString(s) }

// Actors that travel; any other actor is a clerk's name and becomes "clerk".
var publicActors = map[string]bool{"clerk": true, "outbox": true, "smev": true, "system": true}

// PublicActor reduces an actor to what may leave the settlement.
func PublicActor(a string) string {
	if publicActors[a] {
		return a
	}
	return "clerk"
}

func invalid(format string, args ...any) error {
	return domain.Errorf(domain.EINVALID, format, args...)
}

func CheckText(name, s string) error {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxText {
		return invalid("Поле %s: неверный текст или длиннее %d знаков.", name, maxText)
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' {
			return invalid("Поле %s содержит управляющие символы.", name)
		}
	}
	return nil
}

func checkTime(name, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() < 2000 || t.Year() > 2200 {
		return time.Time{}, invalid("Поле %s: неверное время %q.", name, Trunc(s))
	}
	return t.UTC(), nil
}

func Trunc(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// Validate checks a batch completely; nothing of an invalid batch is stored.
func (p *PushRequest) Validate() error {
	if !ValidOKTMO(p.Settlement) {
		return invalid("Неверный код ОКТМО поселения: %q.", Trunc(p.Settlement))
	}
	if p.After < 0 {
		return invalid("Неверная позиция потока событий.")
	}
	if len(p.Events) == 0 || len(p.Events) > MaxBatchEvents {
		return invalid("В пакете должно быть от 1 до %d событий.", MaxBatchEvents)
	}
	if len(p.Requests) > len(p.Events) {
		return invalid("В пакете запросов больше, чем событий.")
	}
	reqs := make(map[int64]bool, len(p.Requests))
	for i := range p.Requests {
		r := &p.Requests[i]
		if r.ID <= 0 {
			return invalid("Неверный номер запроса в пакете.")
		}
		if reqs[r.ID] {
			return invalid("Запрос %d указан в пакете дважды.", r.ID)
		}
		reqs[r.ID] = true
		if r.Direction != string(domain.Outgoing) && r.Direction != string(domain.Incoming) {
			return invalid("Запрос %d: неизвестное направление %q.", r.ID, Trunc(r.Direction))
		}
		if !domain.Channel(r.Channel).Valid() {
			return invalid("Запрос %d: неизвестный канал %q.", r.ID, Trunc(r.Channel))
		}
		if !codeRe.MatchString(r.TemplateID) || !codeRe.MatchString(r.ProviderCode) {
			return invalid("Запрос %d: неверный код шаблона или поставщика.", r.ID)
		}
		for _, f := range []struct{ n, v string }{{"шаблон", r.TemplateTitle}, {"поставщик", r.Provider}, {"заявитель", r.Applicant}, {"СНИЛС", r.SNILS}} {
			if err := CheckText(f.n, f.v); err != nil {
				return err
			}
		}
		if _, err := checkTime("createdAt", r.CreatedAt); err != nil {
			return err
		}
		if r.DueOn != "" {
			if _, err := time.Parse(time.DateOnly, r.DueOn); err != nil || !dateRe.MatchString(r.DueOn) {
				return invalid("Запрос %d: неверный срок %q.", r.ID, Trunc(r.DueOn))
			}
		}
	}
	prev := p.After
	for i := range p.Events {
		e := &p.Events[i]
		if e.Seq <= prev {
			return invalid("События в пакете должны идти по возрастанию номеров (событие %d после %d).", e.Seq, prev)
		}
		prev = e.Seq
		if !reqs[e.RequestID] {
			return invalid("Событие %d ссылается на запрос %d, которого нет в пакете.", e.Seq, e.RequestID)
		}
		if _, err := checkTime("at", e.At); err != nil {
			return err
		}
		if !publicActors[e.Actor] {
			return invalid("Событие %d: недопустимый автор %q.", e.Seq, Trunc(e.Actor))
		}
		if !domain.Status(e.To).Valid() || (e.From != "" && !domain.Status(e.From).Valid()) {
			return invalid("Событие %d: неизвестный статус.", e.Seq)
		}
	}
	return nil
}

// GapError is a batch that does not follow what the server holds.
type GapError struct{ Expected int64 }

func (e *GapError) Error() string {
	return fmt.Sprintf("region: batch does not follow the stored sequence %d", e.Expected)
}
