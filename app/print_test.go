package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
)

type fakeDesktop struct {
	save   string
	choose string // what the open dialog returns
	opened []string
}

func (d *fakeDesktop) SaveFileDialog(string, string) (string, error) { return d.save, nil }
func (d *fakeDesktop) OpenFile(p string) error                       { d.opened = append(d.opened, p); return nil }
func (d *fakeDesktop) OpenFileDialog(string, string, string) (string, error) {
	return d.choose, nil
}

func TestPrintReplyAndRegister(t *testing.T) {
	a := training(t, nil)
	desk := &fakeDesktop{save: filepath.Join(t.TempDir(), "ответ")}
	a.cfg.Desktop = desk
	r := R(a.Requests.NewDraft("egrn-object", 0, ""))
	v := r.Data.(DraftView)
	R(a.Requests.SaveDraft(v.Request.ID, v.Template.Examples()))
	R(a.Requests.OpenKey(KeyChoice{Training: true}))
	R(a.Requests.Send(v.Request.ID))
	tl := waitStatus(t, a, v.Request.ID, domain.StatusAnswered, domain.StatusRejected)

	r = R(a.Print.SavePDF(PrintJob{MessageID: tl.Request.MessageID}))
	p, _ := r.Data.(Printed)
	if !r.OK || !p.Saved || p.Pages < 1 || !strings.HasSuffix(p.Path, ".pdf") {
		t.Fatalf("%+v", r)
	}
	if b, err := os.ReadFile(p.Path); err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Fatalf("not saved: %v", err)
	}
	if r := R(a.Print.Print(PrintJob{MessageID: tl.Request.MessageID})); !r.OK || len(desk.opened) != 1 {
		t.Fatalf("%+v %v", r, desk.opened)
	}
	today := time.Now().Format("02.01.2006")
	if r := R(a.Print.Preview(PrintJob{Kind: "outgoing", From: today, To: today})); !r.OK || r.Data.(Printed).Pages < 1 {
		t.Fatalf("%+v", r)
	}
	if r := R(a.Print.Preview(PrintJob{Kind: "outgoing", From: "01.01.2021", To: "31.03.2021"})); r.OK || r.Code != domain.ENOTFOUND {
		t.Fatalf("empty period: %+v", r)
	}
	if r := R(a.Print.Preview(PrintJob{Kind: "outgoing", From: "вчера", To: today})); r.OK || r.Code != domain.EINVALID {
		t.Fatalf("bad date: %+v", r)
	}
	desk.save = ""
	if r := R(a.Print.SavePDF(PrintJob{MessageID: tl.Request.MessageID})); !r.OK || r.Data.(Printed).Saved {
		t.Fatalf("a cancelled dialog saved: %+v", r)
	}
}
