package gost28147

import (
	"math/bits"
	"testing"
)

// sboxZ is id-tc26-gost-28147-param-Z, the S-box of Magma (GOST R 34.12-2015,
// RFC 8891 section 4.1), whose examples test the cipher independently of
// the hash.
var sboxZ = SBox{
	{12, 4, 6, 2, 10, 5, 11, 9, 14, 8, 13, 7, 0, 3, 15, 1},
	{6, 8, 2, 3, 9, 10, 5, 12, 1, 14, 4, 7, 11, 13, 0, 15},
	{11, 3, 5, 8, 2, 15, 10, 13, 14, 1, 7, 4, 12, 9, 6, 0},
	{12, 8, 2, 1, 13, 4, 15, 6, 7, 0, 10, 5, 3, 14, 9, 11},
	{7, 15, 5, 10, 8, 1, 6, 13, 0, 9, 3, 14, 11, 4, 2, 12},
	{5, 13, 15, 6, 9, 2, 12, 10, 11, 7, 8, 1, 4, 3, 14, 0},
	{8, 14, 2, 5, 6, 9, 1, 12, 15, 4, 11, 0, 13, 10, 3, 7},
	{1, 7, 14, 13, 0, 5, 8, 3, 4, 15, 10, 6, 9, 12, 11, 2},
}

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
