package printing

import (
	"bytes"
	"os"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
)

// FuzzAttachment feeds damaged PDFs to the attachment import: a reply with
// any attachment is printed (the attachment appended or reported as failed),
// never a panic, and the printout has the pages the result reports.
// testdata/fuzz/FuzzAttachment holds inputs on which pdfcpu's repair was not
// deterministic (the probe said yes, the append said no).
//
// An exec takes milliseconds, but the fuzzer minimises every new interesting
// input (kilobytes of PDF) before it goes on; keep that short:
//
//	go test -run '^$' -fuzz FuzzAttachment -fuzztime 2m -fuzzminimizetime 10x ./printing
func FuzzAttachment(f *testing.F) {
	for _, name := range []string{"attachment-2pages.pdf", "broken-truncated.pdf", "truncated-tail.pdf", "not-a-pdf.pdf"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add(pdf15("XREF-STREAM", false))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		r := testReply()
		r.Attachments = []Attachment{{Name: "вложение.pdf", Data: data}}
		var buf bytes.Buffer
		res, err := WriteReply(&buf, r)
		if err != nil {
			t.Fatalf("the printout failed because of an attachment: %v", err)
		}
		if n, err := api.PageCount(bytes.NewReader(buf.Bytes()), pdfConf()); err != nil || n != res.Pages {
			t.Fatalf("the printout has %d pages (%v), the result says %d", n, err, res.Pages)
		}
		a := res.Attachments[0]
		switch a.Status {
		case AttachmentAppended:
			if a.Pages < 1 || res.Pages != res.ReplyPages+a.Pages {
				t.Fatalf("appended %d pages, total %d, reply %d", a.Pages, res.Pages, res.ReplyPages)
			}
		case AttachmentFailed:
			if a.Err == nil || res.Pages != res.ReplyPages {
				t.Fatalf("failed attachment: %+v, %d pages", a, res.Pages)
			}
		default:
			t.Fatalf("a file named .pdf got status %d", a.Status)
		}
	})
}
