package node

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/internal/testtool"
)

func TestFakeClock(t *testing.T) {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	c := NewFakeClock(start)
	c.Advance(90 * time.Minute)
	if got := c.Now(); !got.Equal(start.Add(90 * time.Minute)) {
		t.Fatal(got)
	}
}

// The ЕГРН extract is a PDF that a PDF reader opens.
func TestExtractPDF(t *testing.T) {
	pdf := ExtractPDF("50:21:0110104:123 (x)\\")
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.4")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatal("not a PDF")
	}
	p := testtool.Require(t, "pdftotext", "poppler-utils")
	f := filepath.Join(t.TempDir(), "e.pdf")
	os.WriteFile(f, pdf, 0o644)
	out, err := exec.Command(p, f, "-").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Cadastral number: 50:21:0110104:123 ?x??") {
		t.Fatalf("%v\n%s", err, out)
	}
	// pdftotext warns about a broken xref table on stderr; there is none.
	if strings.Contains(string(out), "Syntax") || strings.Contains(string(out), "rror") {
		t.Fatalf("%s", out)
	}
}

func TestProvidersAnswer(t *testing.T) {
	n, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(n.providers) < 13 {
		t.Fatalf("%d providers", len(n.providers))
	}
	for ns, p := range n.providers {
		a, err := p.answer([]byte(`<r:X xmlns:r="`+ns+`"><r:LastName>Иванов</r:LastName><r:SNILS>112-233-445 95</r:SNILS></r:X>`), false)
		if err != nil || !bytes.Contains(a.content, []byte(ns)) || !bytes.Contains(a.content, []byte("Response")) {
			t.Fatalf("%s: %v %s", ns, err, a.content)
		}
		if strings.HasPrefix(p.tmpl.ID, "egrn") != (len(a.attachments) == 1) {
			t.Fatalf("%s: %d attachments", p.tmpl.ID, len(a.attachments))
		}
		if nd, _ := p.answer(nil, true); p.tmpl.Training && nd.reject != "NO_DATA" {
			t.Fatal("no NO_DATA")
		}
	}
	if err := n.SendIncoming("nobody"); err == nil {
		t.Fatal("incoming for an unknown participant")
	}
}
