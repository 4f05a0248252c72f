// Package testtool is the one gate for tests that need something from
// outside Go: a Debian tool, a file a package installs, a service. When it is
// missing, the test fails under CI=true (CI must never pass by skipping) and
// is skipped elsewhere; either way the message names what to install.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// InCI reports whether tests run in CI (CI=true), where nothing may skip
// for want of a tool.
func InCI() bool { return os.Getenv("CI") == "true" }

// Missing fails the test in CI and skips it elsewhere, with msg.
func Missing(t testing.TB, msg string) {
	t.Helper()
	if InCI() {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// Require returns the path of the program name, installed by the Debian
// package pkg; missing, see Missing.
func Require(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, name+" is missing: install the Debian package "+pkg+" (make deps does)")
	}
	return p
}

// RequireFile returns path if it exists; missing, see Missing (what names
// the thing and the package that brings it).
func RequireFile(t testing.TB, path, what string) string {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		Missing(t, what+" is missing ("+path+")")
	}
	return path
}

// Env returns the environment variable name; empty, see Missing (hint says
// how to set it).
func Env(t testing.TB, name, hint string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		Missing(t, name+" is not set: "+hint)
	}
	return v
}
