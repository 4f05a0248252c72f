//go:build headless

package main

// The headless build of mezhved (tag headless) links no GTK or WebKit, so
// its subcommands start in milliseconds. Without arguments it hands over to
// the window program, mezhved-window, installed beside it by the same
// package: the .deb puts both in /usr/lib/mezhved, the Windows installer in
// the program's folder. Nothing is unpacked or written anywhere.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// windowProgram is the window program's file name beside this one.
func windowProgram() string {
	if runtime.GOOS == "windows" {
		return "mezhved-window.exe"
	}
	return "mezhved-window"
}

// windowVariants are the window programs a package may carry, in order of
// preference: the Linux package carries one built on WebKitGTK 4.0 (Debian
// 12, Astra 1.8) and one on 4.1 (where 4.0 is gone); the first whose
// libraries the system has is run.
func windowVariants() []string {
	if runtime.GOOS == "windows" {
		return []string{"mezhved-window.exe"}
	}
	return []string{"mezhved-window", "mezhved-window-webkit41"}
}

func runWindow() int {
	path, err := findWindow()
	if err != nil {
		fmt.Fprintf(os.Stderr, "mezhved: %v\n", err)
		return 2
	}
	env := append(os.Environ(), envStarted+"="+strconv.FormatInt(processStart.UnixNano(), 10))
	if err := handOver(path, env); err != nil {
		fmt.Fprintf(os.Stderr, "mezhved: окно программы не открылось (%s): %v\n", path, err)
		return 2
	}
	return 0
}

// findWindow returns the window program that lies beside this executable
// (symbolic links to it resolved), after checking that it is a plain file
// nobody but its owner can change, so that no other user could have put it
// there.
func findWindow() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("не удалось узнать, где установлена программа: %w", err)
	}
	if s, err := filepath.EvalSymlinks(self); err == nil {
		self = s
	}
	return findWindowIn(filepath.Dir(self), self)
}

// findWindowIn looks for the window program in dir; self names the
// program asking, for the message.
func findWindowIn(dir, self string) (string, error) {
	var missing []string
	found := false
	for _, name := range windowVariants() {
		path := filepath.Join(dir, name)
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		found = true
		if err := safeProgram(path, fi); err != nil {
			return "", err
		}
		libs, err := missingLibraries(path)
		if err != nil {
			return "", err
		}
		if len(libs) == 0 {
			return path, nil
		}
		missing = append(missing, libs...)
	}
	if !found {
		return "", fmt.Errorf("программа окна %s не найдена рядом с %s: установите пакет Межвед заново", windowProgram(), self)
	}
	return "", fmt.Errorf("для окна не хватает библиотек системы (%s): установите пакет Межвед заново через менеджер пакетов, он доставит их", strings.Join(missing, ", "))
}
