// Package app is the application core the window binds to: thin services
// whose methods take plain values and return one Result shape, so the
// frontend handles every answer the same way. It is plain Go, testable
// without a window: window events go through the Events interface.
package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"path/filepath"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/region"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/trust"
)

// Result is what every bound method returns to the frontend.
type Result struct {
	OK      bool   `json:"ok"`
	Code    string `json:"code,omitempty"`    // domain error code when !OK
	Message string `json:"message,omitempty"` // for the clerk, in Russian
	Data    any    `json:"data,omitempty"`
}

// Events delivers notifications to the window (Wails runtime events in the
// real window; a recorder in tests).
type Events interface {
	Emit(name string, data any)
	Notify(title, body string) // a desktop notification
}

// NopEvents drops everything.
type NopEvents struct{}

func (NopEvents) Emit(string, any)      {}
func (NopEvents) Notify(string, string) {}

// Config is what the edge (main) wires in.
type Config struct {
	DataDir  string // the data directory
	Explicit bool   // the user named it: do not create it
	Log      *slog.Logger
	Events   Events
	Started  time.Time // when the process started: the first paint is measured from it
	Desktop  Desktop   // save dialog and file opening; nil without a window
	// TrainingDelay is how long the training node's providers take to
	// answer (default 4 s); tests make it short.
	TrainingDelay time.Duration
	// Now is the clock (default time.Now); tests set the day they need.
	Now func() time.Time
}

// App owns the open journal and the services bound to the window.
type App struct {
	cfg Config
	log *slog.Logger

	painted sync.Once

	mu      sync.Mutex
	db      *store.DB
	openErr error
	cat     *templates.Catalogue
	catErr  error // a damaged imported template: the built-in catalogue is used
	cal     *calendar.Calendar
	trust   *trust.Store // the anchors, the accredited CAs and the CRLs; nil when it did not open

	smev smevState
	stop context.CancelFunc // background work of the app (the journal watch)

	syncer   *region.Syncer
	stopSync context.CancelFunc
	syncNote string // why there is no sync, for the window

	Journal   *JournalService
	Settings  *SettingsService
	Templates *TemplatesService
	Requests  *RequestsService
	Deadlines *DeadlinesService
	Sync      *SyncService
	Print     *PrintService
}

// New makes the application; Start opens the journal.
func New(cfg Config) *App {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Events == nil {
		cfg.Events = NopEvents{}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	a := &App{cfg: cfg, log: cfg.Log}
	a.Journal = &JournalService{app: a}
	a.Settings = &SettingsService{app: a}
	a.Templates = &TemplatesService{app: a}
	a.Requests = &RequestsService{app: a}
	a.Deadlines = &DeadlinesService{app: a}
	a.Sync = &SyncService{app: a}
	a.Print = &PrintService{app: a}
	a.cat = templates.Builtin()
	a.cal = calendar.Builtin()
	return a
}

// Services lists what the window binds.
func (a *App) Services() []any {
	return []any{a.Journal, a.Settings, a.Templates, a.Requests, a.Deadlines, a.Sync, a.Print}
}

// Start opens the journal. A failure is kept and shown by every call, so the
// window can still open and explain what is wrong.
func (a *App) Start(ctx context.Context) error {
	db, err := store.Open(a.cfg.DataDir, store.Options{Create: !a.cfg.Explicit})
	a.mu.Lock()
	if err != nil {
		a.openErr = err
		a.mu.Unlock()
		a.log.Error("journal not opened", "dir", a.cfg.DataDir, "err", err)
		return err
	}
	a.db = db
	a.mu.Unlock()
	a.log.Info("journal opened", "path", db.Path())
	a.reloadCatalogue()
	a.reloadCalendar()
	if ts, err := trust.Open(a.cfg.DataDir); err != nil {
		a.log.Error("trust store not opened: no answer will be trusted", "err", err)
	} else {
		ts.SetClock(a.cfg.Now)
		a.mu.Lock()
		a.trust = ts
		a.mu.Unlock()
	}
	a.startSync(ctx)
	a.startSMEV(ctx)
	bg, cancel := context.WithCancel(context.Background())
	a.mu.Lock()
	a.stop = cancel
	a.mu.Unlock()
	go a.watchJournal(bg)
	return nil
}

// reloadCatalogue reads the built-in templates and those imported into the
// data directory. A damaged imported file is logged and remembered; the
// built-in catalogue stays in use.
func (a *App) reloadCatalogue() error {
	cat, err := templates.Load(filepath.Join(a.cfg.DataDir, "templates"))
	a.mu.Lock()
	defer a.mu.Unlock()
	a.catErr = err
	if err != nil {
		a.log.Error("imported templates not loaded", "err", err)
		return err
	}
	a.cat = cat
	return nil
}

// reloadCalendar reads the built-in calendar with the years imported into
// the data directory, and computes every deadline that waited for one of
// them. A damaged imported file is logged; the previous calendar stays.
func (a *App) reloadCalendar() error {
	cal, err := calendar.Load(filepath.Join(a.cfg.DataDir, "calendar"))
	if err != nil {
		a.log.Error("imported calendar not loaded", "err", err)
		return err
	}
	a.mu.Lock()
	a.cal = cal
	a.mu.Unlock()
	db, err := a.journal()
	if err != nil {
		return nil
	}
	n, err := db.ResolvePendingDeadlines(context.Background(), cal.DueOn)
	if err != nil {
		a.log.Error("pending deadlines not computed", "err", err)
		return err
	}
	if n > 0 {
		a.log.Info("pending deadlines computed", "count", n)
		a.cfg.Events.Emit("journal", map[string]any{"deadlines": n})
	}
	return nil
}

// trustStore is the store that judges certificates; nil when it did not open.
func (a *App) trustStore() *trust.Store {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.trust
}

// now is the app's clock; today the civil date on it.
func (a *App) now() time.Time       { return a.cfg.Now() }
func (a *App) today() calendar.Date { return calendar.DateOf(a.cfg.Now()) }

func (a *App) catalogue() *templates.Catalogue {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.cat
}

func (a *App) calendar() *calendar.Calendar {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.cal
}

// Stop stops the background work and closes the journal.
func (a *App) Stop() {
	a.mu.Lock()
	stop, stopBg := a.stopSync, a.stop
	a.stopSync, a.syncer, a.stop = nil, nil, nil
	a.mu.Unlock()
	if stopBg != nil {
		stopBg()
	}
	if stop != nil {
		stop()
	}
	a.stopSMEV()
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.db != nil {
		a.db.Close()
		a.db = nil
	}
}

// journal returns the open journal or the reason there is none.
func (a *App) journal() (*store.DB, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.db != nil {
		return a.db, nil
	}
	if a.openErr != nil {
		return nil, a.openErr
	}
	return nil, domain.Errorf(domain.EUNAVAILABLE, "Журнал ещё не открыт. Подождите несколько секунд.")
}

// fail logs err with its details and returns what the clerk sees.
func (a *App) fail(op string, err error) Result {
	a.log.Error(op, "code", domain.ErrorCode(err), "err", err)
	return Result{Code: domain.ErrorCode(err), Message: domain.ErrorMessage(err)}
}

func ok(data any) Result { return Result{OK: true, Data: data} }

// appTerms computes deadlines on the app's current calendar, so a year
// imported while the SMEV service runs is used by it at once.
type appTerms struct{ a *App }

func (t appTerms) DueOn(from string, days int) (string, int, error) {
	return t.a.calendar().DueOn(from, days)
}

// appClock gives the app's clock to the training node, whose timestamps
// start the answer terms.
type appClock struct{ a *App }

func (c appClock) Now() time.Time { return c.a.now() }
