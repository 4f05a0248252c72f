package region

import (
	"context"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"

	"github.com/mezhved/mezhved/region/regionsync"
)

// clockJournal is a journal on the tests' clock with n outgoing requests
// sent (none answered), and the given settings.
func clockJournal(t *testing.T, n int, settings map[string]string) *store.DB {
	t.Helper()
	db, err := store.Open(t.TempDir(), store.Options{Create: true, Now: func() time.Time { return dashNow.AddDate(0, 0, -30) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if err := db.SetSettings(ctx, settings); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		id, err := db.CreateRequest(ctx, store.NewRequest{Direction: domain.Outgoing, TemplateID: "fns-egrul", TemplateTitle: "Выписка из ЕГРЮЛ",
			Provider: "ФНС России", Channel: domain.ChannelSMEV, Status: domain.StatusQueued, DueOn: "2026-10-30", Actor: "clerk"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetStatus(ctx, id, domain.StatusSent, "outbox", ""); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// A training workstation says so when it syncs (the real client over
// HTTPS): its requests are kept but not counted, and it is listed as left
// out; a workstation that reports no contour (an older version) counts.
func TestTrainingWorkstationNotCounted(t *testing.T) {
	backends(t, func(t *testing.T, newStore func() *Store) {
		st := newStore()
		st.now = func() time.Time { return dashNow }
		e := newEnv(t, st, ServerConfig{Now: func() time.Time { return dashNow }})
		real := e.workstation(oktmoA, "Сельское поселение Берёзовское", "ws-1")
		training := e.workstation(oktmoA, "Сельское поселение Берёзовское", "ws-2")
		ctx := context.Background()
		if _, err := e.client(real, nil).Sync(ctx, clockJournal(t, 3, nil), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := e.client(training, nil).Sync(ctx, clockJournal(t, 5, map[string]string{store.SettingTraining: "1"}), nil); err != nil {
			t.Fatal(err)
		}
		// An older workstation: no contour header at all.
		e.workstation(oktmoB, "Городское поселение Кленовск", "ws-old")
		if _, err := st.Push(ctx, oktmoB, "ws-old", batchOf(t, clockJournal(t, 2, nil), oktmoB, 0, 100)); err != nil {
			t.Fatal(err)
		}
		contours := map[string]string{}
		rows, err := st.db.QueryContext(ctx, `SELECT workstation, contour FROM streams`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var ws, c string
			rows.Scan(&ws, &c)
			contours[ws] = c
		}
		rows.Close()
		if contours["ws-1"] != "production" || contours["ws-2"] != "training" || contours["ws-old"] != "" {
			t.Fatalf("contours %v", contours)
		}
		rep, err := BuildReport(ctx, st, Period{From: day("2026-10-01"), To: day("2026-11-22")}, ReportOptions{Now: dashNow})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]SettlementRow{}
		for _, r := range rep.Rows {
			got[r.OKTMO] = r
		}
		if a := got[oktmoA]; a.Out.Total != 3 || a.Out.Overdue != 3 || a.OutOverdueNow != 3 || a.Never {
			t.Errorf("Берёзовское %+v", a)
		}
		if b := got[oktmoB]; b.Out.Total != 2 {
			t.Errorf("Кленовск %+v", b)
		}
		if len(rep.Excluded) != 1 || rep.Excluded[0].Workstation != "ws-2" || rep.Excluded[0].Contour != regionsync.ContourTraining {
			t.Errorf("excluded %+v", rep.Excluded)
		}
	})
}
