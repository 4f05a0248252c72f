// Package xmllint runs libxml2's xmllint for tests that compare the XSD
// check of Mezhved with the reference implementation.
package xmllint

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/mezhved/mezhved/internal/testtool"
)

// Require returns the path of xmllint. Without it the test fails when
// CI=true and is skipped elsewhere, naming the Debian package.
func Require(t testing.TB) string {
	t.Helper()
	return testtool.Require(t, "xmllint", "libxml2-utils")
}

// Valid runs `xmllint --noout --nonet --schema` on doc and reports whether
// it is valid, with xmllint's output.
func Valid(t testing.TB, xmllint string, schema, doc []byte) (bool, string) {
	t.Helper()
	dir := t.TempDir()
	sp, dp := filepath.Join(dir, "schema.xsd"), filepath.Join(dir, "doc.xml")
	if err := os.WriteFile(sp, schema, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dp, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", sp, dp).CombinedOutput()
	if _, exit := err.(*exec.ExitError); err != nil && !exit {
		t.Fatal(err)
	}
	return err == nil, string(out)
}
