package gost28147

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"
)

func TestKeyWrapRoundTrip(t *testing.T) {
	kek, ukm, cek := make([]byte, 32), make([]byte, 8), make([]byte, 32)
	rand.Read(kek)
	rand.Read(ukm)
	rand.Read(cek)
	for _, w := range []struct {
		name   string
		wrap   func(*ParamSet, []byte, []byte, []byte) ([]byte, error)
		unwrap func(*ParamSet, []byte, []byte) ([]byte, error)
	}{{"GOST", Wrap, Unwrap}, {"CryptoPro", CryptoProWrap, CryptoProUnwrap}} {
		for _, p := range []*ParamSet{ParamSetCryptoProA, ParamSetZ} {
			wrapped, err := w.wrap(p, kek, ukm, cek)
			if err != nil || len(wrapped) != WrappedSize || !bytes.Equal(wrapped[:8], ukm) {
				t.Fatalf("%s wrap: %v %x", w.name, err, wrapped)
			}
			got, err := w.unwrap(p, kek, wrapped)
			if err != nil || !bytes.Equal(got, cek) {
				t.Fatalf("%s unwrap: %v", w.name, err)
			}
			// another KEK, a changed byte anywhere, another S-box: refused
			other := append([]byte(nil), kek...)
			other[31] ^= 0x80
			if _, err := w.unwrap(p, other, wrapped); !errors.Is(err, ErrUnwrap) {
				t.Fatalf("%s: wrong KEK gave %v", w.name, err)
			}
			for _, i := range []int{0, 7, 8, 39, 40, 43} {
				bad := append([]byte(nil), wrapped...)
				bad[i] ^= 1
				if _, err := w.unwrap(p, kek, bad); !errors.Is(err, ErrUnwrap) {
					t.Fatalf("%s: byte %d changed, got %v", w.name, i, err)
				}
			}
			if _, err := w.unwrap(p, kek, wrapped[:43]); err == nil {
				t.Fatalf("%s: short blob accepted", w.name)
			}
		}
	}
	plain, _ := Wrap(ParamSetCryptoProA, kek, ukm, cek)
	cp, _ := CryptoProWrap(ParamSetCryptoProA, kek, ukm, cek)
	if bytes.Equal(plain, cp) {
		t.Fatal("the CryptoPro wrap did not diversify the KEK")
	}
}

// The diversification depends on every UKM byte and every bit of it.
func TestDiversifyKEK(t *testing.T) {
	kek, ukm := make([]byte, 32), make([]byte, 8)
	rand.Read(kek)
	rand.Read(ukm)
	base, err := DiversifyKEK(ParamSetCryptoProA, kek, ukm)
	if err != nil || bytes.Equal(base, kek) {
		t.Fatalf("%v %x", err, base)
	}
	seen := map[string]bool{string(base): true}
	for i := 0; i < 64; i++ {
		u := append([]byte(nil), ukm...)
		u[i/8] ^= 1 << (i % 8)
		k, _ := DiversifyKEK(ParamSetCryptoProA, kek, u)
		if seen[string(k)] {
			t.Fatalf("UKM bit %d has no effect", i)
		}
		seen[string(k)] = true
	}
	if _, err := DiversifyKEK(ParamSetCryptoProA, kek, ukm[:7]); err == nil {
		t.Fatal("short UKM accepted")
	}
}
