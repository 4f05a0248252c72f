package cli

import (
	"context"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/region"
	"github.com/mezhved/mezhved/region/regionsync"
	"github.com/mezhved/mezhved/store"
)

// regionServer runs a real regional server (SQLite) on loopback HTTPS and
// enrolls a workstation whose data directory it returns.
func regionServer(t *testing.T) (url, dataDir string, st *region.Store, updKeyCert func() ([]byte, []byte)) {
	t.Helper()
	ctx := context.Background()
	st, err := region.OpenStore(ctx, filepath.Join(t.TempDir(), "region.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Now()
	ca, _ := region.NewCA("CA", now)
	srvCert, _ := ca.IssueServer([]string{"127.0.0.1"}, now)
	key, updCert, err := regionsync.NewUpdateKey("Тестовая область", now)
	if err != nil {
		t.Fatal(err)
	}
	srv := region.NewServer(region.ServerConfig{Store: st, ClientCA: ca.Cert, Log: log.New(io.Discard, "", 0)})
	hs := httptest.NewUnstartedServer(srv)
	hs.TLS = srv.TLSConfig(srvCert.TLSCertificate())
	hs.Config.ErrorLog = log.New(io.Discard, "", 0)
	hs.StartTLS()
	t.Cleanup(hs.Close)

	st.AddSettlement(ctx, "46605101", "Берёзовское")
	ws, _ := ca.IssueWorkstation("46605101", "Берёзовское", "ws-1", now)
	if err := st.RecordWorkstation(ctx, regionsync.SerialHex(ws.Cert), "46605101", "ws-1"); err != nil {
		t.Fatal(err)
	}
	dataDir = t.TempDir()
	if err := region.WriteEnrollment(filepath.Join(dataDir, regionsync.EnrollDir), ws, ca.Cert, updCert, hs.URL); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(dataDir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		id, _ := db.CreateRequest(ctx, store.NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV,
			Status: domain.StatusQueued, Provider: "Росреестр", DueOn: "2026-11-30", Actor: "clerk"})
		db.SetStatus(ctx, id, domain.StatusSent, "outbox", "")
	}
	db.Close()
	cal, _ := os.ReadFile("../calendar/testdata/fixture-2028.xml")
	signed, _ := regionsync.SignUpdate(regionsync.KindCalendar, "2028.xml", cal, now, key)
	if _, err := st.AddUpdate(ctx, signed, updCert); err != nil {
		t.Fatal(err)
	}
	return hs.URL, dataDir, st, nil
}

func TestSync(t *testing.T) {
	url, dir, st, _ := regionServer(t)
	code, out, errs := run(t, nil, "sync", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "Sent 10 events") || !strings.Contains(out, "0 waiting") ||
		!strings.Contains(out, "календарь на 2028 год") {
		t.Fatalf("code %d\n%s\n%s", code, out, errs)
	}
	if n, _ := st.CountEvents(context.Background(), "46605101", "ws-1"); n != 10 {
		t.Fatalf("region holds %d events", n)
	}
	code, out, _ = run(t, nil, "sync", "--data-dir", dir, "--region", url)
	if code != 0 || !strings.Contains(out, "Sent 0 events") {
		t.Fatalf("second sync: code %d %s", code, out)
	}
}

func TestSyncRefusals(t *testing.T) {
	_, dir, _, _ := regionServer(t)
	for name, c := range map[string]struct {
		args []string
		want string
	}{
		"unreachable":  {[]string{"sync", "--data-dir", dir, "--region", "https://127.0.0.1:1"}, "недоступен"},
		"not https":    {[]string{"sync", "--data-dir", dir, "--region", "http://127.0.0.1:1"}, "https://"},
		"not enrolled": {[]string{"sync", "--data-dir", t.TempDir()}, "не подключено к региону"},
		"missing dir":  {[]string{"sync", "--data-dir", filepath.Join(t.TempDir(), "nope")}, "не существует"},
		"extra":        {[]string{"sync", "--data-dir", dir, "extra"}, "unexpected"},
		"bad flag":     {[]string{"sync", "--frobnicate"}, "frobnicate"},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errs := run(t, nil, c.args...)
			if code != 2 || out != "" || !strings.Contains(errs, c.want) {
				t.Fatalf("code %d, stdout %q, stderr %q", code, out, errs)
			}
		})
	}
}
