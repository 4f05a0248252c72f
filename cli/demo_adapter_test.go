package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/internal/testtool"
	"github.com/mezhved/mezhved/workstation"
)

// The demo loop runs through a training adapter of the region: every
// request answered and verified, and every message exchanged with the
// adapter valid against the adapter's published schema (xmllint).
func TestDemoViaAdapter(t *testing.T) {
	xmllint := testtool.Require(t, "xmllint", "libxml2-utils")
	dump, data := t.TempDir(), t.TempDir()
	code, out, errs := run(t, nil, "demo", "--headless", "--via", "adapter", "--requests", "6", "--dump-dir", dump,
		"--data-dir", data, "--timeout", "120s")
	if code != 0 || !strings.Contains(out, "6/6 answered and verified") || !strings.Contains(out, "через адаптер СМЭВ региона") {
		t.Fatalf("demo: %d\n%s\n%s", code, out, errs)
	}
	files, _ := filepath.Glob(filepath.Join(dump, "adapter", "*.xml"))
	if len(files) < 12 {
		t.Fatalf("%d adapter messages dumped", len(files))
	}
	schema, _ := filepath.Abs("../training/adapter/xsd/smev-service-adapter-types.xsd")
	bodies := t.TempDir()
	checked := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if strings.Contains(s, "<soap:Body/>") {
			continue // an empty queue: nothing to validate
		}
		i, j := strings.Index(s, "<soap:Body>"), strings.LastIndex(s, "</soap:Body>")
		if i < 0 || j < i {
			t.Fatalf("%s: no SOAP body:\n%s", f, s)
		}
		body := s[i+len("<soap:Body>") : j]
		if strings.Contains(body, "Fault>") {
			continue // a SOAP fault: its detail is checked by the adapter's own tests
		}
		p := filepath.Join(bodies, filepath.Base(f))
		os.WriteFile(p, []byte(body), 0o600)
		if out, err := exec.Command(xmllint, "--noout", "--schema", schema, p).CombinedOutput(); err != nil {
			t.Errorf("%s is not valid against the adapter schema: %v\n%s\n%s", filepath.Base(f), err, out, body)
		}
		checked++
	}
	if checked < 12 {
		t.Fatalf("only %d messages checked", checked)
	}
	t.Logf("%d adapter messages valid", checked)

	// The request's page says the road, and who checked SMEV's signatures.
	code, out, errs = run(t, nil, "journal", "show", "--json", "--data-dir", data, "1")
	var tl workstation.Timeline
	if code != 0 || json.Unmarshal([]byte(out), &tl) != nil {
		t.Fatalf("journal show: %d %s %s", code, out, errs)
	}
	if tl.Via != workstation.ViaAdapter || tl.ViaTitle != "через адаптер СМЭВ региона" || len(tl.Replies) == 0 ||
		!strings.Contains(tl.Replies[0].CheckedBy, "адаптер СМЭВ региона") {
		t.Fatalf("page: via %q %q, replies %+v", tl.Via, tl.ViaTitle, tl.Replies)
	}
}

func TestDemoRefusesUnknownRoad(t *testing.T) {
	code, out, errs := run(t, nil, "demo", "--headless", "--via", "pigeon", "--requests", "1")
	if code != 2 || out != "" || !strings.Contains(errs, "pigeon") {
		t.Fatalf("%d %q %q", code, out, errs)
	}
}
