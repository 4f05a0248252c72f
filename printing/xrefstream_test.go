package printing

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
)

// pdf15 builds a one-page PDF 1.5 whose objects sit in an object stream and
// whose cross-reference table is an xref stream, as Acrobat, ABBYY and most
// scanners write them. wide selects /W [1 4 2] instead of [1 2 1].
func pdf15(text string, wide bool) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	offsets := map[int]int{}
	content := fmt.Sprintf("BT /F1 24 Tf 72 700 Td (%s) Tj ET", text)
	offsets[4] = b.Len()
	fmt.Fprintf(&b, "4 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n", len(content), content)

	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	nums := []int{1, 2, 3, 5}
	var head, body strings.Builder
	for i, o := range objs {
		fmt.Fprintf(&head, "%d %d ", nums[i], body.Len())
		body.WriteString(o + "\n")
	}
	stm := head.String() + body.String()
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(stm))
	zw.Close()
	offsets[6] = b.Len()
	fmt.Fprintf(&b, "6 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n", len(objs), head.Len(), z.Len())
	b.Write(z.Bytes())
	b.WriteString("\nendstream\nendobj\n")

	offsets[7] = b.Len()
	var rows bytes.Buffer
	row := func(typ byte, f2 uint32, f3 uint16) {
		rows.WriteByte(typ)
		if wide {
			binary.Write(&rows, binary.BigEndian, f2)
			binary.Write(&rows, binary.BigEndian, f3)
		} else {
			binary.Write(&rows, binary.BigEndian, uint16(f2))
			rows.WriteByte(byte(f3))
		}
	}
	row(0, 0, 65535)
	row(2, 6, 0)
	row(2, 6, 1)
	row(2, 6, 2)
	row(1, uint32(offsets[4]), 0)
	row(2, 6, 3)
	row(1, uint32(offsets[6]), 0)
	row(1, uint32(offsets[7]), 0)
	z.Reset()
	zw = zlib.NewWriter(&z)
	zw.Write(rows.Bytes())
	zw.Close()
	w := "[1 2 1]"
	if wide {
		w = "[1 4 2]"
	}
	fmt.Fprintf(&b, "7 0 obj\n<< /Type /XRef /Size 8 /W %s /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n", w, z.Len())
	b.Write(z.Bytes())
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", offsets[7])
	return b.Bytes()
}

func TestAttachmentWithXRefStream(t *testing.T) {
	src := pdf15("XREF-STREAM-PAGE", false)
	if !strings.Contains(pdfText(t, src), "XREF-STREAM-PAGE") {
		t.Fatal("the generated PDF 1.5 is not readable by poppler")
	}
	r := testReply()
	r.Attachments = []Attachment{{Name: "Скан.pdf", Data: src}}
	pdf, res := writeReply(t, r)
	if a := res.Attachments[0]; a.Status != AttachmentAppended {
		t.Fatalf("a PDF 1.5 with an xref stream and an object stream was not appended: %v", a.Err)
	}
	if !strings.Contains(pdfText(t, pdf, res.ReplyPages+1, res.ReplyPages+1), "XREF-STREAM-PAGE") {
		t.Error("the appended page lacks its text")
	}
}

// gofpdi (the importer before pdfcpu) read only the first byte of the third
// field of an xref stream, so /W [1 4 2] files failed; pdfcpu reads them.
func TestAttachmentWithWideXRefFields(t *testing.T) {
	r := testReply()
	r.Attachments = []Attachment{{Name: "Скан.pdf", Data: pdf15("WIDE-XREF-PAGE", true)}}
	pdf, res := writeReply(t, r)
	if a := res.Attachments[0]; a.Status != AttachmentAppended {
		t.Fatalf("status %d: %v", a.Status, a.Err)
	}
	if !strings.Contains(pdfText(t, pdf, res.ReplyPages+1, res.ReplyPages+1), "WIDE-XREF-PAGE") {
		t.Error("appended with the wrong content")
	}
}
