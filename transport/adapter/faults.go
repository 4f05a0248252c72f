package adapter

import (
	"strings"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/transport"
)

// faultTable maps the adapter's faults (the faults schema) to the client's
// action, as the schema's documentation prescribes.
var faultTable = map[string]transport.FaultClass{
	// «должен предпринимать повторные попытки отправить запрос, без
	// ограничения количества попыток»
	"SystemFault": {Action: transport.ActRetry, Ru: "Сбой адаптера СМЭВ региона или его настройки. Отправка будет повторена автоматически."},
	"SyncFault":   {Action: transport.ActRetry, Ru: "Адаптер СМЭВ не дождался ответа СМЭВ. Отправка будет повторена автоматически."},
	// «должен устранить причину ошибки обработки запроса и предпринять
	// повторную попытку отправить запрос»
	"ValidationFault": {Action: transport.ActFix, Ru: "Адаптер СМЭВ не принял сообщение: в нём не хватает данных или они противоречивы. Исправьте запрос и отправьте его заново."},
}

// Class says what to do about a fault of the adapter: a Fault is a
// transport.Classified, and the Worker acts on it as on a SMEV fault.
func (f *Fault) Class() transport.FaultClass {
	c, ok := faultTable[f.Name]
	if !ok {
		// Not one of the adapter's faults: a server failure is retried,
		// anything else goes to the clerk.
		if f.Name == "" && (f.Code == "Server" || strings.HasSuffix(f.Code, ":Server")) {
			return transport.FaultClass{Action: transport.ActRetry, Ru: "Сбой на стороне адаптера СМЭВ. Отправка будет повторена автоматически."}
		}
		return transport.FaultClass{Action: transport.ActFinal, Ru: "Адаптер СМЭВ отклонил сообщение: " + f.Error() + "."}
	}
	if d := f.Description; d != "" && c.Action != transport.ActRetry {
		c.Ru = strings.TrimSuffix(c.Ru, ".") + ". Адаптер сообщает: " + d
		if f.AdapterCode != "" {
			c.Ru += " (код " + f.AdapterCode + ")"
		}
		c.Ru += "."
	}
	return c
}

// AsDomain returns the fault as a coded error for the clerk.
func (f *Fault) AsDomain(op string) *domain.Error {
	return domain.Wrap(f, domain.EFAULT, op, f.Class().Ru)
}

// FaultNames returns the fault names the table knows.
func FaultNames() []string { return []string{"SystemFault", "ValidationFault", "SyncFault"} }
