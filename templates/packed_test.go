package templates

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A real card travels alone with its schema files inside (what the region
// publishes); Import takes it, and refuses one whose schema does not
// compile.
func TestPackedCardImport(t *testing.T) {
	tp, _ := Builtin().Get("fns-inn")
	packed := tp.Packed()
	if !bytes.Contains(packed, []byte(`<file path="supplementary/fns-common-types.xsd">`)) {
		t.Fatalf("not packed: %.300s", packed)
	}
	packed = bytes.Replace(packed, []byte(`version="1"`), []byte(`version="7"`), 1)
	dir, src := t.TempDir(), filepath.Join(t.TempDir(), "card.xml")
	os.WriteFile(src, packed, 0o644)
	got, err := Import(dir, src)
	if err != nil || got.Version != 7 || got.Schemas == nil || len(got.Schemas.Files) != 3 {
		t.Fatalf("%v %+v", err, got)
	}
	broken := strings.Replace(string(tp.Packed()), `<file path="30017.xsd">`, `<file path="30017.xsd">PHg+`, 1) // not a schema any more
	os.WriteFile(src, []byte(strings.Replace(broken, `version="1"`, `version="8"`, 1)), 0o644)
	if _, err := Import(dir, src); err == nil || !strings.Contains(err.Error(), "схема") {
		t.Fatalf("a card whose schema does not compile: %v", err)
	}
}
