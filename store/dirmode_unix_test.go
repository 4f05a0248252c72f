//go:build unix

package store

import (
	"os"
	"path/filepath"
	"testing"
)

// An existing data folder that others could enter is closed to them when
// the journal opens; a shared sticky folder (as /tmp) is left alone.
func TestDataFolderIsOwnerOnly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mezhved")
	os.Mkdir(dir, 0o755)
	os.Chmod(dir, 0o755)
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Fatalf("data folder %v, want 0700", fi.Mode().Perm())
	}

	shared := filepath.Join(t.TempDir(), "shared")
	os.Mkdir(shared, 0o777)
	os.Chmod(shared, 0o777|os.ModeSticky)
	db, err = Open(shared, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if fi, _ := os.Stat(shared); fi.Mode().Perm() != 0o777 {
		t.Fatalf("a sticky shared folder was changed to %v", fi.Mode().Perm())
	}
	if fi, _ := os.Stat(filepath.Join(shared, FileName)); fi.Mode().Perm() != 0o600 {
		t.Fatalf("the journal in a shared folder is %v", fi.Mode().Perm())
	}
}
