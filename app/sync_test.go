package app

import (
	"strings"
	"testing"

	"github.com/mezhved/mezhved/domain"
)

func TestSyncNotEnrolled(t *testing.T) {
	a := started(t)
	r := a.Sync.State()
	v, isView := r.Data.(SyncView)
	if !r.OK || !isView || v.Enrolled || !strings.Contains(v.Note, "регион") {
		t.Fatalf("%+v", r)
	}
	if r := a.Sync.Now(); r.OK || r.Code != domain.EUNAVAILABLE || r.Message == "" {
		t.Fatalf("%+v", r)
	}
}
