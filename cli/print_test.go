package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/demo"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
)

func TestPrintRegister(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	demo.Seed(context.Background(), db, time.Now())
	db.Close()
	from := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	to := time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	out := filepath.Join(t.TempDir(), "реестр.pdf")
	code, stdout, stderr := run(t, nil, "print", "register", "--data-dir", dir, "--from", from, "--to", to, "--out", out)
	if code != 0 || !strings.Contains(stdout, "pages") {
		t.Fatalf("code %d: %s %s", code, stdout, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("not a PDF: %v", err)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Fatalf("the register (personal data) is %v, want 0600", fi.Mode().Perm())
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text, err := exec.Command("pdftotext", "-layout", out, "-").Output()
		if err != nil || !strings.Contains(string(text), "Росреестр") {
			t.Fatalf("pdftotext: %v\n%s", err, text)
		}
	} else if os.Getenv("CI") == "true" {
		t.Fatal("pdftotext is missing: install the Debian package poppler-utils")
	}

	// An empty period: exit 2, a clear message, no file.
	empty := filepath.Join(t.TempDir(), "пусто.pdf")
	code, stdout, stderr = run(t, nil, "print", "register", "--data-dir", dir, "--from", "2021-01-01", "--to", "2021-03-31", "--out", empty)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "нет запросов") {
		t.Fatalf("empty period: %d %q %q", code, stdout, stderr)
	}
	if _, err := os.Stat(empty); err == nil {
		t.Fatal("a file was written for an empty period")
	}
	for _, args := range [][]string{
		{"print", "register", "--data-dir", dir, "--from", from, "--to", to},
		{"print", "register", "--data-dir", dir, "--from", "1 марта", "--to", to, "--out", empty},
		{"print", "register", "--data-dir", dir, "--from", from, "--to", to, "--kind", "all", "--out", empty},
	} {
		if code, stdout, _ := run(t, nil, args...); code != 2 || stdout != "" {
			t.Errorf("%v: code %d", args, code)
		}
	}
}

func TestPrintReply(t *testing.T) {
	dir := t.TempDir()
	// A real loop against the training node: composed, signed, sent,
	// answered, verified, acknowledged.
	if code, out, errs := run(t, nil, "demo", "--headless", "--requests", "2", "--data-dir", dir); code != 0 {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := db.ListRequests(context.Background(), domain.RequestFilter{Direction: domain.Outgoing, Statuses: []domain.Status{domain.StatusAnswered}})
	db.Close()
	if page.Total == 0 {
		t.Fatal("no answered request")
	}
	msg := page.Requests[0].MessageID
	out := filepath.Join(t.TempDir(), "ответ.pdf")
	code, stdout, stderr := run(t, nil, "print", "reply", "--data-dir", dir, "--message-id", msg, "--out", out)
	if code != 0 || !strings.Contains(stdout, "pages") || strings.Contains(stdout, "no valid signature") {
		t.Fatalf("code %d: %s %s", code, stdout, stderr)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text, err := exec.Command("pdftotext", out, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Документ подписан электронной подписью", "Сертификат", "Владелец", "Действителен", msg} {
			if !strings.Contains(strings.ReplaceAll(string(text), "\n", " "), want) {
				t.Errorf("the printout lacks %q:\n%s", want, text)
			}
		}
	} else if os.Getenv("CI") == "true" {
		t.Fatal("pdftotext is missing: install the Debian package poppler-utils")
	}
	missing := filepath.Join(t.TempDir(), "нет.pdf")
	code, stdout, stderr = run(t, nil, "print", "reply", "--data-dir", dir, "--message-id", "00000000-0000-1000-8000-000000000000", "--out", missing)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "нет ответа") {
		t.Fatalf("unknown message: %d %q %q", code, stdout, stderr)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("a file was written for an unknown message")
	}
}
