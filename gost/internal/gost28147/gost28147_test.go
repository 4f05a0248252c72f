package gost28147

import (
	"math/bits"
	"testing"
)

// The tests of the round function and one block use the examples of Magma
// (GOST R 34.12-2015, RFC 8891), the same cipher with param-Z's S-box.

// RFC 8891 section A.2: the substitution t and the round function g.
func TestRoundFunction(t *testing.T) {
	c := New(&sboxZ)
	for _, v := range []struct{ in, out uint32 }{
		{0xfdb97531, 0x2a196f34}, {0x2a196f34, 0xebd9f03a},
		{0xebd9f03a, 0xb039bb3d}, {0xb039bb3d, 0x68695433},
	} {
		if got := bits.RotateLeft32(c.f(v.in), -11); got != v.out {
			t.Errorf("t(%08x) = %08x, want %08x", v.in, got, v.out)
		}
	}
	for _, v := range []struct{ k, a, out uint32 }{
		{0x87654321, 0xfedcba98, 0xfdcbc20c}, {0xfdcbc20c, 0x87654321, 0x7e791a4b},
	} {
		if got := c.f(v.a + v.k); got != v.out {
			t.Errorf("g[%08x](%08x) = %08x, want %08x", v.k, v.a, got, v.out)
		}
	}
}

// RFC 8891 section A.3: key ffeeddcc…fcfdfeff, plaintext fedcba9876543210,
// ciphertext 4ee901e5c2d8ca3d. Magma writes words most significant first:
// K0 is the key's first four bytes, N1 the block's low half.
func TestMagmaExample(t *testing.T) {
	key := [8]uint32{0xffeeddcc, 0xbbaa9988, 0x77665544, 0x33221100,
		0xf0f1f2f3, 0xf4f5f6f7, 0xf8f9fafb, 0xfcfdfeff}
	n1, n2 := New(&sboxZ).Encrypt(&key, 0x76543210, 0xfedcba98)
	if n2 != 0x4ee901e5 || n1 != 0xc2d8ca3d {
		t.Fatalf("E(fedcba9876543210) = %08x%08x, want 4ee901e5c2d8ca3d", n2, n1)
	}
	// a changed key bit changes the result (the key is used)
	key[7] ^= 1
	if m1, m2 := New(&sboxZ).Encrypt(&key, 0x76543210, 0xfedcba98); m1 == n1 && m2 == n2 {
		t.Fatal("the last key word has no effect")
	}
}
