package domain

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// What the clerk reads: statuses as they sound for each direction, who
// acted, reasons of refusals, and notes written by the machinery (SMEV's
// status names, reason codes, durations like "60s", ISO dates) put into
// Russian.

// TitleFor is the status of a request in Russian as its direction puts it:
// for an incoming request «answered» is our answer that went out, and
// «rejected» our refusal.
func TitleFor(d Direction, s Status) string {
	if d == Incoming {
		switch s {
		case StatusAnswered:
			return "Ответ отправлен"
		case StatusRejected:
			return "Отказ отправлен"
		case StatusQueued:
			return "Ответ в очереди"
		case StatusCancelled:
			return "Отозван"
		}
	}
	return s.Title()
}

// StatusTitle is the request's status in Russian (TitleFor).
func (r *Request) StatusTitle() string { return TitleFor(r.Direction, r.Status) }

// actorTitles name the parts of the program that act in a history.
var actorTitles = map[string]string{
	"outbox": "очередь отправки",
	"smev":   "СМЭВ",
	"system": "программа",
	"clerk":  "сотрудник",
	"region": "регион",
	"demo":   "учебный журнал",
}

// ActorTitle is who acted, in Russian: the clerk's name as it is, the
// program's parts by their Russian names.
func ActorTitle(actor string) string {
	if t, ok := actorTitles[actor]; ok {
		return t
	}
	return actor
}

// RejectReason is a code of refusal SMEV knows, with its meaning.
type RejectReason struct {
	Code  string `json:"code"`
	Title string `json:"title"`
}

// RejectReasons are the codes of refusal an answer may carry, in the order
// the clerk chooses them.
var RejectReasons = []RejectReason{
	{"NO_DATA", "Сведения не найдены"},
	{"ACCESS_DENIED", "Доступ к сведениям запрещён"},
	{"UNKNOWN_REQUEST_DESCRIPTION", "Запрос не распознан"},
	{"FAILURE", "Сбой при обработке запроса"},
}

// RejectTitle is the Russian meaning of a refusal code ("" for an unknown
// one).
func RejectTitle(code string) string {
	for _, r := range RejectReasons {
		if r.Code == code {
			return r.Title
		}
	}
	return ""
}

// smevWords are SMEV's status names and result words as the clerk reads them.
var smevWords = map[string]string{
	"requestIsAcceptedBySmev": "запрос принят СМЭВ",
	"requestIsRejectedBySmev": "запрос отклонён СМЭВ",
	"messageIsDelivered":      "сообщение доставлено",
	"cancelled":               "запрос отменён",
	"FOUND":                   "сведения найдены",
	"NOT_FOUND":               "сведения не найдены",
	"true":                    "да",
	"false":                   "нет",
}

var (
	reCodeInParens = regexp.MustCompile(` ?\((NO_DATA|ACCESS_DENIED|UNKNOWN_REQUEST_DESCRIPTION|FAILURE)\)`)
	reCode         = regexp.MustCompile(`\b(NO_DATA|ACCESS_DENIED|UNKNOWN_REQUEST_DESCRIPTION|FAILURE)\b`)
	reSMEV         = regexp.MustCompile(`\b(requestIsAcceptedBySmev|requestIsRejectedBySmev|messageIsDelivered)\b`)
	reValidity     = regexp.MustCompile(`\b(valid until|expired|not valid before) (\d{4}-\d{2}-\d{2})\b`)
	reISOTime      = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?`)
	reISODate      = regexp.MustCompile(`(^|[^\d-])(\d{4})-(\d{2})-(\d{2})($|[^\d-])`)
	reDuration     = regexp.MustCompile(`\b(\d+h)?(\d+m)?(\d+(?:\.\d+)?s)?\b`)
)

// Russian puts a note written by the machinery into Russian: SMEV's status
// names, refusal codes (their meaning; a code already explained in words
// is dropped), a certificate's validity ("valid until 2027-12-03"),
// durations ("60s" → «60 секунд») and ISO dates and times (ДД.ММ.ГГГГ).
// Anything else is left as it is.
func Russian(s string) string {
	if s == "" {
		return s
	}
	s = reValidity.ReplaceAllStringFunc(s, func(m string) string {
		p := reValidity.FindStringSubmatch(m)
		d := RussianDate(p[2])
		switch p[1] {
		case "expired":
			return "срок действия истёк " + d
		case "not valid before":
			return "действует только с " + d
		}
		return "действителен до " + d
	})
	if s == "no certificate" {
		return "сертификата нет"
	}
	s = reCodeInParens.ReplaceAllStringFunc(s, func(m string) string {
		code := strings.Trim(m, " ()")
		if strings.Contains(s, RejectTitle(code)) {
			return ""
		}
		return " (" + strings.ToLower(RejectTitle(code)) + ")"
	})
	s = reCode.ReplaceAllStringFunc(s, func(code string) string { return strings.ToLower(RejectTitle(code)) })
	s = reSMEV.ReplaceAllStringFunc(s, func(w string) string { return smevWords[w] })
	s = reISOTime.ReplaceAllStringFunc(s, func(m string) string {
		p := reISOTime.FindStringSubmatch(m)
		return p[3] + "." + p[2] + "." + p[1] + " " + p[4] + ":" + p[5]
	})
	s = reISODate.ReplaceAllString(s, "$1$4.$3.$2$5")
	return durations(s)
}

// durations writes Go durations ("60s", "1m30s", "2h", "500ms") in words,
// part by part as written.
func durations(s string) string {
	return reDuration.ReplaceAllStringFunc(s, func(m string) string {
		if m == "" {
			return m
		}
		if _, err := time.ParseDuration(m); err != nil {
			return m
		}
		p := reDuration.FindStringSubmatch(m)
		var parts []string
		for i, forms := range [][3]string{{"час", "часа", "часов"}, {"минуту", "минуты", "минут"}, {"секунду", "секунды", "секунд"}} {
			part := strings.TrimRight(p[i+1], "hms")
			if part == "" {
				continue
			}
			if strings.Contains(part, ".") {
				parts = append(parts, strings.Replace(part, ".", ",", 1)+" "+forms[1])
				continue
			}
			n, _ := strconv.Atoi(part)
			parts = append(parts, part+" "+Plural(n, forms[0], forms[1], forms[2]))
		}
		return strings.Join(parts, " ")
	})
}

// DurationWords is a duration in words, as after «за» or «через»: «1 минуту
// 30 секунд», «2 часа».
func DurationWords(d time.Duration) string {
	if d < time.Second {
		ms := int(d / time.Millisecond)
		return strconv.Itoa(ms) + " " + Plural(ms, "миллисекунду", "миллисекунды", "миллисекунд")
	}
	h, m, sec := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	var parts []string
	if h > 0 {
		parts = append(parts, strconv.Itoa(h)+" "+Plural(h, "час", "часа", "часов"))
	}
	if m > 0 {
		parts = append(parts, strconv.Itoa(m)+" "+Plural(m, "минуту", "минуты", "минут"))
	}
	if sec > 0 {
		parts = append(parts, strconv.Itoa(sec)+" "+Plural(sec, "секунду", "секунды", "секунд"))
	}
	return strings.Join(parts, " ")
}

// Plural picks the Russian form for n: one (1, 21), few (2–4, 22–24),
// many (0, 5–20, 25…).
func Plural(n int, one, few, many string) string {
	if n < 0 {
		n = -n
	}
	a, b := n%100, n%10
	switch {
	case a > 10 && a < 20:
		return many
	case b == 1:
		return one
	case b > 1 && b < 5:
		return few
	}
	return many
}

// RussianDate writes an ISO date (ГГГГ-ММ-ДД) as ДД.ММ.ГГГГ; anything else
// is returned as it is.
func RussianDate(iso string) string {
	if t, err := time.Parse(time.DateOnly, iso); err == nil {
		return t.Format("02.01.2006")
	}
	return iso
}

// Value puts one value of a document into Russian for the clerk: an ISO
// date as ДД.ММ.ГГГГ, a date and time as ДД.ММ.ГГГГ ЧЧ:ММ, SMEV's result
// words (FOUND, true…) and refusal codes by their meaning.
func Value(v string) string {
	t := strings.TrimSpace(v)
	if w, ok := smevWords[t]; ok {
		return w
	}
	if r := RejectTitle(t); r != "" {
		return r
	}
	if len(t) == 10 {
		return RussianDate(t)
	}
	if m := reISOTime.FindStringSubmatch(t); m != nil && m[0] == t {
		return m[3] + "." + m[2] + "." + m[1] + " " + m[4] + ":" + m[5]
	}
	return v
}

// providerCases is the genitive of the authorities' names the journal
// knows («запрос от Социального фонда России»).
var providerCases = map[string]string{
	"Социальный фонд России": "Социального фонда России",
	"Фонд пенсионного и социального страхования Российской Федерации": "Фонда пенсионного и социального страхования Российской Федерации",
	"Росреестр":  "Росреестра",
	"ФНС России": "ФНС России",
	"МВД России": "МВД России",
	"ЗАГС":       "ЗАГСа",
	"Федеральная налоговая служба":           "Федеральной налоговой службы",
	"Министерство внутренних дел":            "Министерства внутренних дел",
	"Администрация муниципального района":    "Администрации муниципального района",
	"Пенсионный фонд России":                 "Пенсионного фонда России",
	"Фонд социального страхования":           "Фонда социального страхования",
	"Управление социальной защиты населения": "Управления социальной защиты населения",
}

// Genitive is an authority's name in the genitive case («от кого»): from
// the table of names the journal knows, else by the endings of its leading
// words (Отделение → Отделения, Управление → Управления, Служба → Службы),
// else as it is (abbreviations do not change).
func Genitive(name string) string {
	if g, ok := providerCases[name]; ok {
		return g
	}
	words := strings.Fields(name)
	if len(words) == 0 {
		return name
	}
	lead := map[string]string{
		"Отделение": "Отделения", "Управление": "Управления", "Служба": "Службы", "Администрация": "Администрации",
		"Министерство": "Министерства", "Департамент": "Департамента", "Комитет": "Комитета", "Фонд": "Фонда",
		"Инспекция": "Инспекции", "Агентство": "Агентства", "Суд": "Суда", "Прокуратура": "Прокуратуры",
	}
	if g, ok := lead[words[0]]; ok {
		words[0] = g
		return strings.Join(words, " ")
	}
	return name
}
