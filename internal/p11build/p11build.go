// Package p11build builds Mezhved's GOST PKCS#11 module (cmd/mezhved-pkcs11)
// for the tests that load it: once per test process, into the repository's
// ignored .cache/pkcs11/<hash>/, where <hash> covers the Go version, the
// platform and every source file the module is built from, so an unchanged
// module is reused by later runs and other packages without building.
//
// It needs a C compiler (cgo); without one the test fails under CI=true
// and is skipped elsewhere (internal/testtool).
package p11build

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mezhved/mezhved/internal/testtool"
)

// FileName is the module's file name on this platform.
func FileName() string {
	switch runtime.GOOS {
	case "windows":
		return "mezhved-pkcs11.dll"
	case "darwin":
		return "libmezhved-pkcs11.dylib"
	}
	return "libmezhved-pkcs11.so"
}

var (
	once    sync.Once
	built   string
	buildEr error
)

// Module returns the path of the module built from the current sources.
func Module(t testing.TB) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		testtool.Missing(t, "the go command is not on PATH: the PKCS#11 module cannot be built")
	}
	cc := goEnv(goTool, "CC")
	if cc == "" {
		cc = "gcc"
	}
	testtool.Require(t, strings.Fields(cc)[0], "gcc")
	once.Do(func() { built, buildEr = build(goTool) })
	if buildEr != nil {
		t.Fatalf("building cmd/mezhved-pkcs11: %v", buildEr)
	}
	return built
}

func goEnv(goTool, name string) string {
	out, err := exec.Command(goTool, "env", name).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func build(goTool string) (string, error) {
	gomod := goEnv(goTool, "GOMOD")
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("not inside the module")
	}
	root := filepath.Dir(gomod)
	sum, err := sourceHash(goTool, root)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, ".cache", "pkcs11", sum)
	out := filepath.Join(dir, FileName())
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	tmp := filepath.Join(dir, fmt.Sprintf(".build-%d-%s", os.Getpid(), FileName()))
	cmd := exec.Command(goTool, "build", "-buildmode=c-shared", "-o", tmp, "./cmd/mezhved-pkcs11")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%v\n%s", err, msg)
	}
	os.Remove(strings.TrimSuffix(tmp, filepath.Ext(tmp)) + ".h")
	if err := os.Rename(tmp, out); err != nil {
		return "", err
	}
	prune(filepath.Dir(dir), sum)
	return out, nil
}

// sourceHash hashes the Go version, the platform and the files of every
// non-standard package the module is built from.
func sourceHash(goTool, root string) (string, error) {
	cmd := exec.Command(goTool, "list", "-deps", "-f",
		`{{if not .Standard}}{{.Dir}}{{range .GoFiles}} {{.}}{{end}}{{range .CgoFiles}} {{.}}{{end}}{{range .CFiles}} {{.}}{{end}}{{range .HFiles}} {{.}}{{end}}{{end}}`,
		"./cmd/mezhved-pkcs11")
	cmd.Dir = root
	list, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list: %v", err)
	}
	h := sha256.New()
	fmt.Fprintln(h, runtime.Version(), runtime.GOOS, runtime.GOARCH, goEnv(goTool, "CC"))
	for _, line := range bytes.Split(bytes.TrimSpace(list), []byte("\n")) {
		f := strings.Fields(string(line))
		if len(f) == 0 {
			continue
		}
		for _, name := range f[1:] {
			if err := hashFile(h, filepath.Join(f[0], name)); err != nil {
				return "", err
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

func hashFile(h io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Fprintf(h, "%s\n", path)
	_, err = io.Copy(h, f)
	return err
}

// prune removes modules of older sources not touched for a day.
func prune(parent, keep string) {
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if e.Name() == keep || !e.IsDir() {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
			os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
}
