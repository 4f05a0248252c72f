package calendar

import (
	"fmt"
	"time"
)

// PendingNote is what the clerk sees in place of a due date that cannot be
// computed yet because the calendar lacks year.
func PendingNote(year int) string {
	return fmt.Sprintf("срок не рассчитан: нет производственного календаря на %d год", year)
}

// DueOn is AddWorkingDays on ISO dates, in the shape the journal uses to
// compute deadlines (store.DueFunc): a year the calendar lacks is not an
// error but the second result, with an empty due date, so the request is
// kept and its deadline computed when that year arrives.
func (c *Calendar) DueOn(from string, days int) (string, int, error) {
	d, err := ParseDate(from)
	if err != nil {
		return "", 0, err
	}
	due, err := c.AddWorkingDays(d, days)
	if y := MissingYear(err); y != 0 {
		return "", y, nil
	} else if err != nil {
		return "", 0, err
	}
	return due.String(), 0, nil
}

// NextYearNoticeFrom is the day of the year from which the lack of the next
// year's calendar is announced: requests sent in late December already need
// it, and the official calendar is published in the autumn.
const NextYearNoticeFrom = time.October

// Notice says, in Russian, what the clerk should know about the calendar on
// today: that this year's calendar is missing, or (from 1 October) next
// year's, and where it comes from. "" when nothing is missing.
func (c *Calendar) Notice(today Date) string {
	year := today.Year()
	missing := 0
	if !c.Covers(year) {
		missing = year
	} else if today.Month() >= NextYearNoticeFrom && !c.Covers(year+1) {
		missing = year + 1
	}
	if missing == 0 {
		return ""
	}
	return fmt.Sprintf("Нет производственного календаря на %d год: сроки запросов, которые идут в %d год, "+
		"не будут рассчитаны, пока он не появится (запросы при этом отправляются). Календарь приходит "+
		"с обновлением от региона; его можно загрузить и вручную: «Настройки» → «Загрузить календарь…» "+
		"(в командной строке: mezhved calendar import ФАЙЛ).", missing, missing)
}

// Covers reports whether the calendar has year.
func (c *Calendar) Covers(year int) bool {
	_, ok := c.years[year]
	return ok
}
