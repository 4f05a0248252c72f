package gostpkcs

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"testing"
)

func TestRC2Vectors(t *testing.T) {
	seen := map[byte]bool{}
	for _, b := range piTable {
		seen[b] = true
	}
	if len(seen) != 256 {
		t.Fatal("PITABLE is not a permutation")
	}
	// RFC 2268 section 5
	for _, v := range []struct {
		key  string
		bits int
		pt   string
		ct   string
	}{
		{"0000000000000000", 63, "0000000000000000", "ebb773f993278eff"},
		{"ffffffffffffffff", 64, "ffffffffffffffff", "278b27e42e2f0d49"},
		{"3000000000000000", 64, "1000000000000001", "30649edf9be7d2c2"},
		{"88", 64, "0000000000000000", "61a8a244adacccf0"},
		{"88bca90e90875a", 64, "0000000000000000", "6ccf4308974c267f"},
		{"88bca90e90875a7f0f79c384627bafb2", 64, "0000000000000000", "1a807d272bbe5db1"},
		{"88bca90e90875a7f0f79c384627bafb2", 128, "0000000000000000", "2269552ab0f85ca6"},
	} {
		key, _ := hex.DecodeString(v.key)
		pt, _ := hex.DecodeString(v.pt)
		c, err := newRC2(key, v.bits)
		if err != nil {
			t.Fatal(err)
		}
		ct := make([]byte, 8)
		c.Encrypt(ct, pt)
		if got := hex.EncodeToString(ct); got != v.ct {
			t.Errorf("RC2(%s, %d) = %s, want %s", v.key, v.bits, got, v.ct)
		}
		back := make([]byte, 8)
		c.Decrypt(back, ct)
		if !bytes.Equal(back, pt) {
			t.Errorf("RC2 decrypt(%s) = %x", v.key, back)
		}
	}
	for _, n := range []int{0, 129} {
		if _, err := newRC2(make([]byte, n), 64); err == nil {
			t.Fatalf("key of %d bytes accepted", n)
		}
	}
	c, _ := newRC2([]byte("abcde"), 40)
	x, y, z := make([]byte, 8), make([]byte, 8), make([]byte, 8)
	rand.Read(x)
	c.Encrypt(y, x)
	c.Decrypt(z, y)
	if !bytes.Equal(x, z) {
		t.Fatal("RC2-40 round trip")
	}
}
