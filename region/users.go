package region

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mezhved/mezhved/domain"

	"github.com/mezhved/mezhved/region/regionsync"
)

// Region staff sign in with a login and a password. Passwords are kept as
// PBKDF2-HMAC-SHA256 (600 000 iterations, 16-byte salt):
// "pbkdf2-sha256$<iter>$<salt b64>$<hash b64>". Sessions are random 32-byte
// tokens in an HttpOnly, Secure, SameSite=Strict cookie; the database keeps
// only their SHA-256, for 8 hours.

const pbkdf2Iter = 600_000

// SessionTTL is how long a dashboard session lasts.
const SessionTTL = 8 * time.Hour

var loginRe = regexp.MustCompile(`^[a-z0-9._-]{2,40}$`)

// HashPassword returns the stored form of a password.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	rand.Read(salt)
	key, err := pbkdf2.Key(sha256.New, password, salt, pbkdf2Iter, 32)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("pbkdf2-sha256$%d$%s$%s", pbkdf2Iter, base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// CheckPassword compares a password with its stored form in constant time.
func CheckPassword(stored, password string) bool {
	parts := strings.Split(stored, "$")
	if len(parts) != 4 || parts[0] != "pbkdf2-sha256" {
		return false
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < 1000 || iter > 10_000_000 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[2])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[3])
	if err1 != nil || err2 != nil || len(want) != 32 {
		return false
	}
	got, err := pbkdf2.Key(sha256.New, password, salt, iter, 32)
	return err == nil && subtle.ConstantTimeCompare(got, want) == 1
}

// AddUser adds a dashboard user or sets a new password.
func (s *Store) AddUser(ctx context.Context, login, name, password string) error {
	if !loginRe.MatchString(login) {
		return domain.Errorf(domain.EINVALID, "Неверное имя пользователя %q: строчные латинские буквы, цифры, «.», «_», «-», от 2 до 40 знаков.", login)
	}
	if utf8.RuneCountInString(password) < 10 || len(password) > 200 {
		return domain.Errorf(domain.EINVALID, "Пароль должен быть не короче 10 знаков.")
	}
	if err := regionsync.CheckText("имя", name); err != nil {
		return err
	}
	h, err := HashPassword(password)
	if err != nil {
		return internal(err, "region.AddUser")
	}
	_, err = s.exec(ctx, `INSERT INTO users (login, name, password_hash, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (login) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash`, login, name, h, fmtT(s.now()))
	return internal(err, "region.AddUser")
}

// dummyHash makes a wrong login cost as much as a wrong password.
var dummyHash = "pbkdf2-sha256$600000$AAAAAAAAAAAAAAAAAAAAAA$" + base64.RawStdEncoding.EncodeToString(make([]byte, 32))

// Login checks a login and password and returns a new session token.
func (s *Store) Login(ctx context.Context, login, password string) (token string, err error) {
	var stored string
	err = s.queryRow(ctx, `SELECT password_hash FROM users WHERE login = $1`, login).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) {
		CheckPassword(dummyHash, password)
		return "", domain.Errorf(domain.EPERMISSION, "Неверное имя пользователя или пароль.")
	} else if err != nil {
		return "", internal(err, "region.Login")
	}
	if !CheckPassword(stored, password) {
		return "", domain.Errorf(domain.EPERMISSION, "Неверное имя пользователя или пароль.")
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	token = base64.RawURLEncoding.EncodeToString(raw)
	now := s.now()
	if _, err := s.exec(ctx, `DELETE FROM sessions WHERE expires_at < $1`, fmtT(now)); err != nil {
		return "", internal(err, "region.Login")
	}
	_, err = s.exec(ctx, `INSERT INTO sessions (token_hash, login, expires_at) VALUES ($1, $2, $3)`,
		tokenHash(token), login, fmtT(now.Add(SessionTTL)))
	return token, internal(err, "region.Login")
}

func tokenHash(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// Session returns the user's name for a live session token.
func (s *Store) Session(ctx context.Context, token string) (name string, ok bool, err error) {
	if token == "" || len(token) > 100 {
		return "", false, nil
	}
	err = s.queryRow(ctx, `SELECT u.name FROM sessions se JOIN users u ON u.login = se.login
		WHERE se.token_hash = $1 AND se.expires_at > $2`, tokenHash(token), fmtT(s.now())).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return name, err == nil, internal(err, "region.Session")
}

// Logout ends a session.
func (s *Store) Logout(ctx context.Context, token string) error {
	_, err := s.exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash(token))
	return internal(err, "region.Logout")
}
