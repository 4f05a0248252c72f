package xmldsig

import (
	"os"
	"os/exec"
	"testing"
)

// needTool returns the path of a Debian tool; without it the test fails in
// CI (naming the package to install) and is skipped locally.
func needTool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found: install the Debian package %s", name, pkg)
		}
		t.Skipf("%s not found (Debian package %s)", name, pkg)
	}
	return p
}
