package printing

import (
	"bytes"
	"context"
	"image/png"
	"testing"

	"github.com/mezhved/mezhved/internal/testtool"
)

// The preview is the page itself: a register of 240 rows renders to PNG
// pages of landscape A4, the first ones only.
func TestPageImages(t *testing.T) {
	testtool.Require(t, "pdftoppm", "poppler-utils")
	var buf bytes.Buffer
	if _, err := WriteRegister(&buf, testRegister(Outgoing, 240)); err != nil {
		t.Fatal(err)
	}
	pages, err := PageImages(context.Background(), buf.Bytes(), 2, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 {
		t.Fatalf("%d pages rendered, want the first 2", len(pages))
	}
	img, err := png.Decode(bytes.NewReader(pages[0]))
	if err != nil {
		t.Fatal(err)
	}
	// A4 landscape at 50 dpi: 585×413 points
	if b := img.Bounds(); b.Dx() < 570 || b.Dx() > 600 || b.Dy() < 400 || b.Dy() > 425 {
		t.Fatalf("page image %v", b)
	}
	if _, err := PageImages(context.Background(), []byte("not a pdf"), 1, 50); err == nil {
		t.Fatal("a broken PDF rendered")
	}
}
