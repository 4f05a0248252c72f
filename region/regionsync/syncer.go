package regionsync

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
)

// State is the sync state the window shows.
type State struct {
	LastSync    time.Time `json:"lastSync,omitzero"` // the last successful sync
	Waiting     int64     `json:"waiting"`           // events not yet confirmed by the region
	Running     bool      `json:"running"`           // a sync is under way
	Progress    Progress  `json:"progress"`          // of the running (or last) sync
	Unreachable bool      `json:"unreachable"`       // the last attempt could not reach the region
	Message     string    `json:"message,omitempty"` // the last failure, in Russian; "" after a success
}

// ReadState reads the sync state kept in the journal, without the network:
// what the window shows at start and when no Syncer runs.
func ReadState(ctx context.Context, db *store.DB) (State, error) {
	var st State
	get := func(k string) string {
		v, _ := db.Setting(ctx, k)
		return v
	}
	stored, _ := strconv.ParseInt(get(store.SettingSyncStored), 10, 64)
	if t, err := time.Parse(time.RFC3339, get(store.SettingSyncLastAt)); err == nil {
		st.LastSync = t
	}
	st.Message = get(store.SettingSyncLastErr)
	st.Unreachable = st.Message == unreachableMsg
	n, err := db.CountEventsAfter(ctx, stored)
	st.Waiting = n
	return st, err
}

// Syncer syncs in the background: at once, then every interval, and
// whenever Trigger is called. Every change of State goes to OnChange.
type Syncer struct {
	client   *Client
	db       *store.DB
	interval time.Duration
	onChange func(State)
	trigger  chan struct{}

	mu    sync.Mutex
	state State
}

// NewSyncer makes a background syncer; interval defaults to 5 minutes.
func NewSyncer(c *Client, db *store.DB, interval time.Duration, onChange func(State)) *Syncer {
	if interval <= 0 {
		interval = 5 * time.Minute
	}
	return &Syncer{client: c, db: db, interval: interval, onChange: onChange, trigger: make(chan struct{}, 1)}
}

// State returns the current state.
func (s *Syncer) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

func (s *Syncer) set(f func(*State)) {
	s.mu.Lock()
	f(&s.state)
	st := s.state
	s.mu.Unlock()
	if s.onChange != nil {
		s.onChange(st)
	}
}

// Trigger asks for a sync now («Синхронизировать»).
func (s *Syncer) Trigger() {
	select {
	case s.trigger <- struct{}{}:
	default:
	}
}

// Run syncs until ctx ends. Failures never stop it: the journal works
// offline and the events wait for the next attempt.
func (s *Syncer) Run(ctx context.Context) {
	if st, err := ReadState(ctx, s.db); err == nil {
		s.set(func(x *State) { *x = st })
	}
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		s.Once(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.trigger:
		}
	}
}

// Once runs one sync and updates the state.
func (s *Syncer) Once(ctx context.Context) (*Result, error) {
	s.set(func(x *State) { x.Running = true; x.Progress = Progress{} })
	res, err := s.client.Sync(ctx, s.db, func(p Progress) {
		s.set(func(x *State) { x.Progress = p; x.Waiting = p.Total - p.Sent })
	})
	st, rerr := ReadState(context.WithoutCancel(ctx), s.db)
	s.set(func(x *State) {
		prog := x.Progress
		if rerr == nil {
			*x = st
		}
		x.Progress = prog
		x.Running = false
		if err != nil {
			x.Message = domain.ErrorMessage(err)
			x.Unreachable = IsUnreachable(err)
		}
	})
	return res, err
}

// OpenSyncer builds the background syncer of a workstation from its journal:
// the kit in <data-dir>/region/, the URL from the setting sync.region (or
// the kit's region-url.txt), personal data only when sync.personal is "1".
// A workstation that is not enrolled gets ENOTFOUND with a Russian message;
// the window then shows «не подключено к региону» and syncs nothing. Each
// of opts adjusts the configuration before the client is built, e.g.
// setting ClientConfig.Trust to the trust store the app verifies with, so
// that lists of CAs and CRLs from the region take effect at once.
func OpenSyncer(ctx context.Context, db *store.DB, interval time.Duration, onChange func(State), opts ...func(*ClientConfig)) (*Syncer, error) {
	url, err := db.Setting(ctx, store.SettingSyncRegion)
	if err != nil {
		return nil, err
	}
	cfg, err := LoadEnrollment(db.Dir(), url)
	if err != nil {
		return nil, err
	}
	personal, err := db.Setting(ctx, store.SettingSyncPersonal)
	if err != nil {
		return nil, err
	}
	cfg.Personal = personal == "1"
	for _, o := range opts {
		o(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		return nil, err
	}
	return NewSyncer(c, db, interval, onChange), nil
}
