// Package ossltest runs the openssl command line tool with OpenSSL's GOST
// engine loaded, for cross-checks in tests.
//
// The engine is loaded through a generated OPENSSL_CONF (engine "gost",
// default_algorithms ALL), so every openssl subcommand sees the GOST
// algorithms, including those without an -engine flag.
//
// When openssl or the engine is missing the test is skipped with a message
// naming the Debian package; when CI=true it fails instead.
package ossltest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/mezhved/mezhved/internal/testtool"
)

// Package is the Debian package that provides the engine.
const Package = "libengine-gost-openssl"

// OpenSSL runs openssl with the GOST engine.
type OpenSSL struct {
	Bin  string // path of the openssl binary
	Conf string // the generated OPENSSL_CONF
	Dir  string // a temporary directory for the test's files
	t    testing.TB
}

var (
	probeOnce sync.Once
	probeErr  error
	probeBin  string
	probeSO   string
)

func probe() {
	bin, err := exec.LookPath("openssl")
	if err != nil {
		probeErr = fmt.Errorf("openssl not found in PATH")
		return
	}
	probeBin = bin
	out, err := exec.Command(bin, "version", "-e").Output()
	if err != nil {
		probeErr = fmt.Errorf("openssl version -e: %v", err)
		return
	}
	m := regexp.MustCompile(`ENGINESDIR: "([^"]*)"`).FindSubmatch(out)
	var candidates []string
	if m != nil {
		candidates = append(candidates, filepath.Join(string(m[1]), "gost.so"))
	}
	candidates = append(candidates,
		"/usr/lib/x86_64-linux-gnu/engines-3/gost.so",
		"/usr/lib/aarch64-linux-gnu/engines-3/gost.so",
		"/usr/lib/engines-3/gost.so")
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			probeSO = c
			return
		}
	}
	probeErr = fmt.Errorf("OpenSSL GOST engine (gost.so) not found")
}

// Require returns an OpenSSL with the GOST engine or skips (locally) or
// fails (CI=true) the test.
func Require(t testing.TB) *OpenSSL {
	t.Helper()
	probeOnce.Do(probe)
	if probeErr == nil {
		dir := t.TempDir()
		o := &OpenSSL{Bin: probeBin, Conf: filepath.Join(dir, "openssl-gost.cnf"), Dir: dir, t: t}
		conf := "openssl_conf = openssl_def\n\n[openssl_def]\nengines = engine_section\n\n" +
			"[engine_section]\ngost = gost_section\n\n[gost_section]\nengine_id = gost\n" +
			"dynamic_path = " + probeSO + "\ndefault_algorithms = ALL\n"
		if err := os.WriteFile(o.Conf, []byte(conf), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := o.Run(nil, "dgst", "-md_gost12_256")
		if err == nil && bytes.Contains(out, []byte("3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb")) {
			return o
		}
		probeErr = fmt.Errorf("the GOST engine does not work: %v %s", err, out)
	}
	testtool.Missing(t, missingMsg(probeErr))
	return nil
}

// missingMsg says what is missing and names the Debian package; whether the
// test then fails or skips is testtool's decision (it fails under CI=true).
func missingMsg(err error) string {
	return fmt.Sprintf("%v: install the Debian packages openssl and %s", err, Package)
}

// Run runs openssl with args, stdin as input, and returns stdout. On failure
// the error includes stderr.
func (o *OpenSSL) Run(stdin []byte, args ...string) ([]byte, error) {
	cmd := exec.Command(o.Bin, args...)
	cmd.Env = append(os.Environ(), "OPENSSL_CONF="+o.Conf)
	cmd.Dir = o.Dir
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	} else {
		cmd.Stdin = bytes.NewReader(nil)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		return stdout.Bytes(), fmt.Errorf("openssl %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.Bytes(), nil
}

// MustRun is Run that fails the test on error.
func (o *OpenSSL) MustRun(stdin []byte, args ...string) []byte {
	o.t.Helper()
	out, err := o.Run(stdin, args...)
	if err != nil {
		o.t.Fatal(err)
	}
	return out
}

// Path returns the path of name inside the test's directory.
func (o *OpenSSL) Path(name string) string { return filepath.Join(o.Dir, name) }

// WriteFile writes a file into the test's directory and returns its path.
func (o *OpenSSL) WriteFile(name string, data []byte) string {
	o.t.Helper()
	p := o.Path(name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		o.t.Fatal(err)
	}
	return p
}

// ReadFile reads a file from the test's directory.
func (o *OpenSSL) ReadFile(name string) []byte {
	o.t.Helper()
	b, err := os.ReadFile(o.Path(name))
	if err != nil {
		o.t.Fatal(err)
	}
	return b
}
