package keys

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// plant puts an empty file at a path of the searched system under root.
func plant(t *testing.T, s ModuleSearch, path string) {
	t.Helper()
	p := s.local(path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFindModulesEachPath: every usual path of every vendor, on Linux and
// on Windows, is found alone in a fake file tree, with its vendor.
func TestFindModulesEachPath(t *testing.T) {
	for _, m := range KnownModules() {
		for goos, paths := range map[string][]string{"linux": m.Linux, "windows": m.Windows} {
			if len(paths) == 0 {
				t.Errorf("%s: no %s paths", m.Vendor, goos)
			}
			for _, p := range paths {
				s := ModuleSearch{Root: t.TempDir(), GOOS: goos, Getenv: func(string) string { return "" }}
				full := s.expand(p)
				plant(t, s, full)
				got := s.Find(nil)
				if len(got) != 1 || got[0].Vendor != m.Vendor || got[0].Path != full || got[0].Training != m.Training {
					t.Errorf("%s %s: %+v", goos, p, got)
				}
			}
		}
	}
}

func TestFindModulesVendors(t *testing.T) {
	want := map[string]string{"Рутокен": "rtpkcs11ecp", "JaCarta": "jcpkcs11-2", "КриптоПро CSP": "cppkcs11", "Межвед: учебный токен": "mezhved-pkcs11"}
	for _, m := range KnownModules() {
		lib, ok := want[m.Vendor]
		if !ok {
			continue
		}
		delete(want, m.Vendor)
		for _, p := range append(append([]string{}, m.Linux...), m.Windows...) {
			if !strings.Contains(strings.ToLower(p), lib) {
				t.Errorf("%s: %s is not its library", m.Vendor, p)
			}
		}
	}
	if len(want) != 0 {
		t.Errorf("vendors missing: %v", want)
	}
}

// TestFindModulesOrder: an administrator's paths first, then the vendors
// in order; a link to a library already listed is not listed again;
// Windows variables are honoured; our module is found next to the program.
func TestFindModulesOrder(t *testing.T) {
	root := t.TempDir()
	s := ModuleSearch{Root: root, GOOS: "linux"}
	plant(t, s, "/opt/aktivco/rutokenecp/amd64/librtpkcs11ecp.so")
	os.MkdirAll(s.local("/usr/lib"), 0o755)
	if err := os.Symlink(s.local("/opt/aktivco/rutokenecp/amd64/librtpkcs11ecp.so"), s.local("/usr/lib/librtpkcs11ecp.so")); err != nil {
		t.Fatal(err)
	}
	plant(t, s, "/opt/cprocsp/lib/amd64/libcppkcs11.so")
	plant(t, s, "/srv/token/libvendor.so")
	s.ExeDir = "/opt/mezhved-app"
	plant(t, s, "/opt/mezhved-app/"+ownModuleFile())
	got := s.Find([]string{"/srv/token/libvendor.so", "/srv/token/missing.so"})
	var paths []string
	for _, m := range got {
		paths = append(paths, m.Vendor+" "+m.Path)
	}
	want := []string{" /srv/token/libvendor.so", "Рутокен /usr/lib/librtpkcs11ecp.so", "КриптоПро CSP /opt/cprocsp/lib/amd64/libcppkcs11.so",
		"Межвед: учебный токен " + filepath.Join("/opt/mezhved-app", ownModuleFile())}
	if strings.Join(paths, "\n") != strings.Join(want, "\n") {
		t.Fatalf("found:\n%s\nwant:\n%s", strings.Join(paths, "\n"), strings.Join(want, "\n"))
	}
	w := ModuleSearch{Root: t.TempDir(), GOOS: "windows", Getenv: func(k string) string {
		return map[string]string{"SystemRoot": `D:\WIN`}[k]
	}}
	plant(t, w, `D:\WIN\System32\jcPKCS11-2.dll`)
	if got := w.Find(nil); len(got) != 1 || got[0].Path != `D:\WIN\System32\jcPKCS11-2.dll` || got[0].Vendor != "JaCarta" {
		t.Fatalf("windows: %+v", got)
	}
}
