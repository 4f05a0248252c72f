package kuznyechik

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// GOST R 34.12-2015 A.1 and GOST R 34.13-2015 A.1.1 (ECB).
const (
	stdKey   = "8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef"
	stdPlain = `1122334455667700ffeeddccbbaa9988 00112233445566778899aabbcceeff0a
		112233445566778899aabbcceeff0a00 2233445566778899aabbcceeff0a0011`
	stdECB = `7f679d90bebc24305a468d42b9d4edcd b429912c6e0032f9285452d76718d08b
		f0ca33549d247ceef3f5a5313bd4b157 d0b09ccde830b9eb3a02c4c5aa8ada98`
)

func TestStandardECB(t *testing.T) {
	c, err := NewCipher(unhex(t, stdKey))
	if err != nil {
		t.Fatal(err)
	}
	p, want := unhex(t, stdPlain), unhex(t, stdECB)
	got := make([]byte, len(p))
	for i := 0; i < len(p); i += BlockSize {
		c.Encrypt(got[i:], p[i:])
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("ECB\n got %x\nwant %x", got, want)
	}
	back := make([]byte, len(p))
	for i := 0; i < len(p); i += BlockSize {
		c.Decrypt(back[i:], got[i:])
	}
	if !bytes.Equal(back, p) {
		t.Fatalf("decrypt\n got %x\nwant %x", back, p)
	}
}

// The standard's worked example of the transformations (GOST R 34.12-2015
// A.1.1–A.1.4): S, R, L and the round keys.
func TestStandardSteps(t *testing.T) {
	// A.1.1 S: four steps from the first value.
	s := unhex(t, "ffeeddccbbaa99881122334455667700")
	for _, want := range []string{"b66cd8887d38e8d77765aeea0c9a7efc", "559d8dd7bd06cbfe7e7b262523280d39",
		"0c3322fed531e4630d80ef5c5a81c50b", "23ae65633f842d29c5df529c13f5acda"} {
		for i := range s {
			s[i] = pi[s[i]]
		}
		if hex.EncodeToString(s) != want {
			t.Fatalf("S: got %x want %s", s, want)
		}
	}
	// A.1.3 L.
	var v [16]byte
	copy(v[:], unhex(t, "64a59400000000000000000000000000"))
	for _, want := range []string{"d456584dd0e3e84cc3166e4b7fa2890d", "79d26221b87b584cd42fbc4ffea5de9a",
		"0e93691a0cfc60408b7b68f66b513c13", "e6a8094fee0aa204fd97bcb0b44b8580"} {
		v = linear(v)
		if hex.EncodeToString(v[:]) != want {
			t.Fatalf("L: got %x want %s", v, want)
		}
		if back := linearInverse(v); back == v {
			t.Fatal("L⁻¹ is the identity")
		}
	}
	// A.1.4 round keys.
	c, _ := NewCipher(unhex(t, stdKey))
	want := []string{
		"8899aabbccddeeff0011223344556677", "fedcba98765432100123456789abcdef",
		"db31485315694343228d6aef8cc78c44", "3d4553d8e9cfec6815ebadc40a9ffd04",
		"57646468c44a5e28d3e59246f429f1ac", "bd079435165c6432b532e82834da581b",
		"51e640757e8745de705727265a0098b1", "5a7925017b9fdd3ed72a91a22286f984",
		"bb44e25378c73123a5f32f73cdb6e517", "72e9dd7416bcf45b755dbaa88e4a4043",
	}
	for i, w := range want {
		var b [16]byte
		c.enc[i].store(b[:])
		if hex.EncodeToString(b[:]) != w {
			t.Errorf("K%d = %x, want %s", i+1, b, w)
		}
	}
}

func TestKeySize(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33, 64} {
		if _, err := NewCipher(make([]byte, n)); err == nil {
			t.Errorf("key of %d bytes accepted", n)
		}
	}
}

func TestInPlace(t *testing.T) {
	c, _ := NewCipher(unhex(t, stdKey))
	b := unhex(t, "1122334455667700ffeeddccbbaa9988")
	c.Encrypt(b, b)
	if hex.EncodeToString(b) != "7f679d90bebc24305a468d42b9d4edcd" {
		t.Fatalf("in place: %x", b)
	}
	c.Decrypt(b, b)
	if hex.EncodeToString(b) != "1122334455667700ffeeddccbbaa9988" {
		t.Fatalf("in place decrypt: %x", b)
	}
}

func BenchmarkEncrypt(b *testing.B) {
	c, _ := NewCipher(unhex(b, stdKey))
	buf := make([]byte, BlockSize)
	b.SetBytes(BlockSize)
	for b.Loop() {
		c.Encrypt(buf, buf)
	}
}

func BenchmarkDecrypt(b *testing.B) {
	c, _ := NewCipher(unhex(b, stdKey))
	buf := make([]byte, BlockSize)
	b.SetBytes(BlockSize)
	for b.Loop() {
		c.Decrypt(buf, buf)
	}
}

func BenchmarkExpandKey(b *testing.B) {
	key := unhex(b, stdKey)
	for b.Loop() {
		if _, err := NewCipher(key); err != nil {
			b.Fatal(err)
		}
	}
}
