package app

import (
	"context"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/region/regionsync"
	"github.com/mezhved/mezhved/store"
)

// SyncService shows and drives the journal's sync with the regional server.
type SyncService struct{ app *App }

// SyncView is the sync state as the window shows it.
type SyncView struct {
	regionsync.State
	Enrolled bool   `json:"enrolled"` // the workstation has the region's kit
	Note     string `json:"note,omitempty"`
}

// syncInterval is how often the journal goes to the region in the background.
const syncInterval = 5 * time.Minute

// startSync runs the background syncer when the workstation is enrolled;
// every change of its state goes to the window as the "sync" event.
func (a *App) startSync(ctx context.Context) {
	ws, err := a.core()
	if err != nil {
		return
	}
	db := ws.Journal()
	ctx, cancel := context.WithCancel(ctx)
	s, err := regionsync.OpenSyncer(ctx, db, syncInterval, func(st regionsync.State) {
		a.cfg.Events.Emit("sync", SyncView{State: st, Enrolled: true})
		if !st.Running && st.Message == "" {
			// A sync may have brought templates or a calendar year.
			a.reloadCatalogue()
			a.reloadCalendar()
		}
	}, func(c *regionsync.ClientConfig) {
		// The list of accredited CAs and the CRLs the region sends go
		// into the store the running app judges with.
		c.Trust = ws.Trust()
	})
	if err != nil {
		cancel()
		a.mu.Lock()
		a.syncNote = domain.ErrorMessage(err)
		a.mu.Unlock()
		a.log.Info("region sync off", "reason", err)
		return
	}
	done := make(chan struct{})
	a.mu.Lock()
	a.syncer = s
	a.stopSync = func() {
		cancel()
		select { // let a sync under way finish with the journal open
		case <-done:
		case <-time.After(10 * time.Second):
		}
	}
	a.mu.Unlock()
	go func() {
		defer close(done)
		s.Run(ctx)
	}()
}

// State returns the sync state: last sync, events waiting, progress, and
// whether the region was reachable.
func (s *SyncService) State() (SyncView, error) {
	db, err := s.app.journal()
	if err != nil {
		return SyncView{}, s.app.fail("sync.State", err)
	}
	s.app.mu.Lock()
	syncer, note := s.app.syncer, s.app.syncNote
	s.app.mu.Unlock()
	if syncer != nil {
		return SyncView{State: syncer.State(), Enrolled: true}, nil
	}
	st, err := regionsync.ReadState(context.Background(), db)
	if err != nil {
		return SyncView{}, s.app.fail("sync.State", err)
	}
	return SyncView{State: st, Note: note}, nil
}

// Now asks for a sync at once; the result arrives as "sync" events.
func (s *SyncService) Now() (SyncView, error) {
	s.app.mu.Lock()
	syncer, note := s.app.syncer, s.app.syncNote
	s.app.mu.Unlock()
	if syncer == nil {
		if note == "" {
			note = "Рабочее место не подключено к региональному серверу."
		}
		return SyncView{}, s.app.fail("sync.Now", domain.Errorf(domain.EUNAVAILABLE, "%s", note))
	}
	syncer.Trigger()
	return SyncView{State: syncer.State(), Enrolled: true}, nil
}

// Personal reports whether applicants' names and СНИЛС go to the region.
func (s *SyncService) Personal() (bool, error) {
	db, err := s.app.journal()
	if err != nil {
		return false, s.app.fail("sync.Personal", err)
	}
	v, err := db.Setting(context.Background(), store.SettingSyncPersonal)
	if err != nil {
		return false, s.app.fail("sync.Personal", err)
	}
	return v == "1", nil
}

// SetPersonal chooses whether applicants' names and СНИЛС go to the region
// (by default only metadata does). It applies from the next sync on.
func (s *SyncService) SetPersonal(on bool) (bool, error) {
	db, err := s.app.journal()
	if err != nil {
		return false, s.app.fail("sync.SetPersonal", err)
	}
	v := "0"
	if on {
		v = "1"
	}
	if err := db.SetSettings(context.Background(), map[string]string{store.SettingSyncPersonal: v}); err != nil {
		return false, s.app.fail("sync.SetPersonal", err)
	}
	return on, nil
}
