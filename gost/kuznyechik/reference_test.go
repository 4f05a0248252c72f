package kuznyechik

import (
	"bytes"
	"testing"
)

// A straightforward Kuznyechik written from GOST R 34.12-2015 section 4
// without any table but π: X, S, R, L, the key schedule, E and D step by
// step on byte arrays. The fast cipher is checked against it.

type refBlock = [16]byte

// refMul multiplies in GF(2)[x]/(x⁸+x⁷+x⁶+x+1), bit by bit.
func refMul(a, b byte) byte {
	var p uint16
	for i := 0; i < 8; i++ {
		if b>>uint(i)&1 == 1 {
			p ^= uint16(a) << uint(i)
		}
	}
	for i := 15; i >= 8; i-- {
		if p>>uint(i)&1 == 1 {
			p ^= 0x1c3 << uint(i-8)
		}
	}
	return byte(p)
}

func refEll(a refBlock) byte {
	coef := [16]byte{148, 32, 133, 16, 194, 192, 1, 251, 1, 192, 194, 16, 133, 32, 148, 1}
	var r byte
	for i := range a {
		r ^= refMul(coef[i], a[i])
	}
	return r
}

func refX(k, a refBlock) refBlock {
	for i := range a {
		a[i] ^= k[i]
	}
	return a
}

func refS(a refBlock) refBlock {
	for i := range a {
		a[i] = pi[a[i]]
	}
	return a
}

func refSInv(a refBlock) refBlock {
	for i := range a {
		for v := 0; v < 256; v++ {
			if pi[v] == a[i] {
				a[i] = byte(v)
				break
			}
		}
	}
	return a
}

func refR(a refBlock) refBlock {
	var r refBlock
	r[0] = refEll(a)
	copy(r[1:], a[:15])
	return r
}

func refRInv(a refBlock) refBlock {
	var r refBlock
	copy(r[:15], a[1:])
	r[15] = a[0]
	r[15] = refEll(r)
	return r
}

func refL(a refBlock) refBlock {
	for i := 0; i < 16; i++ {
		a = refR(a)
	}
	return a
}

func refLInv(a refBlock) refBlock {
	for i := 0; i < 16; i++ {
		a = refRInv(a)
	}
	return a
}

func refKeys(key []byte) [10]refBlock {
	var k [10]refBlock
	copy(k[0][:], key[:16])
	copy(k[1][:], key[16:])
	a1, a0 := k[0], k[1]
	for i := 1; i <= 4; i++ {
		for j := 1; j <= 8; j++ {
			var c refBlock
			c[15] = byte(8*(i-1) + j)
			c = refL(c)
			a1, a0 = refX(refL(refS(refX(c, a1))), a0), a1
		}
		k[2*i], k[2*i+1] = a1, a0
	}
	return k
}

func refEncrypt(key []byte, p refBlock) refBlock {
	k := refKeys(key)
	for i := 0; i < 9; i++ {
		p = refL(refS(refX(k[i], p)))
	}
	return refX(k[9], p)
}

func refDecrypt(key []byte, c refBlock) refBlock {
	k := refKeys(key)
	c = refX(k[9], c)
	for i := 8; i >= 0; i-- {
		c = refX(k[i], refSInv(refLInv(c)))
	}
	return c
}

func TestReferenceStandardVector(t *testing.T) {
	var p refBlock
	copy(p[:], unhex(t, "1122334455667700ffeeddccbbaa9988"))
	c := refEncrypt(unhex(t, stdKey), p)
	if !bytes.Equal(c[:], unhex(t, "7f679d90bebc24305a468d42b9d4edcd")) {
		t.Fatalf("reference: %x", c)
	}
	if refDecrypt(unhex(t, stdKey), c) != p {
		t.Fatal("reference decrypt")
	}
}

// FuzzDifferential checks the table cipher against the reference, both
// directions, and the round trip.
func FuzzDifferential(f *testing.F) {
	f.Add(unhex(f, stdKey), unhex(f, "1122334455667700ffeeddccbbaa9988"))
	f.Add(make([]byte, 32), make([]byte, 16))
	f.Add(bytes.Repeat([]byte{0xff}, 32), bytes.Repeat([]byte{0xff}, 16))
	f.Fuzz(func(t *testing.T, key, data []byte) {
		if len(key) < KeySize || len(data) < BlockSize {
			return
		}
		key, data = key[:KeySize], data[:BlockSize]
		c, err := NewCipher(key)
		if err != nil {
			t.Fatal(err)
		}
		var p refBlock
		copy(p[:], data)
		got := make([]byte, BlockSize)
		c.Encrypt(got, data)
		if want := refEncrypt(key, p); !bytes.Equal(got, want[:]) {
			t.Fatalf("encrypt: fast %x, reference %x", got, want)
		}
		back := make([]byte, BlockSize)
		c.Decrypt(back, got)
		if !bytes.Equal(back, data) {
			t.Fatalf("round trip: %x -> %x -> %x", data, got, back)
		}
		c.Decrypt(got, data)
		if want := refDecrypt(key, p); !bytes.Equal(got, want[:]) {
			t.Fatalf("decrypt: fast %x, reference %x", got, want)
		}
	})
}
