package main

import "testing"

func TestFitWindow(t *testing.T) {
	for _, c := range []struct {
		sw, sh, w, h int
		changed      bool
	}{
		{1920, 1080, 1280, 820, false}, // room enough
		{1366, 768, 1280, 688, true},   // a common laptop
		{1024, 768, 984, 688, true},    // 1024×768 at 100 %
		{683, 512, 643, 480, true},     // 1024×768 at 150 %
		{600, 400, 640, 480, true},     // smaller than the pages allow: the minimum
		{0, 0, 1280, 820, false},       // screen unknown
	} {
		w, h, changed := fitWindow(c.sw, c.sh)
		if w != c.w || h != c.h || changed != c.changed {
			t.Errorf("screen %d×%d: %d×%d %v, want %d×%d %v", c.sw, c.sh, w, h, changed, c.w, c.h, c.changed)
		}
	}
}
