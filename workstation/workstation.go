// Package workstation is the clerk's core: it opens the journal, the
// catalogue of technological cards, the production calendar and the trust
// store once, builds the one SMEV service, and offers the clerk's
// operations to both faces — the window (app/) and the commands (cli/) —
// which only adapt arguments and results. Wiring stays at the edge (main,
// window.go); the domain and the stores know nothing of the faces.
package workstation

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/trust"
)

// Config is what a face gives to open a workstation.
type Config struct {
	DataDir string
	// Explicit: the user named the data directory, so it is not created.
	Explicit bool
	// Now is the clock (default time.Now): deadlines, signing, the checks
	// of certificates, all take the time from it.
	Now func() time.Time
	// Zone is the clerk's civil time zone for printouts (default time.Local).
	Zone *time.Location
	Log  *slog.Logger
}

// Workstation is one open data directory. It is safe for concurrent use.
type Workstation struct {
	cfg   Config
	db    *store.DB
	trust *trust.Store // nil when it did not open (logged): then nothing is trusted

	mu     sync.RWMutex
	cat    *templates.Catalogue
	catErr error // a damaged imported template: the built-in catalogue is used
	cal    *calendar.Calendar
	// computedAtOpen: deadlines that waited for a calendar year and were
	// computed when the workstation opened.
	computedAtOpen int
}

// Open opens the journal of cfg.DataDir (refusing, with a coded error,
// what store.Open refuses), the catalogue and the calendar with what was
// imported into it, and the trust store; deadlines that waited for a
// calendar year now present are computed.
func Open(cfg Config) (*Workstation, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Zone == nil {
		cfg.Zone = time.Local
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	db, err := store.Open(cfg.DataDir, store.Options{Create: !cfg.Explicit})
	if err != nil {
		return nil, err
	}
	w := &Workstation{cfg: cfg, db: db, cat: templates.Builtin(), cal: calendar.Builtin()}
	w.ReloadCatalogue()
	if n, err := w.ReloadCalendar(); err != nil {
		cfg.Log.Error("imported calendar not loaded", "err", err)
	} else {
		w.computedAtOpen = n
	}
	if ts, err := trust.Open(cfg.DataDir); err != nil {
		cfg.Log.Error("trust store not opened: no answer will be trusted", "err", err)
	} else {
		ts.SetClock(cfg.Now)
		w.trust = ts
	}
	return w, nil
}

// Close closes the journal.
func (w *Workstation) Close() error { return w.db.Close() }

// Journal is the open journal.
func (w *Workstation) Journal() *store.DB { return w.db }

// Trust is the trust store, nil when it did not open.
func (w *Workstation) Trust() *trust.Store { return w.trust }

// Dir is the data directory.
func (w *Workstation) Dir() string { return w.cfg.DataDir }

// Now is the workstation's clock; Today the civil date on it.
func (w *Workstation) Now() time.Time { return w.cfg.Now() }

// Today is the civil date on the clock, in the clerk's zone.
func (w *Workstation) Today() calendar.Date { return calendar.DateOf(w.cfg.Now().In(w.cfg.Zone)) }

// Zone is the clerk's time zone.
func (w *Workstation) Zone() *time.Location { return w.cfg.Zone }

// Log is the workstation's log.
func (w *Workstation) Log() *slog.Logger { return w.cfg.Log }

// Catalogue is the catalogue in force: built-in cards and imported ones.
func (w *Workstation) Catalogue() *templates.Catalogue {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.cat
}

// CatalogueError is why imported cards are not in use ("" when they are).
func (w *Workstation) CatalogueError() error {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.catErr
}

// ReloadCatalogue reads the built-in cards and those imported into the data
// directory. A damaged imported file is remembered and logged; the
// catalogue in force stays.
func (w *Workstation) ReloadCatalogue() error {
	cat, err := templates.Load(filepath.Join(w.cfg.DataDir, "templates"))
	w.mu.Lock()
	defer w.mu.Unlock()
	w.catErr = err
	if err != nil {
		w.cfg.Log.Error("imported templates not loaded", "err", err)
		return err
	}
	w.cat = cat
	return nil
}

// CalendarDir is where imported calendar years are kept.
func (w *Workstation) CalendarDir() string { return calendarDir(w.cfg.DataDir) }

func calendarDir(dataDir string) string { return filepath.Join(dataDir, "calendar") }

// LoadCalendar is the calendar of a data directory (built-in years and
// imported ones) without opening its journal: what a deadline is computed
// on when the journal is in use by the window.
func LoadCalendar(dataDir string) (*calendar.Calendar, error) {
	return calendar.Load(calendarDir(dataDir))
}

// Calendar is the production calendar in force: built-in and imported years.
func (w *Workstation) Calendar() *calendar.Calendar {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.cal
}

// ReloadCalendar reads the calendar with the years imported into the data
// directory and computes every deadline that waited for one of them; it
// returns how many were computed. A damaged imported file leaves the
// calendar in force.
func (w *Workstation) ReloadCalendar() (int, error) {
	cal, err := LoadCalendar(w.cfg.DataDir)
	if err != nil {
		return 0, err
	}
	w.mu.Lock()
	w.cal = cal
	w.mu.Unlock()
	n, err := w.db.ResolvePendingDeadlines(context.Background(), cal.DueOn)
	if n > 0 {
		w.cfg.Log.Info("pending deadlines computed", "count", n)
	}
	return n, err
}

// DueOn computes a due day on the calendar in force at the moment of the
// call (transport.Terms): a year imported while the SMEV service runs is
// used at once.
func (w *Workstation) DueOn(from string, days int) (string, int, error) {
	return w.Calendar().DueOn(from, days)
}

// CalendarImport is what importing a calendar year did.
type CalendarImport struct {
	Year     int // the year added
	Computed int // deadlines that waited for it, now computed
	// Deferred: the journal could not be opened now (the window holds
	// it); the window computes the waiting deadlines when it starts.
	Deferred error
}

// ImportCalendar checks a calendar file fully, keeps it in the data
// directory and uses it; deadlines that waited for its year are computed.
// A bad file leaves everything as it was.
func (w *Workstation) ImportCalendar(path string) (CalendarImport, error) {
	y, err := calendar.Import(w.CalendarDir(), path)
	if err != nil {
		return CalendarImport{}, err
	}
	n, err := w.ReloadCalendar()
	return CalendarImport{Year: y.Year, Computed: n}, err
}

// Deadline is the due day term working days after from, on the calendar in
// force; a year it lacks is an error naming that year (calendar.MissingYear).
func (w *Workstation) Deadline(from calendar.Date, term int) (calendar.Date, error) {
	return w.Calendar().AddWorkingDays(from, term)
}

// ImportCalendarFile adds a calendar year to a data directory without a
// workstation held open (the command line). The year is kept; the
// deadlines that waited for it are computed now when the journal can be
// opened, else (the window holds it) Deferred says so and the window
// computes them when it starts.
func ImportCalendarFile(dataDir, path string) (CalendarImport, error) {
	y, err := calendar.Import(calendarDir(dataDir), path)
	if err != nil {
		return CalendarImport{}, err
	}
	imp := CalendarImport{Year: y.Year}
	if _, err := os.Stat(filepath.Join(dataDir, store.FileName)); err != nil {
		return imp, nil // no journal yet: nothing waits
	}
	w, err := Open(Config{DataDir: dataDir, Explicit: true, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		imp.Deferred = err
		return imp, nil
	}
	defer w.Close()
	imp.Computed = w.computedAtOpen
	return imp, nil
}
