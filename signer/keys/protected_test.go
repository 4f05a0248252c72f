package keys

import (
	"bytes"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/gost/gost3410"
)

// gostKeys holds the GOST fixtures made by real tools (see its README.md).
const gostKeys = "../../gost/testdata/keys"

func gk(name string) string { return filepath.Join(gostKeys, name) }

// protectedCase is a password-protected GOST key that must open and sign.
type protectedCase struct {
	key, cert, secret string
	alg               Algorithm
	cn                string // the certificate's owner
	sameAs            string // an unencrypted PEM of the same key, if any
}

var protectedCases = []protectedCase{
	{key: "pfx/tc26-r50.1.112-2016-example.pfx", secret: "Пароль для PFX", alg: AlgGOST256, cn: "Test certificate 1 (PKCS#12 example)"},
	{key: "made-here/mh-gost2012-256-gost89-streebog256mac.pfx", secret: "12345678", alg: AlgGOST256, cn: "made-here test gost2012_256", sameAs: "made-here/mh-gost2012-256.key.pem"},
	{key: "made-here/mh-gost2012-256-gost89-streebog512mac.pfx", secret: "12345678", alg: AlgGOST256, cn: "made-here test gost2012_256", sameAs: "made-here/mh-gost2012-256.key.pem"},
	{key: "made-here/mh-gost2012-512-gost89-streebog512mac.pfx", secret: "12345678", alg: AlgGOST512, cn: "made-here test gost2012_512", sameAs: "made-here/mh-gost2012-512.key.pem"},
	{key: "pfx/loadtestingru-cryptopro-pfx1.pfx", secret: "12345", alg: AlgGOST256, cn: "test"},
	{key: "pfx/loadtestingru-cryptopro-pfx2.pfx", secret: "1234567890", alg: AlgGOST256, cn: "Test2"},
	{key: "made-here/mh-gost2012-256.enc-pkcs8-gost89.pem", cert: "made-here/mh-gost2012-256.cert.pem", secret: "12345678", alg: AlgGOST256, cn: "made-here test gost2012_256", sameAs: "made-here/mh-gost2012-256.key.pem"},
	{key: "made-here/mh-gost2012-512.enc-pkcs8-gost89.pem", cert: "made-here/mh-gost2012-512.cert.pem", secret: "12345678", alg: AlgGOST512, cn: "made-here test gost2012_512", sameAs: "made-here/mh-gost2012-512.key.pem"},
	{key: "cryptopro/kovserg-g2012256/g2012256.000", secret: "1", alg: AlgGOST256, cn: "user", sameAs: "cryptopro/kovserg-g2012256/g2012256.expected.pem"},
	{key: "cryptopro/kovserg-g2012512/g2012512.000", secret: "1", alg: AlgGOST512, cn: "user", sameAs: "cryptopro/kovserg-g2012512/g2012512.expected.pem"},
	{key: "cryptopro/kovserg-g2012256/g2012256.000/header.key", secret: "1", alg: AlgGOST256, cn: "user", sameAs: "cryptopro/kovserg-g2012256/g2012256.expected.pem"},
}

func openCase(c protectedCase, secret []byte) (Key, error) {
	cert := ""
	if c.cert != "" {
		cert = gk(c.cert)
	}
	return Open(gk(c.key), cert, secret)
}

// Every GOST 2012 fixture opens with its password or PIN, to exactly the
// key of its unencrypted form and its certificate, zeroes the secret, and
// signs what verifies.
func TestProtectedGOSTKeysOpen(t *testing.T) {
	for _, c := range protectedCases {
		t.Run(strings.ReplaceAll(c.key, "/", "_"), func(t *testing.T) {
			secret := []byte(c.secret)
			k, err := openCase(c, secret)
			if err != nil {
				t.Fatal(err)
			}
			defer k.Close()
			if !bytes.Equal(secret, make([]byte, len(secret))) {
				t.Fatal("the secret was not zeroed")
			}
			if k.Algorithm() != c.alg || k.Certificate().Subject.CommonName != c.cn {
				t.Fatalf("algorithm %+v, certificate %v", k.Algorithm(), k.Certificate().Subject)
			}
			if c.sameAs != "" {
				plain, err := LoadPEM(readFile(t, gk(c.sameAs)), certPEMOf(k), nil)
				if err != nil {
					t.Fatal(err)
				}
				if !k.Public().(*gost3410.PublicKey).Equal(plain.Public()) {
					t.Fatalf("not the key of %s", c.sameAs)
				}
			}
			data := make([]byte, 500)
			rand.Read(data)
			sig, err := k.SignData(data)
			if err != nil {
				t.Fatal(err)
			}
			verifyGOST(t, k, data, sig)
		})
	}
}

// A wrong password or PIN is ErrWrongPassword (errors.Is), coded
// EPERMISSION with a message for the clerk, for every format.
func TestProtectedGOSTKeysWrongPassword(t *testing.T) {
	cases := append(protectedCases,
		protectedCase{key: "pfx/bcjava-cryptopro-gostPfx.pfx", secret: "1"},
		protectedCase{key: "pfx/bcjava-gostOpenSSLIntegerD.pfx", secret: "password"},
		protectedCase{key: "pem/gost-engine-mkkey-pkcs8-2.pem", secret: "qwertyu"},
		protectedCase{key: "cryptopro/kovserg-g2001/g2001.000", secret: "1"},
	)
	for _, c := range cases {
		for _, w := range []string{"", "0", c.secret + "1", strings.ToUpper(c.secret) + "Ж"} {
			_, err := openCase(c, []byte(w))
			if !errors.Is(err, ErrWrongPassword) || domain.ErrorCode(err) != domain.EPERMISSION {
				t.Fatalf("%s with %q: %v", c.key, w, err)
			}
			msg := domain.ErrorMessage(err)
			if !strings.HasPrefix(msg, "Неверный") || (w != "" && strings.Contains(msg, w)) {
				t.Fatalf("%s: message %q", c.key, msg)
			}
		}
	}
}

// GOST R 34.10-2001 keys decrypt (the error is not the password's) but are
// refused for signing; a key without a certificate asks for one.
func TestProtectedGOST2001Refused(t *testing.T) {
	for _, c := range []protectedCase{
		{key: "pfx/bcjava-cryptopro-gostPfx.pfx", secret: "1"},
		{key: "pfx/bcjava-gostOpenSSLIntegerD.pfx", secret: "password"},
		{key: "cryptopro/kovserg-g2001/g2001.000", secret: "1"},
	} {
		_, err := openCase(c, []byte(c.secret))
		wantCode(t, err, domain.EUNSUPPORTED, "34.10-2001")
	}
	_, err := Open(gk("pem/gost-engine-mkkey-pkcs8-3.pem"), "", []byte("йцукенг"))
	wantCode(t, err, domain.EINVALID, "Нет сертификата")
}

// Damaged files: a coded error for the clerk, never a panic or a key.
func TestProtectedGOSTKeysDamaged(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range protectedCases[:8] {
		data := readFile(t, gk(c.key))
		for _, n := range []int{len(data) / 3, len(data) - 40} {
			p := write("cut"+filepath.Ext(c.key), data[:n])
			cert := ""
			if c.cert != "" {
				cert = gk(c.cert)
			}
			_, err := Open(p, cert, []byte(c.secret))
			if err == nil || domain.ErrorCode(err) == domain.EINTERNAL {
				t.Fatalf("%s cut to %d: %v", c.key, n, err)
			}
		}
	}
	// a container without its primary key, and a folder that is none
	cdir := filepath.Join(dir, "broken.000")
	os.Mkdir(cdir, 0o700)
	for _, f := range []string{"header.key", "masks.key", "name.key"} {
		write("broken.000/"+f, readFile(t, gk("cryptopro/kovserg-g2012256/g2012256.000/"+f)))
	}
	_, err := OpenContainer(cdir, []byte("1"))
	wantCode(t, err, domain.EINVALID, "primary.key")
	_, err = Open(t.TempDir(), "", []byte("1"))
	wantCode(t, err, domain.EINVALID, "header.key")
	_, err = OpenContainer(filepath.Join(dir, "missing.000"), []byte("1"))
	wantCode(t, err, domain.ENOTFOUND, "не найдена")
	// the legacy OpenSSL PEM encryption names the way out
	legacy := "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nAAAA\n-----END EC PRIVATE KEY-----\n"
	_, err = Open(write("legacy.pem", []byte(legacy)), "", []byte("x"))
	wantCode(t, err, domain.EUNSUPPORTED, "pkcs8 -topk8")
}

// OpenContainer and Open agree, and the PIN is zeroed.
func TestOpenContainer(t *testing.T) {
	pin := []byte("1")
	k, err := OpenContainer(gk("cryptopro/kovserg-g2012512/g2012512.000"), pin)
	if err != nil {
		t.Fatal(err)
	}
	if pin[0] != 0 || k.Algorithm() != AlgGOST512 {
		t.Fatalf("pin %q, algorithm %+v", pin, k.Algorithm())
	}
	// a certificate of another key offered beside the header's is skipped
	k2, err := Open(gk("cryptopro/kovserg-g2012512/g2012512.000"), gk("made-here/mh-gost2012-512.cert.pem"), []byte("1"))
	if err != nil || !k2.Certificate().Equal(k.Certificate()) {
		t.Fatalf("with an extra certificate: %v", err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func certPEMOf(k Key) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: k.Certificate().Raw})
}
