package xmldsig

import (
	"testing"

	"github.com/mezhved/mezhved/internal/testtool"
)

// needTool returns the path of a Debian tool; without it the test fails in
// CI (naming the package to install) and is skipped locally.
func needTool(t testing.TB, name, pkg string) string {
	t.Helper()
	return testtool.Require(t, name, pkg)
}
