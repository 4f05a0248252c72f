package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func started(t *testing.T) *App {
	t.Helper()
	a := New(Config{DataDir: t.TempDir(), Explicit: true, Log: quiet})
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Stop)
	return a
}

func TestEmptyJournalAndIdentity(t *testing.T) {
	a := started(t)
	r := R(a.Journal.List(ListQuery{Direction: "out"}))
	if !r.OK || r.Data.(ListResult).Total != 0 || r.Data.(ListResult).Rows == nil {
		t.Fatalf("%+v", r)
	}
	r = R(a.Settings.SaveIdentity(Identity{Settlement: " Берёзовское сельское поселение ", Clerk: "Иванова Мария Петровна", OKTMO: "46608404"}))
	if !r.OK || r.Data.(Identity).Settlement != "Берёзовское сельское поселение" {
		t.Fatalf("%+v", r)
	}
	r = R(a.Settings.SaveIdentity(Identity{OKTMO: "12ab"}))
	if r.OK || r.Code != domain.EINVALID || !strings.Contains(r.Message, "поселения") || !strings.Contains(r.Message, "ОКТМО") {
		t.Fatalf("%+v", r)
	}
	// The refused save changed nothing.
	if id := R(a.Settings.Identity()).Data.(Identity); id.Clerk != "Иванова Мария Петровна" {
		t.Fatalf("%+v", id)
	}
}

func TestListShowsRequests(t *testing.T) {
	a := started(t)
	db, _ := a.journal()
	db.CreateRequest(context.Background(), store.NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV,
		Status: domain.StatusSent, DueOn: "2020-01-09", Actor: "t"})
	r := R(a.Journal.List(ListQuery{Overdue: true}))
	lr := r.Data.(ListResult)
	if !r.OK || lr.Total != 1 || lr.Rows[0].StatusTitle != "Отправлен" {
		t.Fatalf("%+v", r)
	}
	s := R(a.Journal.Summary()).Data.(Summary)
	if s.Total != 1 || s.OverdueOutgoing != 1 || s.OverdueIncoming != 0 {
		t.Fatalf("%+v", s)
	}
	if r := R(a.Journal.List(ListQuery{Order: "x"})); r.OK || r.Message == "" {
		t.Fatalf("%+v", r)
	}
}

// A journal that cannot be opened does not crash the window: every call
// explains it in Russian.
func TestUnopenableJournalIsExplained(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, store.FileName), []byte("not a database at all, not at all"), 0o600)
	a := New(Config{DataDir: dir, Explicit: true, Log: quiet})
	if err := a.Start(context.Background()); err == nil {
		t.Fatal("started on a non-journal")
	}
	r := R(a.Journal.List(ListQuery{}))
	if r.OK || r.Code != domain.ECORRUPT || !strings.Contains(r.Message, "не является журналом") {
		t.Fatalf("%+v", r)
	}
	if r := R(a.Settings.Identity()); r.OK {
		t.Fatalf("%+v", r)
	}
}

// Result is a bound method's answer in one shape, for the tests: OK, or a
// code and a message; Data the value.
type Result struct {
	OK      bool
	Code    string
	Message string
	Data    any
}

// R turns a bound method's (value, error) into a Result.
func R[T any](v T, err error) Result {
	if err == nil {
		return Result{OK: true, Data: v}
	}
	var e *Error
	if errors.As(err, &e) {
		return Result{Code: e.Code, Message: e.Message, Data: v}
	}
	return Result{Code: "not-an-app-error", Message: err.Error(), Data: v}
}
