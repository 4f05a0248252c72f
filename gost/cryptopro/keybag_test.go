package cryptopro

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/mezhved/mezhved/gost/gostpkcs"
	"github.com/mezhved/mezhved/gost/gostx509"
)

// keyBagCases are CryptoPro CSP PFX exports with their passwords and the
// X coordinate of their key (the fixtures' notes).
var keyBagCases = []struct{ file, password, x string }{
	{"pfx/loadtestingru-cryptopro-pfx1.pfx", "12345", "5eaa9e1061761f0572a346fe1e8a64f45bf6a872e9b4ac26f87acb1f48be9cdc"},
	{"pfx/loadtestingru-cryptopro-pfx2.pfx", "1234567890", "efed8403174e6d80dbb5837a99c197c5b10101ccf186e451da543836941d7010"},
}

func keyBag(t testing.TB, i int) (*gostpkcs.PFX, *gostpkcs.KeyBag) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(keysDir, keyBagCases[i].file))
	if err != nil {
		t.Fatal(err)
	}
	p, err := gostpkcs.ParsePFX(data, []byte(keyBagCases[i].password))
	if err != nil {
		t.Fatal(err)
	}
	return p, p.Keys[0]
}

// The key bag opens to the key of the PFX's end-entity certificate; the
// IMIT of the wrapped key (RFC 4357 section 6.2) checks out.
func TestKeyBags(t *testing.T) {
	for i, c := range keyBagCases {
		p, bag := keyBag(t, i)
		k, err := DecryptKeyBag(bag.AlgorithmDER, bag.Encrypted, []byte(c.password))
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if got := hex.EncodeToString(k.X.FillBytes(make([]byte, 32))); got != c.x {
			t.Fatalf("%s: X %s, want %s", c.file, got, c.x)
		}
		cert, err := x509.ParseCertificate(p.Certificates[0])
		if err != nil {
			t.Fatal(err)
		}
		pub, err := gostx509.PublicKeyFromCertificate(cert)
		if err != nil || !k.PublicKey.Equal(pub) {
			t.Fatalf("%s: not the certificate's key (%v)", c.file, err)
		}
	}
}

func TestKeyBagWrongPasswordAndDamage(t *testing.T) {
	_, bag := keyBag(t, 0)
	pw := []byte(keyBagCases[0].password)
	for _, w := range []string{"", "1234", "123456", "12345 ", "\xff", "12345😀"} {
		if _, err := DecryptKeyBag(bag.AlgorithmDER, bag.Encrypted, []byte(w)); !errors.Is(err, ErrWrongPassword) {
			t.Fatalf("password %q: %v", w, err)
		}
	}
	// a changed byte of the ciphertext is a wrong password or a damaged
	// blob, never another key (bytes outside the key material, such as the
	// attributes' dates, may go unnoticed)
	want, err := DecryptKeyBag(bag.AlgorithmDER, bag.Encrypted, pw)
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for i := range bag.Encrypted {
		enc := bytes.Clone(bag.Encrypted)
		enc[i] ^= 0x40
		k, err := DecryptKeyBag(bag.AlgorithmDER, enc, pw)
		if err == nil && !k.Equal(want) {
			t.Fatalf("byte %d changed: another key %x", i, k.X)
		}
		if err != nil {
			failed++
		}
	}
	if failed < len(bag.Encrypted)*3/4 {
		t.Fatalf("only %d of %d changed bytes noticed", failed, len(bag.Encrypted))
	}
	if _, err := DecryptKeyBag(bag.AlgorithmDER, bag.Encrypted[:60], pw); err == nil {
		t.Fatal("a truncated bag opened")
	}
	var fe *FormatError
	for _, alg := range []any{
		struct {
			OID asn1.ObjectIdentifier
			P   struct {
				S []byte
				N int
			}
		}{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 80}, struct {
			S []byte
			N int
		}{make([]byte, 16), maxKeyBagIterations + 1}},
		struct{ OID asn1.ObjectIdentifier }{asn1.ObjectIdentifier{1, 2, 3}},
	} {
		der, _ := asn1.Marshal(alg)
		if _, err := DecryptKeyBag(der, bag.Encrypted, pw); !errors.As(err, &fe) {
			t.Fatalf("parameters %x: %v", der, err)
		}
	}
}

// KDF_TREE_GOSTR3411_2012_256 (R 50.1.113-2016), VECTORS.md section 7.
func TestKDFTree(t *testing.T) {
	key, _ := hex.DecodeString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
	label, _ := hex.DecodeString("26bdb878")
	seed, _ := hex.DecodeString("af21434145656378")
	want := "22b6837845c6bef65ea71672b265831086d3c76aebe6dae91cad51d83f79d16b" +
		"074c9330599d7f8d712fca54392f4ddde93751206b3584c8f43f9e6dc51531f9"
	if got := hex.EncodeToString(kdfTree(key, label, seed, 2)); got != want {
		t.Fatalf("KDF_TREE %s", got)
	}
}

// FuzzDecryptKeyBag: any parameters, ciphertext and password are refused
// or give a key, without a panic.
func FuzzDecryptKeyBag(f *testing.F) {
	for i, c := range keyBagCases {
		_, bag := keyBag(f, i)
		f.Add(bag.AlgorithmDER, bag.Encrypted, []byte(c.password))
	}
	keyBagIterationCap = 64
	f.Fuzz(func(t *testing.T, alg, enc, password []byte) {
		if k, err := DecryptKeyBag(alg, enc, password); err == nil && k == nil {
			t.Fatal("no key and no error")
		}
	})
}
