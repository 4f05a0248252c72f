// Package softtoken is the GOST software token behind cmd/mezhved-pkcs11:
// slots and tokens kept in directories, PINs with retry counters, objects,
// and the GOST R 34.10-2012 / 34.11-2012 mechanisms, all as plain Go. The
// C interface (the package main of cmd/mezhved-pkcs11) only converts
// arguments; every rule of PKCS#11 the token keeps is here.
//
// One mutex guards the module: every call runs alone, so the token is
// thread-safe for any application (a login's key derivation holds the
// others up for its few tens of milliseconds).
package softtoken

import (
	"os"
	"sync"
)

// Module is one loaded instance of the token library.
type Module struct {
	mu       sync.Mutex
	ready    bool
	cfg      Config
	slots    []*slot
	sessions map[uint]*session
	nextSess uint
}

// Initialize reads the configuration and makes the slots (C_Initialize).
// When the storage has none of the slot directories the first one is made:
// a blank token in the first reader, ready for C_InitToken.
func (m *Module) Initialize(getenv func(string) string) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ready {
		return CKR_CRYPTOKI_ALREADY_INITIALIZED
	}
	cfg, err := LoadConfig(getenv)
	if err != nil {
		return CKR_GENERAL_ERROR
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return CKR_GENERAL_ERROR
	}
	m.cfg = cfg
	m.slots = make([]*slot, cfg.Slots)
	someSlot := false
	for i := range m.slots {
		m.slots[i] = newSlot(cfg.Dir, uint(i))
		if _, err := os.Stat(m.slots[i].dir); err == nil {
			someSlot = true
		}
	}
	if !someSlot {
		if err := os.Mkdir(m.slots[0].dir, 0o700); err != nil {
			return CKR_GENERAL_ERROR
		}
	}
	m.sessions = map[uint]*session{}
	m.nextSess = 1
	m.ready = true
	return CKR_OK
}

// Finalize closes every session and forgets every login (C_Finalize).
func (m *Module) Finalize() RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.ready {
		return CKR_CRYPTOKI_NOT_INITIALIZED
	}
	for _, s := range m.slots {
		s.logout()
		s.sessObjs = nil
	}
	m.sessions, m.slots, m.ready = nil, nil, false
	return CKR_OK
}

// Config returns the configuration read by Initialize.
func (m *Module) Config() Config {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cfg
}

func (m *Module) slot(id uint) (*slot, RV) {
	if !m.ready {
		return nil, CKR_CRYPTOKI_NOT_INITIALIZED
	}
	if id >= uint(len(m.slots)) {
		return nil, CKR_SLOT_ID_INVALID
	}
	return m.slots[id], CKR_OK
}

// SlotList returns the slot ids, only those with a token when present.
func (m *Module) SlotList(present bool) ([]uint, RV) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.ready {
		return nil, CKR_CRYPTOKI_NOT_INITIALIZED
	}
	var ids []uint
	for _, s := range m.slots {
		if !present || s.present() {
			ids = append(ids, s.id)
		}
	}
	return ids, CKR_OK
}

// SlotFlags returns a slot's CK_SLOT_INFO flags.
func (m *Module) SlotFlags(id uint) (uint, RV) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.slot(id)
	if rv != CKR_OK {
		return 0, rv
	}
	f := CKF_REMOVABLE_DEVICE
	if s.present() {
		f |= CKF_TOKEN_PRESENT
	}
	return f, CKR_OK
}

// TokenInfo is what C_GetTokenInfo reports.
type TokenInfo struct {
	Label, Serial             string
	Flags                     uint
	Sessions, RWSessions      uint
	MinPINLen, MaxPINLen      uint
	Initialized, UserPINIsSet bool
}

// PIN lengths in bytes.
const (
	MinPINLen = 4
	MaxPINLen = 64
)

// TokenInfo describes the token in a slot.
func (m *Module) TokenInfo(id uint) (TokenInfo, RV) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.slot(id)
	if rv != CKR_OK {
		return TokenInfo{}, rv
	}
	if rv := s.refresh(); rv != CKR_OK {
		if rv == CKR_TOKEN_NOT_PRESENT {
			m.tokenGone(s)
		}
		return TokenInfo{}, rv
	}
	ti := TokenInfo{Flags: s.flags(m.cfg.PINTries), MinPINLen: MinPINLen, MaxPINLen: MaxPINLen}
	if s.tok != nil {
		ti.Label, ti.Serial, ti.Initialized, ti.UserPINIsSet = s.tok.Label, s.tok.Serial, true, s.tok.User != nil
	}
	for _, ss := range m.sessions {
		if ss.slot == s && !ss.removed {
			ti.Sessions++
			if ss.rw {
				ti.RWSessions++
			}
		}
	}
	return ti, CKR_OK
}

// flags returns the token's CK_TOKEN_INFO flags.
func (s *slot) flags(tries int) uint {
	f := CKF_RNG | CKF_LOGIN_REQUIRED
	if s.tok == nil {
		return f
	}
	f |= CKF_TOKEN_INITIALIZED
	if s.tok.User != nil {
		f |= CKF_USER_PIN_INITIALIZED
		f |= pinFlags(s.tok.UserFails, tries, CKF_USER_PIN_COUNT_LOW, CKF_USER_PIN_FINAL_TRY, CKF_USER_PIN_LOCKED)
	}
	return f | pinFlags(s.tok.SOFails, tries, CKF_SO_PIN_COUNT_LOW, CKF_SO_PIN_FINAL_TRY, CKF_SO_PIN_LOCKED)
}

func pinFlags(fails, tries int, low, final, locked uint) uint {
	var f uint
	if fails > 0 {
		f |= low
	}
	if fails == tries-1 {
		f |= final
	}
	if fails >= tries {
		f |= locked
	}
	return f
}

// tokenGone handles a token pulled out (or replaced): its sessions stay
// as handles that answer CKR_DEVICE_REMOVED until closed, the login and
// the session objects are forgotten.
func (m *Module) tokenGone(s *slot) {
	for _, ss := range m.sessions {
		if ss.slot == s {
			ss.removed = true
			ss.endOps()
		}
	}
	s.logout()
	s.sessObjs = nil
}
