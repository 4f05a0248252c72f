//go:build headless && !windows

package main

import (
	"debug/elf"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// safeProgram refuses a window program that is not a regular file, or that
// a user other than root and the one running us owns, or that its group or
// others may write: such a file could be someone else's program.
func safeProgram(path string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s не обычный файл: программа окна не запущена", path)
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("%s могут изменить другие пользователи (права %v): программа окна не запущена; установите пакет Межвед заново", path, fi.Mode().Perm())
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid != 0 && int(st.Uid) != os.Getuid() {
		return fmt.Errorf("%s принадлежит другому пользователю (uid %d): программа окна не запущена", path, st.Uid)
	}
	return nil
}

// handOver replaces this process with the window program.
func handOver(path string, env []string) error {
	return syscall.Exec(path, []string{path}, env)
}

// libraryDirs are where Debian-based systems keep shared libraries.
var libraryDirs = []string{"/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib"}

// missingLibraries lists the WebKitGTK libraries the window program at path
// was linked against that the system lacks (the other libraries come with
// WebKitGTK). A program that is not ELF (another system) needs nothing
// this can check.
func missingLibraries(path string) ([]string, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	libs, err := f.ImportedLibraries()
	if err != nil {
		return nil, fmt.Errorf("%s повреждён: %w", path, err)
	}
	var missing []string
	for _, lib := range libs {
		if !strings.HasPrefix(lib, "libwebkit2gtk-") && !strings.HasPrefix(lib, "libjavascriptcoregtk-") {
			continue
		}
		if !haveLibrary(lib) {
			missing = append(missing, lib)
		}
	}
	return missing, nil
}

func haveLibrary(name string) bool {
	for _, d := range libraryDirs {
		if _, err := os.Stat(filepath.Join(d, name)); err == nil {
			return true
		}
	}
	return false
}
