package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	tradapter "github.com/mezhved/mezhved/training/adapter"
	"github.com/mezhved/mezhved/training/node"
	"github.com/mezhved/mezhved/workstation"
)

// The window connects through the region's adapter as it does to SMEV 3
// itself, and a switch of roads loses nothing: a request sent through the
// adapter and still waiting when the clerk switches back to SMEV 3 gets its
// answer through the adapter.
func TestSwitchRoadsLosesNothing(t *testing.T) {
	lb, err := node.StartLoopback(node.Options{Delay: 1500 * time.Millisecond}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lb.Close()
	files := t.TempDir() // the adapter's file store, shared with the workstation
	tad, err := tradapter.New(tradapter.Options{Node: lb.Endpoint, ITSystem: "MNEMO01", FilesDir: files})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := tradapter.Listen(tad, "", nil) // plain HTTP, as inside ViPNet
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	a := started(t)
	pfx := filepath.Join("..", "gost", "testdata", "keys", "made-here", "mh-gost2012-256-gost89-streebog256mac.pfx")
	// The adapter's road needs its mnemonic.
	if r := R(a.Settings.SaveChannel(ChannelView{Via: "adapter", URL: srv.URL, PlainHTTP: true, Contour: "test"})); r.OK || !strings.Contains(r.Message, "мнемонику") {
		t.Fatalf("%+v", r)
	}
	r := R(a.Settings.SaveChannel(ChannelView{Via: "adapter", URL: srv.URL, PlainHTTP: true, ITSystem: "MNEMO01", FilesDir: files, Key: pfx, Contour: "test"}))
	if c, _ := r.Data.(ChannelView); !r.OK || c.Via != "adapter" || c.ITSystem != "MNEMO01" || c.URL != srv.URL || !c.PlainHTTP {
		t.Fatalf("%+v", r)
	}
	r = R(a.Settings.ConnectSMEV("12345678"))
	if c, _ := r.Data.(ChannelView); !r.OK || !c.Connected {
		t.Fatalf("connect through the adapter: %+v", r)
	}
	if r := R(a.Requests.OpenKey(KeyChoice{Path: pfx, PIN: "12345678"})); !r.OK {
		t.Fatalf("%+v", r)
	}
	d := R(a.Requests.NewDraft("egrn-object", 0, "")).Data.(DraftView)
	R(a.Requests.SaveDraft(d.Request.ID, d.Template.Examples()))
	if r := R(a.Requests.Send(d.Request.ID)); !r.OK {
		t.Fatalf("%+v", r)
	}
	tl := waitStatus(t, a, d.Request.ID, domain.StatusSent, domain.StatusAccepted)
	if tl.Via != workstation.ViaAdapter {
		t.Fatalf("sent via %q", tl.Via)
	}

	// Back to SMEV 3 directly, while the answer is still on its way.
	pki := t.TempDir()
	if err := lb.PKI.Write(pki); err != nil {
		t.Fatal(err)
	}
	r = R(a.Settings.SaveChannel(ChannelView{Via: "direct", URL: lb.URL, TLSCert: filepath.Join(pki, "client.pem"),
		TLSKey: filepath.Join(pki, "client.key"), CA: filepath.Join(pki, "ca.pem"), Key: pfx, Contour: "test"}))
	if !r.OK {
		t.Fatalf("%+v", r)
	}
	r = R(a.Settings.ConnectSMEV("12345678"))
	c, _ := r.Data.(ChannelView)
	if !r.OK || !c.Connected || c.Via != "direct" || !strings.Contains(c.Note, "через адаптер СМЭВ региона, ещё ждут ответа") {
		t.Fatalf("switched: %+v", r)
	}
	a.mu.Lock()
	drain := a.smev.drain
	a.mu.Unlock()
	if drain == nil || drain.Via() != workstation.ViaAdapter {
		t.Fatal("the adapter's road is not drained")
	}
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		drain.PollNow(context.Background())
		tl = R(a.Requests.Timeline(d.Request.ID)).Data.(*workstation.Timeline)
		if !tl.Request.Status.Open() || tl.Request.Status == domain.StatusUnverified {
			break
		}
	}
	if len(tl.Replies) == 0 || tl.Via != workstation.ViaAdapter || len(tl.Replies[0].Attachments) == 0 {
		t.Fatalf("the answer of the request sent through the adapter was lost after the switch: %s, %d replies", tl.Request.Status, len(tl.Replies))
	}
	// The adapter's road owes nothing now: its service is retired, and the
	// note about it goes.
	if !a.retireDrain(context.Background()) {
		t.Fatal("the old road is still polled though it owes nothing")
	}
	if c := R(a.Settings.Channel()).Data.(ChannelView); !c.Connected || c.Note != "" {
		t.Fatalf("after the drain: %+v", c)
	}
}
