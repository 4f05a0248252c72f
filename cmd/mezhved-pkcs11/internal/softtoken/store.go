package softtoken

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/mezhved/mezhved/internal/fsutil"
)

// On disk a token is a directory, Dir/slotN, 0700: present while the
// directory exists and holds no file named REMOVED (pulling the token out
// is removing the directory or creating that marker). An empty directory
// is a blank token that C_InitToken initializes; an initialized one holds
// token.json (0600), written whole and atomically on every change and read
// back (bounded) when another process changed it.
const (
	tokenFileName = "token.json"
	removedMarker = "REMOVED"
	maxTokenFile  = 8 << 20
	maxObjects    = 4096
	fileVersion   = 1
)

// tokenFile is token.json.
type tokenFile struct {
	Version   int        `json:"version"`
	Label     string     `json:"label"`
	Serial    string     `json:"serial"`
	SO        pinRecord  `json:"so_pin"`
	User      *pinRecord `json:"user_pin,omitempty"`
	SOFails   int        `json:"so_fails"`
	UserFails int        `json:"user_fails"`
	NextID    uint32     `json:"next_id"`
	Objects   []*object  `json:"objects"`
}

// object is a PKCS#11 object: its attributes as the C interface carries
// them (CK_ULONG values in the platform's width), and for a private key
// the private value sealed under the token key (never an attribute).
type object struct {
	ID     uint32          `json:"id"`
	Attrs  map[uint][]byte `json:"attrs"`
	Secret []byte          `json:"secret,omitempty"`
	owner  uint            // the session that made a session object
}

// slot is a reader and what is known of the token in it.
type slot struct {
	id  uint
	dir string

	tok  *tokenFile  // nil: no token or a blank one
	seen fs.FileInfo // token.json as last read or written

	// This process's login on the token (shared by its sessions).
	user, so bool
	tokenKey []byte

	sessObjs []*object // session objects (CKA_TOKEN false)
	nextSess uint32
}

func newSlot(root string, id uint) *slot {
	return &slot{id: id, dir: filepath.Join(root, "slot"+strconv.FormatUint(uint64(id), 10)), nextSess: sessionObjectBase}
}

// present reports whether the token is in the slot.
func (s *slot) present() bool {
	fi, err := os.Stat(s.dir)
	if err != nil || !fi.IsDir() {
		return false
	}
	_, err = os.Lstat(filepath.Join(s.dir, removedMarker))
	return errors.Is(err, fs.ErrNotExist)
}

// refresh reads the token's state when it changed on disk: CKR_OK with
// s.tok nil for a blank token, CKR_TOKEN_NOT_PRESENT when there is none.
func (s *slot) refresh() RV {
	if !s.present() {
		s.tok, s.seen = nil, nil
		return CKR_TOKEN_NOT_PRESENT
	}
	path := filepath.Join(s.dir, tokenFileName)
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		s.tok, s.seen = nil, nil
		return CKR_OK
	}
	if err != nil {
		return CKR_DEVICE_ERROR
	}
	if s.tok != nil && s.seen != nil && os.SameFile(s.seen, fi) && s.seen.ModTime().Equal(fi.ModTime()) && s.seen.Size() == fi.Size() {
		return CKR_OK
	}
	data, err := fsutil.ReadFileLimited(path, maxTokenFile)
	if err != nil {
		return CKR_DEVICE_ERROR
	}
	var t tokenFile
	if len(data) > maxTokenFile || json.Unmarshal(data, &t) != nil || t.Version != fileVersion || len(t.Objects) > maxObjects || t.Serial == "" {
		s.tok, s.seen = nil, nil
		return CKR_TOKEN_NOT_RECOGNIZED
	}
	for _, o := range t.Objects {
		if o == nil || o.Attrs == nil || o.ID == 0 || o.ID >= sessionObjectBase {
			return CKR_TOKEN_NOT_RECOGNIZED
		}
	}
	s.tok, s.seen = &t, fi
	return CKR_OK
}

// save writes the token's state: CKR_DEVICE_REMOVED when the token went
// away (a write must never bring a pulled token back).
func (s *slot) save() RV {
	if !s.present() {
		return CKR_DEVICE_REMOVED
	}
	data, err := json.Marshal(s.tok)
	if err != nil {
		return CKR_GENERAL_ERROR
	}
	if len(data) > maxTokenFile {
		return CKR_DEVICE_MEMORY
	}
	if err := os.Chmod(s.dir, 0o700); err != nil {
		return CKR_DEVICE_ERROR
	}
	path := filepath.Join(s.dir, tokenFileName)
	if err := fsutil.WriteFileAtomic(path, data, 0o600); err != nil {
		return CKR_DEVICE_ERROR
	}
	fi, err := os.Stat(path)
	if err != nil {
		return CKR_DEVICE_ERROR
	}
	s.seen = fi
	return CKR_OK
}

// logout forgets this process's login on the token.
func (s *slot) logout() {
	s.user, s.so = false, false
	wipe(s.tokenKey)
	s.tokenKey = nil
}

func newSerial() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
