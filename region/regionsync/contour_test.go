package regionsync

import (
	"context"
	"testing"

	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/transport"
)

// The workstation reports the contour it works in: training in the
// training mode, else the SMEV contour of its settings (the same key the
// SMEV service reads).
func TestJournalContour(t *testing.T) {
	if settingSMEVContour != transport.SettingContour {
		t.Fatalf("settingSMEVContour %q, transport.SettingContour %q", settingSMEVContour, transport.SettingContour)
	}
	db, err := store.Open(t.TempDir(), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for _, c := range []struct {
		training, contour, want string
	}{
		{"", "", ContourProduction},
		{"", "production", ContourProduction},
		{"", "test", ContourTest},
		{"1", "", ContourTraining},
		{"1", "test", ContourTraining},
		{"0", "test", ContourTest},
	} {
		if err := db.SetSettings(ctx, map[string]string{store.SettingTraining: c.training, transport.SettingContour: c.contour}); err != nil {
			t.Fatal(err)
		}
		if got := JournalContour(ctx, db); got != c.want {
			t.Errorf("training %q contour %q: %q, want %q", c.training, c.contour, got, c.want)
		}
	}
}
