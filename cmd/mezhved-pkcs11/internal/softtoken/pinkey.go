package softtoken

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
)

// How PINs protect the keys (a training token, not a certified crypto
// tool): every token has a random 256-bit token key; each private key is
// sealed under it with AES-256-GCM. The token key itself is stored twice,
// sealed under a key derived from the user PIN and under one derived from
// the SO PIN (PBKDF2-HMAC-SHA256, a random salt each, kdfIterations
// rounds). A PIN is right exactly when its seal opens. No PIN, no hash of
// one and no key in the clear is ever written; the token key lives in
// memory only while someone is logged in.

const (
	kdfIterations = 100_000
	minIterations = 1_000
	maxIterations = 10_000_000 // a forged token file cannot make a login run for hours
	tokenKeySize  = 32
)

var pinAAD = []byte("mezhved-pkcs11 token key v1")

// pinRecord is the token key sealed under one PIN.
type pinRecord struct {
	Salt    []byte `json:"salt"`
	Iter    int    `json:"iter"`
	Wrapped []byte `json:"wrapped"` // nonce ‖ AES-GCM(token key)
}

// pbkdf2SHA256 is PBKDF2 (RFC 8018) with HMAC-SHA256 and a 32-byte output,
// over a PIN held in a byte slice (crypto/pbkdf2 takes a string, which
// could not be wiped).
func pbkdf2SHA256(pin, salt []byte, iter int) []byte {
	mac := hmac.New(sha256.New, pin)
	mac.Write(salt)
	mac.Write([]byte{0, 0, 0, 1})
	u := mac.Sum(nil)
	t := append([]byte(nil), u...)
	for i := 1; i < iter; i++ {
		mac.Reset()
		mac.Write(u)
		u = mac.Sum(u[:0])
		for j := range t {
			t[j] ^= u[j]
		}
	}
	return t
}

func newPINRecord(pin, tokenKey []byte) (pinRecord, error) {
	r := pinRecord{Salt: make([]byte, 16), Iter: kdfIterations}
	if _, err := rand.Read(r.Salt); err != nil {
		return pinRecord{}, err
	}
	k := pbkdf2SHA256(pin, r.Salt, r.Iter)
	defer wipe(k)
	w, err := seal(k, pinAAD, tokenKey)
	if err != nil {
		return pinRecord{}, err
	}
	r.Wrapped = w
	return r, nil
}

// open returns the token key when pin is right.
func (r pinRecord) open(pin []byte) ([]byte, bool) {
	if r.Iter < minIterations || r.Iter > maxIterations || len(r.Salt) == 0 {
		return nil, false
	}
	k := pbkdf2SHA256(pin, r.Salt, r.Iter)
	defer wipe(k)
	tk, err := unseal(k, pinAAD, r.Wrapped)
	if err != nil || len(tk) != tokenKeySize {
		return nil, false
	}
	return tk, true
}

func newTokenKey() ([]byte, error) {
	k := make([]byte, tokenKeySize)
	_, err := rand.Read(k)
	return k, err
}

// seal encrypts plain under key with AES-256-GCM: nonce ‖ ciphertext.
func seal(key, aad, plain []byte) ([]byte, error) {
	g, err := gcm(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, g.NonceSize(), g.NonceSize()+len(plain)+g.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return g.Seal(nonce, nonce, plain, aad), nil
}

func unseal(key, aad, sealed []byte) ([]byte, error) {
	g, err := gcm(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < g.NonceSize()+g.Overhead() {
		return nil, errors.New("sealed value too short")
	}
	return g.Open(nil, sealed[:g.NonceSize()], sealed[g.NonceSize():], aad)
}

func gcm(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// keyAAD binds a sealed private value to its token and object.
func keyAAD(serial string, id uint32) []byte {
	b := append([]byte("mezhved-pkcs11 private key v1|"), serial...)
	return binary.BigEndian.AppendUint32(append(b, '|'), id)
}

func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}
