package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The tests never read the machine's /etc/mezhved-region/region.conf (a
// package installed on the test machine must not change them).
func TestMain(m *testing.M) {
	os.Setenv(envConfig, "")
	os.Unsetenv("MEZHVED_REGION_STATE")
	os.Unsetenv("MEZHVED_REGION_DB")
	os.Exit(m.Run())
}

func TestSettingsFile(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	conf := filepath.Join(dir, "region.conf")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(conf, []byte(s), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	write("# comment\n\nstate = " + state + "\ndb =\nregion = Тестовая область\n")
	t.Setenv(envConfig, conf)
	if code, _, errs := call(t, "", "settlement", "add", "45612345", "Сельское поселение Тестовое"); code != 0 {
		t.Fatalf("add: %d %s", code, errs)
	}
	// The database went where the file says.
	if _, err := os.Stat(filepath.Join(state, "region.db")); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := call(t, "", "settlement", "list"); code != 0 || !strings.Contains(out, "Тестовое") {
		t.Fatalf("list: %d %s %s", code, out, errs)
	}
	// The environment wins over the file, a flag over both.
	other := filepath.Join(dir, "other")
	t.Setenv("MEZHVED_REGION_STATE", other)
	if code, out, _ := call(t, "", "settlement", "list"); code != 0 || strings.Contains(out, "Тестовое") {
		t.Fatalf("env: %d %s", code, out)
	}
	if code, out, _ := call(t, "", "settlement", "list", "--state", state); code != 0 || !strings.Contains(out, "Тестовое") {
		t.Fatalf("flag: %d %s", code, out)
	}
	t.Setenv("MEZHVED_REGION_STATE", "")

	for name, tc := range map[string]struct{ text, want string }{
		"unknown key": {"stat = /x\n", "строка 1: неизвестный ключ \"stat\""},
		"no equals":   {"# x\nstate /x\n", "строка 2: ожидается «ключ = значение»"},
		"twice":       {"db = a\ndb = b\n", "строка 2: ключ \"db\" задан дважды"},
		"empty key":   {"= x\n", "строка 1"},
		"too big":     {strings.Repeat("# "+strings.Repeat("x", 100)+"\n", 700), "больше 64 КБ"},
	} {
		t.Run(name, func(t *testing.T) {
			write(tc.text)
			code, out, errs := call(t, "", "settlement", "list")
			if code != 2 || out != "" || !strings.Contains(errs, tc.want) || !strings.Contains(errs, conf) {
				t.Fatalf("%d %q %q", code, out, errs)
			}
		})
	}
	t.Setenv(envConfig, filepath.Join(dir, "missing.conf"))
	if code, _, errs := call(t, "", "settlement", "list"); code != 2 || !strings.Contains(errs, "missing.conf") {
		t.Fatalf("named file missing: %d %s", code, errs)
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("state = /var/lib/x\ndb =\n# c\n"))
	f.Add([]byte("listen=0.0.0.0:8443\r\nregion = Край\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		conf, err := parseConfig(data)
		if err != nil {
			return
		}
		for k := range conf {
			if !configKeys[k] {
				t.Fatalf("unknown key %q accepted", k)
			}
		}
	})
}

// The state folder holds the region's CA key and database: it is narrowed
// to its owner even when it already existed wider.
func TestStateFolderMode(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	if err := os.Mkdir(state, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(state, 0o755)
	if code, _, errs := call(t, "", "settlement", "list", "--state", state); code != 0 {
		t.Fatalf("%d %s", code, errs)
	}
	for _, p := range []string{state, filepath.Join(state, "region.db")} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		want := os.FileMode(0o600)
		if fi.IsDir() {
			want = 0o700
		}
		if fi.Mode().Perm() != want {
			t.Fatalf("%s: %v, want %v", p, fi.Mode().Perm(), want)
		}
	}
}
