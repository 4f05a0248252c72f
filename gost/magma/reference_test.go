package magma

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"testing"
)

// A plain Magma from GOST R 34.12-2015 section 5: t nibble by nibble, g,
// G, G* and the key order K1…K8 ×3, K8…K1, with explicit swaps.

func refT(a uint32) uint32 {
	var r uint32
	for i := 0; i < 8; i++ {
		r |= uint32(pi[i][a>>(4*uint(i))&15]) << (4 * uint(i))
	}
	return r
}

func refG(k, a uint32) uint32 { return bits.RotateLeft32(refT(a+k), 11) }

func refRoundKeys(key []byte) [32]uint32 {
	var k [32]uint32
	for i := 0; i < 24; i++ {
		k[i] = binary.BigEndian.Uint32(key[4*(i%8):])
	}
	for i := 0; i < 8; i++ {
		k[24+i] = binary.BigEndian.Uint32(key[4*(7-i):])
	}
	return k
}

func refCrypt(k [32]uint32, order func(int) int, b []byte) []byte {
	a1, a0 := binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:])
	for i := 0; i < 31; i++ {
		a1, a0 = a0, refG(k[order(i)], a0)^a1
	}
	a1 = refG(k[order(31)], a0) ^ a1
	out := make([]byte, 8)
	binary.BigEndian.PutUint32(out, a1)
	binary.BigEndian.PutUint32(out[4:], a0)
	return out
}

func refEncrypt(key, b []byte) []byte {
	return refCrypt(refRoundKeys(key), func(i int) int { return i }, b)
}

func refDecrypt(key, b []byte) []byte {
	return refCrypt(refRoundKeys(key), func(i int) int { return 31 - i }, b)
}

func TestReferenceStandardVector(t *testing.T) {
	got := refEncrypt(unhex(t, stdKey), unhex(t, "fedcba9876543210"))
	if !bytes.Equal(got, unhex(t, "4ee901e5c2d8ca3d")) {
		t.Fatalf("reference: %x", got)
	}
}

// FuzzDifferential checks the table cipher against the reference, both
// directions, and the round trip.
func FuzzDifferential(f *testing.F) {
	f.Add(unhex(f, stdKey), unhex(f, "fedcba9876543210"))
	f.Add(make([]byte, 32), make([]byte, 8))
	f.Add(bytes.Repeat([]byte{0xff}, 32), bytes.Repeat([]byte{0xff}, 8))
	f.Fuzz(func(t *testing.T, key, data []byte) {
		if len(key) < KeySize || len(data) < BlockSize {
			return
		}
		key, data = key[:KeySize], data[:BlockSize]
		c, _ := NewCipher(key)
		got := make([]byte, BlockSize)
		c.Encrypt(got, data)
		if want := refEncrypt(key, data); !bytes.Equal(got, want) {
			t.Fatalf("encrypt: fast %x, reference %x", got, want)
		}
		back := make([]byte, BlockSize)
		c.Decrypt(back, got)
		if !bytes.Equal(back, data) {
			t.Fatalf("round trip: %x -> %x -> %x", data, got, back)
		}
		c.Decrypt(got, data)
		if want := refDecrypt(key, data); !bytes.Equal(got, want) {
			t.Fatalf("decrypt: fast %x, reference %x", got, want)
		}
	})
}
