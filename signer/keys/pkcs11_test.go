package keys

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/miekg/pkcs11"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/gost/streebog"
	"github.com/mezhved/mezhved/internal/testtool"
)

const (
	softhsmModule = "/usr/lib/softhsm/libsofthsm2.so"
	tokenLabel    = "mezhved-test"
	tokenPIN      = "123456"
)

var (
	tokenOnce sync.Once
	tokenErr  string
	tokenDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range []string{tokenDir, gostDir} {
		if d != "" {
			os.RemoveAll(d)
		}
	}
	os.Exit(code)
}

func needTool(t testing.TB, name, pkg string) string {
	t.Helper()
	return testtool.Require(t, name, pkg)
}

// softToken makes, once per test process, a SoftHSM2 token in a temporary
// directory (SOFTHSM2_CONF) holding the RSA key of testdata with its
// certificate (CKA_ID 01) and the EC key without one (CKA_ID 02).
func softToken(t *testing.T) {
	t.Helper()
	util := needTool(t, "softhsm2-util", "softhsm2")
	if _, err := os.Stat(softhsmModule); err != nil {
		t.Fatalf("%s missing: install the Debian package libsofthsm2", softhsmModule)
	}
	openssl := needTool(t, "openssl", "openssl")
	tokenOnce.Do(func() {
		dir, err := os.MkdirTemp("", "softhsm-")
		if err != nil {
			tokenErr = err.Error()
			return
		}
		tokenDir = dir
		conf := filepath.Join(dir, "softhsm2.conf")
		os.Mkdir(filepath.Join(dir, "tokens"), 0o700)
		os.WriteFile(conf, []byte("directories.tokendir = "+filepath.Join(dir, "tokens")+"\nobjectstore.backend = file\nlog.level = ERROR\n"), 0o600)
		os.Setenv("SOFTHSM2_CONF", conf)
		ecPK8 := filepath.Join(dir, "ec.p8")
		steps := [][]string{
			{util, "--init-token", "--free", "--label", tokenLabel, "--so-pin", "87654321", "--pin", tokenPIN},
			{util, "--import", td("rsa.key"), "--token", tokenLabel, "--label", "rsa", "--id", "01", "--pin", tokenPIN},
			{openssl, "pkcs8", "-topk8", "-nocrypt", "-in", td("ec.key"), "-out", ecPK8},
			{util, "--import", ecPK8, "--token", tokenLabel, "--label", "ec", "--id", "02", "--pin", tokenPIN},
		}
		for _, s := range steps {
			if out, err := exec.Command(s[0], s[1:]...).CombinedOutput(); err != nil {
				tokenErr = strings.Join(s, " ") + ": " + err.Error() + ": " + string(out)
				return
			}
		}
		// The RSA certificate goes onto the token next to its key.
		k := mustSession(func(ctx *pkcs11.Ctx, sh pkcs11.SessionHandle) error {
			cert, _ := os.ReadFile(td("rsa.crt"))
			b, _ := pem.Decode(cert)
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return err
			}
			_, err = ctx.CreateObject(sh, []*pkcs11.Attribute{
				pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE),
				pkcs11.NewAttribute(pkcs11.CKA_CERTIFICATE_TYPE, pkcs11.CKC_X_509),
				pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
				pkcs11.NewAttribute(pkcs11.CKA_ID, []byte{1}),
				pkcs11.NewAttribute(pkcs11.CKA_LABEL, "rsa"),
				pkcs11.NewAttribute(pkcs11.CKA_SUBJECT, c.RawSubject),
				pkcs11.NewAttribute(pkcs11.CKA_VALUE, b.Bytes),
			})
			return err
		})
		if k != nil {
			tokenErr = "certificate object: " + k.Error()
		}
	})
	if tokenErr != "" {
		t.Fatal(tokenErr)
	}
}

// mustSession runs f in a logged-in session on the test token.
func mustSession(f func(*pkcs11.Ctx, pkcs11.SessionHandle) error) error {
	ctx, err := loadModule(softhsmModule)
	if err != nil {
		return err
	}
	slot, err := findSlot(ctx, PKCS11Config{TokenLabel: tokenLabel})
	if err != nil {
		return err
	}
	sh, err := ctx.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION)
	if err != nil {
		return err
	}
	defer ctx.CloseSession(sh)
	if err := ctx.Login(sh, pkcs11.CKU_USER, tokenPIN); err != nil && !isRV(err, pkcs11.CKR_USER_ALREADY_LOGGED_IN) {
		return err
	}
	return f(ctx, sh)
}

func TestPKCS11SoftHSM(t *testing.T) {
	softToken(t)
	cases := []struct {
		name string
		cfg  PKCS11Config
		alg  string
	}{
		{"rsa by label, cert on token", PKCS11Config{KeyLabel: "rsa"}, SigRSA256},
		{"rsa by id, hash on token", PKCS11Config{KeyID: []byte{1}, HashOnToken: true}, SigRSA256},
		{"ec by label, cert file", PKCS11Config{KeyLabel: "ec", CertFile: td("ec.crt")}, SigECDSA256},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.cfg.Module, c.cfg.TokenLabel = softhsmModule, tokenLabel
			pin := []byte(tokenPIN)
			k, err := OpenPKCS11(c.cfg, pin)
			if err != nil {
				t.Fatal(err)
			}
			defer k.Close()
			if string(pin) != string(make([]byte, len(pin))) {
				t.Fatal("PIN not zeroed")
			}
			if k.Algorithm().Signature != c.alg {
				t.Fatalf("algorithm %+v", k.Algorithm())
			}
			data := []byte("<ds:SignedInfo>подпись на токене</ds:SignedInfo>")
			sig, err := k.SignData(data)
			if err != nil {
				t.Fatal(err)
			}
			verifyStd(t, k, data, sig)
			if err := k.Close(); err != nil {
				t.Fatal(err)
			}
			if err := k.Close(); err != nil {
				t.Fatal("second Close:", err)
			}
		})
	}
}

func TestPKCS11Errors(t *testing.T) {
	softToken(t)
	base := PKCS11Config{Module: softhsmModule, TokenLabel: tokenLabel, KeyLabel: "rsa"}
	_, err := OpenPKCS11(base, []byte("000000"))
	wantCode(t, err, domain.EPERMISSION, "Неверный PIN")
	if strings.Contains(err.Error(), "000000") {
		t.Fatal("PIN in the error")
	}
	c := base
	c.KeyLabel = "nope"
	_, err = OpenPKCS11(c, []byte(tokenPIN))
	wantCode(t, err, domain.ENOTFOUND, "не найден на токене")
	c = base
	c.TokenLabel = "absent"
	_, err = OpenPKCS11(c, []byte(tokenPIN))
	wantCode(t, err, domain.ENOTFOUND, "Токен не найден")
	c = base
	c.KeyLabel, c.CertFile = "ec", td("rsa.crt")
	_, err = OpenPKCS11(c, []byte(tokenPIN))
	wantCode(t, err, domain.EINVALID, "не соответствует")
	c = base
	c.Module = "/nonexistent/libpkcs11.so"
	_, err = OpenPKCS11(c, []byte(tokenPIN))
	wantCode(t, err, domain.EUNAVAILABLE, "библиотеку токена")
}

func TestPKCS11URI(t *testing.T) {
	cfg, err := ParsePKCS11URI("pkcs11:token=My%20Token;object=key%201;id=%01%02;slot-id=3?module-path=/x/lib.so")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.TokenLabel != "My Token" || cfg.KeyLabel != "key 1" || string(cfg.KeyID) != "\x01\x02" || *cfg.Slot != 3 || cfg.Module != "/x/lib.so" {
		t.Fatalf("%+v", cfg)
	}
	for _, bad := range []string{"pkcs11:token=a", "pkcs11:object=k;pin-value=1234?module-path=/x", "pkcs11:object=k?module-path=/x&pin-value=1", "pkcs11:slot-id=x;object=k?module-path=/x"} {
		if _, err := ParsePKCS11URI(bad); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%s: %v", bad, err)
		}
	}
	// Open takes the URI with the PIN as the secret.
	softToken(t)
	k, err := Open("pkcs11:token="+tokenLabel+";object=ec?module-path="+softhsmModule, td("ec.crt"), []byte(tokenPIN))
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	sig, err := k.SignData([]byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	verifyStd(t, k, []byte("x"), sig)
}

// TestSelfCheck: a token signature that does not verify with the
// certificate's key is refused.
func TestSelfCheck(t *testing.T) {
	k, err := Open(td("gost256.key"), td("gost256.crt"), nil)
	if err != nil {
		t.Fatal(err)
	}
	d := streebog.Sum256([]byte("x"))
	sig, err := k.(DigestSigner).SignDigest(d[:])
	if err != nil {
		t.Fatal(err)
	}
	if err := selfCheck(k.Public(), d[:], sig); err != nil {
		t.Fatal(err)
	}
	if err := selfCheck(k.Public(), reversed(d[:]), sig); domain.ErrorCode(err) != domain.ESIGNATURE {
		t.Fatalf("wrong digest order passes: %v", err)
	}
	r, err := Open(td("rsa.key"), td("rsa.crt"), nil)
	if err != nil {
		t.Fatal(err)
	}
	sh := sha256.Sum256([]byte("x"))
	rs, _ := r.(DigestSigner).SignDigest(sh[:])
	if selfCheck(r.Public(), sh[:], rs) != nil || selfCheck(k.Public(), sh[:], rs) == nil {
		t.Fatal("RSA self-check")
	}
}
