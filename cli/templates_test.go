package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/templates"
)

// runIn runs a command in-process through Run with dir as the data
// directory ($MEZHVED_DATA_DIR).
func runIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	t.Setenv("MEZHVED_DATA_DIR", dir)
	var out, errb bytes.Buffer
	code := Run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestTemplatesList(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runIn(t, dir, "templates", "list")
	if code != 0 || errs != "" {
		t.Fatalf("%d %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(templates.Builtin().List()) {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	for _, want := range []string{"egrn-object", "Выписка из ЕГРН об объекте недвижимости", "Росреестр", "3 working days", "training"} {
		if !strings.Contains(lines[0]+"\n"+out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	code, out, _ = runIn(t, dir, "templates", "list", "--json")
	var list []templates.Template
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != len(lines) || len(list[0].Fields) == 0 {
		t.Errorf("json: %d %.200s", code, out)
	}
	if code, out, _ := runIn(t, dir, "templates", "list", "extra"); code != 2 || out != "" {
		t.Errorf("extra argument: %d", code)
	}
}

func TestTemplatesImport(t *testing.T) {
	dir := t.TempDir()
	src, _ := os.ReadFile("../templates/builtin/fns-egrul.xml")
	good := strings.NewReplacer(`id="fns-egrul"`, `id="region-egrul"`, "<title>Выписка из ЕГРЮЛ", "<title>Выписка из ЕГРЮЛ (карта региона)").Replace(string(src))
	file := filepath.Join(t.TempDir(), "card.xml")
	os.WriteFile(file, []byte(strings.Replace(good, `type="inn-legal"`, `type="inn-legall"`, 1)), 0o644)
	code, out, errs := runIn(t, dir, "templates", "import", file)
	if code != 2 || out != "" || !strings.Contains(errs, "inn-legall") {
		t.Fatalf("invalid card: %d %q %s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "templates", "region-egrul.xml")); err == nil {
		t.Fatal("an invalid card was written")
	}
	os.WriteFile(file, []byte(good), 0o644)
	if code, out, errs := runIn(t, dir, "templates", "import", file); code != 0 || !strings.Contains(out, "region-egrul") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	if _, out, _ := runIn(t, dir, "templates", "list"); !strings.Contains(out, "карта региона") {
		t.Errorf("the imported card is not listed:\n%s", out)
	}
	if code, _, _ := runIn(t, filepath.Join(dir, "missing"), "templates", "import", file); code != 2 {
		t.Error("import into a missing data directory")
	}
}

// `compose --example` composes a real card's body from its examples, and
// `templates list --json` says which cards are on published schemas.
func TestComposeExampleAndPublished(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runIn(t, dir, "compose", "--template", "fns-egrul", "--example", "--today", "2026-03-02")
	if code != 0 || !strings.Contains(out, `<req:FNSVipULRequest xmlns:req="urn://x-artefacts-fns-vipul-tosmv-ru/311-14/4.0.6" ИдДок="`) {
		t.Fatalf("%d %s %s", code, out, errOut)
	}
	code, out, _ = runIn(t, dir, "templates", "list", "--json")
	var list []struct {
		ID, Title, Namespace, Root string
		Published, Training        bool
	}
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil {
		t.Fatalf("%d %.300s", code, out)
	}
	published := 0
	for _, c := range list {
		if c.Published == c.Training || c.Namespace == "" || c.Root == "" || c.Title == "" {
			t.Errorf("%+v", c)
		}
		if c.Published {
			published++
		}
	}
	if published < 12 {
		t.Errorf("%d published cards", published)
	}
}
