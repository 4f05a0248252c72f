// Package buildtags tests how the Makefile chooses Go build tags: after the
// install step, from what pkg-config reports then, never at parse time.
package buildtags

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/internal/testtool"
)

// fakePkgConfig makes a directory with a pkg-config that knows only mods.
func fakePkgConfig(t *testing.T, mods ...string) string {
	t.Helper()
	dir := t.TempDir()
	script := "#!/bin/sh\n# fake pkg-config: --exists MODULE\n[ \"$1\" = --exists ] || exit 1\ncase \"$2\" in\n"
	for _, m := range mods {
		script += "  " + m + ") exit 0 ;;\n"
	}
	script += "esac\nexit 1\n"
	if err := os.WriteFile(filepath.Join(dir, "pkg-config"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// makeDryRun runs `make -n build dev-binary` at the repository root with
// the fake pkg-config first on PATH.
func makeDryRun(t *testing.T, fakeDir string) (string, error) {
	t.Helper()
	testtool.Require(t, "make", "make")
	cmd := exec.Command("make", "-n", "--no-print-directory", "build", "dev-binary")
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "PATH="+fakeDir+":"+os.Getenv("PATH"), "MAKEFLAGS=", "PKG_CONFIG=")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

var tagsRe = regexp.MustCompile(`-tags (\S+) .*-o build/bin/(\S+)`)

// builtTags maps each output binary of the dry run to its -tags value.
func builtTags(out string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if g := tagsRe.FindStringSubmatch(line); g != nil {
			m[g[2]] = g[1]
		}
	}
	return m
}

func TestTagsFollowInstalledWebKit(t *testing.T) {
	cases := []struct {
		name string
		mods []string
		want map[string]string
	}{
		{"only webkit2gtk-4.1", []string{"webkit2gtk-4.1"}, map[string]string{
			"mezhved-window": "desktop,production,webkit2_41",
			"mezhved-dev":    "dev,webkit2_41",
			"mezhved":        "headless",
		}},
		{"webkit2gtk-4.0", []string{"webkit2gtk-4.0"}, map[string]string{
			"mezhved-window": "desktop,production",
			"mezhved-dev":    "dev",
			"mezhved":        "headless",
		}},
		{"both: 4.0 wins", []string{"webkit2gtk-4.0", "webkit2gtk-4.1"}, map[string]string{
			"mezhved-window": "desktop,production",
			"mezhved-dev":    "dev",
			"mezhved":        "headless",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := makeDryRun(t, fakePkgConfig(t, c.mods...))
			if err != nil {
				t.Fatalf("make -n: %v\n%s", err, out)
			}
			got := builtTags(out)
			if len(got) != len(c.want) {
				t.Fatalf("builds %v, want %v\n%s", got, c.want, out)
			}
			for bin, tags := range c.want {
				if got[bin] != tags {
					t.Errorf("%s: -tags %q, want %q\n%s", bin, got[bin], tags, out)
				}
			}
		})
	}
}

func TestNoWebKitStopsWithMessage(t *testing.T) {
	out, err := makeDryRun(t, fakePkgConfig(t))
	if err == nil {
		t.Fatalf("make -n succeeded without WebKitGTK:\n%s", out)
	}
	if !strings.Contains(out, "WebKitGTK development files not found") || !strings.Contains(out, "make deps") {
		t.Errorf("no clear message:\n%s", out)
	}
	if strings.Contains(out, "go build -tags desktop") {
		t.Errorf("a window build was still planned:\n%s", out)
	}
}

// The Makefile must not decide tags while it is parsed: a :=-assignment or
// a parse-time $(shell pkg-config …) would freeze them before `deps` runs.
func TestMakefileDecidesTagsLate(t *testing.T) {
	b, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "\t") || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if strings.Contains(line, "pkg-config") || regexp.MustCompile(`TAGS\s*:=`).MatchString(line) {
			t.Errorf("Makefile:%d decides build tags at parse time: %s", i+1, line)
		}
	}
}
