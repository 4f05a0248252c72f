package workstation_test

import (
	"context"
	"crypto/x509"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/internal/testtokens"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/trust"
	"github.com/mezhved/mezhved/workstation"
)

// The certificates on the test tokens are valid in 2026–2027; the clocks
// of these tests stand inside that time (nothing depends on today).
var (
	tokenFrom = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tokenTo   = time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)
	inside    = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
)

// twoTokens are the tokens of these tests: the clerk's, and a second one
// with two certificates, one of them without its key.
func twoTokens(t *testing.T) testtokens.Made {
	return testtokens.Make(t, tokenFrom, tokenTo,
		testtokens.Token{Label: "Рутокен Ивановой", Keys: []testtokens.Key{
			{Label: "Иванова М. П.", ID: 0x01, Owner: "Иванова Мария Петровна", Org: "Администрация Берёзовского сельсовета", SNILS: "11223344595", OGRN: "1025000000001"},
		}},
		testtokens.Token{Label: "второй", Keys: []testtokens.Key{
			{Label: "Петров", ID: 0x11, Owner: "Петров Пётр Петрович", Org: "Администрация Берёзовского сельсовета"},
			{Label: "без ключа", ID: 0x12, Owner: "Сидоров Сидор Сидорович", Orphan: true},
		}},
	)
}

func repo(parts ...string) string { return filepath.Join(append([]string{".."}, parts...)...) }

// copyDir copies a fixture folder (a CryptoPro container) into dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestFindKeys lists two tokens (certificates read without login), a
// CryptoPro container on a USB stick, a PFX and a PEM key in the user's
// folder, and a key chosen by hand; then every listed token key opens by
// its URI with the PIN and signs.
func TestFindKeys(t *testing.T) {
	made := twoTokens(t)
	root := t.TempDir()
	stick := filepath.Join(root, "media", "clerk", "KINGSTON")
	copyDir(t, repo("gost", "testdata", "keys", "cryptopro", "kovserg-g2012256", "g2012256.000"), filepath.Join(stick, "g2012256.000"))
	copyFile(t, repo("gost", "testdata", "keys", "made-here", "mh-gost2012-256-gost89-streebog256mac.pfx"), filepath.Join(stick, "ключи", "clerk.pfx"))
	os.WriteFile(filepath.Join(stick, "photo.jpg"), []byte("not a key"), 0o600)
	data := t.TempDir()
	copyFile(t, repo("signer", "keys", "testdata", "rsa-both.pem"), filepath.Join(workstation.KeysDir(data), "rsa-both.pem"))
	copyFile(t, repo("signer", "keys", "testdata", "gost256.crt"), filepath.Join(workstation.KeysDir(data), "gost256.crt")) // a certificate: not listed
	hand := filepath.Join(t.TempDir(), "gost256.pfx")
	copyFile(t, repo("signer", "keys", "testdata", "gost256.pfx"), hand)

	places := workstation.PlaceSearch{Root: root, GOOS: "linux", User: "clerk", DataDir: data}.Places()
	if len(places) != 2 || places[0].Where != "папка ключей Межведа" || places[1].Where != "съёмный диск «KINGSTON»" {
		t.Fatalf("places: %+v", places)
	}
	scan := workstation.FindKeys(workstation.KeySearch{Modules: []keys.ModuleInfo{{Vendor: "Межвед: учебный токен", Path: made.Module, Training: true}},
		Places: places, Recent: []string{hand, "/nonexistent/gone.pfx"}})
	byLabel := map[string]workstation.FoundKey{}
	for _, k := range scan.Keys {
		byLabel[k.Label] = k
	}
	if len(scan.Keys) != 7 {
		t.Fatalf("%d keys: %+v", len(scan.Keys), scan.Keys)
	}
	clerk := byLabel["Иванова М. П."]
	if clerk.Kind != workstation.KeyToken || clerk.Cert == nil || clerk.Cert.Subject.CommonName != "Иванова Мария Петровна" ||
		!strings.Contains(clerk.Where, "Рутокен Ивановой") || !clerk.Software || clerk.Secret != "PIN-код" {
		t.Fatalf("clerk: %+v", clerk)
	}
	if k := byLabel["g2012256"]; k.Kind != workstation.KeyContainer || k.Cert == nil || k.Cert.Subject.CommonName != "user" || k.Where != "съёмный диск «KINGSTON»" {
		t.Fatalf("container: %+v", k)
	}
	if k := byLabel["clerk.pfx"]; k.Kind != workstation.KeyPFX || k.Cert != nil || !strings.Contains(k.Note, "после ввода пароля") || k.Secret != "пароль" {
		t.Fatalf("pfx: %+v", k)
	}
	if k := byLabel["rsa-both.pem"]; k.Kind != workstation.KeyPEM || k.Cert == nil || k.Protected {
		t.Fatalf("pem: %+v", k)
	}
	if k := byLabel["gost256.pfx"]; k.Where != "выбран вручную" {
		t.Fatalf("chosen by hand: %+v", k)
	}
	for _, label := range []string{"Иванова М. П.", "Петров"} {
		k, err := keys.Open(byLabel[label].Path, "", []byte(testtokens.PIN))
		if err != nil {
			t.Fatalf("%s (%s): %v", label, byLabel[label].Path, err)
		}
		sig, err := k.SignData([]byte("<SignedInfo/>"))
		pub := k.Public().(*gost3410.PublicKey)
		h := pub.Curve.NewHash()
		h.Write([]byte("<SignedInfo/>"))
		if err != nil || !gost3410.VerifyDigest(pub, h.Sum(nil), sig) || k.Certificate().Subject.CommonName != byLabel[label].Cert.Subject.CommonName {
			t.Fatalf("%s: %v", label, err)
		}
		k.Close()
	}
	// The certificate without its key is listed; opening it says so.
	if _, err := keys.Open(byLabel["без ключа"].Path, "", []byte(testtokens.PIN)); err == nil || !strings.Contains(domain.ErrorMessage(err), "нет его закрытого ключа") {
		t.Fatalf("orphan: %v", err)
	}
	// A wrong PIN is the token's message, not a crash.
	if _, err := keys.Open(clerk.Path, "", []byte("0000")); err == nil || !strings.Contains(domain.ErrorMessage(err), "Неверный PIN-код токена") {
		t.Fatalf("wrong PIN: %v", err)
	}
}

// TestKeyPlacesWindows finds removable drives by their letters.
func TestKeyPlacesWindows(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"C", "E", "F"} {
		os.MkdirAll(filepath.Join(root, d), 0o700)
	}
	places := workstation.PlaceSearch{Root: root, GOOS: "windows", User: "clerk"}.Places()
	if len(places) != 2 || places[0].Where != "диск E:" || places[1].Dir != filepath.Join(root, "F") {
		t.Fatalf("%+v", places)
	}
	// Linux: the mount points of /media, /media/<user> and /run/media/<user>,
	// CryptoPro's store on disk.
	for _, d := range []string{"media/OLDSTICK", "media/clerk/NEW", "run/media/clerk/CARD", "var/opt/cprocsp/keys/clerk"} {
		os.MkdirAll(filepath.Join(root, d), 0o700)
	}
	var where []string
	for _, p := range (workstation.PlaceSearch{Root: root, GOOS: "linux", User: "clerk"}).Places() {
		where = append(where, p.Where)
	}
	if got := strings.Join(where, "|"); got != "хранилище КриптоПро на диске|съёмный диск «OLDSTICK»|съёмный диск «NEW»|съёмный диск «CARD»" {
		t.Fatalf("%s", got)
	}
}

// TestDescribeKeyRefusals names what is wrong with a file chosen by hand.
func TestDescribeKeyRefusals(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ path, want string }{
		{repo("signer", "keys", "testdata", "gost256.crt"), "файл сертификата, а не ключа"},
		{repo("signer", "keys", "testdata", "notakey.txt"), "не является ключом"},
		{dir, "нет контейнера КриптоПро"},
		{filepath.Join(dir, "нет.pfx"), "не найден"},
		{"pkcs11:token=x", "не указан ключ"},
	} {
		if _, err := workstation.DescribeKey(c.path, ""); err == nil || !strings.Contains(domain.ErrorMessage(err), c.want) {
			t.Errorf("%s: %v", c.path, err)
		}
	}
	// An encrypted PEM without its certificate asks for the certificate file.
	k, err := workstation.DescribeKey(repo("gost", "testdata", "keys", "made-here", "mh-gost2012-256.enc-pkcs8-gost89.pem"), "")
	if err != nil || !k.Protected || k.Cert != nil || !strings.Contains(k.Note, "укажите файл сертификата") {
		t.Fatalf("%+v %v", k, err)
	}
	// A GOST 2001 container is listed with the reason it cannot sign.
	k, err = workstation.DescribeKey(repo("gost", "testdata", "keys", "cryptopro", "kovserg-g2001", "g2001.000", "header.key"), "")
	if err != nil || k.Kind != workstation.KeyContainer || !strings.Contains(k.Note, "34.10-2001") {
		t.Fatalf("%+v %v", k, err)
	}
}

// TestJudgeKeyCertificate gives the trust verdict of the chain: trusted
// when the CA is an anchor of the contour, otherwise why not.
func TestJudgeKeyCertificate(t *testing.T) {
	made := twoTokens(t)
	ts, err := trust.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ts.SetFetcher(nil)
	scan := workstation.FindKeys(workstation.KeySearch{Modules: []keys.ModuleInfo{{Path: made.Module}}})
	cert := scan.Keys[0].Cert
	ctx := context.Background()
	v := workstation.JudgeKeyCertificate(ctx, ts, trust.Training, cert, inside, false)
	if v.Trusted || !strings.HasPrefix(v.Text, "не доверенный: издатель сертификата неизвестен") {
		t.Fatalf("%+v", v)
	}
	if err := ts.AddTrainingAnchor(made.CA); err != nil {
		t.Fatal(err)
	}
	if v := workstation.JudgeKeyCertificate(ctx, ts, trust.Training, cert, inside, false); !v.Trusted || v.Text != "действительна (статус отзыва не проверен)" {
		t.Fatalf("%+v", v)
	}
	after := time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC)
	if v := workstation.JudgeKeyCertificate(ctx, ts, trust.Training, cert, after, false); v.Trusted || !strings.Contains(v.Text, "срок действия сертификата истёк") {
		t.Fatalf("%+v", v)
	}
	if v := workstation.JudgeKeyCertificate(ctx, nil, trust.Training, cert, inside, false); v.Trusted || !strings.Contains(v.Text, "не проверен") {
		t.Fatalf("%+v", v)
	}
	var none *x509.Certificate
	if v := workstation.JudgeKeyCertificate(ctx, ts, trust.Training, none, inside, false); v.Trusted {
		t.Fatalf("%+v", v)
	}
}

// TestPFXCertificateBeforePassword shows the certificate of a PFX whose
// certificate bag is not encrypted (the key is): no password is needed
// to list it, and the password opens the key with that certificate.
func TestPFXCertificateBeforePassword(t *testing.T) {
	path := filepath.Join("testdata", "gost256-opencert.pfx")
	k, err := workstation.DescribeKey(path, "выбран вручную")
	if err != nil || k.Kind != workstation.KeyPFX || k.Cert == nil || k.Cert.Subject.CommonName != "Test GOST Clerk" || !k.Protected || k.Note != "" {
		t.Fatalf("%+v %v", k, err)
	}
	key, err := keys.Open(path, "", []byte("test-password"))
	if err != nil {
		t.Fatal(err)
	}
	defer key.Close()
	if !key.Certificate().Equal(k.Cert) {
		t.Fatal("the listed certificate is not the key's")
	}
	if _, err := keys.Open(path, "", []byte("wrong")); !errors.Is(err, keys.ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
}
