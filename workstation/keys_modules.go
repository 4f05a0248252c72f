package workstation

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/mezhved/mezhved/domain"
)

// maxKeyModules bounds the libraries an administrator may add.
const maxKeyModules = 16

// KeyModules returns the PKCS#11 libraries the administrator added to
// those the picker finds by itself (keys.KnownModules).
func (w *Workstation) KeyModules(ctx context.Context) ([]string, error) {
	v, err := w.db.Setting(ctx, SettingKeyModules)
	if err != nil {
		return nil, err
	}
	out := lines(v)
	if out == nil {
		out = []string{}
	}
	return out, nil
}

// SetKeyModules keeps the PKCS#11 libraries the administrator adds (a
// token's or CryptoPro CSP's library installed somewhere unusual). Each
// must be an absolute path to an existing library file; every problem is
// named and nothing is saved then. The libraries are loaded only when the
// picker lists keys.
func (w *Workstation) SetKeyModules(ctx context.Context, paths []string) ([]string, error) {
	var ok, problems []string
	seen := map[string]bool{}
	for _, p := range paths {
		p = strings.TrimSpace(p)
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		if problem := checkModule(p); problem != "" {
			problems = append(problems, problem)
			continue
		}
		ok = append(ok, p)
	}
	if len(ok) > maxKeyModules {
		problems = append(problems, fmt.Sprintf("Не больше %d библиотек.", maxKeyModules))
	}
	if len(problems) > 0 {
		return nil, domain.Errorf(domain.EINVALID, "%s", strings.Join(problems, " "))
	}
	if err := w.db.SetSettings(ctx, map[string]string{SettingKeyModules: strings.Join(ok, "\n")}); err != nil {
		return nil, err
	}
	if ok == nil {
		ok = []string{}
	}
	return ok, nil
}

// checkModule names what is wrong with library path p ("" when nothing).
func checkModule(p string) string {
	if !filepath.IsAbs(p) {
		return p + ": укажите полный путь к библиотеке."
	}
	ext := strings.ToLower(filepath.Ext(p))
	if ext != ".so" && ext != ".dll" && ext != ".dylib" && !strings.Contains(filepath.Base(p), ".so.") {
		return p + ": это не библиотека PKCS#11 (ожидается файл .so или .dll)."
	}
	fi, err := os.Stat(p)
	switch {
	case err != nil:
		return p + ": файл не найден."
	case !fi.Mode().IsRegular():
		return p + ": это не файл."
	}
	return ""
}
