package cryptopro

import (
	"bytes"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mezhved/mezhved/gost/gostx509"
)

const keysDir = "../testdata/keys"

// containerCases are CryptoPro CSP containers (PIN 1) and the keys
// get-cpcert printed for them (*.expected.pem, and the notes' hex).
var containerCases = []struct {
	dir, expected, priv string
	legacy              bool
}{
	{"cryptopro/kovserg-g2001/g2001.000", "cryptopro/kovserg-g2001/g2001.expected.pem",
		"B1890C68282D4411BC3F4041CCD4FD5A56F1C721B22C84A8A8E196DC28B42CB5", true},
	{"cryptopro/kovserg-g2012256/g2012256.000", "cryptopro/kovserg-g2012256/g2012256.expected.pem",
		"6C58BF608520ED4AB25EC041FCF0B02D88458238DDCF91675696EC150426FC3C", false},
	{"cryptopro/kovserg-g2012512/g2012512.000", "cryptopro/kovserg-g2012512/g2012512.expected.pem",
		"A624964905D466F860C9F8A25903B907114A174C7BC76C6EFE09E96014E89B7E6BC09228D4C10B1D4B8AAA441F2C549DD766BEA9073EF36EC882FE14EFCE615C", false},
}

func containerFS(t testing.TB, dir string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	entries, err := os.ReadDir(filepath.Join(keysDir, dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(keysDir, dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = &fstest.MapFile{Data: b}
	}
	return m
}

func expectedKey(t testing.TB, file string) (key []byte, cert []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(keysDir, file))
	if err != nil {
		t.Fatal(err)
	}
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			return
		}
		switch b.Type {
		case "PRIVATE KEY":
			key = b.Bytes
		case "CERTIFICATE":
			cert = b.Bytes
		}
	}
}

// Each container opens with its PIN to exactly the key get-cpcert found,
// and carries that key's certificate.
func TestContainers(t *testing.T) {
	for _, c := range containerCases {
		t.Run(filepath.Base(c.dir), func(t *testing.T) {
			ct, err := ReadContainer(os.DirFS(filepath.Join(keysDir, c.dir)))
			if err != nil {
				t.Fatal(err)
			}
			if ct.Legacy() != c.legacy || ct.Name != strings.TrimSuffix(filepath.Base(c.dir), ".000") {
				t.Fatalf("legacy %v, name %q", ct.Legacy(), ct.Name)
			}
			k, err := ct.PrivateKey([]byte("1"))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.ToUpper(hex.EncodeToString(k.D().FillBytes(make([]byte, k.Curve.Size())))); got != c.priv {
				t.Fatalf("private key %s, want %s", got, c.priv)
			}
			keyDER, certDER := expectedKey(t, c.expected)
			want, err := gostx509.ParsePKCS8PrivateKey(keyDER)
			if err != nil || want.D().Cmp(k.D()) != 0 || !want.Curve.SameCurve(k.Curve) {
				t.Fatalf("not the key of %s: %v", c.expected, err)
			}
			if !bytes.Equal(ct.Certificate, certDER) {
				t.Fatal("the header's certificate is not the expected one")
			}
			cert, err := x509.ParseCertificate(ct.Certificate)
			if err != nil {
				t.Fatal(err)
			}
			pub, err := gostx509.PublicKeyFromCertificate(cert)
			if err != nil || !k.PublicKey.Equal(pub) {
				t.Fatalf("the key is not the certificate's: %v", err)
			}
		})
	}
}

func TestContainerWrongPIN(t *testing.T) {
	for _, c := range containerCases {
		ct, err := ReadContainer(containerFS(t, c.dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, pin := range []string{"", "2", "11", "12345678", "один", strings.Repeat("1", 300)} {
			if _, err := ct.PrivateKey([]byte(pin)); !errors.Is(err, ErrWrongPassword) {
				t.Fatalf("%s with PIN %q: %v", c.dir, pin, err)
			}
		}
	}
}

// Missing, truncated or changed files are refused; a changed key or
// fingerprint reads as a wrong PIN (nothing tells them apart).
func TestDamagedContainer(t *testing.T) {
	c := containerCases[1]
	var fe *FormatError
	for _, name := range []string{"header.key", "masks.key", "primary.key"} {
		m := containerFS(t, c.dir)
		delete(m, name)
		if _, err := ReadContainer(m); !errors.As(err, &fe) || !strings.Contains(err.Error(), name) {
			t.Fatalf("without %s: %v", name, err)
		}
		m = containerFS(t, c.dir)
		data := m[name].Data
		for _, n := range []int{0, 1, len(data) / 2, len(data) - 1} {
			m[name] = &fstest.MapFile{Data: data[:n]}
			if _, err := ReadContainer(m); !errors.As(err, &fe) {
				t.Fatalf("%s truncated to %d: %v", name, n, err)
			}
		}
		m[name] = &fstest.MapFile{Data: make([]byte, maxContainerFile+1)}
		if _, err := ReadContainer(m); !errors.As(err, &fe) {
			t.Fatalf("%s too large: %v", name, err)
		}
	}
	m := containerFS(t, c.dir)
	m["primary.key"].Data[10] ^= 1
	ct, err := ReadContainer(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ct.PrivateKey([]byte("1")); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("changed primary key: %v", err)
	}
	// name.key is optional
	m = containerFS(t, c.dir)
	delete(m, "name.key")
	if ct, err := ReadContainer(m); err != nil || ct.Name != "" {
		t.Fatalf("without name.key: %v", err)
	}
}

// FuzzReadContainer: any header, masks and primary key are refused or
// read without a panic; what reads decrypts or fails cleanly.
func FuzzReadContainer(f *testing.F) {
	for _, c := range containerCases {
		m := containerFS(f, c.dir)
		f.Add(m["header.key"].Data, m["masks.key"].Data, m["primary.key"].Data)
	}
	f.Fuzz(func(t *testing.T, header, masks, primary []byte) {
		ct, err := ReadContainer(fstest.MapFS{
			"header.key": {Data: header}, "masks.key": {Data: masks}, "primary.key": {Data: primary},
		})
		if err != nil {
			return
		}
		if k, err := ct.PrivateKey([]byte("1")); err == nil && k.Curve != ct.Curve {
			t.Fatal("a key on another curve")
		}
	})
}
