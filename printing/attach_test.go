package printing

import (
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Damaged PDFs end the import with AttachmentFailed in bounded time; before
// the read budget, a truncated tail made gofpdi spin for ever.
func TestDamagedAttachmentsTerminate(t *testing.T) {
	good, err := os.ReadFile("testdata/attachment-2pages.pdf")
	if err != nil {
		t.Fatal(err)
	}
	tail, _ := os.ReadFile("testdata/truncated-tail.pdf")
	if p := probe(Attachment{Name: "a.pdf", Data: tail}); p.status != AttachmentFailed || p.err == nil {
		t.Fatalf("truncated tail: status %d, err %v", p.status, p.err)
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 400; i++ {
		d := append([]byte(nil), good...)
		switch i % 3 {
		case 0:
			d = d[:rng.Intn(len(d))]
		case 1:
			for k := 0; k < 3; k++ {
				d[rng.Intn(len(d))] = byte(rng.Intn(256))
			}
		case 2:
			p := rng.Intn(len(d))
			d = append(d[:p], d[min(len(d), p+rng.Intn(50)):]...)
		}
		done := make(chan *probed, 1)
		go func() { done <- probe(Attachment{Name: "a.pdf", Data: d}) }()
		select {
		case p := <-done:
			if p.status == AttachmentAppended && p.pages != 2 {
				t.Errorf("case %d: appended with %d pages", i, p.pages)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("case %d: the import of a damaged PDF (%d bytes) does not end", i, len(d))
		}
	}
}

// A page with /Rotate 90 is appended as it is: same size, same rotation, so
// that it is shown (and printed) as landscape like the original.
func TestRotatedAttachment(t *testing.T) {
	src := mustRead(t, "testdata/rotated-90.pdf")
	r := testReply()
	r.Attachments = []Attachment{{Name: "Схема.pdf", Data: src}}
	pdf, res := writeReply(t, r)
	keepArtifacts(t, "reply-rotated-attachment", pdf)
	if res.Attachments[0].Status != AttachmentAppended || res.Pages != res.ReplyPages+1 {
		t.Fatalf("%+v", res.Attachments)
	}
	want := pageInfo(t, src, 1)
	if got := pageInfo(t, pdf, res.ReplyPages+1); got != want || !strings.Contains(got, "rot: 90") {
		t.Errorf("appended page: %q, original: %q", got, want)
	}
	if !strings.Contains(pdfText(t, pdf, res.ReplyPages+1, res.ReplyPages+1), "ROTATED-PAGE") {
		t.Error("the rotated page's text is not there")
	}
}

// pageInfo is pdfinfo's size and rotation of page n, white space collapsed.
func pageInfo(t *testing.T, pdf []byte, n int) string {
	t.Helper()
	needTool(t, "pdfinfo", "poppler-utils")
	out := string(run(t, "pdfinfo", "-f", strconv.Itoa(n), "-l", strconv.Itoa(n), writeTemp(t, pdf)))
	var lines []string
	for _, ln := range strings.Split(out, "\n") {
		if strings.HasPrefix(ln, "Page ") && (strings.Contains(ln, "size:") || strings.Contains(ln, "rot:")) {
			f := strings.Fields(ln)
			lines = append(lines, strings.Join(f[2:], " "))
		}
	}
	return strings.Join(lines, "; ")
}
