// Package demo prepares the training journal: a settlement, a clerk and a
// few requests in every state, so a newcomer sees a living journal.
package demo

import (
	"context"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
)

// Identity of the training workstation.
const (
	Settlement = "Берёзовское сельское поселение (учебное)"
	OKTMO      = "46608404"
	Clerk      = "Иванова Мария Петровна"
)

type seedRequest struct {
	dir       domain.Direction
	template  string
	title     string
	provider  string
	channel   domain.Channel
	applicant string
	snils     string
	path      []domain.Status // statuses it went through, the last is current
	dueDays   int             // due this many calendar days from today (negative: overdue)
	number    string
}

var seeds = []seedRequest{
	{domain.Outgoing, "egrn-object", "Выписка из ЕГРН об объекте недвижимости", "Росреестр", domain.ChannelSMEV,
		"Петров Сергей Николаевич", "112-233-445 95", []domain.Status{domain.StatusDraft, domain.StatusSigned, domain.StatusQueued, domain.StatusSent, domain.StatusAccepted}, 3, ""},
	{domain.Outgoing, "mvd-registration", "Сведения о регистрации по месту жительства", "МВД России", domain.ChannelSMEV,
		"Сидорова Анна Викторовна", "", []domain.Status{domain.StatusDraft, domain.StatusSigned, domain.StatusQueued, domain.StatusSent, domain.StatusAccepted, domain.StatusAnswered}, -2, ""},
	{domain.Outgoing, "fns-egrip", "Выписка из ЕГРИП", "ФНС России", domain.ChannelSMEV,
		"Кузнецов Олег Игоревич", "", []domain.Status{domain.StatusDraft, domain.StatusSigned, domain.StatusQueued, domain.StatusSent}, -1, ""},
	{domain.Outgoing, "sfr-payments", "Сведения о выплатах и пособиях", "Социальный фонд России", domain.ChannelPost,
		"Петров Сергей Николаевич", "112-233-445 95", []domain.Status{domain.StatusSent}, 0, "01-12/348"},
	{domain.Outgoing, "zags-birth", "Сведения о государственной регистрации рождения", "ЕГР ЗАГС", domain.ChannelSMEV,
		"Морозова Елена Андреевна", "", []domain.Status{domain.StatusDraft}, 0, ""},
	{domain.Incoming, "household-book", "Выписка из похозяйственной книги", "Социальный фонд России", domain.ChannelSMEV,
		"Васильев Пётр Ильич", "", []domain.Status{domain.StatusReceived}, 1, ""},
	{domain.Incoming, "dwelling-residents", "Сведения о лицах, зарегистрированных в жилом помещении", "ОСФР по Ярославской области", domain.ChannelSMEV,
		"Николаева Ольга Сергеевна", "", []domain.Status{domain.StatusReceived}, -1, ""},
}

// Seed fills an empty journal with the training identity and requests. A
// journal that already has requests is left alone (only the training mode is
// switched on), so running it twice changes nothing.
func Seed(ctx context.Context, db *store.DB, today time.Time) (created int, err error) {
	page, err := db.ListRequests(ctx, domain.RequestFilter{Limit: 1})
	if err != nil {
		return 0, err
	}
	settings := map[string]string{store.SettingTraining: "1"}
	if clerk, err := db.Setting(ctx, store.SettingClerk); err != nil {
		return 0, err
	} else if clerk == "" {
		settings[store.SettingSettlement] = Settlement
		settings[store.SettingOKTMO] = OKTMO
		settings[store.SettingClerk] = Clerk
	}
	if err := db.SetSettings(ctx, settings); err != nil {
		return 0, err
	}
	if page.Total > 0 {
		return 0, nil
	}
	for _, s := range seeds {
		due := ""
		if s.path[len(s.path)-1] != domain.StatusDraft {
			due = today.AddDate(0, 0, s.dueDays).Format(time.DateOnly)
		}
		title := s.title
		if t, err := templates.Builtin().Get(s.template); err == nil {
			title = t.Title // the catalogue's words, where the card exists
		}
		id, err := db.CreateRequest(ctx, store.NewRequest{Direction: s.dir, TemplateID: s.template, TemplateTitle: title,
			Provider: s.provider, Channel: s.channel, Status: s.path[0], Applicant: s.applicant, SNILS: s.snils,
			DueOn: due, Number: s.number, Actor: Clerk, Note: "учебный пример"})
		if err != nil {
			return created, err
		}
		for _, st := range s.path[1:] {
			if err := db.SetStatus(ctx, id, st, "учебный узел СМЭВ", ""); err != nil {
				return created, err
			}
		}
		created++
	}
	return created, nil
}
