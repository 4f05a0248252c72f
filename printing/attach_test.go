package printing

import (
	"math/rand"
	"os"
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

// A page with /Rotate 90 is appended as it is shown: landscape.
func TestRotatedAttachment(t *testing.T) {
	r := testReply()
	r.Attachments = []Attachment{{Name: "Схема.pdf", Data: mustRead(t, "testdata/rotated-90.pdf")}}
	pdf, res := writeReply(t, r)
	keepArtifacts(t, "reply-rotated-attachment", pdf)
	if res.Attachments[0].Status != AttachmentAppended || res.Pages != res.ReplyPages+1 {
		t.Fatalf("%+v", res.Attachments)
	}
	p := wordBoxes(t, pdf)[res.ReplyPages]
	if p.W <= p.H {
		t.Errorf("the rotated page is appended as %vx%v, not landscape", p.W, p.H)
	}
	found := false
	for _, w := range p.Words {
		found = found || w.Text == "ROTATED-PAGE"
		if w.Box.X < 0 || w.Box.Y < 0 || w.Box.X+w.Box.W > p.W || w.Box.Y+w.Box.H > p.H {
			t.Errorf("%q %+v lies off the %vx%v page", w.Text, w.Box, p.W, p.H)
		}
	}
	if !found {
		t.Error("the rotated page's text is not there")
	}
}
