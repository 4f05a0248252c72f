package gostmode

import (
	"bytes"
	"crypto/cipher"
	"math/big"
	"testing"
)

// refKeystream is CTR-ACPKM written plainly from the standards: block j of
// the keystream is E_{K_s}(IV||0 + j mod 2^n) with s = j·n / N the section
// and K_s the key after s ACPKM steps (section 0: no re-keying).
func refKeystream(alg *Algorithm, key, iv []byte, section, size int) []byte {
	n := alg.BlockSize
	mod := new(big.Int).Lsh(big.NewInt(1), uint(8*n))
	start := new(big.Int).SetBytes(append(append([]byte{}, iv...), make([]byte, n/2)...))
	b, _ := alg.New(key)
	out := make([]byte, 0, size+n)
	for j := 0; len(out) < size; j++ {
		if section > 0 && j > 0 && j*n%section == 0 {
			d := make([]byte, KeySize)
			for i := range d {
				d[i] = 0x80 + byte(i)
			}
			nk := make([]byte, KeySize)
			for i := 0; i < KeySize; i += n {
				b.Encrypt(nk[i:i+n], d[i:i+n])
			}
			b, _ = alg.New(nk)
		}
		c := new(big.Int).Add(start, big.NewInt(int64(j)))
		c.Mod(c, mod)
		blk := make([]byte, n)
		c.FillBytes(blk)
		b.Encrypt(blk, blk)
		out = append(out, blk...)
	}
	return out[:size]
}

// refOMAC is the MAC of GOST R 34.13-2015 5.6 computed on the whole message
// at once: pad, split, chain.
func refOMAC(b cipher.Block, msg []byte) []byte {
	n := b.BlockSize()
	k1, k2 := omacSubkeys(b)
	p, k := append([]byte{}, msg...), k1
	if len(p) == 0 || len(p)%n != 0 {
		p = append(p, 0x80)
		for len(p)%n != 0 {
			p = append(p, 0)
		}
		k = k2
	}
	for i, v := range k {
		p[len(p)-n+i] ^= v
	}
	x := make([]byte, n)
	for i := 0; i < len(p); i += n {
		for j := range x {
			x[j] ^= p[i+j]
		}
		b.Encrypt(x, x)
	}
	return x
}

func pick(sel byte) *Algorithm {
	if sel&1 == 0 {
		return Kuznyechik
	}
	return Magma
}

// FuzzCTR: CTR and CTR-ACPKM equal the plain reference keystream however
// the input is split, and decrypt back.
func FuzzCTR(f *testing.F) {
	f.Add(byte(0), byte(2), make([]byte, 40), uint16(100), uint16(7))
	f.Add(byte(1), byte(1), bytes.Repeat([]byte{0xff}, 40), uint16(3000), uint16(1000))
	f.Add(byte(0), byte(0), bytes.Repeat([]byte{0xff}, 40), uint16(40), uint16(3))
	f.Fuzz(func(t *testing.T, sel, sections byte, keyIV []byte, size, split uint16) {
		alg := pick(sel)
		n := alg.BlockSize
		if len(keyIV) < KeySize+n/2 || size > 8192 {
			return
		}
		key, iv := keyIV[:KeySize], keyIV[KeySize:KeySize+n/2]
		section := int(sections%8) * 2 * n // 0: plain CTR; else a few blocks
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i * 7)
		}
		want := refKeystream(alg, key, iv, section, int(size))
		for i := range want {
			want[i] ^= data[i]
		}
		mk := func() cipher.Stream {
			if section == 0 {
				b, _ := alg.New(key)
				s, _ := NewCTR(b, iv)
				return s
			}
			s, err := NewCTRACPKM(alg, key, iv, section)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		got := make([]byte, size)
		s := mk()
		cut := min(int(split), int(size))
		s.XORKeyStream(got[:cut], data[:cut])
		s.XORKeyStream(got[cut:], data[cut:])
		if !bytes.Equal(got, want) {
			t.Fatalf("%s section %d size %d split %d: differs from the reference", alg.Name, section, size, cut)
		}
		mk().XORKeyStream(got, got)
		if !bytes.Equal(got, data) {
			t.Fatal("round trip")
		}
	})
}

// FuzzOMAC: the streaming OMAC equals the one-shot reference for any split,
// and Sum leaves the state alone.
func FuzzOMAC(f *testing.F) {
	f.Add(byte(0), make([]byte, 32), []byte("message"), uint8(3))
	f.Add(byte(1), make([]byte, 32), make([]byte, 64), uint8(8))
	f.Add(byte(1), make([]byte, 32), []byte{}, uint8(0))
	f.Fuzz(func(t *testing.T, sel byte, key, msg []byte, split uint8) {
		alg := pick(sel)
		if len(key) < KeySize {
			return
		}
		b, _ := alg.New(key[:KeySize])
		h, _ := NewOMAC(b, alg.BlockSize)
		cut := min(int(split), len(msg))
		h.Write(msg[:cut])
		mid := h.Sum(nil)
		h.Write(msg[cut:])
		want := refOMAC(b, msg)
		if got := h.Sum(nil); !bytes.Equal(got, want) {
			t.Fatalf("%s: streaming %x, reference %x", alg.Name, got, want)
		}
		if !bytes.Equal(mid, refOMAC(b, msg[:cut])) {
			t.Fatal("Sum in the middle")
		}
	})
}

// FuzzScheme: RFC 9337 encrypt/decrypt round trips for every scheme, and a
// changed byte is always caught by the MAC schemes.
func FuzzScheme(f *testing.F) {
	f.Add(byte(1), make([]byte, 48), []byte("PrivateKeyInfo"), uint16(3))
	f.Add(byte(3), bytes.Repeat([]byte{1}, 48), make([]byte, 5000), uint16(4999))
	f.Fuzz(func(t *testing.T, sel byte, keyUKM, data []byte, flip uint16) {
		s := schemes[int(sel)%len(schemes)]
		if len(keyUKM) < KeySize+s.UKMSize() {
			return
		}
		key, ukm := keyUKM[:KeySize], keyUKM[KeySize:KeySize+s.UKMSize()]
		ct, err := s.Encrypt(key, ukm, data)
		if err != nil {
			t.Fatal(err)
		}
		pt, err := s.Decrypt(key, ukm, ct)
		if err != nil || !bytes.Equal(pt, data) {
			t.Fatalf("%s: round trip: %v", s.Name, err)
		}
		if s.OMAC {
			ct[int(flip)%len(ct)] ^= 0x01
			if _, err := s.Decrypt(key, ukm, ct); err != ErrMAC {
				t.Fatalf("%s: changed byte %d not caught: %v", s.Name, int(flip)%len(ct), err)
			}
		}
	})
}

// FuzzKExp15: export/import round trip with both ciphers; a changed byte
// is refused.
func FuzzKExp15(f *testing.F) {
	f.Add(byte(0), make([]byte, 104), uint8(5))
	f.Add(byte(1), bytes.Repeat([]byte{9}, 104), uint8(39))
	f.Fuzz(func(t *testing.T, sel byte, material []byte, flip uint8) {
		alg := pick(sel)
		if len(material) < 3*KeySize+alg.BlockSize/2 {
			return
		}
		key, kEnc, kMac := material[:32], material[32:64], material[64:96]
		iv := material[96 : 96+alg.BlockSize/2]
		exp, err := KExp15(alg, key, kEnc, kMac, iv)
		if err != nil {
			t.Fatal(err)
		}
		back, err := KImp15(alg, exp, kEnc, kMac, iv)
		if err != nil || !bytes.Equal(back, key) {
			t.Fatalf("round trip: %v", err)
		}
		exp[int(flip)%len(exp)] ^= 0x80
		if _, err := KImp15(alg, exp, kEnc, kMac, iv); err != ErrMAC {
			t.Fatalf("changed export accepted: %v", err)
		}
	})
}
