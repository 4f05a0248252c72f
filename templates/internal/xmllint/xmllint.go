// Package xmllint runs libxml2's xmllint for tests that compare the XSD
// check of Mezhved with the reference implementation.
package xmllint

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// Verdicts writes the schema set files (path → content) and docs into a
// temporary folder and runs xmllint once over all docs against the file
// main; it reports for each doc whether it is valid, and xmllint's output.
func Verdicts(t testing.TB, xmllint, main string, files map[string][]byte, docs [][]byte) ([]bool, string) {
	t.Helper()
	dir := t.TempDir()
	for p, data := range files {
		fp := filepath.Join(dir, "xsd", filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(fp), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(fp, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"--noout", "--nonet", "--schema", filepath.Join(dir, "xsd", filepath.FromSlash(main))}
	names := make([]string, len(docs))
	for i, d := range docs {
		names[i] = filepath.Join(dir, fmt.Sprintf("doc%04d.xml", i))
		if err := os.WriteFile(names[i], d, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command(xmllint, append(args, names...)...).CombinedOutput()
	if _, exit := err.(*exec.ExitError); err != nil && !exit {
		t.Fatal(err)
	}
	text := string(out)
	if strings.Contains(text, "failed to compile") {
		t.Fatalf("xmllint does not compile %s: %s", main, text)
	}
	res := make([]bool, len(docs))
	for i, n := range names {
		res[i] = strings.Contains(text, n+" validates\n")
	}
	return res, text
}
