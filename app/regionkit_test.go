package app

import (
	"context"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/region"
	"github.com/mezhved/mezhved/region/regionsync"
	"github.com/mezhved/mezhved/store"
)

// TestConnectRegion: «Подключить к региону…» takes the kit the region's
// code wrote (the clerk picks one of its files), checks it, writes it into
// the data folder (0700, files 0600) and the sync runs at once: the
// region's server receives the journal's events without a restart. A kit
// of another settlement is refused and changes nothing. The region's
// certificates are issued at the real time (TLS checks them against it);
// the app's clock is the real one too.
func TestConnectRegion(t *testing.T) {
	ctx := context.Background()
	st, err := region.OpenStore(ctx, filepath.Join(t.TempDir(), "region.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Now()
	ca, _ := region.NewCA("УЦ региона", now)
	srvCert, _ := ca.IssueServer([]string{"127.0.0.1"}, now)
	srv := region.NewServer(region.ServerConfig{Store: st, ClientCA: ca.Cert, Log: log.New(io.Discard, "", 0)})
	hs := httptest.NewUnstartedServer(srv)
	hs.TLS = srv.TLSConfig(srvCert.TLSCertificate())
	hs.Config.ErrorLog = log.New(io.Discard, "", 0)
	hs.StartTLS()
	t.Cleanup(hs.Close)
	st.AddSettlement(ctx, "46605101", "Берёзовское")
	st.AddSettlement(ctx, "46605102", "Сосновское")
	kitFor := func(oktmo, name string) string {
		ws, err := ca.IssueWorkstation(oktmo, "Берёзовское", name, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.RecordWorkstation(ctx, regionsync.SerialHex(ws.Cert), oktmo, name); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(t.TempDir(), "флешка", "ws-1")
		if err := region.WriteEnrollment(dir, ws, ca.Cert, nil, hs.URL); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	kit := kitFor("46605101", "ws-1")

	dir := t.TempDir()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.SetSettings(ctx, map[string]string{store.SettingOKTMO: "46605101"})
	id, _ := db.CreateRequest(ctx, store.NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV,
		Status: domain.StatusQueued, Provider: "Росреестр", DueOn: "2026-11-30", Actor: "clerk"})
	db.SetStatus(ctx, id, domain.StatusSent, "outbox", "")
	db.Close()
	desk := &fakeDesktop{}
	a := New(Config{DataDir: dir, Explicit: true, Log: quiet, Desktop: desk})
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Stop)
	if v := R(a.Sync.State()).Data.(SyncView); v.Enrolled {
		t.Fatalf("%+v", v)
	}
	// Cancelling the dialog changes nothing.
	if r := R(a.Sync.ConnectRegion()); !r.OK || r.Data.(RegionKitView).OKTMO != "" {
		t.Fatalf("%+v", r)
	}
	desk.choose = filepath.Join(kit, regionsync.FileRegionCA)
	r := R(a.Sync.ConnectRegion())
	v, _ := r.Data.(RegionKitView)
	if !r.OK || !v.Enrolled || v.OKTMO != "46605101" || v.Workstation != "ws-1" || v.Settlement != "Берёзовское" || v.URL != hs.URL {
		t.Fatalf("%+v", r)
	}
	enrolled := filepath.Join(dir, regionsync.EnrollDir)
	if fi, err := os.Stat(enrolled); err != nil || (runtime.GOOS != "windows" && fi.Mode().Perm() != 0o700) {
		t.Fatalf("%v %v", fi, err)
	}
	entries, _ := os.ReadDir(enrolled)
	for _, e := range entries {
		if fi, _ := e.Info(); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v", e.Name(), fi.Mode())
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if n, _ := st.CountEvents(ctx, "46605101", "ws-1"); n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the region received nothing: %+v", R(a.Sync.State()).Data)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// A kit of another settlement is refused; the installed one stays.
	desk.choose = kitFor("46605102", "ws-2")
	if r := R(a.Sync.ConnectRegion()); r.OK || r.Code != domain.ECONFLICT || !strings.Contains(r.Message, "46605102") {
		t.Fatalf("%+v", r)
	}
	if cfg, err := regionsync.LoadEnrollment(dir, ""); err != nil || cfg.Cert.Leaf == nil && len(cfg.Cert.Certificate) == 0 {
		t.Fatalf("%v", err)
	}
	if v := R(a.Sync.State()).Data.(SyncView); !v.Enrolled {
		t.Fatalf("%+v", v)
	}
}
