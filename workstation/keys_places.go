package workstation

import (
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// KeysDir is the folder of keys in the data directory (on Linux
// ~/.local/share/mezhved/keys): where a clerk or the administrator puts key
// files and containers for the picker to find.
func KeysDir(dataDir string) string { return filepath.Join(dataDir, "keys") }

// PlaceSearch finds the folders keys are looked for in, on a given system:
// tests point Root at a fake file tree (Linux paths under Root, Windows
// drives as Root/D, Root/E, …).
type PlaceSearch struct {
	Root    string
	GOOS    string
	Getenv  func(string) string
	User    string // the login name; "" is found from the system
	DataDir string
}

// KeyPlaces lists the folders of this computer: see PlaceSearch.Places.
func KeyPlaces(dataDir string) []KeyPlace {
	return PlaceSearch{GOOS: runtime.GOOS, Getenv: os.Getenv, DataDir: dataDir}.Places()
}

// Places lists, in this order: the keys folder of the data directory;
// CryptoPro CSP's own store of containers on disk (HDIMAGE, Linux:
// /var/opt/cprocsp/keys/<user>; on Windows CryptoPro keeps them in the
// registry, which only CryptoPro CSP reads: its keys are reached through
// its PKCS#11 library); removable drives (Linux: every mount point under
// /media, /media/<user> and /run/media/<user>; Windows: the drives D: to
// Z:), where CryptoPro writes containers as folders at the drive's root.
func (s PlaceSearch) Places() []KeyPlace {
	var out []KeyPlace
	addLocal := func(dir, where string) {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			out = append(out, KeyPlace{Dir: dir, Where: where})
		}
	}
	add := func(dir, where string) { addLocal(s.local(dir), where) }
	if s.DataDir != "" { // a path of this file system, never under Root
		addLocal(KeysDir(s.DataDir), "папка ключей Межведа")
	}
	name := s.user()
	if s.GOOS == "windows" {
		for d := 'D'; d <= 'Z'; d++ {
			add(string(d)+`:\`, "диск "+string(d)+":")
		}
		return out
	}
	if name != "" {
		add("/var/opt/cprocsp/keys/"+name, "хранилище КриптоПро на диске")
	}
	var mounts []string
	for _, parent := range []string{"/media", "/media/" + name, "/run/media/" + name} {
		if name == "" && parent != "/media" {
			continue
		}
		entries, err := os.ReadDir(s.local(parent))
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !e.IsDir() || (parent == "/media" && e.Name() == name) {
				continue
			}
			mounts = append(mounts, parent+"/"+e.Name())
		}
	}
	sort.Strings(mounts)
	for _, m := range mounts {
		add(m, "съёмный диск «"+filepath.Base(m)+"»")
	}
	return out
}

func (s PlaceSearch) user() string {
	if s.User != "" {
		return s.User
	}
	if s.Root != "" {
		return ""
	}
	for _, v := range []string{"USER", "LOGNAME", "USERNAME"} {
		if s.Getenv != nil {
			if u := s.Getenv(v); u != "" && !strings.ContainsAny(u, `/\`) {
				return u
			}
		}
	}
	if u, err := user.Current(); err == nil && !strings.ContainsAny(u.Username, `/\`) {
		return u.Username
	}
	return ""
}

// local maps a path of the searched system onto this file system.
func (s PlaceSearch) local(p string) string {
	if s.Root == "" {
		return p
	}
	p = strings.ReplaceAll(p, `\`, "/")
	if len(p) >= 2 && p[1] == ':' {
		p = p[:1] + p[2:]
	}
	return filepath.Join(s.Root, filepath.FromSlash(p))
}
