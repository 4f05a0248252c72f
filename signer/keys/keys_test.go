package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/domain"
)

const testPassword = "test-password"

func pw() []byte { return []byte(testPassword) }

// verifyStd checks a ds:SignatureValue made by an RSA or ECDSA key with the
// standard library.
func verifyStd(t *testing.T, k Key, data, sig []byte) {
	t.Helper()
	d := sha256.Sum256(data)
	switch p := k.Certificate().PublicKey.(type) {
	case *rsa.PublicKey:
		if err := rsa.VerifyPKCS1v15(p, crypto.SHA256, d[:], sig); err != nil {
			t.Fatalf("RSA signature does not verify: %v", err)
		}
	case *ecdsa.PublicKey:
		n := (p.Curve.Params().BitSize + 7) / 8
		if len(sig) != 2*n {
			t.Fatalf("ECDSA signature is %d bytes, want raw r||s of %d", len(sig), 2*n)
		}
		r, s := new(big.Int).SetBytes(sig[:n]), new(big.Int).SetBytes(sig[n:])
		if !ecdsa.Verify(p, d[:], r, s) {
			t.Fatal("ECDSA r||s signature does not verify")
		}
	default:
		t.Fatalf("unexpected public key %T", p)
	}
}

func wantCode(t *testing.T, err error, code string, msgPart string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s", code)
	}
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("code %q, want %q (%v)", got, code, err)
	}
	if !strings.Contains(domain.ErrorMessage(err), msgPart) {
		t.Fatalf("message %q lacks %q", domain.ErrorMessage(err), msgPart)
	}
	if strings.Contains(err.Error(), testPassword) {
		t.Fatalf("error reveals the password: %v", err)
	}
}

func td(name string) string { return filepath.Join("testdata", name) }

func TestOpenFormats(t *testing.T) {
	cases := []struct{ key, cert, alg string }{
		{"rsa.pfx", "", SigRSA256},
		{"rsa-legacy.pfx", "", SigRSA256},
		{"ec.pfx", "", SigECDSA256},
		{"rsa.key", "rsa.crt", SigRSA256},
		{"rsa-pkcs1.key", "rsa.crt", SigRSA256},
		{"rsa-both.pem", "", SigRSA256},
		{"ec.key", "ec.crt", SigECDSA256},
		{"rsa.der", "rsa.crt", SigRSA256},
		// several certificates: the matching one is chosen
		{"rsa.key", "other.crt", ""},
	}
	for _, c := range cases {
		t.Run(c.key+"+"+c.cert, func(t *testing.T) {
			cert := ""
			if c.cert != "" {
				cert = td(c.cert)
			}
			secret := pw()
			k, err := Open(td(c.key), cert, secret)
			if c.alg == "" {
				wantCode(t, err, domain.EINVALID, "Сертификат не соответствует ключу")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer k.Close()
			for _, b := range secret {
				if b != 0 {
					t.Fatal("password not zeroed after Open")
				}
			}
			if a := k.Algorithm(); a.Signature != c.alg || a.Digest != DigestSHA256 {
				t.Fatalf("algorithm %+v", a)
			}
			data := []byte("<SignedInfo>данные</SignedInfo>")
			sig, err := k.SignData(data)
			if err != nil {
				t.Fatal(err)
			}
			verifyStd(t, k, data, sig)
		})
	}
}

func TestOpenErrors(t *testing.T) {
	_, err := Open(td("rsa.pfx"), "", []byte("wrong"))
	wantCode(t, err, domain.EPERMISSION, "Неверный пароль")
	_, err = Open(td("ec.pfx"), "", nil)
	wantCode(t, err, domain.EPERMISSION, "Неверный пароль")
	_, err = Open(td("notakey.txt"), "", pw())
	wantCode(t, err, domain.EINVALID, "не является ключом")
	_, err = Open(td("rsa.crt"), "", pw()) // a certificate, no key
	wantCode(t, err, domain.EINVALID, "не является ключом")
	_, err = Open(td("rsa.key"), "", pw())
	wantCode(t, err, domain.EINVALID, "Нет сертификата")
	_, err = Open(td("ec.key"), td("rsa.crt"), pw())
	wantCode(t, err, domain.EINVALID, "Сертификат не соответствует ключу")
	_, err = Open(td("missing.pfx"), "", pw())
	wantCode(t, err, domain.ENOTFOUND, "не найден")
	_, err = Open(td("gost256.pfx"), "", []byte("wrong"))
	wantCode(t, err, domain.EPERMISSION, "Неверный пароль")
}

func TestReadSecretFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pin")
	if err := os.WriteFile(p, []byte("12345678\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := ReadSecretFile(p)
	if err != nil || string(b) != "12345678" {
		t.Fatalf("%q %v", b, err)
	}
}

func TestECDSADERToRaw(t *testing.T) {
	// r = 1, s = 2^255 (33-byte DER integer) for P-256
	der := []byte{0x30, 0x26, 0x02, 0x01, 0x01, 0x02, 0x21, 0x00, 0x80}
	der = append(der, make([]byte, 31)...)
	der[1] = byte(len(der) - 2)
	raw, err := ecdsaDERToRaw(der, 32)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != 64 || raw[31] != 1 || raw[32] != 0x80 {
		t.Fatalf("raw %x", raw)
	}
	if _, err := ecdsaDERToRaw(append(der, 0), 32); err == nil {
		t.Fatal("trailing data accepted")
	}
}

// FuzzLoadPEM: key and certificate files (encrypted PKCS#8 too) are read
// without panics, and whatever loads signs.
func FuzzLoadPEM(f *testing.F) {
	for _, n := range []string{"rsa.key", "rsa-pkcs1.key", "ec.key", "rsa-both.pem", "gost256.key"} {
		b, _ := os.ReadFile(td(n))
		c, _ := os.ReadFile(td(strings.Split(strings.TrimSuffix(n, "-both.pem"), ".")[0] + ".crt"))
		f.Add(b, c, []byte(nil))
	}
	enc, _ := os.ReadFile(td("gost256-iter1.p8.pem"))
	crt, _ := os.ReadFile(td("gost256-iter1.crt"))
	f.Add(enc, crt, []byte("12345678"))
	f.Fuzz(func(t *testing.T, key, cert, password []byte) {
		k, err := LoadPEM(key, cert, password)
		if err != nil {
			if domain.ErrorCode(err) == domain.EINTERNAL {
				t.Fatalf("uncoded error: %v", err)
			}
			return
		}
		if _, err := k.SignData([]byte("x")); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzLoadPKCS12: any container is refused with a coded error or opens to
// a key that signs.
func FuzzLoadPKCS12(f *testing.F) {
	for _, n := range []string{"rsa.pfx", "ec.pfx"} {
		b, _ := os.ReadFile(td(n))
		f.Add(b, []byte(testPassword))
	}
	// GOST seeds with one iteration: the real files' thousands make each
	// run of the instrumented fuzzer take seconds
	b, _ := os.ReadFile(td("gost256-iter1.pfx"))
	f.Add(b, []byte("12345678"))
	f.Fuzz(func(t *testing.T, data, password []byte) {
		k, err := LoadPKCS12(data, password)
		if err != nil {
			if domain.ErrorCode(err) == domain.EINTERNAL {
				t.Fatalf("uncoded error: %v", err)
			}
			return
		}
		if _, err := k.SignData([]byte("x")); err != nil {
			t.Fatal(err)
		}
	})
}
