package transport

import (
	"fmt"

	"github.com/mezhved/mezhved/domain"
)

// Action is what the client does about a fault.
type Action int

const (
	// ActRetry: try again later with the same MessageID (backoff).
	ActRetry Action = iota + 1
	// ActDone: the earlier send got through; stop and treat it as sent.
	ActDone
	// ActNewID: the MessageID is too old: make a new one, sign again, send.
	ActNewID
	// ActFix: a local defect (signature, certificate, format): show it to
	// the clerk, do not retry blindly.
	ActFix
	// ActFinal: final for this message: the clerk must act.
	ActFinal
)

func (a Action) String() string {
	switch a {
	case ActRetry:
		return "retry"
	case ActDone:
		return "done"
	case ActNewID:
		return "new-id"
	case ActFix:
		return "fix"
	case ActFinal:
		return "final"
	}
	return "unknown"
}

// Fault is a SOAP fault from SMEV with its detail.
type Fault struct {
	Code        string // faultcode (soap:Client, soap:Server)
	String      string // faultstring
	Name        string // local name of the detail element: MessageIsAlreadySent, SignatureVerificationFault…
	SMEVCode    string // detail/Code
	Description string // detail/Description
	SigFault    string // SignatureVerificationFault/SignatureVerificationFault: NoSignatureFound…
}

func (f *Fault) Error() string {
	s := "SMEV fault " + f.Name
	if f.Name == "" {
		s = "SOAP fault " + f.Code
	}
	if f.SigFault != "" {
		s += " (" + f.SigFault + ")"
	}
	if f.String != "" {
		s += ": " + f.String
	}
	return s
}

// FaultClass is how a fault is handled.
type FaultClass struct {
	Action Action
	Ru     string // for the clerk
}

// faultTable maps every SMEV fault (faults schema 1.3 and smev3.md) to the
// client's action.
var faultTable = map[string]FaultClass{
	"MessageIsAlreadySent":             {ActDone, "Сообщение уже было принято СМЭВ ранее."},
	"StaleMessageId":                   {ActNewID, "Идентификатор сообщения устарел: сообщение будет отправлено с новым идентификатором. Проверьте часы компьютера."},
	"InvalidMessageIdFormat":           {ActFix, "СМЭВ не принял идентификатор сообщения (нужен UUID версии 1). Это ошибка программы: обратитесь в поддержку."},
	"SMEVFailure":                      {ActRetry, "Сбой в СМЭВ. Отправка будет повторена автоматически."},
	"DestinationOverflow":              {ActRetry, "Очередь получателя в СМЭВ переполнена. Отправка будет повторена автоматически."},
	"EndOfLifeReached":                 {ActRetry, "Истёк срок жизни сообщения в СМЭВ. Отправка будет повторена."},
	"SignatureVerificationFault":       {ActFix, "СМЭВ не принял электронную подпись."},
	"AccessDenied":                     {ActFinal, "СМЭВ: отправителю не разрешено направлять запросы этому получателю."},
	"PersonalAccessDenied":             {ActFinal, "СМЭВ: по сертификату должностного лица доступ к этим сведениям запрещён."},
	"SenderIsNotRegistered":            {ActFinal, "СМЭВ: отправитель не зарегистрирован. Проверьте сертификат ЭП-ОВ и регистрацию в СМЭВ."},
	"RecipientIsNotFound":              {ActFinal, "СМЭВ: получатель ответа не найден."},
	"InvalidContent":                   {ActFinal, "СМЭВ: содержимое запроса не прошло проверку по схеме вида сведений."},
	"BusinessDataTypeIsNotSupported":   {ActFinal, "СМЭВ: этот вид сведений не поддерживается. Проверьте технологическую карту."},
	"UnknownMessageType":               {ActFinal, "СМЭВ: неизвестный тип сообщения."},
	"TransactionCodeInvalid":           {ActFinal, "СМЭВ: неверный код транзакции."},
	"AttachmentContentMiscoordination": {ActFinal, "СМЭВ: заголовки вложений не соответствуют их содержимому."},
	"AttachmentSizeLimitExceeded":      {ActFinal, "СМЭВ: суммарный размер вложений превышает допустимый. Уменьшите файлы."},
	"QuoteLimitExceeded":               {ActFinal, "СМЭВ: исчерпана квота на вложения."},
	"IncorrectResponseContentType":     {ActFinal, "СМЭВ: содержимое ответа не является ответом по реестру видов сведений."},
	"RequestIsNotFound":                {ActFinal, "СМЭВ: запрос не найден."},
	"TargetMessageIsNotFound":          {ActFinal, "СМЭВ: подтверждаемое сообщение не найдено (уже подтверждено)."},
}

// sigFaultRu explains the codes of SignatureVerificationFault.
var sigFaultRu = map[string]string{
	"PoorSOAPEnvelopeFormat":   "неверный формат конверта SOAP",
	"NoSignatureFound":         "подпись ЭП-ОВ не найдена",
	"IncorrectSignatureTarget": "подписан не тот элемент",
	"SignatureIsInvalid":       "подпись неверна",
	"CertificateIsNotFound":    "сертификат не найден в СМЭВ; обратитесь в поддержку оператора СМЭВ",
	"CertificateIsExpired":     "срок действия сертификата истёк; обратитесь в удостоверяющий центр",
}

// Classify returns the action and the clerk's message for a fault. An
// unknown fault is retried when SOAP says the server failed, final
// otherwise.
func Classify(f *Fault) FaultClass {
	if c, ok := faultTable[f.Name]; ok {
		if f.Name == "SignatureVerificationFault" && sigFaultRu[f.SigFault] != "" {
			c.Ru = fmt.Sprintf("СМЭВ не принял электронную подпись: %s.", sigFaultRu[f.SigFault])
		}
		return c
	}
	if f.Name == "" && (f.Code == "soap:Server" || hasSuffix(f.Code, ":Server") || f.Code == "Server") {
		return FaultClass{ActRetry, "Сбой на стороне СМЭВ. Отправка будет повторена автоматически."}
	}
	return FaultClass{ActFinal, fmt.Sprintf("СМЭВ отклонил сообщение: %s.", f.Error())}
}

func hasSuffix(s, suf string) bool { return len(s) >= len(suf) && s[len(s)-len(suf):] == suf }

// AsDomain returns the fault as a coded error for the clerk.
func (f *Fault) AsDomain(op string) *domain.Error {
	return domain.Wrap(f, domain.EFAULT, op, Classify(f).Ru)
}

// FaultNames returns the fault names the table knows.
func FaultNames() []string {
	out := make([]string, 0, len(faultTable))
	for k := range faultTable {
		out = append(out, k)
	}
	return out
}
