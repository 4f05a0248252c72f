package keys

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// ModuleInfo is a PKCS#11 library found on this computer.
type ModuleInfo struct {
	Vendor string // "Рутокен", "JaCarta", "КриптоПро CSP", …; "" for one an administrator added
	Path   string
	// Training marks a software token (Mezhved's own, SoftHSM): for the
	// training contour and tests, not a certified crypto tool (СКЗИ).
	Training bool
}

// KnownModule is a PKCS#11 library Mezhved looks for by itself, and where
// its vendor's installers put it (amd64). Linux paths are absolute;
// Windows paths start with %SystemRoot% or %ProgramFiles%.
type KnownModule struct {
	Vendor   string
	Linux    []string
	Windows  []string
	Training bool
	// FileName, when set, is also looked for next to the running program.
	FileName string
}

// knownModules: the vendors' own packages (Rutoken's deb puts the library
// under /opt/aktivco/rutokenecp/amd64 with a link in /usr/lib, its rpm under
// x86_64; JaCarta's packages in /usr/lib or /usr/lib64, ALT and Astra in a
// pkcs11 folder; CryptoPro CSP 5 in /opt/cprocsp/lib/amd64 and, on Windows,
// in its program folder), then the training tokens.
var knownModules = []KnownModule{
	{Vendor: "Рутокен", Linux: []string{
		"/usr/lib/librtpkcs11ecp.so",
		"/usr/lib/x86_64-linux-gnu/librtpkcs11ecp.so",
		"/usr/lib64/librtpkcs11ecp.so",
		"/opt/aktivco/rutokenecp/amd64/librtpkcs11ecp.so",
		"/opt/aktivco/rutokenecp/x86_64/librtpkcs11ecp.so",
	}, Windows: []string{`%SystemRoot%\System32\rtPKCS11ECP.dll`}},
	{Vendor: "JaCarta", Linux: []string{
		"/usr/lib/libjcPKCS11-2.so",
		"/usr/lib/x86_64-linux-gnu/libjcPKCS11-2.so",
		"/usr/lib64/libjcPKCS11-2.so",
		"/usr/lib/pkcs11/libjcPKCS11-2.so",
		"/usr/lib64/pkcs11/libjcPKCS11-2.so",
	}, Windows: []string{`%SystemRoot%\System32\jcPKCS11-2.dll`}},
	{Vendor: "КриптоПро CSP", Linux: []string{
		"/opt/cprocsp/lib/amd64/libcppkcs11.so",
	}, Windows: []string{`%ProgramFiles%\Crypto Pro\CSP\cppkcs11.dll`, `%SystemRoot%\System32\cppkcs11.dll`}},
	{Vendor: "Межвед: учебный токен", Training: true, FileName: ownModuleFile(), Linux: []string{
		"/usr/lib/mezhved/libmezhved-pkcs11.so",
		"/usr/local/lib/mezhved/libmezhved-pkcs11.so",
		"/opt/mezhved/libmezhved-pkcs11.so",
	}, Windows: []string{`%ProgramFiles%\Mezhved\mezhved-pkcs11.dll`}},
	{Vendor: "SoftHSM", Training: true, Linux: []string{
		"/usr/lib/softhsm/libsofthsm2.so",
		"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
	}, Windows: []string{`%ProgramFiles%\SoftHSM2\lib\softhsm2-x64.dll`}},
}

func ownModuleFile() string {
	if runtime.GOOS == "windows" {
		return "mezhved-pkcs11.dll"
	}
	return "libmezhved-pkcs11.so"
}

// KnownModules returns the libraries looked for and their usual paths.
func KnownModules() []KnownModule {
	out := make([]KnownModule, len(knownModules))
	copy(out, knownModules)
	return out
}

// FindModules returns the PKCS#11 libraries installed on this computer:
// those an administrator added (extra, in settings), then the known ones
// in their usual places and Mezhved's own next to the program. A library
// reached by several paths (a link) is listed once.
func FindModules(extra []string) []ModuleInfo {
	s := ModuleSearch{GOOS: runtime.GOOS, Getenv: os.Getenv}
	if exe, err := os.Executable(); err == nil {
		s.ExeDir = filepath.Dir(exe)
	}
	return s.Find(extra)
}

// ModuleSearch is FindModules over a given system: tests point Root at a
// fake file tree (Linux paths under Root, Windows ones as Root/C/...).
type ModuleSearch struct {
	Root   string // "" for the real file system
	GOOS   string
	Getenv func(string) string
	ExeDir string
}

// Find lists the libraries present, extra first.
func (s ModuleSearch) Find(extra []string) []ModuleInfo {
	var out []ModuleInfo
	var seen []os.FileInfo
	add := func(vendor, path string, training bool) {
		fi, err := os.Stat(s.local(path))
		if err != nil || !fi.Mode().IsRegular() {
			return
		}
		for _, o := range seen {
			if os.SameFile(o, fi) {
				return
			}
		}
		seen = append(seen, fi)
		out = append(out, ModuleInfo{Vendor: vendor, Path: path, Training: training})
	}
	for _, p := range extra {
		add("", p, false)
	}
	for _, m := range knownModules {
		paths := m.Linux
		if s.GOOS == "windows" {
			paths = m.Windows
		}
		for _, p := range paths {
			add(m.Vendor, s.expand(p), m.Training)
		}
		if m.FileName != "" && s.ExeDir != "" {
			add(m.Vendor, filepath.Join(s.ExeDir, m.FileName), m.Training)
		}
	}
	return out
}

// expand fills in %SystemRoot%, %ProgramFiles% and %ProgramFiles(x86)%.
func (s ModuleSearch) expand(p string) string {
	defaults := map[string]string{
		"SystemRoot": `C:\Windows`, "ProgramFiles": `C:\Program Files`, "ProgramFiles(x86)": `C:\Program Files (x86)`,
	}
	for name, def := range defaults {
		tag := "%" + name + "%"
		if !strings.Contains(p, tag) {
			continue
		}
		v := def
		if s.Getenv != nil {
			if e := s.Getenv(name); e != "" {
				v = e
			}
		}
		p = strings.ReplaceAll(p, tag, v)
	}
	return p
}

// local maps a path of the searched system onto this file system.
func (s ModuleSearch) local(p string) string {
	if s.Root == "" {
		return p
	}
	p = strings.ReplaceAll(p, `\`, "/")
	if len(p) >= 2 && p[1] == ':' {
		p = p[:1] + p[2:] // C:/Windows → C/Windows
	}
	return filepath.Join(s.Root, filepath.FromSlash(p))
}
