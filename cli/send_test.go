package cli

import (
	"context"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/testtool"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/training/node"
	"github.com/mezhved/mezhved/transport"
)

// send, outbox and poll against a node on loopback mutual TLS, with a GOST
// key made by OpenSSL.
func TestSendOutboxPoll(t *testing.T) {
	pkiDir := t.TempDir()
	lb, err := node.StartLoopback(node.Options{}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lb.Close()
	if err := lb.PKI.Write(pkiDir); err != nil {
		t.Fatal(err)
	}
	tm, err := templates.Builtin().Get("mvd-dwelling-residents")
	if err != nil {
		t.Fatal(err)
	}
	body, probs := tm.Compose(tm.Examples(), calendar.DateOf(time.Now().In(transport.Moscow)))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	file := filepath.Join(t.TempDir(), "request.xml")
	os.WriteFile(file, body, 0o644)
	data := t.TempDir()
	// This node is a training one: its CAs are trusted in the training
	// contour, which the connection names.
	var anchors []byte
	for _, ca := range lb.Node.TrainingAnchors() {
		anchors = append(anchors, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw})...)
	}
	anchorFile := filepath.Join(t.TempDir(), "training-cas.pem")
	os.WriteFile(anchorFile, anchors, 0o600)
	if code, out, errs := run(t, nil, "trust", "add", "--contour", "training", "--data-dir", data, anchorFile); code != 0 || !strings.Contains(out, "trusted in training contour") {
		t.Fatalf("trust add: %d %q %s", code, out, errs)
	}
	conn := []string{"--data-dir", data, "--contour", "training", "--url", lb.URL, "--tls-cert", filepath.Join(pkiDir, "client.pem"),
		"--tls-key", filepath.Join(pkiDir, "client.key"), "--ca", filepath.Join(pkiDir, "ca.pem"),
		"--key", filepath.Join(keysDir, "gost256.key"), "--cert", filepath.Join(keysDir, "gost256.crt")}

	code, out, errs := run(t, nil, append(append([]string{"send"}, conn...), file)...)
	id := strings.TrimSpace(out)
	if code != 0 || !transport.ValidMessageID(id) {
		t.Fatalf("send: %d %q %s", code, out, errs)
	}
	if lb.Node.Stats().Accepted[id] != 1 {
		t.Fatal("the node did not get it")
	}
	code, out, _ = run(t, nil, "outbox", "--data-dir", data)
	if code != 0 || !strings.Contains(out, id) || !strings.Contains(out, "sent") {
		t.Fatalf("outbox: %d\n%s", code, out)
	}
	code, out, errs = run(t, nil, append([]string{"poll"}, conn...)...)
	if code != 0 || !strings.Contains(out, "replies 1") {
		t.Fatalf("poll: %d %q %s", code, out, errs)
	}
	db, err := store.Open(data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := db.RequestByMessageID(context.Background(), id)
	if err != nil || r.Status != domain.StatusAnswered {
		t.Fatalf("%+v %v", r, err)
	}

	// Bad usage and bad input: exit 2, nothing on stdout.
	for _, args := range [][]string{
		{"send"},
		append(append([]string{"send"}, conn...), filepath.Join(t.TempDir(), "missing.xml")),
		append(append([]string{"send", "--template", "nope"}, conn...), file),
		{"send", "--data-dir", data, "--url", "http://127.0.0.1:1/", "--key", filepath.Join(keysDir, "gost256.key"), file},
		{"outbox", "--data-dir", data, "--state", "lost"},
	} {
		code, out, _ := run(t, nil, args...)
		if code != 2 || out != "" {
			t.Errorf("%v: code %d, stdout %q", args, code, out)
		}
	}
}

// demo --headless runs the whole loop, exits 0, and dumps every envelope
// the node received; each of them is valid against the 1.3 schema.
func TestDemoHeadless(t *testing.T) {
	dump, data := t.TempDir(), t.TempDir()
	code, out, errs := run(t, nil, "demo", "--headless", "--requests", "13", "--dump-dir", dump, "--data-dir", data)
	if code != 0 || !strings.Contains(out, "demo: 13/13 answered and verified") {
		t.Fatalf("code %d\n%s\n%s", code, out, errs)
	}
	files, _ := filepath.Glob(filepath.Join(dump, "*"))
	sends, _ := filepath.Glob(filepath.Join(dump, "*-SendRequest.xml"))
	if len(sends) != 13 || len(files) < 13+13+13 { // SendRequest, GetResponse, Ack each
		t.Fatalf("%d files, %d SendRequest", len(files), len(sends))
	}
	xmllint := testtool.Require(t, "xmllint", "libxml2-utils")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		env, err := transport.ParseEnvelope(b, 0)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		el := filepath.Join(t.TempDir(), "el.xml")
		os.WriteFile(el, transport.Standalone(env.Doc, env.Op), 0o644)
		if out, err := exec.Command(xmllint, "--noout", "--schema", "../transport/testdata/xsd/all-1.3.xsd", el).CombinedOutput(); err != nil {
			t.Fatalf("%s: %s", f, out)
		}
	}
	if code, _, _ := run(t, nil, "demo"); code != 2 {
		t.Fatal("demo without --headless")
	}
}
