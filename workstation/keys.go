package workstation

import (
	"context"
	"crypto/x509"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer/keys"
)

// The kinds of keys the picker lists.
const (
	KeyToken     = "token"     // a key on a PKCS#11 token (Рутокен, JaCarta, КриптоПро CSP, a training token)
	KeyContainer = "container" // a CryptoPro container folder
	KeyPFX       = "pfx"       // a PKCS#12 file
	KeyPEM       = "pem"       // a PEM or DER private key file
	KeyTraining  = "training"  // the training mode's key
)

// FoundKey is a key the picker shows: where it is, what it is, and its
// certificate when it can be read without the PIN or password.
type FoundKey struct {
	Kind  string
	Path  string // what keys.Open takes: a file, a container folder, a pkcs11: URI
	Label string // the token's and the certificate's labels, the container's name, the file's name
	Where string // where it was found, in Russian: «токен Рутокен «…»», «флешка KINGSTON», «папка ключей Межведа»
	// Cert is the key's certificate; nil when it is encrypted with the key
	// (most PFX files) and is seen once the key is opened.
	Cert *x509.Certificate
	// Note says what the clerk should know before the PIN: the certificate
	// comes after the password, the PIN is locked, the key is GOST 2001.
	Note string
	// Software: not a certified crypto tool (СКЗИ): files and containers
	// read by Mezhved itself, the training tokens.
	Software bool
	Training bool
	// Secret names what opening asks for: «PIN-код» or «пароль».
	Secret string
	// Protected: opening needs the secret (an unencrypted PEM does not).
	Protected bool
}

// KeyScan is what FindKeys found, and what it could not look into.
type KeyScan struct {
	Keys  []FoundKey
	Notes []string // in Russian: a driver that did not start, a token without certificates
}

// KeyPlace is a folder where keys are looked for.
type KeyPlace struct {
	Dir   string
	Where string // in Russian, for the clerk
}

// KeySearch says where FindKeys looks: the PKCS#11 libraries (nil: those
// keys.FindModules finds, with Extra first), the folders, and the files
// the clerk chose before.
type KeySearch struct {
	Modules []keys.ModuleInfo
	Extra   []string // libraries an administrator added
	Places  []KeyPlace
	Recent  []string
}

// maxPlaceEntries bounds what is read of one folder (a USB stick full of
// photos is not searched through).
const maxPlaceEntries = 400

// FindKeys lists every key found: tokens and their certificates (without
// login), CryptoPro containers and PFX/PEM key files in the places, and
// the files chosen before. Nothing asks for a PIN; nothing is written.
func FindKeys(s KeySearch) KeyScan {
	var scan KeyScan
	mods := s.Modules
	if mods == nil {
		mods = keys.FindModules(s.Extra)
	}
	for _, m := range mods {
		scan.addTokens(m)
	}
	seen := map[string]bool{}
	add := func(k FoundKey) {
		id := filepath.Clean(k.Path)
		if seen[id] {
			return
		}
		seen[id] = true
		scan.Keys = append(scan.Keys, k)
	}
	for _, p := range s.Places {
		for _, k := range scanPlace(p) {
			add(k)
		}
	}
	for _, path := range s.Recent {
		if k, err := DescribeKey(path, "выбран вручную"); err == nil {
			add(k)
		}
	}
	return scan
}

func (scan *KeyScan) addTokens(m keys.ModuleInfo) {
	vendor := m.Vendor
	if vendor == "" {
		vendor = filepath.Base(m.Path)
	}
	tokens, err := keys.ListTokens(m.Path)
	if err != nil {
		scan.Notes = append(scan.Notes, "Токены «"+vendor+"» не прочитаны: "+domain.ErrorMessage(err))
		return
	}
	for _, t := range tokens {
		where := "токен " + vendor
		if t.Label != "" {
			where += " «" + t.Label + "»"
		}
		if t.LabelShared {
			where += ", считыватель " + strconv.Itoa(int(t.Slot)+1)
		}
		if len(t.Certs) == 0 {
			scan.Notes = append(scan.Notes, "На "+strings.Replace(where, "токен", "токене", 1)+" нет сертификатов.")
			continue
		}
		for _, c := range t.Certs {
			k := FoundKey{Kind: KeyToken, Path: t.URI(c), Label: c.Label, Where: where, Cert: c.Cert,
				Software: m.Training, Training: m.Training, Secret: "PIN-код", Protected: true}
			if t.Locked {
				k.Note = "PIN-код токена заблокирован: обратитесь к администратору, он разблокирует токен PIN-кодом администратора."
			}
			scan.Keys = append(scan.Keys, k)
		}
	}
}

// scanPlace looks into a folder and its subfolders one level down for
// containers and key files.
func scanPlace(p KeyPlace) []FoundKey {
	var out []FoundKey
	budget := maxPlaceEntries
	var walk func(dir string, depth int)
	walk = func(dir string, depth int) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
		for _, e := range entries {
			if budget--; budget < 0 {
				return
			}
			name := e.Name()
			if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "$") {
				continue
			}
			path := filepath.Join(dir, name)
			if e.IsDir() {
				if _, ok := keys.ContainerDir(path); ok {
					if k, err := DescribeKey(path, p.Where); err == nil {
						out = append(out, k)
					}
				} else if depth > 0 {
					walk(path, depth-1)
				}
				continue
			}
			if !keyFileName(name) {
				continue
			}
			if k, err := DescribeKey(path, p.Where); err == nil {
				out = append(out, k)
			}
		}
	}
	walk(p.Dir, 1)
	return out
}

// keyFileName reports whether a file's name looks like a key's.
func keyFileName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".pfx", ".p12", ".key", ".pem":
		return true
	}
	return false
}

// DescribeKey reads what a key file, a container folder or a pkcs11: URI
// shows without its secret. where says where it is, in Russian.
func DescribeKey(path, where string) (FoundKey, error) {
	path = strings.TrimSpace(path)
	if path == "" {
		return FoundKey{}, domain.Errorf(domain.EINVALID, "Укажите файл ключа (.pfx, .p12, .pem), папку контейнера КриптоПро или токен.")
	}
	if keys.IsPKCS11URI(path) {
		if _, err := keys.ParsePKCS11URI(path); err != nil {
			return FoundKey{}, err
		}
		return FoundKey{Kind: KeyToken, Path: path, Label: path, Where: where, Secret: "PIN-код", Protected: true,
			Software: TrainingModule(path), Training: TrainingModule(path)}, nil
	}
	p, err := keys.Peek(path)
	if err != nil {
		return FoundKey{}, err
	}
	k := FoundKey{Path: p.Path, Label: filepath.Base(p.Path), Where: where, Software: true, Secret: "пароль", Protected: p.Protected}
	switch p.Format {
	case keys.FormatContainer:
		k.Kind, k.Secret = KeyContainer, "PIN-код"
		if p.Name != "" {
			k.Label = p.Name
		}
	case keys.FormatPKCS12:
		k.Kind = KeyPFX
	default:
		k.Kind = KeyPEM
	}
	if len(p.Certificates) > 0 {
		k.Cert = p.Certificates[0]
	}
	switch {
	case p.Legacy:
		k.Note = "Ключ ГОСТ Р 34.10-2001: с 2019 года им подписывать нельзя. Нужен ключ ГОСТ Р 34.10-2012."
	case k.Cert == nil && k.Kind == KeyPFX:
		k.Note = "Сертификат хранится в файле зашифрованным: он будет показан после ввода пароля."
	case k.Cert == nil:
		k.Note = "В файле нет сертификата: укажите файл сертификата этого ключа."
	}
	return k, nil
}

// TrainingModule reports whether a pkcs11: URI names a training token's
// library (Mezhved's own, SoftHSM): not a certified crypto tool.
func TrainingModule(uri string) bool {
	cfg, err := keys.ParsePKCS11URI(uri)
	if err != nil {
		return false
	}
	base := strings.ToLower(filepath.Base(cfg.Module))
	for _, m := range keys.KnownModules() {
		if !m.Training {
			continue
		}
		for _, p := range append(append([]string{m.FileName}, m.Linux...), m.Windows...) {
			if p != "" && strings.ToLower(filepath.Base(strings.ReplaceAll(p, `\`, "/"))) == base {
				return true
			}
		}
	}
	return false
}

// IsSoftwareKey reports whether a key at path is used by Mezhved itself
// rather than by a certified crypto tool (СКЗИ): every file and container,
// and the training tokens.
func IsSoftwareKey(path string) bool {
	return !keys.IsPKCS11URI(path) || TrainingModule(path)
}

// SoftwareKeyNote is what the clerk reads beside a software key.
const SoftwareKeyNote = "Программный ключ: Межвед подписывает им сам, это не сертифицированное средство криптографической защиты (СКЗИ). Для подписи, имеющей юридическую силу, нужен токен (Рутокен ЭЦП, JaCarta ГОСТ) или КриптоПро CSP."

// Settings of the picker in the journal (paths only, never a PIN).
const (
	SettingKeyModules = "keys.modules" // PKCS#11 libraries an administrator added, one a line
	SettingKeyRecent  = "keys.recent"  // keys the clerk chose by hand, one a line, newest first
)

// maxRecentKeys is how many keys chosen by hand the picker remembers.
const maxRecentKeys = 5

// KeySearch is where the picker of this workstation looks: the libraries
// the settings add, the folders of this computer (KeyPlaces) and the keys
// chosen before.
func (w *Workstation) KeySearch(ctx context.Context) KeySearch {
	mods, _ := w.db.Setting(ctx, SettingKeyModules)
	recent, _ := w.db.Setting(ctx, SettingKeyRecent)
	return KeySearch{Extra: lines(mods), Places: KeyPlaces(w.cfg.DataDir), Recent: lines(recent)}
}

// RememberKey puts a key chosen by hand (a file, a folder, a pkcs11: URI)
// first among those the picker lists next time.
func (w *Workstation) RememberKey(ctx context.Context, path string) error {
	v, err := w.db.Setting(ctx, SettingKeyRecent)
	if err != nil {
		return err
	}
	list := []string{path}
	for _, p := range lines(v) {
		if p != path && len(list) < maxRecentKeys {
			list = append(list, p)
		}
	}
	return w.db.SetSettings(ctx, map[string]string{SettingKeyRecent: strings.Join(list, "\n")})
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
