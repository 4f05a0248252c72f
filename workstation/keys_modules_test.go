package workstation_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/workstation"
)

// The administrator's PKCS#11 libraries are checked before they are kept,
// and the picker searches them.
func TestKeyModulesSetting(t *testing.T) {
	ws, err := workstation.Open(workstation.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ctx := context.Background()
	lib := filepath.Join(t.TempDir(), "librtpkcs11ecp.so")
	os.WriteFile(lib, []byte("\x7fELF"), 0o644)
	_, err = ws.SetKeyModules(ctx, []string{lib, "relative.so", "/nonexistent/libx.so", t.TempDir() + "/notes.txt"})
	for _, want := range []string{"relative.so: укажите полный путь", "/nonexistent/libx.so: файл не найден", "notes.txt: это не библиотека"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("no %q in %v", want, err)
		}
	}
	if got, _ := ws.KeyModules(ctx); len(got) != 0 {
		t.Fatalf("a refused list was kept: %q", got)
	}
	got, err := ws.SetKeyModules(ctx, []string{" " + lib + " ", lib, ""})
	if err != nil || len(got) != 1 || got[0] != lib {
		t.Fatalf("%q %v", got, err)
	}
	if s := ws.KeySearch(ctx); len(s.Extra) != 1 || s.Extra[0] != lib {
		t.Fatalf("the picker does not search it: %+v", s.Extra)
	}
	if got, err := ws.SetKeyModules(ctx, nil); err != nil || len(got) != 0 {
		t.Fatalf("clearing: %q %v", got, err)
	}
}
