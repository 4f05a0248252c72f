package app

import (
	"os/exec"
	"strings"
	"testing"
)

// The clerk's binary (the module's root package) links the workstation's
// side of the region, region/regionsync, and never the regional server:
// not package region, not pgx, not the dashboard.
func TestClerkBinaryDoesNotLinkTheRegionalServer(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	const root = "github.com/mezhved/mezhved"
	for _, tags := range []string{"", "headless"} {
		cmd := exec.Command(gobin, "list", "-deps", "-tags", tags, root)
		cmd.Dir = ".."
		out, err := cmd.CombinedOutput()
		if err != nil {
			if tags != "" {
				t.Logf("go list -tags %q: %v (not checked)\n%s", tags, err, out)
				continue
			}
			t.Fatalf("go list -deps %s: %v\n%s", root, err, out)
		}
		deps := strings.Fields(string(out))
		found := false
		for _, p := range deps {
			switch {
			case p == root+"/region/regionsync":
				found = true
			case p == root+"/region", strings.HasPrefix(p, root+"/region/") && p != root+"/region/regionsync":
				t.Errorf("tags %q: the clerk's binary links %s", tags, p)
			case strings.HasPrefix(p, "github.com/jackc/pgx"):
				t.Errorf("tags %q: the clerk's binary links %s", tags, p)
			}
		}
		if !found {
			t.Errorf("tags %q: %s is not among the dependencies of %s: the check lists the wrong thing", tags, root+"/region/regionsync", root)
		}
	}
}
