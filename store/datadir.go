package store

import (
	"os"
	"path/filepath"
	"runtime"
)

// EnvDataDir names the environment variable that overrides the data directory.
const EnvDataDir = "MEZHVED_DATA_DIR"

// ResolveDir picks the data directory: the flag when given, then
// $MEZHVED_DATA_DIR, then the OS convention. explicit reports whether the
// user chose it (then a missing directory is an error, not created).
func ResolveDir(flag string, getenv func(string) string) (dir string, explicit bool) {
	if flag != "" {
		return flag, true
	}
	if v := getenv(EnvDataDir); v != "" {
		return v, true
	}
	return DefaultDir(getenv), false
}

// DefaultDir is the OS convention: $XDG_DATA_HOME/mezhved (or
// ~/.local/share/mezhved) on Linux and BSD, %APPDATA%\Mezhved on Windows,
// ~/Library/Application Support/Mezhved on macOS.
func DefaultDir(getenv func(string) string) string {
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "windows":
		if v := getenv("APPDATA"); v != "" {
			return filepath.Join(v, "Mezhved")
		}
		return filepath.Join(home, "AppData", "Roaming", "Mezhved")
	case "darwin":
		return filepath.Join(home, "Library", "Application Support", "Mezhved")
	}
	if v := getenv("XDG_DATA_HOME"); v != "" && filepath.IsAbs(v) {
		return filepath.Join(v, "mezhved")
	}
	return filepath.Join(home, ".local", "share", "mezhved")
}
