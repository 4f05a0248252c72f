package gost28147

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustBlock(t testing.TB, p *ParamSet, key []byte) *Block {
	t.Helper()
	b, err := NewBlock(p, key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecryptInvertsEncrypt(t *testing.T) {
	for _, p := range ParamSets() {
		key := make([]byte, KeySize)
		rand.Read(key)
		b := mustBlock(t, p, key)
		for i := 0; i < 100; i++ {
			var x, y, z [BlockSize]byte
			rand.Read(x[:])
			b.Encrypt(y[:], x[:])
			b.Decrypt(z[:], y[:])
			if x != z || x == y {
				t.Fatalf("%s: D(E(%x)) = %x via %x", p.Name, x, z, y)
			}
		}
	}
}

// The RFC 8891 Magma block (A.3) read in this package's byte order: Magma
// prints words most significant first, GOST 28147-89 stores them
// little-endian, so key and blocks are the printed bytes reversed per word
// and the block halves swapped.
func TestBlockBytesMagmaExample(t *testing.T) {
	key := unhex(t, "ccddeeff8899aabb4455667700112233f3f2f1f0f7f6f5f4fbfaf9f8fffefdfc")
	b := mustBlock(t, ParamSetZ, key)
	var ct [BlockSize]byte
	b.Encrypt(ct[:], unhex(t, "1032547698badcfe"))
	if got := hex.EncodeToString(ct[:]); got != "3dcad8c2e501e94e" {
		t.Fatalf("E = %s, want 3dcad8c2e501e94e", got)
	}
}

// VECTORS.md section 9: the shrouded key bag of the R 50.1.112-2016 PFX
// example, GOST 28147-89 CFB with param-Z (shorter than 1024 bytes: no
// meshing happens).
func TestCFBParamZVector(t *testing.T) {
	key := unhex(t, "309dd0354c5603739403f2335e9e2055138f8b5c98b63009de0635eea1fd7ba8")
	iv := unhex(t, "dc8a7f569d08b322")
	ct := unhex(t, "49f2e1831f6cff39fe0639e14f4ae8af4eef4b9e58b39860bd5a560f1e265c65"+
		"96c9ecffdac31c685812af81f8513186c283329c62e917520e568f9b189d1e3e"+
		"a1c1fa04b938bf6857e3d4999fc42eb44434a9420ea7d85afa52cacb57dbd0af"+
		"085ae74e70ec6c16")
	want := unhex(t, "3066020100301f06082a85030701010101301306072a85030202230106082a85"+
		"0307010102020440461b46ef3acfed4914a0dc3c337d51b4c61b6922f5e9d3aa"+
		"8b382a9514d23f480e997551789a035603230523940a7ef351a42e6cadf05c3a"+
		"1adfd7e496724806")
	s, err := NewCFBDecrypter(mustBlock(t, ParamSetZ, key), iv, true)
	if err != nil {
		t.Fatal(err)
	}
	pt := make([]byte, len(ct))
	s.XORKeyStream(pt, ct)
	if !bytes.Equal(pt, want) {
		t.Fatalf("CFB-Z decryption\n got %x\nwant %x", pt, want)
	}
	// encryption gives the ciphertext back, in pieces of any size
	e, _ := NewCFBEncrypter(mustBlock(t, ParamSetZ, key), iv, true)
	out := make([]byte, len(pt))
	for i, n := 0, 1; i < len(pt); i, n = i+n, n+2 {
		end := min(i+n, len(pt))
		e.XORKeyStream(out[i:end], pt[i:end])
	}
	if !bytes.Equal(out, ct) {
		t.Fatal("CFB encryption in pieces differs")
	}
}

func TestModesRoundTripAcrossMeshing(t *testing.T) {
	key, iv := make([]byte, KeySize), make([]byte, BlockSize)
	rand.Read(key)
	rand.Read(iv)
	msg := make([]byte, 3*meshInterval+13)
	rand.Read(msg)
	for _, p := range ParamSets() {
		b := mustBlock(t, p, key)
		enc, _ := NewCFBEncrypter(b, iv, p.Meshing)
		dec, _ := NewCFBDecrypter(b, iv, p.Meshing)
		ct := make([]byte, len(msg))
		enc.XORKeyStream(ct, msg)
		pt := make([]byte, len(msg))
		dec.XORKeyStream(pt, ct)
		if !bytes.Equal(pt, msg) {
			t.Fatalf("%s: CFB round trip", p.Name)
		}
		// meshing changes everything after the first 1024 bytes only
		plain, _ := NewCFBEncrypter(b, iv, false)
		ct2 := make([]byte, len(msg))
		plain.XORKeyStream(ct2, msg)
		if !bytes.Equal(ct2[:meshInterval], ct[:meshInterval]) ||
			p.Meshing == bytes.Equal(ct2[meshInterval:], ct[meshInterval:]) {
			t.Fatalf("%s: key meshing applied wrongly", p.Name)
		}
		c1, _ := NewCNT(b, iv, p.Meshing)
		c2, _ := NewCNT(b, iv, p.Meshing)
		c1.XORKeyStream(ct, msg)
		c2.XORKeyStream(pt, ct)
		if !bytes.Equal(pt, msg) {
			t.Fatalf("%s: CNT round trip", p.Name)
		}
	}
}

func TestECBAndArguments(t *testing.T) {
	key := make([]byte, KeySize)
	rand.Read(key)
	b := mustBlock(t, ParamSetCryptoProA, key)
	msg := make([]byte, 64)
	rand.Read(msg)
	ct, pt := make([]byte, 64), make([]byte, 64)
	if err := b.EncryptECB(ct, msg); err != nil {
		t.Fatal(err)
	}
	if err := b.DecryptECB(pt, ct); err != nil || !bytes.Equal(pt, msg) {
		t.Fatal("ECB round trip")
	}
	if b.EncryptECB(ct, msg[:7]) == nil || b.DecryptECB(pt, msg[:9]) == nil {
		t.Fatal("partial ECB block accepted")
	}
	if _, err := NewBlock(ParamSetZ, key[:31]); err == nil {
		t.Fatal("short key accepted")
	}
	if _, err := NewBlock(nil, key); err == nil {
		t.Fatal("nil parameter set accepted")
	}
	if _, err := NewCFBDecrypter(b, make([]byte, 7), true); err == nil {
		t.Fatal("short IV accepted")
	}
	if _, err := NewCNT(b, make([]byte, 9), true); err == nil {
		t.Fatal("long IV accepted")
	}
	b.Zero()
	if b.k != [8]uint32{} {
		t.Fatal("Zero left the key")
	}
}

func TestParamSetByOID(t *testing.T) {
	for _, p := range ParamSets() {
		if ParamSetByOID(p.OID) != p {
			t.Fatalf("%s not found by OID", p.Name)
		}
	}
	if ParamSetByOID([]int{1, 2, 643, 2, 2, 31, 9}) != nil {
		t.Fatal("unknown OID found")
	}
}
