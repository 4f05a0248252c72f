package main

// The window opens at its preferred size, or smaller on a small or scaled
// screen (1024×768 at 150 % is 683×512 logical pixels): it must never sit
// partly off the screen. Pure arithmetic, so it is tested without a window.

const (
	windowWidth, windowHeight = 1280, 820 // preferred, logical pixels
	windowMinW, windowMinH    = 640, 480  // the pages still work down to here
	screenMargin              = 40        // room for panels and window frames
)

// fitWindow returns the window size for a screen of sw×sh logical pixels
// (0: unknown, the preferred size) and whether it differs from the
// preferred one.
func fitWindow(sw, sh int) (w, h int, changed bool) {
	w, h = windowWidth, windowHeight
	if sw > 0 {
		w = max(min(w, sw-screenMargin), windowMinW)
	}
	if sh > 0 {
		h = max(min(h, sh-2*screenMargin), windowMinH)
	}
	return w, h, w != windowWidth || h != windowHeight
}
