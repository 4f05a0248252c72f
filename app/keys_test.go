package app

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/testtokens"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/workstation"
)

// The picker's clock: the test tokens' certificates (2026–2027) and the
// made-here PFX (from 03.12.2026) are valid, the CryptoPro container's
// (2019) has expired. Nothing depends on today.
var pickerNow = time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)

func pickerTokens(t *testing.T) testtokens.Made {
	return testtokens.Make(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC),
		testtokens.Token{Label: "Рутокен Ивановой", Keys: []testtokens.Key{
			{Label: "Иванова М. П.", ID: 0x01, Owner: "Иванова Мария Петровна", Org: "Администрация Берёзовского сельсовета", SNILS: "11223344595", OGRN: "1025000000001"},
		}},
		testtokens.Token{Label: "второй", Keys: []testtokens.Key{
			{Label: "Петров", ID: 0x11, Owner: "Петров Пётр Петрович"},
		}},
	)
}

// pickerApp is a training workstation whose picker looks at the test
// tokens and a USB stick with a CryptoPro container and a PFX.
func pickerApp(t *testing.T, desk Desktop) (*App, testtokens.Made) {
	t.Helper()
	made := pickerTokens(t)
	dir := t.TempDir()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.SetSettings(context.Background(), map[string]string{store.SettingTraining: "1", store.SettingClerk: "Иванова Мария Петровна",
		store.SettingSettlement: "Берёзовское сельское поселение"})
	db.Close()
	stick := filepath.Join(t.TempDir(), "KINGSTON")
	copyTree(t, filepath.Join("..", "gost", "testdata", "keys", "cryptopro", "kovserg-g2012256", "g2012256.000"), filepath.Join(stick, "g2012256.000"))
	copyTree(t, filepath.Join("..", "gost", "testdata", "keys", "made-here", "mh-gost2012-256-gost89-streebog256mac.pfx"), filepath.Join(stick, "clerk.pfx"))
	start := time.Now()
	a := New(Config{DataDir: dir, Explicit: true, Log: quiet, TrainingDelay: 50 * time.Millisecond, Desktop: desk,
		Now: func() time.Time { return pickerNow.Add(time.Since(start)) }, // it moves: the training node answers after its delay
		KeySearch: func(s workstation.KeySearch) workstation.KeySearch {
			s.Modules = []keys.ModuleInfo{{Vendor: "Межвед: учебный токен", Path: made.Module, Training: true}}
			s.Places = append(s.Places, workstation.KeyPlace{Dir: stick, Where: "съёмный диск «KINGSTON»"})
			return s
		}})
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Stop)
	return a, made
}

func copyTree(t *testing.T, src, dst string) {
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
		os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o700)
		return os.WriteFile(filepath.Join(dst, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func find(t *testing.T, list KeyList, label string) KeyView {
	t.Helper()
	for _, k := range list.Keys {
		if k.Label == label {
			return k
		}
	}
	t.Fatalf("%q not listed: %+v", label, list.Keys)
	return KeyView{}
}

// TestKeyPicker lists every key without a PIN — the training key, two
// tokens, a CryptoPro container on a USB stick, a PFX there and one chosen
// with the dialog — each with its certificate and trust verdict; a token's
// key opens with its PIN and signs a request that gets its answer.
func TestKeyPicker(t *testing.T) {
	hand := filepath.Join("..", "workstation", "testdata", "gost256-opencert.pfx")
	desk := &fakeDesktop{choose: hand}
	a, _ := pickerApp(t, desk)
	list := R(a.Requests.Keys()).Data.(KeyList)
	if len(list.Keys) != 5 || list.Keys[0].Kind != workstation.KeyTraining || !strings.Contains(list.SoftwareNote, "СКЗИ") {
		t.Fatalf("%+v", list)
	}
	tr := list.Keys[0]
	if tr.Cert == nil || tr.Cert.Owner != "Иванова Мария Петровна" || !tr.Cert.Trusted || !strings.HasPrefix(tr.Cert.Trust, "действительна") || !tr.Software {
		t.Fatalf("training: %+v %+v", tr, tr.Cert)
	}
	clerk := find(t, list, "Иванова М. П.")
	c := clerk.Cert
	if clerk.Kind != "token" || clerk.KindText != "Токен" || clerk.Secret != "PIN-код" || c == nil || c.SNILS != "11223344595" ||
		c.OGRN != "1025000000001" || c.Organization != "Администрация Берёзовского сельсовета" || c.Issuer != "Тестовый УЦ токенов" ||
		c.Validity != "действителен до 31.12.2027" || c.Trusted || !strings.HasPrefix(c.Trust, "не доверенный: издатель сертификата неизвестен") {
		t.Fatalf("token: %+v %+v", clerk, c)
	}
	cont := find(t, list, "g2012256")
	if cont.Kind != "container" || cont.Where != "съёмный диск «KINGSTON»" || cont.Cert == nil || cont.Cert.Valid || cont.Cert.Validity != "истёк 02.07.2019" {
		t.Fatalf("container: %+v %+v", cont, cont.Cert)
	}
	if pfx := find(t, list, "clerk.pfx"); pfx.Cert != nil || pfx.Secret != "пароль" || !strings.Contains(pfx.Note, "после ввода пароля") || !pfx.Software {
		t.Fatalf("pfx: %+v", pfx)
	}

	// A file chosen with the dialog is shown at once and listed from then on.
	v := R(a.Requests.ChooseKeyFile()).Data.(KeyView)
	if v.Cert == nil || v.Cert.Owner != "Test GOST Clerk" || v.Where != "выбран вручную" {
		t.Fatalf("chosen: %+v", v)
	}
	if list := R(a.Requests.Keys()).Data.(KeyList); len(list.Keys) != 6 || find(t, list, "gost256-opencert.pfx").ID != v.ID {
		t.Fatalf("%+v", list.Keys)
	}
	desk.choose = ""
	if r := R(a.Requests.ChooseKeyFile()); !r.OK || r.Data.(KeyView).ID != "" {
		t.Fatalf("cancel: %+v", r)
	}

	// Opening: a wrong PIN, an expired certificate and a wrong password are
	// explained; the token's key opens and signs.
	if r := R(a.Requests.OpenKey(KeyChoice{Path: clerk.ID, PIN: "0000"})); r.OK || !strings.Contains(r.Message, "Неверный PIN-код токена") {
		t.Fatalf("%+v", r)
	}
	if r := R(a.Requests.OpenKey(KeyChoice{Path: cont.ID, PIN: "1"})); r.OK || !strings.Contains(r.Message, "истёк 02.07.2019") {
		t.Fatalf("%+v", r)
	}
	if r := R(a.Requests.OpenKey(KeyChoice{Path: find(t, list, "clerk.pfx").ID, PIN: "1234"})); r.OK || !strings.Contains(r.Message, "Неверный пароль") {
		t.Fatalf("%+v", r)
	}
	r := R(a.Requests.OpenKey(KeyChoice{Path: find(t, list, "clerk.pfx").ID, PIN: "12345678"}))
	if cv := r.Data.(CertView); !r.OK || cv.Owner != "made-here test gost2012_256" || !cv.Software || cv.Trusted || !strings.Contains(cv.Trust, "самоподписанный") {
		t.Fatalf("%+v", r)
	}
	r = R(a.Requests.OpenKey(KeyChoice{Path: clerk.ID, PIN: testtokens.PIN}))
	if cv := r.Data.(CertView); !r.OK || cv.Owner != "Иванова Мария Петровна" || !cv.Software || cv.Training {
		t.Fatalf("%+v", r)
	}
	d := R(a.Requests.NewDraft("egrn-object", 0, "")).Data.(DraftView)
	R(a.Requests.SaveDraft(d.Request.ID, d.Template.Examples()))
	if r := R(a.Requests.Send(d.Request.ID)); !r.OK {
		t.Fatalf("%+v", r)
	}
	waitStatus(t, a, d.Request.ID, domain.StatusAnswered, domain.StatusRejected)

	// The training key is the one listed, and opens with any PIN.
	r = R(a.Requests.OpenKey(KeyChoice{Path: tr.ID, PIN: "1"}))
	if cv := r.Data.(CertView); !r.OK || !cv.Training || cv.Serial != tr.Cert.Serial {
		t.Fatalf("%+v", r)
	}
}

// TestKeyPickerOutsideTraining has no training key, and refuses it.
func TestKeyPickerOutsideTraining(t *testing.T) {
	a := started(t)
	list := R(a.Requests.Keys()).Data.(KeyList)
	for _, k := range list.Keys {
		if k.Training && k.Kind == workstation.KeyTraining {
			t.Fatalf("%+v", k)
		}
	}
	if r := R(a.Requests.OpenKey(KeyChoice{Training: true})); r.OK || !strings.Contains(r.Message, "только в учебном режиме") {
		t.Fatalf("%+v", r)
	}
	if r := R(a.Requests.OpenKey(KeyChoice{})); r.OK || r.Code != domain.EINVALID {
		t.Fatalf("%+v", r)
	}
	if r := R(a.Requests.ChooseKeyFile()); r.OK || r.Code != domain.EUNAVAILABLE {
		t.Fatalf("no window: %+v", r)
	}
}
