package workstation_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/transport/adapter"
	"github.com/mezhved/mezhved/workstation"
)

// The road to SMEV follows the settings: direct by default, the region's
// adapter when chosen, each refused with what is missing.
func TestRoadFromSettings(t *testing.T) {
	ws, err := workstation.Open(workstation.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ctx := context.Background()
	set := func(kv map[string]string) {
		t.Helper()
		if err := ws.Journal().SetSettings(ctx, kv); err != nil {
			t.Fatal(err)
		}
	}
	if via, err := ws.ReadVia(ctx); err != nil || via != workstation.ViaDirect {
		t.Fatalf("default road %q, %v", via, err)
	}
	set(map[string]string{adapter.SettingChannel: "pigeon"})
	if _, err := ws.ReadVia(ctx); err == nil || !strings.Contains(err.Error(), "pigeon") {
		t.Fatalf("unknown road: %v", err)
	}
	set(map[string]string{adapter.SettingChannel: workstation.ViaAdapter})
	if _, err := ws.ReadRoad(ctx, ""); err == nil || !strings.Contains(err.Error(), adapter.SettingITSystem) {
		t.Fatalf("no itSystem: %v", err)
	}
	set(map[string]string{adapter.SettingITSystem: "MNEMO01"})
	if _, err := ws.ReadRoad(ctx, ""); err == nil || !strings.Contains(err.Error(), adapter.SettingURL) {
		t.Fatalf("no address: %v", err)
	}
	set(map[string]string{adapter.SettingURL: "https://adapter.region.local/ws"})
	if _, err := ws.ReadRoad(ctx, ""); err == nil || !strings.Contains(err.Error(), "HTTPS") {
		t.Fatalf("https without its files: %v", err)
	}
	set(map[string]string{adapter.SettingURL: "http://10.0.0.5:7575/ws/SMEVServiceAdapterService", adapter.SettingPlainHTTP: "1"})
	r, err := ws.ReadRoad(ctx, "")
	if err != nil || r.Via != workstation.ViaAdapter || r.Adapter.ITSystem != "MNEMO01" || !r.Endpoint.Plain() || r.Title() != "через адаптер СМЭВ региона" {
		t.Fatalf("road %+v, %v", r, err)
	}
	// The other road can still be read while this one is chosen.
	if _, err := ws.ReadRoad(ctx, workstation.ViaDirect); err == nil {
		t.Fatal("the direct road with no SMEV address was read")
	}
}
