package softtoken

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
)

// Object handles: (slot+1)<<24 | id, token objects' ids from 1 (kept in
// token.json), session objects' from sessionObjectBase.
const (
	sessionObjectBase = 0x800000
	idMask            = 0xFFFFFF
	unavailable       = ^uint(0) // CK_UNAVAILABLE_INFORMATION in a ulong attribute
)

func handleOf(sl *slot, id uint32) uint { return (sl.id+1)<<24 | uint(id) }

// objects returns the token's and the session objects the session sees:
// private objects only while the user is logged in.
func (s *session) objects() []*object {
	sl := s.slot
	var out []*object
	for _, list := range [][]*object{sl.tok.Objects, sl.sessObjs} {
		for _, o := range list {
			if !o.flag(CKA_PRIVATE) || sl.user {
				out = append(out, o)
			}
		}
	}
	return out
}

// object finds a handle among the objects the session sees.
func (s *session) object(h uint) (*object, RV) {
	if h>>24 != s.slot.id+1 {
		return nil, CKR_OBJECT_HANDLE_INVALID
	}
	id := uint32(h & idMask)
	for _, o := range s.objects() {
		if o.ID == id {
			return o, CKR_OK
		}
	}
	return nil, CKR_OBJECT_HANDLE_INVALID
}

// build makes an object of class from a checked template. A private key
// comes back without CKA_VALUE: its value is secret, for store to seal.
// genMech is the key pair generation mechanism of generated keys, 0 for
// objects the application supplies.
func build(class uint, t template, genMech uint) (*object, []byte, RV) {
	allowed, ok := classAttrs[class]
	if !ok {
		return nil, nil, CKR_ATTRIBUTE_VALUE_INVALID
	}
	for typ := range t {
		if !allowed[typ] {
			return nil, nil, CKR_ATTRIBUTE_TYPE_INVALID
		}
		if setByToken[typ] && genMech == 0 {
			return nil, nil, CKR_ATTRIBUTE_READ_ONLY
		}
	}
	defaults(t, class)
	var secret []byte
	var rv RV
	switch class {
	case CKO_CERTIFICATE:
		rv = certificateFields(t)
	case CKO_PUBLIC_KEY, CKO_PRIVATE_KEY:
		secret, rv = keyFields(t, class, genMech)
	}
	if rv != CKR_OK {
		return nil, nil, rv
	}
	return &object{Attrs: t}, secret, CKR_OK
}

func defaults(t template, class uint) {
	def := func(typ uint, v []byte) {
		if _, ok := t[typ]; !ok {
			t[typ] = v
		}
	}
	def(CKA_TOKEN, boolBytes(false))
	def(CKA_PRIVATE, boolBytes(class == CKO_PRIVATE_KEY))
	def(CKA_LABEL, []byte{})
	def(CKA_MODIFIABLE, boolBytes(true))
	def(CKA_COPYABLE, boolBytes(false))
	def(CKA_DESTROYABLE, boolBytes(true))
	if class != CKO_DATA {
		def(CKA_ID, []byte{})
	}
}

// certificateFields checks an X.509 certificate object and fills in what
// pkcs11-tool and others leave out (subject, issuer, serial number).
func certificateFields(t template) RV {
	if ct, ok := t.ulong(CKA_CERTIFICATE_TYPE); ok && ct != CKC_X_509 {
		return CKR_ATTRIBUTE_VALUE_INVALID
	}
	t[CKA_CERTIFICATE_TYPE] = ulongBytes(CKC_X_509)
	der, ok := t[CKA_VALUE]
	if !ok {
		return CKR_TEMPLATE_INCOMPLETE
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return CKR_ATTRIBUTE_VALUE_INVALID
	}
	if _, ok := t[CKA_SUBJECT]; !ok {
		t[CKA_SUBJECT] = cert.RawSubject
	}
	if _, ok := t[CKA_ISSUER]; !ok {
		t[CKA_ISSUER] = cert.RawIssuer
	}
	if _, ok := t[CKA_SERIAL_NUMBER]; !ok {
		sn, err := asn1.Marshal(cert.SerialNumber)
		if err != nil {
			return CKR_ATTRIBUTE_VALUE_INVALID
		}
		t[CKA_SERIAL_NUMBER] = sn
	}
	if _, ok := t[CKA_TRUSTED]; !ok {
		t[CKA_TRUSTED] = boolBytes(false)
	}
	if _, ok := t[CKA_CERTIFICATE_CATEGORY]; !ok {
		t[CKA_CERTIFICATE_CATEGORY] = ulongBytes(0)
	}
	return CKR_OK
}

// keyFields checks a GOST key. Private keys are always private, sensitive
// and never extractable; a template asking otherwise is refused.
func keyFields(t template, class, genMech uint) ([]byte, RV) {
	c, rv := gostKeyFields(t)
	if rv != CKR_OK {
		return nil, rv
	}
	v, ok := t[CKA_VALUE]
	if !ok {
		return nil, CKR_TEMPLATE_INCOMPLETE
	}
	t[CKA_LOCAL] = boolBytes(genMech != 0)
	mech := unavailable
	if genMech != 0 {
		mech = genMech
	}
	t[CKA_KEY_GEN_MECHANISM] = ulongBytes(mech)
	for _, f := range []uint{CKA_DERIVE, CKA_ENCRYPT, CKA_DECRYPT, CKA_WRAP, CKA_UNWRAP, CKA_SIGN_RECOVER, CKA_VERIFY_RECOVER, CKA_ALWAYS_AUTHENTICATE} {
		if t.boolOr(f, false) {
			return nil, CKR_ATTRIBUTE_VALUE_INVALID // this token only signs
		}
	}
	if class == CKO_PUBLIC_KEY {
		if _, rv := publicValue(c, v); rv != CKR_OK {
			return nil, rv
		}
		t[CKA_VERIFY] = boolBytes(t.boolOr(CKA_VERIFY, true))
		return nil, CKR_OK
	}
	if !t.boolOr(CKA_PRIVATE, true) || !t.boolOr(CKA_SENSITIVE, true) || t.boolOr(CKA_EXTRACTABLE, false) {
		return nil, CKR_ATTRIBUTE_VALUE_INVALID
	}
	raw, rv := privateValue(c, v)
	wipe(v)
	delete(t, CKA_VALUE)
	if rv != CKR_OK {
		return nil, rv
	}
	t[CKA_PRIVATE], t[CKA_SENSITIVE], t[CKA_EXTRACTABLE] = boolBytes(true), boolBytes(true), boolBytes(false)
	t[CKA_ALWAYS_SENSITIVE], t[CKA_NEVER_EXTRACTABLE] = boolBytes(genMech != 0), boolBytes(genMech != 0)
	t[CKA_SIGN] = boolBytes(t.boolOr(CKA_SIGN, true))
	return raw, CKR_OK
}

// pending is an object built and waiting to be stored, with its secret.
type pending struct {
	o      *object
	secret []byte
}

// store gives objects their ids, seals private values under the token key
// and saves the token when a token object is among them. It checks that
// the session may make them: token objects need a read/write session,
// private ones a logged-in user.
func (m *Module) store(s *session, ps ...pending) ([]uint, RV) {
	sl, tok := s.slot, s.slot.tok
	for _, p := range ps {
		if p.o.flag(CKA_TOKEN) && !s.rw {
			return nil, CKR_SESSION_READ_ONLY
		}
		if p.o.flag(CKA_PRIVATE) && !sl.user {
			return nil, CKR_USER_NOT_LOGGED_IN
		}
	}
	oldObjs, oldNext, oldSess, oldSessNext := tok.Objects, tok.NextID, sl.sessObjs, sl.nextSess
	hs := make([]uint, len(ps))
	dirty := false
	for i, p := range ps {
		if p.o.flag(CKA_TOKEN) {
			if len(tok.Objects) >= maxObjects || tok.NextID >= sessionObjectBase {
				tok.Objects, tok.NextID = oldObjs, oldNext
				return nil, CKR_DEVICE_MEMORY
			}
			p.o.ID, tok.NextID = tok.NextID, tok.NextID+1
			tok.Objects = append(tok.Objects[:len(tok.Objects):len(tok.Objects)], p.o)
			dirty = true
		} else {
			p.o.ID, p.o.owner = sl.nextSess, s.h
			sl.nextSess++
			sl.sessObjs = append(sl.sessObjs, p.o)
		}
		if p.secret != nil {
			sealed, err := seal(sl.tokenKey, keyAAD(tok.Serial, p.o.ID), p.secret)
			wipe(p.secret)
			if err != nil {
				tok.Objects, tok.NextID, sl.sessObjs, sl.nextSess = oldObjs, oldNext, oldSess, oldSessNext
				return nil, CKR_GENERAL_ERROR
			}
			p.o.Secret = sealed
		}
		hs[i] = handleOf(sl, p.o.ID)
	}
	if dirty {
		if rv := sl.save(); rv != CKR_OK {
			tok.Objects, tok.NextID, sl.sessObjs, sl.nextSess = oldObjs, oldNext, oldSess, oldSessNext
			return nil, rv
		}
	}
	return hs, CKR_OK
}

// CreateObject makes an object from a template (C_CreateObject):
// certificates, GOST public and private keys, data objects.
func (m *Module) CreateObject(h uint, attrs []Attr) (uint, RV) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return 0, rv
	}
	t, rv := parseTemplate(attrs)
	if rv != CKR_OK {
		return 0, rv
	}
	class, ok := t.ulong(CKA_CLASS)
	if !ok {
		return 0, CKR_TEMPLATE_INCOMPLETE
	}
	o, secret, rv := build(class, t, 0)
	if rv != CKR_OK {
		return 0, rv
	}
	hs, rv := m.store(s, pending{o, secret})
	if rv != CKR_OK {
		return 0, rv
	}
	return hs[0], CKR_OK
}

// DestroyObject removes an object (C_DestroyObject).
func (m *Module) DestroyObject(h, oh uint) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return rv
	}
	o, rv := s.object(oh)
	if rv != CKR_OK {
		return rv
	}
	if !o.flag(CKA_DESTROYABLE) {
		return CKR_ACTION_PROHIBITED
	}
	sl := s.slot
	if !o.flag(CKA_TOKEN) {
		sl.sessObjs = without(sl.sessObjs, o)
		return CKR_OK
	}
	if !s.rw {
		return CKR_SESSION_READ_ONLY
	}
	old := sl.tok.Objects
	sl.tok.Objects = without(sl.tok.Objects, o)
	if rv := sl.save(); rv != CKR_OK {
		sl.tok.Objects = old
		return rv
	}
	return CKR_OK
}

func without(list []*object, o *object) []*object {
	out := make([]*object, 0, len(list))
	for _, x := range list {
		if x != o {
			out = append(out, x)
		}
	}
	return out
}

// AttrValue is one attribute read by GetAttributes: its value, or why not
// (CKR_ATTRIBUTE_TYPE_INVALID, CKR_ATTRIBUTE_SENSITIVE).
type AttrValue struct {
	Value []byte
	RV    RV
}

// GetAttributes reads attributes of an object (C_GetAttributeValue). A
// private key's value is sensitive, always.
func (m *Module) GetAttributes(h, oh uint, types []uint) ([]AttrValue, RV) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return nil, rv
	}
	o, rv := s.object(oh)
	if rv != CKR_OK {
		return nil, rv
	}
	class := o.class()
	out := make([]AttrValue, len(types))
	for i, typ := range types {
		switch {
		case !classAttrs[class][typ]:
			out[i].RV = CKR_ATTRIBUTE_TYPE_INVALID
		case class == CKO_PRIVATE_KEY && typ == CKA_VALUE:
			out[i].RV = CKR_ATTRIBUTE_SENSITIVE
		default:
			out[i].Value = append([]byte{}, o.Attrs[typ]...)
		}
	}
	return out, CKR_OK
}

// SetAttributes changes an object's label, id, subject or dates
// (C_SetAttributeValue); the rest is read-only.
func (m *Module) SetAttributes(h, oh uint, attrs []Attr) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return rv
	}
	o, rv := s.object(oh)
	if rv != CKR_OK {
		return rv
	}
	t, rv := parseTemplate(attrs)
	if rv != CKR_OK {
		return rv
	}
	for typ := range t {
		switch {
		case !classAttrs[o.class()][typ]:
			return CKR_ATTRIBUTE_TYPE_INVALID
		case !modifiable[typ] || !o.flag(CKA_MODIFIABLE):
			return CKR_ATTRIBUTE_READ_ONLY
		}
	}
	if o.flag(CKA_TOKEN) && !s.rw {
		return CKR_SESSION_READ_ONLY
	}
	old := map[uint][]byte{}
	for typ, v := range t {
		old[typ] = o.Attrs[typ]
		o.Attrs[typ] = v
	}
	if o.flag(CKA_TOKEN) {
		if rv := s.slot.save(); rv != CKR_OK {
			for typ, v := range old {
				o.Attrs[typ] = v
			}
			return rv
		}
	}
	return CKR_OK
}

// FindInit starts a search (C_FindObjectsInit). A template naming an
// attribute this token does not know, or a private key's value, matches
// nothing.
func (m *Module) FindInit(h uint, attrs []Attr) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return rv
	}
	if s.finding {
		return CKR_OPERATION_ACTIVE
	}
	s.finding, s.found = true, []uint{}
	t, rv := parseTemplate(attrs)
	if rv != CKR_OK {
		return CKR_OK
	}
	for _, o := range s.objects() {
		if matches(o, t) {
			s.found = append(s.found, handleOf(s.slot, o.ID))
		}
	}
	return CKR_OK
}

func matches(o *object, t template) bool {
	for typ, v := range t {
		if typ == CKA_VALUE && o.class() == CKO_PRIVATE_KEY {
			return false
		}
		have, ok := o.Attrs[typ]
		if !ok || !bytes.Equal(have, v) {
			return false
		}
	}
	return true
}

// Find returns up to max more handles of the search (C_FindObjects).
func (m *Module) Find(h uint, max int) ([]uint, RV) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return nil, rv
	}
	if !s.finding {
		return nil, CKR_OPERATION_NOT_INITIALIZED
	}
	n := min(max, len(s.found))
	out := s.found[:n:n]
	s.found = s.found[n:]
	return out, CKR_OK
}

// FindFinal ends the search (C_FindObjectsFinal).
func (m *Module) FindFinal(h uint) RV {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, rv := m.session(h)
	if rv != CKR_OK {
		return rv
	}
	if !s.finding {
		return CKR_OPERATION_NOT_INITIALIZED
	}
	s.finding, s.found = false, nil
	return CKR_OK
}
