package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
)

func run(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code = runEnv(e, args)
	return code, out.String(), errb.String()
}

func TestJournalList(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.CreateRequest(context.Background(), store.NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV,
		Status: domain.StatusSent, Provider: "Росреестр", TemplateTitle: "Выписка из ЕГРН", DueOn: "2026-11-30", Actor: "t"})
	db.Close()

	code, out, _ := run(t, nil, "journal", "list", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "Росреестр") || !strings.Contains(out, "2026-11-30") || !strings.Contains(out, "1 of 1") {
		t.Fatalf("code %d, out:\n%s", code, out)
	}
	code, out, _ = run(t, map[string]string{store.EnvDataDir: dir}, "journal", "list", "--json")
	var page store.Page
	if code != 0 || json.Unmarshal([]byte(out), &page) != nil || page.Total != 1 || page.Requests[0].Provider != "Росреестр" {
		t.Fatalf("json: code %d %s", code, out)
	}
}

func TestJournalListRefusals(t *testing.T) {
	notDB := t.TempDir()
	os.WriteFile(filepath.Join(notDB, store.FileName), []byte("hello"), 0o600)
	for name, args := range map[string][]string{
		"missing dir": {"journal", "list", "--data-dir", filepath.Join(t.TempDir(), "nope")},
		"not sqlite":  {"journal", "list", "--data-dir", notDB},
		"bad status":  {"journal", "list", "--data-dir", t.TempDir(), "--status", "lost"},
		"bad flag":    {"journal", "list", "--frobnicate"},
		"extra arg":   {"journal", "list", "--data-dir", t.TempDir(), "extra"},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errs := run(t, nil, args...)
			if code != 2 || out != "" || errs == "" {
				t.Fatalf("code %d, stdout %q, stderr %q", code, out, errs)
			}
		})
	}
}

func TestUnknownCommand(t *testing.T) {
	if code, _, errs := run(t, nil, "frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Fatalf("%d %s", code, errs)
	}
	if code, out, _ := run(t, nil, "version"); code != 0 || !strings.HasPrefix(out, "mezhved ") {
		t.Fatalf("%d %s", code, out)
	}
}
