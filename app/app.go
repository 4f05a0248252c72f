// Package app is the window's face of the workstation core: thin services
// whose bound methods take plain values and return a value and an error
// (an *Error with a code and a Russian message, made in one place, fail), so
// Wails generates typed TypeScript bindings for them. It is plain Go,
// testable without a window: window events go through the Events interface.
package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/region/regionsync"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/workstation"
)

// Error is how a failure crosses the bridge: the bound methods return
// values and an error; the window receives the error's text, which is this
// JSON ({"code": …, "message": …}), so every failure reaches the clerk as a
// code and a Russian message (frontend/src/lib/api.ts reads it). fail is the
// one place that makes it.
type Error struct {
	Code    string `json:"code"`    // domain error code
	Message string `json:"message"` // for the clerk, in Russian
}

func (e *Error) Error() string {
	b, _ := json.Marshal(e)
	return string(b)
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
	// KeySearch, when set, changes where the key picker looks (tests give
	// their own tokens and folders); it gets the workstation's search.
	KeySearch func(workstation.KeySearch) workstation.KeySearch
}

// App owns the open journal and the services bound to the window.
type App struct {
	cfg Config
	log *slog.Logger

	painted sync.Once

	mu      sync.Mutex
	ws      *workstation.Workstation // the core: journal, catalogue, calendar, trust store
	openErr error

	smev smevState
	stop context.CancelFunc // background work of the app (the journal watch)

	syncer   *regionsync.Syncer
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
	return a
}

// Services lists what the window binds.
func (a *App) Services() []any {
	return []any{a.Journal, a.Settings, a.Templates, a.Requests, a.Deadlines, a.Sync, a.Print}
}

// Start opens the workstation: the journal, the catalogue, the calendar
// and the trust store. A failure is kept and shown by every call, so the
// window can still open and explain what is wrong.
func (a *App) Start(ctx context.Context) error {
	ws, err := workstation.Open(workstation.Config{DataDir: a.cfg.DataDir, Explicit: a.cfg.Explicit, Now: a.cfg.Now, Log: a.log})
	a.mu.Lock()
	if err != nil {
		a.openErr = err
		a.mu.Unlock()
		a.log.Error("journal not opened", "dir", a.cfg.DataDir, "err", err)
		return err
	}
	a.ws = ws
	a.mu.Unlock()
	a.log.Info("journal opened", "path", ws.Journal().Path())
	a.startSync(ctx)
	a.startSMEV(ctx)
	bg, cancel := context.WithCancel(context.Background())
	a.mu.Lock()
	a.stop = cancel
	a.mu.Unlock()
	go a.watchJournal(bg)
	return nil
}

// core returns the open workstation or the reason there is none.
func (a *App) core() (*workstation.Workstation, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ws != nil {
		return a.ws, nil
	}
	if a.openErr != nil {
		return nil, a.openErr
	}
	return nil, domain.Errorf(domain.EUNAVAILABLE, "Журнал ещё не открыт. Подождите несколько секунд.")
}

// reloadCatalogue rereads the imported cards (see workstation).
func (a *App) reloadCatalogue() error {
	ws, err := a.core()
	if err != nil {
		return err
	}
	return ws.ReloadCatalogue()
}

// reloadCalendar rereads the imported calendar years and computes the
// deadlines that waited for them; the window hears of it.
func (a *App) reloadCalendar() error {
	ws, err := a.core()
	if err != nil {
		return err
	}
	n, err := ws.ReloadCalendar()
	if err != nil {
		a.log.Error("calendar not reloaded", "err", err)
		return err
	}
	if n > 0 {
		a.cfg.Events.Emit("journal", map[string]any{"deadlines": n})
	}
	return nil
}

// now is the app's clock; today the civil date on it.
func (a *App) now() time.Time       { return a.cfg.Now() }
func (a *App) today() calendar.Date { return calendar.DateOf(a.cfg.Now()) }

func (a *App) catalogue() *templates.Catalogue {
	if ws, err := a.core(); err == nil {
		return ws.Catalogue()
	}
	return templates.Builtin()
}

func (a *App) calendar() *calendar.Calendar {
	if ws, err := a.core(); err == nil {
		return ws.Calendar()
	}
	return calendar.Builtin()
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
	if a.ws != nil {
		a.ws.Close()
		a.ws = nil
	}
}

// journal returns the open journal or the reason there is none.
func (a *App) journal() (*store.DB, error) {
	ws, err := a.core()
	if err != nil {
		return nil, err
	}
	return ws.Journal(), nil
}

// fail logs err with its details and returns what the clerk sees.
func (a *App) fail(op string, err error) error {
	a.log.Error(op, "code", domain.ErrorCode(err), "err", err)
	return &Error{Code: domain.ErrorCode(err), Message: domain.ErrorMessage(err)}
}

// appClock gives the app's clock to the training node, whose timestamps
// start the answer terms.
type appClock struct{ a *App }

func (c appClock) Now() time.Time { return c.a.now() }
