package cli

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/internal/testtokens"
	"github.com/mezhved/mezhved/workstation"
)

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
		return os.WriteFile(filepath.Join(dst, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestKeysListThenSign: `keys list` shows what the window's picker shows
// (a token's certificates read without login, a container and a PFX in
// <data-dir>/keys), and the KEY it prints is what sign takes: a token's
// pkcs11: URI and a container folder sign an SMEV envelope that verifies.
func TestKeysListThenSign(t *testing.T) {
	made := testtokens.Make(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC),
		testtokens.Token{Label: "Рутокен Ивановой", Keys: []testtokens.Key{
			{Label: "Иванова М. П.", ID: 0x01, Owner: "Иванова Мария Петровна", Org: "Администрация Берёзовского сельсовета", SNILS: "11223344595", OGRN: "1025000000001"},
		}})
	data := t.TempDir()
	keysDir := workstation.KeysDir(data)
	copyTree(t, filepath.Join("..", "gost", "testdata", "keys", "cryptopro", "kovserg-g2012256", "g2012256.000"), filepath.Join(keysDir, "g2012256.000"))
	copyTree(t, filepath.Join("..", "workstation", "testdata"), keysDir)
	code, out, errs := runCLI(t, "keys", "list", "--json", "--data-dir", data, "--module", made.Module, "--contour", "training")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		Keys  []listedKey `json:"keys"`
		Notes []string    `json:"notes"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	by := map[string]listedKey{}
	for _, k := range got.Keys {
		by[k.Label] = k
	}
	tok, cont, pfx := by["Иванова М. П."], by["g2012256"], by["gost256-opencert.pfx"]
	if tok.Kind != "token" || !strings.HasPrefix(tok.Key, "pkcs11:token=") || tok.Cert == nil || tok.Cert.SNILS != "11223344595" ||
		tok.Trust == nil || tok.Trust.Trusted || !strings.HasPrefix(tok.Trust.English, "not trusted: unknown issuer") {
		t.Fatalf("token: %+v\n%s", tok, out)
	}
	if cont.Kind != "container" || cont.Cert == nil || cont.Cert.Owner != "user" || cont.Where != "папка ключей Межведа" {
		t.Fatalf("container: %+v", cont)
	}
	if pfx.Kind != "pfx" || pfx.Cert == nil || pfx.Cert.Owner != "Test GOST Clerk" || !pfx.Software {
		t.Fatalf("pfx: %+v", pfx)
	}
	// The text form names the same KEY.
	if code, text, _ := runCLI(t, "keys", "list", "--data-dir", data, "--module", made.Module); code != 0 || !strings.Contains(text, "--key "+tok.Key) ||
		!strings.Contains(text, "owner:  Иванова Мария Петровна, СНИЛС 11223344595") {
		t.Fatalf("%s", text)
	}

	dir := t.TempDir()
	req := writeFile(t, dir, "req.xml", request)
	// (The container's certificate expired in 2019: its signature is
	// mathematically right, and verify says the certificate has expired.)
	for _, c := range []struct{ key, pin, want string }{{tok.Key, testtokens.PIN, ": VALID"}, {cont.Key, "1", `signature ok, owner "user"`}} {
		pin := writeFile(t, dir, "pin", c.pin+"\n")
		code, out, errs := runCLI(t, "sign", "--key", c.key, "--pin-file", pin, "--id", "SIGNED_BY_CONSUMER", req)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.key, code, errs)
		}
		code, vout, _ := runCLI(t, "verify", "--no-trust", writeFile(t, dir, "signed.xml", out))
		if !strings.Contains(vout, "ЭП-ОВ #SIGNED_BY_CONSUMER") || !strings.Contains(vout, c.want) || (c.want == ": VALID" && code != 0) {
			t.Fatalf("%s: verify exit %d\n%s", c.key, code, vout)
		}
	}
	// A wrong PIN is the token's message and exit 2, nothing on stdout.
	pin := writeFile(t, dir, "pin", "0000\n")
	if code, out, errs := runCLI(t, "sign", "--key", tok.Key, "--pin-file", pin, "--id", "SIGNED_BY_CONSUMER", req); code != 2 || out != "" || !strings.Contains(errs, "Неверный PIN-код токена") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
}
