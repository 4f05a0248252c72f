//go:build headless && windows

package main

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
)

// safeProgram refuses a window program that is not a regular file. The
// program's folder under Program Files (or the user's own folder for a
// per-user install) is protected by Windows' own permissions.
func safeProgram(path string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s не обычный файл: программа окна не запущена", path)
	}
	return nil
}

// handOver starts the window program and leaves it running: Windows has no
// exec.
func handOver(path string, env []string) error {
	cmd := exec.Command(path)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}

// missingLibraries: WebView2 comes with Windows 10 and 11, and the
// installer brings its bootstrapper.
func missingLibraries(string) ([]string, error) { return nil, nil }
