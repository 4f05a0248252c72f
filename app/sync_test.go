package app

import (
	"strings"
	"testing"

	"github.com/mezhved/mezhved/domain"
)

func TestSyncNotEnrolled(t *testing.T) {
	a := started(t)
	r := R(a.Sync.State())
	v, isView := r.Data.(SyncView)
	if !r.OK || !isView || v.Enrolled || !strings.Contains(v.Note, "регион") {
		t.Fatalf("%+v", r)
	}
	if r := R(a.Sync.Personal()); !r.OK || r.Data.(bool) {
		t.Fatalf("personal data goes by default: %+v", r)
	}
	R(a.Sync.SetPersonal(true))
	if r := R(a.Sync.Personal()); !r.Data.(bool) {
		t.Fatal("not saved")
	}
	if r := R(a.Sync.Now()); r.OK || r.Code != domain.EUNAVAILABLE || r.Message == "" {
		t.Fatalf("%+v", r)
	}
}
