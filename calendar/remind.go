package calendar

import "github.com/mezhved/mezhved/domain"

// Urgency says how close a due date is, for a given today.
type Urgency uint8

const (
	NotDue      Urgency = iota // more than one working day left
	DueTomorrow                // due on the next working day after today (Monday, seen on a Friday)
	DueToday                   // today is the last day
	Overdue                    // the due date has passed
)

// Direction says whose term it is.
type Direction uint8

const (
	Outgoing Direction = iota // our request: we wait for the provider's answer
	Incoming                  // a request to us: we must answer
	Unsent                    // our request not yet sent: the send term (SendBy) runs
)

// Remind classifies due against today: Overdue when due is before today,
// DueToday when it is today, DueTomorrow when it falls after today but no
// later than the next working day after today (so on a Friday an answer due
// on Monday is "due tomorrow"), NotDue otherwise. It needs the calendar only
// for the next working day, and fails when today's year is not covered.
func (c *Calendar) Remind(today, due Date) (Urgency, error) {
	switch {
	case today.IsZero() || due.IsZero():
		return NotDue, domain.Errorf(domain.EINVALID, "Для напоминания нужны сегодняшняя дата и срок")
	case due.Before(today):
		return Overdue, nil
	case due == today:
		return DueToday, nil
	}
	next, err := c.AddWorkingDays(today, 1)
	if err != nil {
		return NotDue, err
	}
	if !due.After(next) {
		return DueTomorrow, nil
	}
	return NotDue, nil
}

// Text returns the reminder a clerk reads in the Сроки screen, in Russian;
// "" for NotDue.
func (u Urgency) Text(dir Direction) string {
	if u == NotDue || u > Overdue || dir > Unsent {
		return ""
	}
	return [3][3]string{
		Outgoing: {"Ответ на запрос ожидается завтра (в следующий рабочий день)",
			"Сегодня последний день срока ответа на запрос",
			"Ответ на запрос не получен в срок"},
		Incoming: {"Ответить на запрос нужно завтра (в следующий рабочий день)",
			"Ответить на запрос нужно сегодня: последний день срока",
			"Срок ответа на входящий запрос истёк"},
		Unsent: {"Запрос нужно отправить не позднее завтрашнего (следующего рабочего) дня",
			"Запрос нужно отправить сегодня: последний день срока",
			"Срок отправки запроса истёк"},
	}[dir][u-1]
}
