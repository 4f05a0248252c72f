package gostpkcs

import (
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// encryptedKeyWith builds an EncryptedPrivateKeyInfo with PBES2, PBKDF2
// over HMAC-Streebog-512 with iter iterations, and GOST 28147-89 param-Z.
func encryptedKeyWith(t *testing.T, iter int, scheme asn1.ObjectIdentifier) []byte {
	t.Helper()
	raw := func(v any) asn1.RawValue {
		b, err := asn1.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return asn1.RawValue{FullBytes: b}
	}
	kdf := algorithmIdentifier{Algorithm: oidPBKDF2, Parameters: raw(struct {
		Salt []byte
		Iter int
		PRF  algorithmIdentifier
	}{make([]byte, 32), iter, algorithmIdentifier{Algorithm: oidHMACStreebog512, Parameters: asn1.NullRawValue}})}
	enc := algorithmIdentifier{Algorithm: scheme, Parameters: raw(gost28147Params{IV: make([]byte, 8), ParamSet: asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 5, 1, 1}})}
	der, err := asn1.Marshal(encryptedPrivateKeyInfo{
		Algorithm:     algorithmIdentifier{Algorithm: oidPBES2, Parameters: raw(pbes2Params{KDF: kdf, Scheme: enc})},
		EncryptedData: make([]byte, 72),
	})
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// A hostile iteration count is refused before any work; a count in range
// is worked through (and the zero ciphertext is no key).
func TestIterationCap(t *testing.T) {
	gost := asn1.ObjectIdentifier{1, 2, 643, 2, 2, 21}
	var u *UnsupportedError
	for _, n := range []int{MaxIterations + 1, 1 << 30} {
		if _, err := DecryptPKCS8(encryptedKeyWith(t, n, gost), []byte("x")); !errors.As(err, &u) {
			t.Fatalf("%d iterations: %v", n, err)
		}
	}
	var m *MalformedError
	if _, err := DecryptPKCS8(encryptedKeyWith(t, 0, gost), []byte("x")); !errors.As(err, &m) {
		t.Fatalf("0 iterations: %v", err)
	}
	if _, err := DecryptPKCS8(encryptedKeyWith(t, 10, gost), []byte("x")); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("10 iterations: %v", err)
	}
	// an encryption scheme not in the table names itself
	other := asn1.ObjectIdentifier{1, 2, 643, 99, 1}
	if _, err := DecryptPKCS8(encryptedKeyWith(t, 10, other), []byte("x")); !errors.As(err, &u) || u.What != "PBES2 encryption scheme "+other.String() {
		t.Fatalf("unknown scheme: %v", err)
	}
}

func fuzzSeeds(f *testing.F, pattern string) [][]byte {
	names, _ := filepath.Glob(filepath.Join(keysDir, pattern))
	var out [][]byte
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		if p, _ := pem.Decode(b); p != nil {
			b = p.Bytes
		}
		out = append(out, b)
	}
	return out
}

// The fuzz tests take the fixtures (slow: thousands of iterations) and the
// cheap seeds in testdata/fuzz (OpenSSL's GOST engine, one iteration), and
// lower the iteration cap so that mutated counts stay cheap.

// FuzzParsePFX: any input is refused or opened without a panic, and what
// opens yields certificates and keys that decrypt or fail cleanly.
func FuzzParsePFX(f *testing.F) {
	for _, pattern := range []string{"pfx/*.pfx", "made-here/*.pfx"} {
		for _, b := range fuzzSeeds(f, pattern) {
			f.Add(b, []byte("12345678"))
		}
	}
	iterationCap = 64
	f.Fuzz(func(t *testing.T, data, password []byte) {
		p, err := ParsePFX(data, password)
		if err != nil {
			return
		}
		for _, k := range p.Keys {
			if info, err := k.Decrypt(password); err == nil && !isPrivateKeyInfo(info) {
				t.Fatal("a decrypted key bag is not a PrivateKeyInfo")
			}
		}
	})
}

// FuzzDecryptPKCS8: any input is refused or gives a PrivateKeyInfo.
func FuzzDecryptPKCS8(f *testing.F) {
	for _, pattern := range []string{"pem/*.pem", "made-here/*.enc-pkcs8-gost89.pem"} {
		for _, b := range fuzzSeeds(f, pattern) {
			f.Add(b, []byte("12345678"))
		}
	}
	iterationCap = 64
	f.Fuzz(func(t *testing.T, der, password []byte) {
		if info, err := DecryptPKCS8(der, password); err == nil && !isPrivateKeyInfo(info) {
			t.Fatal("decrypted to something that is not a PrivateKeyInfo")
		}
	})
}
