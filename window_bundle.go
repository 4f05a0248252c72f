//go:build bundle && linux

package main

// The shipped Linux binary is headless: subcommands start in milliseconds
// because nothing of GTK or WebKit is linked. The window program (the same
// sources built with Wails' tags) travels inside it, compressed; with no
// arguments it is unpacked once per version into the user's cache folder
// and takes over the process (exec). One file to install, two faces.

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/mezhved/mezhved/internal/fsutil"
)

//go:embed build/bin/mezhved-window.gz
var windowGz []byte

func runWindow() int {
	path, err := unpackWindow()
	if err != nil {
		fmt.Fprintf(os.Stderr, "mezhved: the window could not be prepared: %v\n", err)
		return 2
	}
	env := append(os.Environ(), envStarted+"="+strconv.FormatInt(processStart.UnixNano(), 10))
	err = syscall.Exec(path, []string{path}, env)
	fmt.Fprintf(os.Stderr, "mezhved: the window could not start (%s): %v\n", path, err)
	return 2
}

// unpackWindow returns the window program's path, unpacking it when it is
// missing or not the one this binary carries. It tries the user's cache
// folder, then the data folder's neighbour in the temporary directory.
func unpackWindow() (string, error) {
	sum := sha256.Sum256(windowGz)
	name := "mezhved-window-" + hex.EncodeToString(sum[:8])
	var dirs []string
	if d, err := os.UserCacheDir(); err == nil {
		dirs = append(dirs, filepath.Join(d, "mezhved"))
	}
	dirs = append(dirs, filepath.Join(os.TempDir(), fmt.Sprintf("mezhved-%d", os.Getuid())))
	var firstErr error
	for _, dir := range dirs {
		path := filepath.Join(dir, name)
		if ok, _ := sameProgram(path); ok {
			return path, nil
		}
		prog, err := gunzip(windowGz)
		if err != nil {
			return "", err // a damaged build: no folder helps
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			firstErr = firstOf(firstErr, err)
			continue
		}
		if err := fsutil.WriteFileAtomic(path, prog, 0o700); err != nil {
			firstErr = firstOf(firstErr, err)
			continue
		}
		os.WriteFile(path+".sha256", []byte(hex.EncodeToString(sha(prog))), 0o600)
		return path, nil
	}
	return "", firstErr
}

// sameProgram reports whether path holds the unpacked program whose
// checksum was recorded beside it (a changed or truncated file is unpacked
// again).
func sameProgram(path string) (bool, error) {
	want, err := os.ReadFile(path + ".sha256")
	if err != nil {
		return false, err
	}
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false, err
	}
	return hex.EncodeToString(h.Sum(nil)) == string(want), nil
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

func sha(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}

func firstOf(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
