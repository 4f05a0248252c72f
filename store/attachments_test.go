package store

import (
	"bytes"
	"context"
	"testing"

	"github.com/mezhved/mezhved/domain"
)

func TestRequestAttachments(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	id, _ := db.CreateRequest(ctx, NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV, Status: domain.StatusDraft, Actor: "t"})
	a, err := db.AddRequestAttachment(ctx, id, "заявление.pdf", "application/pdf", []byte("%PDF-1.4 ..."))
	if err != nil || a.Size != 12 || len(a.SHA256) != 64 {
		t.Fatalf("%+v %v", a, err)
	}
	if b, _ := db.AttachmentContent(ctx, a.ID); !bytes.Equal(b, []byte("%PDF-1.4 ...")) {
		t.Fatal("content differs")
	}
	for _, c := range []struct {
		name string
		data []byte
	}{{"", []byte("x")}, {"../../etc/passwd", []byte("x")}, {"пусто.txt", nil}, {"big.bin", make([]byte, MaxAttachment+1)}} {
		if _, err := db.AddRequestAttachment(ctx, id, c.name, "", c.data); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%q: %v", c.name, err)
		}
	}
	if list, _ := db.RequestAttachments(ctx, id); len(list) != 1 {
		t.Fatalf("%d files", len(list))
	}
	if err := db.RemoveRequestAttachment(ctx, id, 999); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatal(err)
	}
	db.SetStatus(ctx, id, domain.StatusQueued, "t", "")
	if _, err := db.AddRequestAttachment(ctx, id, "ещё.pdf", "", []byte("x")); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatal(err)
	}
	if err := db.RemoveRequestAttachment(ctx, id, a.ID); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatal(err)
	}
}
