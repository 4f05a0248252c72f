package domain

import "time"

// Direction says who asks: we (outgoing) or another authority (incoming).
type Direction string

const (
	Outgoing Direction = "out" // we request data from a provider
	Incoming Direction = "in"  // another authority requests data from us
)

// Channel is how a request travels.
type Channel string

const (
	ChannelSMEV Channel = "smev" // SMEV 3, electronic
	ChannelFax  Channel = "fax"  // fax, when SMEV is down
	ChannelPost Channel = "post" // paper: post or courier
)

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return c == ChannelSMEV || c == ChannelFax || c == ChannelPost }

// Status is the state of a request in the journal. Every change of status is
// recorded as an Event.
type Status string

const (
	StatusDraft     Status = "draft"     // черновик: being filled in
	StatusSigned    Status = "signed"    // подписан
	StatusQueued    Status = "queued"    // в очереди: committed to the outbox
	StatusSent      Status = "sent"      // отправлен (SMEV took it, or posted/faxed)
	StatusAccepted  Status = "accepted"  // принят СМЭВ: delivered to the provider
	StatusAnswered  Status = "answered"  // ответ получен (outgoing) / ответ отправлен (incoming)
	StatusRejected  Status = "rejected"  // отказ: the provider refused (NO_DATA, ACCESS_DENIED…)
	StatusError     Status = "error"     // ошибка: needs the clerk's attention
	StatusCancelled Status = "cancelled" // отменён
	StatusReceived  Status = "received"  // incoming: received, to be answered
	// StatusUnverified: an answer came whose signatures did not pass the
	// check (forged, untrusted or broken): it is kept with its reasons and
	// the raw envelope, shown to nobody as data; the request still waits.
	StatusUnverified Status = "unverified"
)

var statusTitles = map[Status]string{
	StatusDraft:      "Черновик",
	StatusSigned:     "Подписан",
	StatusQueued:     "В очереди",
	StatusSent:       "Отправлен",
	StatusAccepted:   "Принят СМЭВ",
	StatusAnswered:   "Ответ получен",
	StatusRejected:   "Отказ",
	StatusError:      "Ошибка",
	StatusCancelled:  "Отменён",
	StatusReceived:   "Поступил",
	StatusUnverified: "Ответ не прошёл проверку подписи",
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { _, ok := statusTitles[s]; return ok }

// Title is the status in Russian, for the clerk.
func (s Status) Title() string { return statusTitles[s] }

// Open reports whether a request in this status still waits for something
// (an answer to arrive, or our answer to go out): its deadline matters.
func (s Status) Open() bool {
	switch s {
	case StatusAnswered, StatusRejected, StatusCancelled:
		return false
	}
	return true
}

// Request is one interagency request in the journal, outgoing or incoming.
type Request struct {
	ID            int64     `json:"id"`
	Direction     Direction `json:"direction"`
	MessageID     string    `json:"messageId,omitempty"`     // SMEV MessageID (v1 UUID)
	Number        string    `json:"number,omitempty"`        // outgoing letter number (paper) or journal number
	ApplicationID int64     `json:"applicationId,omitempty"` // the applicant's case it belongs to
	TemplateID    string    `json:"templateId"`
	TemplateTitle string    `json:"templateTitle"`
	Provider      string    `json:"provider"`     // the authority asked (outgoing) or asking (incoming)
	ProviderCode  string    `json:"providerCode"` // its SMEV identifier, when known
	Channel       Channel   `json:"channel"`
	Status        Status    `json:"status"`
	Applicant     string    `json:"applicant,omitempty"` // the person the data is about
	SNILS         string    `json:"snils,omitempty"`
	CreatedAt     time.Time `json:"createdAt"`
	SentAt        time.Time `json:"sentAt,omitzero"`
	DueOn         string    `json:"dueOn,omitempty"` // answer deadline, YYYY-MM-DD
	// DueMissingYear is the year the production calendar lacks when the
	// answer deadline could not be computed yet (DueOn is then empty).
	DueMissingYear int       `json:"dueMissingYear,omitempty"`
	AnsweredAt     time.Time `json:"answeredAt,omitzero"`
	UpdatedAt      time.Time `json:"updatedAt"`
	LastError      string    `json:"lastError,omitempty"`
}

// Event is one change of a request's status: who, when, from what to what.
type Event struct {
	Seq       int64     `json:"seq"` // journal-wide sequence, the sync stream's order
	RequestID int64     `json:"requestId"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"` // the clerk, "outbox", "smev", "system"
	From      Status    `json:"from,omitempty"`
	To        Status    `json:"to"`
	Note      string    `json:"note,omitempty"`
}

// RequestFilter selects and orders requests for the journal views.
type RequestFilter struct {
	Direction Direction // "" for both
	Statuses  []Status  // empty for any
	Query     string    // words: applicant, СНИЛС, provider, template, number
	Provider  string
	Template  string
	From, To  string // created between these dates, YYYY-MM-DD, inclusive
	OverdueOn string // when set (today), only open requests due before it
	DueBy     string // when set, only open requests due on or before this day
	Order     string // "due" (default), "created", "-created", "-due"
	Offset    int
	Limit     int  // 1..500, default 50
	SkipTotal bool // do not count the matches (Page.Total is -1, except the lower bound of a search by common words): paging on
}

// Attachment is a file that travels with a request or a reply.
type Attachment struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	MimeType string `json:"mimeType"`
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"` // hex
}
