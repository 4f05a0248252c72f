package workstation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/app"
	"github.com/mezhved/mezhved/cli"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/testtool"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/training/node"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/workstation"
)

// runCLI runs a command of the headless face.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// window opens the window's face on dir with its clock at now.
func window(t *testing.T, dir string, now time.Time, desk app.Desktop) *app.App {
	t.Helper()
	a := app.New(app.Config{DataDir: dir, Explicit: true, Now: func() time.Time { return now }, Desktop: desk})
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return a
}

// A deadline that runs into a year imported from a file is the same in
// both faces: the command's `deadline` and the window's paper request.
func TestBothFacesComputeDeadlinesAlike(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := runCLI(t, "calendar", "import", "--data-dir", dir, "../calendar/testdata/fixture-2028.xml"); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	code, out, errs := runCLI(t, "deadline", "--data-dir", dir, "--from", "2027-12-29")
	if code != 0 {
		t.Fatalf("deadline: %d %s", code, errs)
	}
	a := window(t, dir, time.Date(2027, 12, 30, 10, 0, 0, 0, time.Local), nil)
	defer a.Stop()
	r := R(a.Deadlines.RegisterPaper(app.PaperRequest{Channel: "post", Number: "1", SentOn: "29.12.2027", Provider: "СФР", Subject: "Сведения"}))
	if !r.OK {
		t.Fatalf("window: %+v", r)
	}
	if got := r.Data.(app.Row).DueOn; got+"\n" != out || got != "2028-01-13" {
		t.Fatalf("the command says %q, the window %q", out, got)
	}
}

type desk struct{ save string }

func (d *desk) SaveFileDialog(string, string) (string, error)         { return d.save, nil }
func (d *desk) OpenFileDialog(string, string, string) (string, error) { return "", nil }
func (d *desk) OpenFile(string) error                                 { return nil }

// A register printed from the window and from the command is the same
// document: the same pages, the same text (the moment of printing aside).
func TestBothFacesPrintAlike(t *testing.T) {
	pdftotext := testtool.Require(t, "pdftotext", "poppler-utils")
	dir := t.TempDir()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i, p := range []string{"Росреестр", "ФНС России", "МВД России"} {
		id, err := db.CreateRequest(ctx, store.NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV, Status: domain.StatusQueued,
			Provider: p, TemplateTitle: "Сведения " + p, DueOn: "2026-11-2" + string(rune('3'+i)), Actor: "clerk"})
		if err != nil {
			t.Fatal(err)
		}
		db.SetStatus(ctx, id, domain.StatusSent, "outbox", "")
	}
	db.Close()
	d := &desk{save: filepath.Join(t.TempDir(), "окно.pdf")}
	a := window(t, dir, time.Now(), d)
	r := R(a.Print.SavePDF(app.PrintJob{Kind: "outgoing", From: "01.01.2026", To: "31.12.2026"}))
	a.Stop()
	if !r.OK {
		t.Fatalf("window: %+v", r)
	}
	fromCLI := filepath.Join(t.TempDir(), "cli.pdf")
	if code, _, errs := runCLI(t, "print", "register", "--data-dir", dir, "--from", "2026-01-01", "--to", "2026-12-31", "--out", fromCLI); code != 0 {
		t.Fatalf("cli: %s", errs)
	}
	text := func(f string) string {
		out, err := exec.Command(pdftotext, "-layout", f, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return regexp.MustCompile(`Распечатано[^\n]*`).ReplaceAllString(string(out), "")
	}
	w, c := text(d.save), text(fromCLI)
	if w != c || !strings.Contains(w, "МВД России") {
		t.Fatalf("the printouts differ:\n--- window\n%s\n--- command\n%s", w, c)
	}
	if _, err := os.Stat(d.save); err != nil {
		t.Fatal(err)
	}
}

// The same card with the same values on the same day composes the same
// request in both faces.
func TestBothFacesComposeAlike(t *testing.T) {
	tm, err := templates.Builtin().Get("egrn-object")
	if err != nil {
		t.Fatal(err)
	}
	values := tm.Examples()
	args := []string{"compose", "--template", tm.ID, "--today", "2026-06-10", "--data-dir", t.TempDir()}
	for k, v := range values {
		args = append(args, "--set", k+"="+v)
	}
	code, fromCLI, errs := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("compose: %s", errs)
	}
	a := window(t, t.TempDir(), time.Date(2026, 6, 10, 11, 0, 0, 0, time.Local), nil)
	defer a.Stop()
	v := R(a.Requests.NewDraft(tm.ID, 0, "")).Data.(app.DraftView)
	r := R(a.Requests.SaveDraft(v.Request.ID, values))
	if !r.OK {
		t.Fatalf("window: %+v", r)
	}
	if got := r.Data.(app.DraftView).XML; strings.TrimSpace(got) != strings.TrimSpace(fromCLI) || got == "" {
		t.Fatalf("the window composed\n%s\nthe command\n%s", got, fromCLI)
	}
}

// result is a bound method's answer in one shape: OK, or the message; Data
// the value.
type result struct {
	OK      bool
	Message string
	Data    any
}

func R[T any](v T, err error) result {
	if err != nil {
		return result{Message: err.Error(), Data: v}
	}
	return result{OK: true, Data: v}
}

// The same request sent from the window (the training node in the app)
// and from the command (`send` to a training node) is the same message: the
// same card and provider, the same business XML, sent through the same
// service, with the same answer deadline for the same day.
func TestBothFacesSendAlike(t *testing.T) {
	tm, err := templates.Builtin().Get("egrn-object")
	if err != nil {
		t.Fatal(err)
	}
	// The window.
	dir := t.TempDir()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.SetSettings(context.Background(), map[string]string{store.SettingTraining: "1", store.SettingClerk: "Иванова Мария Петровна"})
	db.Close()
	a := app.New(app.Config{DataDir: dir, Explicit: true, TrainingDelay: time.Hour})
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer a.Stop()
	v := R(a.Requests.NewDraft(tm.ID, 0, "")).Data.(app.DraftView)
	saved := R(a.Requests.SaveDraft(v.Request.ID, tm.Examples())).Data.(app.DraftView)
	if r := R(a.Requests.OpenKey(app.KeyChoice{Training: true})); !r.OK {
		t.Fatalf("key: %+v", r)
	}
	if r := R(a.Requests.Send(v.Request.ID)); !r.OK {
		t.Fatalf("send: %+v", r)
	}
	var fromWindow *workstation.Timeline
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		tl := R(a.Requests.Timeline(v.Request.ID)).Data.(*workstation.Timeline)
		if tl.Request.DueOn != "" {
			fromWindow = tl
			break
		}
	}
	if fromWindow == nil {
		t.Fatal("the window's request was not sent")
	}

	// The command, with the same composed XML.
	fromCLI, cliData := sendFromCLI(t, []byte(saved.XML))
	w, c := fromWindow.Request, fromCLI
	if w.TemplateID != c.TemplateID || w.Provider != c.Provider || w.ProviderCode != c.ProviderCode {
		t.Fatalf("window %s/%s/%s, command %s/%s/%s", w.TemplateID, w.Provider, w.ProviderCode, c.TemplateID, c.Provider, c.ProviderCode)
	}
	if w.DueOn != c.DueOn || w.SentAt.In(transport.Moscow).Format(time.DateOnly) != c.SentAt.In(transport.Moscow).Format(time.DateOnly) {
		t.Fatalf("window due %s (sent %v), command due %s (sent %v)", w.DueOn, w.SentAt, c.DueOn, c.SentAt)
	}
	if !strings.Contains(fromWindow.Body, tm.DataType.Root) || fromWindow.Body != string(saved.XML) {
		t.Fatalf("the window sent another body:\n%s", fromWindow.Body)
	}

	// Both show the request's page alike: the command prints the core's
	// timeline, the window gets it through its bound method.
	code, out, errs := runCLI(t, "journal", "show", "--json", "--data-dir", cliData, strconv.FormatInt(c.ID, 10))
	var shown workstation.Timeline
	if code != 0 || json.Unmarshal([]byte(out), &shown) != nil {
		t.Fatalf("journal show: %d %s %s", code, out, errs)
	}
	if shown.Request.DueOn != fromWindow.Request.DueOn || shown.Body != fromWindow.Body || len(shown.Events) < 2 || len(fromWindow.Events) < 2 {
		t.Fatalf("command page %+v, window page %+v", shown, fromWindow)
	}
	// The window's history starts with the draft and its signing, the
	// command's with the queue; from the queue on both read the same.
	fromQueue := func(tl *workstation.Timeline) (out []string) {
		for _, e := range tl.Events {
			if e.To == string(domain.StatusQueued) || len(out) > 0 {
				out = append(out, e.Title)
			}
		}
		if len(out) < 2 {
			t.Fatalf("history %+v", tl.Events)
		}
		return out[:2]
	}
	if a, b := fromQueue(&shown), fromQueue(fromWindow); a[0] != b[0] || a[1] != b[1] {
		t.Fatalf("history: command %q, window %q", a, b)
	}
}

// sendFromCLI sends body with `mezhved send` to a training node of its own
// and returns the journal's request.
func sendFromCLI(t *testing.T, body []byte) (*domain.Request, string) {
	t.Helper()
	lb, err := node.StartLoopback(node.Options{Delay: time.Hour}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lb.Close()
	pkiDir, data, tmp := t.TempDir(), t.TempDir(), t.TempDir()
	if err := lb.PKI.Write(pkiDir); err != nil {
		t.Fatal(err)
	}
	var anchors []byte
	for _, ca := range lb.Node.TrainingAnchors() {
		anchors = append(anchors, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw})...)
	}
	anchorFile, file := filepath.Join(tmp, "cas.pem"), filepath.Join(tmp, "request.xml")
	os.WriteFile(anchorFile, anchors, 0o600)
	os.WriteFile(file, body, 0o600)
	if code, _, errs := runCLI(t, "trust", "add", "--contour", "training", "--data-dir", data, anchorFile); code != 0 {
		t.Fatalf("trust add: %s", errs)
	}
	keys := "../signer/keys/testdata/"
	code, out, errs := runCLI(t, "send", "--data-dir", data, "--contour", "training", "--url", lb.URL,
		"--tls-cert", filepath.Join(pkiDir, "client.pem"), "--tls-key", filepath.Join(pkiDir, "client.key"),
		"--ca", filepath.Join(pkiDir, "ca.pem"), "--key", keys+"gost256.key", "--cert", keys+"gost256.crt", file)
	if code != 0 {
		t.Fatalf("send: %d %s", code, errs)
	}
	db, err := store.Open(data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := db.RequestByMessageID(context.Background(), strings.TrimSpace(out))
	if err != nil {
		t.Fatal(err)
	}
	return r, data
}
