package app

import (
	"context"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/region/regionsync"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/workstation"
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

// RegionKitView is what the window says after a kit was imported.
type RegionKitView struct {
	SyncView
	Settlement  string    `json:"settlement"`
	OKTMO       string    `json:"oktmo"`
	Workstation string    `json:"workstation"`
	URL         string    `json:"url"`
	NotAfter    time.Time `json:"notAfter"`
}

// ConnectRegion imports the region's kit for this workstation (the folder
// `mezhved-region workstation add --out` wrote, or one of its files) chosen
// with the system's dialog: it is checked, written into the data folder
// (region/, 0700, files 0600) and the sync starts at once, without a
// restart. Cancelling changes nothing (an empty view).
func (s *SyncService) ConnectRegion() (RegionKitView, error) {
	const op = "sync.ConnectRegion"
	path, err := s.app.choose(true, "Папка комплекта подключения к региону", "Комплект региона (*.pem, *.key, *.txt)", "*.pem;*.key;*.txt")
	if err != nil {
		return RegionKitView{}, s.app.fail(op, err)
	}
	if path == "" {
		return RegionKitView{}, nil
	}
	return s.connectRegion(path)
}

func (s *SyncService) connectRegion(path string) (RegionKitView, error) {
	const op = "sync.ConnectRegion"
	ws, err := s.app.core()
	if err != nil {
		return RegionKitView{}, s.app.fail(op, err)
	}
	ctx := context.Background()
	db := ws.Journal()
	kit, err := workstation.ReadRegionKit(path, s.app.now())
	if err != nil {
		return RegionKitView{}, s.app.fail(op, err)
	}
	if own, _ := db.Setting(ctx, store.SettingOKTMO); own != "" && own != kit.OKTMO {
		return RegionKitView{}, s.app.fail(op, domain.Errorf(domain.ECONFLICT,
			"Комплект выдан для поселения с ОКТМО %s, а в настройках этого рабочего места указан ОКТМО %s. Проверьте ОКТМО в разделе «Рабочее место» или попросите у администратора региона комплект для своего поселения.", kit.OKTMO, own))
	}
	url, _ := db.Setting(ctx, store.SettingSyncRegion)
	if kit.URL == "" && url == "" {
		return RegionKitView{}, s.app.fail(op, domain.Errorf(domain.EINVALID,
			"В комплекте нет адреса сервера региона (файл region-url.txt). Попросите администратора региона выдать комплект с адресом (--url)."))
	}
	s.app.stopSyncer()
	if err := workstation.InstallRegionKit(ws.Dir(), kit); err != nil {
		s.app.startSync(context.Background())
		return RegionKitView{}, s.app.fail(op, err)
	}
	if kit.URL != "" && url != "" {
		// The kit's address is in force from now on.
		if err := db.SetSettings(ctx, map[string]string{store.SettingSyncRegion: ""}); err != nil {
			return RegionKitView{}, s.app.fail(op, err)
		}
	}
	s.app.mu.Lock()
	s.app.syncNote = ""
	s.app.mu.Unlock()
	s.app.startSync(context.Background())
	s.app.log.Info("region kit installed", "oktmo", kit.OKTMO, "workstation", kit.Workstation)
	view, err := s.State()
	if err != nil {
		return RegionKitView{}, err
	}
	if !view.Enrolled {
		return RegionKitView{}, s.app.fail(op, domain.Errorf(domain.EUNAVAILABLE, "Комплект записан, но синхронизация не запустилась: %s", view.Note))
	}
	s.app.mu.Lock()
	syncer := s.app.syncer
	s.app.mu.Unlock()
	if syncer != nil {
		syncer.Trigger()
	}
	return RegionKitView{SyncView: view, Settlement: kit.Settlement, OKTMO: kit.OKTMO, Workstation: kit.Workstation,
		URL: kit.URL, NotAfter: kit.NotAfter}, nil
}

// stopSyncer stops the background sync, if it runs.
func (a *App) stopSyncer() {
	a.mu.Lock()
	stop := a.stopSync
	a.stopSync, a.syncer = nil, nil
	a.mu.Unlock()
	if stop != nil {
		stop()
	}
}
