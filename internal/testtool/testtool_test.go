package testtool

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The gate is run in a child test process, since Fatal and Skip end the
// test that calls them: with CI=true a missing tool fails, without it skips.
func TestMissingToolFailsInCIAndSkipsElsewhere(t *testing.T) {
	if os.Getenv("TESTTOOL_CHILD") == "1" {
		Require(t, "mezhved-no-such-tool", "no-such-package")
		t.Fatal("Require returned for a missing tool")
	}
	for _, c := range []struct {
		ci       string
		wantFail bool
		want     string
	}{{"true", true, "--- FAIL"}, {"", false, "--- SKIP"}, {"false", false, "--- SKIP"}} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMissingToolFailsInCIAndSkipsElsewhere$", "-test.v")
		cmd.Env = append(os.Environ(), "TESTTOOL_CHILD=1", "CI="+c.ci)
		out, err := cmd.CombinedOutput()
		if (err != nil) != c.wantFail || !strings.Contains(string(out), c.want) {
			t.Errorf("CI=%q: err %v, want fail %v, output:\n%s", c.ci, err, c.wantFail, out)
		}
		if !strings.Contains(string(out), "install the Debian package no-such-package") {
			t.Errorf("CI=%q: the message does not name the package:\n%s", c.ci, out)
		}
	}
}

func TestRequireFindsATool(t *testing.T) {
	if p := Require(t, "sh", "dash"); !strings.HasSuffix(p, "/sh") {
		t.Fatalf("Require(sh) = %q", p)
	}
	if p := RequireFile(t, "/", "the root folder"); p != "/" {
		t.Fatalf("RequireFile(/) = %q", p)
	}
}
