//go:build unix

package store

import (
	"os"
	"path/filepath"
	"syscall"
)

// narrowDir closes an existing data folder to others (0700): it holds the
// journal with applicants' personal data and the keys' settings. Only a
// folder of the user's own is narrowed, never a shared one (sticky, as
// /tmp) nor the home folder itself; a failure is left to the journal
// file's own 0600.
func narrowDir(dir string, fi os.FileInfo) {
	perm := fi.Mode().Perm()
	if perm&0o077 == 0 || fi.Mode()&os.ModeSticky != 0 {
		return
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) != os.Getuid() {
		return
	}
	if home, err := os.UserHomeDir(); err == nil {
		if a, b := filepath.Clean(home), filepath.Clean(dir); a == b {
			return
		}
	}
	os.Chmod(dir, perm&0o700)
}
