package app

import (
	"fmt"

	"github.com/mezhved/mezhved/domain"
)

// CalendarInfo is what «Настройки» shows of the production calendar.
type CalendarInfo struct {
	Years  []int  `json:"years"`            // the years covered, in order
	Notice string `json:"notice,omitempty"` // a missing year and where it comes from
	// Imported is set after an import: the year added, and how many
	// deadlines that waited for it were computed.
	Imported int `json:"imported,omitempty"`
	Computed int `json:"computed,omitempty"`
}

func (a *App) calendarInfo() CalendarInfo {
	cal := a.calendar()
	return CalendarInfo{Years: cal.Years(), Notice: cal.Notice(a.today())}
}

// Calendar says which years the production calendar covers, and what is
// missing.
func (s *SettingsService) Calendar() (CalendarInfo, error) { return s.app.calendarInfo(), nil }

// ImportCalendar asks for a calendar file (the xmlcalendar format the region
// and the dataset use) and adds its year; deadlines that waited for it are
// computed at once. Cancelling the dialog changes nothing.
func (s *SettingsService) ImportCalendar() (CalendarInfo, error) {
	const op = "settings.ImportCalendar"
	if s.app.cfg.Desktop == nil {
		return CalendarInfo{}, s.app.fail(op, domain.Errorf(domain.EUNAVAILABLE, "Выбор файла доступен только в окне программы: используйте mezhved calendar import ФАЙЛ."))
	}
	path, err := s.app.cfg.Desktop.OpenFileDialog("Файл производственного календаря", "Календарь XML (*.xml)", "*.xml")
	if err != nil {
		return CalendarInfo{}, s.app.fail(op, domain.Wrap(err, domain.EINTERNAL, op, "Окно выбора файла не открылось."))
	}
	if path == "" {
		return s.app.calendarInfo(), nil
	}
	return s.importCalendar(path)
}

// importCalendar adds a calendar year through the core; a bad file leaves
// everything as it was.
func (s *SettingsService) importCalendar(path string) (CalendarInfo, error) {
	const op = "settings.ImportCalendar"
	ws, err := s.app.core()
	if err != nil {
		return CalendarInfo{}, s.app.fail(op, err)
	}
	imp, err := ws.ImportCalendar(path)
	if err != nil {
		return CalendarInfo{}, s.app.fail(op, err)
	}
	info := s.app.calendarInfo()
	info.Imported, info.Computed = imp.Year, imp.Computed
	s.app.log.Info("calendar imported", "year", imp.Year, "deadlines", imp.Computed)
	s.app.cfg.Events.Emit("journal", map[string]any{"deadlines": imp.Computed})
	s.app.cfg.Events.Notify("Межвед: производственный календарь", fmt.Sprintf("Загружен календарь на %d год.", imp.Year))
	return info, nil
}
