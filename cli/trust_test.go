package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTrustCommands(t *testing.T) {
	data := t.TempDir()
	code, out, _ := run(t, nil, "trust", "list", "--data-dir", data)
	// The six head CA roots are built in for production and test.
	if code != 0 || !strings.Contains(out, "production contour: 6 trust anchors") || !strings.Contains(out, "Минцифры России") ||
		!strings.Contains(out, "training contour: 0 trust anchors") || !strings.Contains(out, "not imported") {
		t.Fatalf("list: %d\n%s", code, out)
	}
	cert := filepath.Join(keysDir, "gost256.crt")
	if code, out, errs := run(t, nil, "trust", "add", "--contour", "test", "--data-dir", data, cert); code != 0 || !strings.Contains(out, "trusted in test contour") {
		t.Fatalf("add: %d %q %s", code, out, errs)
	}
	if _, out, _ := run(t, nil, "trust", "list", "--data-dir", data); !strings.Contains(out, "test contour: 7 trust anchors") || !strings.Contains(out, "production contour: 6") {
		t.Fatalf("after add:\n%s", out)
	}
	if st, err := os.Stat(filepath.Join(data, "trust", "anchors-test.pem")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("anchors file: %v %v", st, err)
	}
	if code, _, errs := run(t, nil, "trust", "remove", "--contour", "test", "--data-dir", data, cert); code != 0 {
		t.Fatalf("remove: %s", errs)
	}
	if _, out, _ := run(t, nil, "trust", "list", "--data-dir", data); !strings.Contains(out, "test contour: 6 trust anchors") {
		t.Fatalf("after remove:\n%s", out)
	}
	junk := filepath.Join(t.TempDir(), "junk.xml")
	os.WriteFile(junk, []byte(`<!DOCTYPE a [<!ENTITY x "y">]><АккредитованныеУдостоверяющиеЦентры/>`), 0o600)
	notCert := filepath.Join(t.TempDir(), "x.pem")
	os.WriteFile(notCert, []byte("not a certificate"), 0o600)
	for name, args := range map[string][]string{
		"no contour":     {"trust", "add", "--data-dir", data, cert},
		"bad contour":    {"trust", "add", "--contour", "prod", "--data-dir", data, cert},
		"no files":       {"trust", "add", "--contour", "test", "--data-dir", data},
		"not a cert":     {"trust", "add", "--contour", "test", "--data-dir", data, notCert},
		"missing file":   {"trust", "add", "--contour", "test", "--data-dir", data, filepath.Join(data, "nope.pem")},
		"hostile tsl":    {"trust", "import", "--data-dir", data, junk},
		"tsl not given":  {"trust", "import", "--data-dir", data},
		"crl not a crl":  {"trust", "crl", "--data-dir", data, notCert},
		"list with args": {"trust", "list", "--data-dir", data, "x"},
	} {
		t.Run(name, func(t *testing.T) {
			if code, out, errs := run(t, nil, args...); code != 2 || out != "" || errs == "" {
				t.Fatalf("exit %d stdout %q stderr %q", code, out, errs)
			}
		})
	}
	// Nothing of the refused commands stayed.
	if _, out, _ := run(t, nil, "trust", "list", "--data-dir", data); !strings.Contains(out, "test contour: 6 trust anchors") || !strings.Contains(out, "not imported") {
		t.Fatalf("after refusals:\n%s", out)
	}
}
