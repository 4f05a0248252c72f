package region

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/templates"

	"github.com/mezhved/mezhved/region/regionsync"
)

func calendarFixture(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../calendar/testdata/fixture-2028.xml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The workstation's sync fetches the region's updates, verifies and
// imports the good ones and refuses the rest with a Russian message.
func TestSyncAppliesSignedUpdates(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	e := newEnv(t, sqliteStore(t), ServerConfig{})
	ws := e.workstation(oktmoA, "Берёзовское", "ws-1")
	key, cert, _ := regionsync.NewUpdateKey("Тестовая область", now)
	otherKey, _, _ := regionsync.NewUpdateKey("Чужая область", now)

	cal, _ := regionsync.SignUpdate(regionsync.KindCalendar, "2028.xml", calendarFixture(t), now, key)
	if _, err := e.store.AddUpdate(ctx, cal, cert); err != nil {
		t.Fatal(err)
	}
	tmplData, err := os.ReadFile("../templates/builtin/fns-egrul.xml")
	if err != nil {
		t.Fatal(err)
	}
	tmpl, _ := regionsync.SignUpdate(regionsync.KindTemplate, "fns-egrul.xml", tmplData, now, key)
	if _, err := e.store.AddUpdate(ctx, tmpl, cert); err != nil {
		t.Fatal(err)
	}
	// The server refuses to publish a file its key did not sign…
	bad, _ := regionsync.SignUpdate(regionsync.KindCalendar, "2028.xml", calendarFixture(t), now, otherKey)
	if _, err := e.store.AddUpdate(ctx, bad, cert); domain.ErrorCode(err) != domain.ESIGNATURE {
		t.Fatalf("publishing a foreign update: %v", err)
	}
	// …but if one is in the database anyway, the workstation refuses it.
	if _, err := e.store.exec(ctx, `INSERT INTO updates (kind, name, data, created_at) VALUES ($1, $2, $3, $4)`, regionsync.KindCalendar, "2028.xml", bad, fmtT(now)); err != nil {
		t.Fatal(err)
	}
	db := journal(t, 1)
	res, err := e.client(ws, func(c *regionsync.ClientConfig) { c.UpdateCert = cert }).Sync(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Updates) != 2 || len(res.Rejected) != 1 || !strings.Contains(res.Rejected[0], "подпись региона не подтверждена") {
		t.Fatalf("updates %q rejected %q", res.Updates, res.Rejected)
	}
	if _, err := os.Stat(filepath.Join(regionsync.CalendarDir(db.Dir()), "2028.xml")); err != nil {
		t.Fatal(err)
	}
	c, err := templates.Load(regionsync.TemplatesDir(db.Dir()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get("fns-egrul"); err != nil {
		t.Fatal(err)
	}
	// Applied once: the next sync fetches nothing.
	res, err = e.client(ws, func(c *regionsync.ClientConfig) { c.UpdateCert = cert }).Sync(ctx, db, nil)
	if err != nil || len(res.Updates)+len(res.Rejected) != 0 {
		t.Fatalf("second sync: %+v %v", res, err)
	}
}
