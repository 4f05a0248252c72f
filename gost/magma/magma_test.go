package magma

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

// GOST R 34.12-2015 A.2 and GOST R 34.13-2015 A.2.1.
const (
	stdKey   = "ffeeddccbbaa99887766554433221100f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
	stdPlain = "92def06b3c130a59 db54c704f8189d20 4a98fb2e67a8024c 8912409b17b57e41"
	stdECB   = "2b073f0494f372a0 de70e715d3556e48 11d8d9e9eacfbc1e 7c68260996c67efb"
)

func TestStandardBlock(t *testing.T) {
	c, err := NewCipher(unhex(t, stdKey))
	if err != nil {
		t.Fatal(err)
	}
	b := unhex(t, "fedcba9876543210")
	c.Encrypt(b, b)
	if hex.EncodeToString(b) != "4ee901e5c2d8ca3d" {
		t.Fatalf("encrypt: %x", b)
	}
	c.Decrypt(b, b)
	if hex.EncodeToString(b) != "fedcba9876543210" {
		t.Fatalf("decrypt: %x", b)
	}
}

func TestStandardECB(t *testing.T) {
	c, _ := NewCipher(unhex(t, stdKey))
	p, want := unhex(t, stdPlain), unhex(t, stdECB)
	got := make([]byte, len(p))
	for i := 0; i < len(p); i += BlockSize {
		c.Encrypt(got[i:], p[i:])
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("ECB\n got %x\nwant %x", got, want)
	}
}

// GOST R 34.12-2015 A.2.1–A.2.3: t, g and the round keys.
func TestStandardSteps(t *testing.T) {
	x := uint32(0xfdb97531)
	for _, want := range []uint32{0x2a196f34, 0xebd9f03a, 0xb039bb3d, 0x68695433} {
		x = refT(x)
		if x != want {
			t.Fatalf("t: %08x, want %08x", x, want)
		}
	}
	for _, c := range [][3]uint32{
		{0x87654321, 0xfedcba98, 0xfdcbc20c},
		{0xfdcbc20c, 0x87654321, 0x7e791a4b},
		{0x7e791a4b, 0xfdcbc20c, 0xc76549ec},
		{0xc76549ec, 0x7e791a4b, 0x9791c849},
	} {
		if got := g(c[1], c[0]); got != c[2] {
			t.Errorf("g[%08x](%08x) = %08x, want %08x", c[0], c[1], got, c[2])
		}
	}
	k, _ := NewCipher(unhex(t, stdKey))
	if k.k[0] != 0xffeeddcc || k.k[7] != 0xfcfdfeff {
		t.Fatalf("round keys %08x", k.k)
	}
}

func TestKeySize(t *testing.T) {
	for _, n := range []int{0, 8, 31, 33} {
		if _, err := NewCipher(make([]byte, n)); err == nil {
			t.Errorf("key of %d bytes accepted", n)
		}
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
