package fsutil

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "a.xml")
	if err := WriteFileAtomic(path, []byte("one"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(path, []byte("two"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	entries, _ := os.ReadDir(filepath.Dir(path))
	if string(b) != "two" || len(entries) != 1 {
		t.Fatalf("content %q, %d files (temporary left behind?)", b, len(entries))
	}
	// A path whose directory is a file fails and writes nothing.
	if err := WriteFileAtomic(filepath.Join(path, "x"), []byte("x"), 0o644); err == nil {
		t.Fatal("wrote under a file")
	}
	if b, _ := os.ReadFile(path); string(b) != "two" {
		t.Fatal("the existing file changed")
	}
}
