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
