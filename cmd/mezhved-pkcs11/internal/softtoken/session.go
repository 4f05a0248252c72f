package softtoken

// session is an open session with a token.
type session struct {
	h       uint
	slot    *slot
	serial  string // the token it was opened with
	rw      bool
	removed bool // the token was pulled out under it

	finding bool
	found   []uint
	sign    *keyOp
	verify  *keyOp
	digest  *digestOp
}

func (s *session) endOps() {
	s.finding, s.found = false, nil
	s.sign, s.verify, s.digest = nil, nil, nil
}

// SessionInfo is what C_GetSessionInfo reports.
type SessionInfo struct {
	Slot, State, Flags uint
}

// session returns a live session: the token is re-read and, when it is no
// longer in its slot (or another token is), every session with it ends
// with CKR_DEVICE_REMOVED.
func (m *Module) session(h uint) (*session, RV) {
	if !m.ready {
		return nil, CKR_CRYPTOKI_NOT_INITIALIZED
	}
	s := m.sessions[h]
	if s == nil {
		return nil, CKR_SESSION_HANDLE_INVALID
	}
	if s.removed {
		return nil, CKR_DEVICE_REMOVED
	}
	rv := s.slot.refresh()
	if rv == CKR_TOKEN_NOT_PRESENT || (rv == CKR_OK && (s.slot.tok == nil || s.slot.tok.Serial != s.serial)) {
		m.tokenGone(s.slot)
		return nil, CKR_DEVICE_REMOVED
	}
	if rv != CKR_OK {
		return nil, rv
	}
	return s, CKR_OK
}

// OpenSession opens a session with the token in slot id (C_OpenSession).
func (m *Module) OpenSession(id, flags uint) (uint, RV) {
	m.mu.Lock()
	defer m.mu.Unlock()
	sl, rv := m.slot(id)
	if rv != CKR_OK {
		return 0, rv
	}
	if flags&CKF_SERIAL_SESSION == 0 {
		return 0, CKR_SESSION_PARALLEL_NOT_SUPPORTED
	}
	if rv := sl.refresh(); rv != CKR_OK {
		if rv == CKR_TOKEN_NOT_PRESENT {
			m.tokenGone(sl)
		}
		return 0, rv
	}
	if sl.tok == nil {
		return 0, CKR_TOKEN_NOT_RECOGNIZED // blank: C_InitToken first
	}
	rw := flags&CKF_RW_SESSION != 0
	if !rw && sl.so {
		return 0, CKR_SESSION_READ_WRITE_SO_EXISTS
	}
	h := m.nextSess
	m.nextSess++
	m.sessions[h] = &session{h: h, slot: sl, serial: sl.tok.Serial, rw: rw}
	return h, CKR_OK
}

// CloseSession closes a session (one whose token was pulled out too); the
// last session with a token logs out and drops its session objects.
func (m *Module) CloseSession(h uint) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.ready {
		return CKR_CRYPTOKI_NOT_INITIALIZED
	}
	s := m.sessions[h]
	if s == nil {
		return CKR_SESSION_HANDLE_INVALID
	}
	m.closeSession(s)
	return CKR_OK
}

func (m *Module) closeSession(s *session) {
	delete(m.sessions, s.h)
	sl := s.slot
	keep := sl.sessObjs[:0]
	for _, o := range sl.sessObjs {
		if o.owner != s.h {
			keep = append(keep, o)
		}
	}
	sl.sessObjs = keep
	for _, o := range m.sessions {
		if o.slot == sl {
			return
		}
	}
	sl.logout()
	sl.sessObjs = nil
}

// CloseAllSessions closes every session with the token in slot id.
func (m *Module) CloseAllSessions(id uint) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	sl, rv := m.slot(id)
	if rv != CKR_OK {
		return rv
	}
	for _, s := range m.sessions {
		if s.slot == sl {
			m.closeSession(s)
		}
	}
	return CKR_OK
}

// SessionInfo describes a session (C_GetSessionInfo).
func (m *Module) SessionInfo(h uint) (SessionInfo, RV) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return SessionInfo{}, rv
	}
	info := SessionInfo{Slot: s.slot.id, Flags: CKF_SERIAL_SESSION}
	if s.rw {
		info.Flags |= CKF_RW_SESSION
	}
	info.State = s.state()
	return info, CKR_OK
}

func (s *session) state() uint {
	switch {
	case s.slot.so:
		return CKS_RW_SO_FUNCTIONS
	case s.slot.user && s.rw:
		return CKS_RW_USER_FUNCTIONS
	case s.slot.user:
		return CKS_RO_USER_FUNCTIONS
	case s.rw:
		return CKS_RW_PUBLIC_SESSION
	}
	return CKS_RO_PUBLIC_SESSION
}

// otherSessions counts the sessions with the token in sl, read-only ones apart.
func (m *Module) otherSessions(sl *slot) (all, readOnly int) {
	for _, s := range m.sessions {
		if s.slot == sl && !s.removed {
			all++
			if !s.rw {
				readOnly++
			}
		}
	}
	return all, readOnly
}
