//go:build headless && !windows

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/internal/testtool"
)

func TestFindWindow(t *testing.T) {
	dir := t.TempDir()
	self := filepath.Join(dir, "mezhved")
	if _, err := findWindowIn(dir, self); err == nil || !strings.Contains(err.Error(), "не найдена рядом с "+self) {
		t.Fatalf("no window program: %v", err)
	}

	win := filepath.Join(dir, "mezhved-window")
	if err := os.WriteFile(win, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := findWindowIn(dir, self); err != nil || got != win {
		t.Fatalf("got %q, %v", got, err)
	}

	// A program others may change is someone else's program.
	for _, mode := range []os.FileMode{0o775, 0o757, 0o777} {
		os.Chmod(win, mode)
		if _, err := findWindowIn(dir, self); err == nil || !strings.Contains(err.Error(), "другие пользователи") {
			t.Fatalf("mode %v: %v", mode, err)
		}
	}
	os.Chmod(win, 0o755)

	// A link, even to a good program, is not run.
	os.Rename(win, win+".real")
	os.Symlink(win+".real", win)
	if _, err := findWindowIn(dir, self); err == nil || !strings.Contains(err.Error(), "не обычный файл") {
		t.Fatalf("symlink: %v", err)
	}
	os.Remove(win)

	// Only the second variant installed: it is the one.
	alt := filepath.Join(dir, "mezhved-window-webkit41")
	os.Rename(win+".real", alt)
	if got, err := findWindowIn(dir, self); err != nil || got != alt {
		t.Fatalf("variant: %q, %v", got, err)
	}
}

// The window program built by make build links WebKitGTK; with no library
// folder it is reported as missing its libraries, by name.
func TestWindowLibraries(t *testing.T) {
	prog := testtool.RequireFile(t, "build/bin/mezhved-window", "the window program (make build writes it; make test runs these tests after it)")
	libs, err := missingLibraries(prog)
	if err != nil || len(libs) != 0 {
		t.Fatalf("the build machine lacks %v (%v)", libs, err)
	}
	saved := libraryDirs
	libraryDirs = []string{t.TempDir()}
	defer func() { libraryDirs = saved }()
	libs, err = missingLibraries(prog)
	if err != nil || len(libs) == 0 || !strings.HasPrefix(libs[0], "libwebkit2gtk-4.") {
		t.Fatalf("missing %v, %v", libs, err)
	}
}
