package softtoken

import "strings"

// checkPIN opens rec with pin, counting the try before the check (so that
// pulling the token out mid-check cannot save a wrong guess from the
// count) and clearing the count after a right one. A PIN whose count is
// spent is locked: CKR_PIN_LOCKED, right or wrong.
func (m *Module) checkPIN(s *slot, rec *pinRecord, fails *int, pin []byte) ([]byte, RV) {
	if *fails >= m.cfg.PINTries {
		return nil, CKR_PIN_LOCKED
	}
	*fails++
	if rv := s.save(); rv != CKR_OK {
		return nil, rv
	}
	tk, ok := rec.open(pin)
	if !ok {
		return nil, CKR_PIN_INCORRECT
	}
	*fails = 0
	if rv := s.save(); rv != CKR_OK {
		wipe(tk)
		return nil, rv
	}
	return tk, CKR_OK
}

func pinLenOK(pin []byte) bool { return len(pin) >= MinPINLen && len(pin) <= MaxPINLen }

// InitToken initializes the token in slot id (C_InitToken): a blank token,
// or an initialized one whose SO PIN soPIN is — then every object on it is
// destroyed and the user PIN is unset. label is the 32-byte padded label.
func (m *Module) InitToken(id uint, soPIN []byte, label string) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	sl, rv := m.slot(id)
	if rv != CKR_OK {
		return rv
	}
	if rv := sl.refresh(); rv != CKR_OK {
		return rv
	}
	if all, _ := m.otherSessions(sl); all > 0 {
		return CKR_SESSION_EXISTS
	}
	if !pinLenOK(soPIN) {
		return CKR_PIN_LEN_RANGE
	}
	if sl.tok != nil {
		tk, rv := m.checkPIN(sl, &sl.tok.SO, &sl.tok.SOFails, soPIN)
		if rv != CKR_OK {
			return rv
		}
		wipe(tk)
	}
	tk, err := newTokenKey()
	if err != nil {
		return CKR_GENERAL_ERROR
	}
	defer wipe(tk)
	rec, err := newPINRecord(soPIN, tk)
	if err != nil {
		return CKR_GENERAL_ERROR
	}
	serial, err := newSerial()
	if err != nil {
		return CKR_GENERAL_ERROR
	}
	old := sl.tok
	sl.tok = &tokenFile{Version: fileVersion, Label: strings.TrimRight(label, " \x00"), Serial: serial, SO: rec, NextID: 1}
	if rv := sl.save(); rv != CKR_OK {
		sl.tok = old
		return rv
	}
	sl.sessObjs = nil
	return CKR_OK
}

// Login logs the user or the SO in to the token of session h (C_Login).
func (m *Module) Login(h, user uint, pin []byte) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return rv
	}
	sl, tok := s.slot, s.slot.tok
	switch user {
	case CKU_SO:
		if sl.user {
			return CKR_USER_ANOTHER_ALREADY_LOGGED_IN
		}
		if sl.so {
			return CKR_USER_ALREADY_LOGGED_IN
		}
		if _, ro := m.otherSessions(sl); ro > 0 {
			return CKR_SESSION_READ_ONLY_EXISTS
		}
		tk, rv := m.checkPIN(sl, &tok.SO, &tok.SOFails, pin)
		if rv != CKR_OK {
			return rv
		}
		sl.so, sl.tokenKey = true, tk
	case CKU_USER:
		if sl.so {
			return CKR_USER_ANOTHER_ALREADY_LOGGED_IN
		}
		if sl.user {
			return CKR_USER_ALREADY_LOGGED_IN
		}
		if tok.User == nil {
			return CKR_USER_PIN_NOT_INITIALIZED
		}
		tk, rv := m.checkPIN(sl, tok.User, &tok.UserFails, pin)
		if rv != CKR_OK {
			return rv
		}
		sl.user, sl.tokenKey = true, tk
	case CKU_CONTEXT_SPECIFIC:
		if !sl.user {
			return CKR_USER_NOT_LOGGED_IN
		}
		tk, rv := m.checkPIN(sl, tok.User, &tok.UserFails, pin)
		wipe(tk)
		return rv
	default:
		return CKR_USER_TYPE_INVALID
	}
	return CKR_OK
}

// Logout ends the login on the token of session h; operations with a
// private key in its sessions end too.
func (m *Module) Logout(h uint) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return rv
	}
	if !s.slot.user && !s.slot.so {
		return CKR_USER_NOT_LOGGED_IN
	}
	s.slot.logout()
	for _, o := range m.sessions {
		if o.slot == s.slot {
			o.sign = nil
		}
	}
	return CKR_OK
}

// InitPIN sets the user PIN; the SO is logged in (C_InitPIN). A locked
// user PIN is unlocked so.
func (m *Module) InitPIN(h uint, pin []byte) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return rv
	}
	if !s.slot.so || !s.rw {
		return CKR_USER_NOT_LOGGED_IN
	}
	if !pinLenOK(pin) {
		return CKR_PIN_LEN_RANGE
	}
	rec, err := newPINRecord(pin, s.slot.tokenKey)
	if err != nil {
		return CKR_GENERAL_ERROR
	}
	tok := s.slot.tok
	oldRec, oldFails := tok.User, tok.UserFails
	tok.User, tok.UserFails = &rec, 0
	if rv := s.slot.save(); rv != CKR_OK {
		tok.User, tok.UserFails = oldRec, oldFails
		return rv
	}
	return CKR_OK
}

// SetPIN changes the PIN of who is logged in: the SO's when the SO is,
// else the user's (C_SetPIN, in a read/write session).
func (m *Module) SetPIN(h uint, oldPIN, newPIN []byte) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return rv
	}
	if !s.rw {
		return CKR_SESSION_READ_ONLY
	}
	if !pinLenOK(newPIN) {
		return CKR_PIN_LEN_RANGE
	}
	tok := s.slot.tok
	rec, fails := tok.User, &tok.UserFails
	if s.slot.so {
		rec, fails = &tok.SO, &tok.SOFails
	}
	if rec == nil {
		return CKR_USER_PIN_NOT_INITIALIZED
	}
	tk, rv := m.checkPIN(s.slot, rec, fails, oldPIN)
	if rv != CKR_OK {
		return rv
	}
	defer wipe(tk)
	nr, err := newPINRecord(newPIN, tk)
	if err != nil {
		return CKR_GENERAL_ERROR
	}
	old := *rec
	*rec = nr
	if rv := s.slot.save(); rv != CKR_OK {
		*rec = old
		return rv
	}
	return CKR_OK
}
