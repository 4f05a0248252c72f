package templates

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/calendar"
)

// retarget returns card t packed as another version of its kind of data:
// its namespace (in the card and every schema file) renamed and its card
// version set.
func retarget(t *testing.T, tp *Template, oldNS, newNS, version string) []byte {
	t.Helper()
	c := *tp
	c.raw = []byte(strings.ReplaceAll(string(tp.raw), oldNS, newNS))
	c.raw = bytes.Replace(c.raw, []byte(`version="1"`), []byte(`version="`+version+`"`), 1)
	files := map[string][]byte{}
	for p, b := range tp.Schemas.Files {
		files[p] = []byte(strings.ReplaceAll(string(b), oldNS, newNS))
	}
	set := *tp.Schemas
	set.Files = files
	c.Schemas = &set
	return c.Packed()
}

// A card upgraded to a newer version of its kind of data keeps the old one:
// the catalogue offers the new card, lists the old as earlier, and a
// document of the old version is still read with its own schema.
func TestEarlierVersionKept(t *testing.T) {
	tp, _ := Builtin().Get("fns-inn")
	ns := tp.DataType.Namespace
	oldNS := strings.Replace(ns, "4.0.1", "3.9.9", 1)
	dir, tmp := t.TempDir(), t.TempDir()
	src := filepath.Join(tmp, "card.xml")
	os.WriteFile(src, retarget(t, tp, ns, oldNS, "2"), 0o644)
	v2, err := Import(dir, src)
	if err != nil || v2.DataType.Namespace != oldNS {
		t.Fatalf("old version: %v %+v", err, v2)
	}
	oldBody, problems := v2.Compose(v2.Examples(), calendar.MustDate(2026, 12, 3))
	if len(problems) > 0 {
		t.Fatalf("compose: %v", problems)
	}

	os.WriteFile(src, retarget(t, tp, ns, ns, "3"), 0o644)
	if _, err := Import(dir, src); err != nil {
		t.Fatal(err)
	}
	// A fix of the same version of the kind of data keeps nothing.
	os.WriteFile(src, retarget(t, tp, ns, ns, "4"), 0o644)
	if _, err := Import(dir, src); err != nil {
		t.Fatal(err)
	}
	kept, _ := filepath.Glob(filepath.Join(dir, earlierDir, "*.xml"))
	if len(kept) != 1 || filepath.Base(kept[0]) != "fns-inn@2.xml" {
		t.Fatalf("kept %v", kept)
	}

	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	cur, _ := c.Get("fns-inn")
	if cur.Version != 4 || cur.DataType.Namespace != ns {
		t.Fatalf("current card v%d %s", cur.Version, cur.DataType.Namespace)
	}
	if e := c.Earlier("fns-inn"); len(e) != 1 || e[0].Version != 2 || e[0].DataType.Namespace != oldNS {
		t.Fatalf("earlier %+v", e)
	}
	if s := Describe(oldBody); len(s) == 0 {
		t.Fatal("a document of the earlier version is no longer read with its schema")
	}

	// A damaged or misnamed earlier card is refused with its name.
	os.WriteFile(filepath.Join(dir, earlierDir, "fns-inn@9.xml"), retarget(t, tp, ns, oldNS, "2"), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "fns-inn@9.xml") {
		t.Fatalf("misnamed earlier card: %v", err)
	}
}
