package gostmode

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

// Keys and messages of GOST R 34.13-2015 appendix A (also R 1323565.1.017-2018).
const (
	kKey   = "8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef"
	kPlain = `1122334455667700ffeeddccbbaa9988 00112233445566778899aabbcceeff0a
		112233445566778899aabbcceeff0a00 2233445566778899aabbcceeff0a0011`
	mKey   = "ffeeddccbbaa99887766554433221100f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
	mPlain = "92def06b3c130a59 db54c704f8189d20 4a98fb2e67a8024c 8912409b17b57e41"
)

func mustBlock(t testing.TB, alg *Algorithm, key string) interface {
	BlockSize() int
	Encrypt(dst, src []byte)
	Decrypt(dst, src []byte)
} {
	b, err := alg.New(unhex(t, key))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// GOST R 34.13-2015 A.1.2 and A.2.2, whole and split into odd pieces.
func TestCTRStandard(t *testing.T) {
	for _, c := range []struct {
		alg              *Algorithm
		key, iv, p, want string
	}{
		{Kuznyechik, kKey, "1234567890abcef0", kPlain, `f195d8bec10ed1dbd57b5fa240bda1b8 85eee733f6a13e5df33ce4b33c45dee4
			a5eae88be6356ed3d5e877f13564a3a5 cb91fab1f20cbab6d1c6d15820bdba73`},
		{Magma, mKey, "12345678", mPlain, "4e98110c97b7b93c 3e250d93d6e85d69 136d868807b2dbef 568eb680ab52a12d"},
	} {
		p, want := unhex(t, c.p), unhex(t, c.want)
		for _, step := range []int{len(p), 1, 3, 7, 17} {
			s, err := NewCTR(mustBlock(t, c.alg, c.key), unhex(t, c.iv))
			if err != nil {
				t.Fatal(err)
			}
			got := make([]byte, len(p))
			for i := 0; i < len(p); i += step {
				j := min(len(p), i+step)
				s.XORKeyStream(got[i:j], p[i:j])
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s CTR step %d\n got %x\nwant %x", c.alg.Name, step, got, want)
			}
		}
	}
	if _, err := NewCTR(mustBlock(t, Magma, mKey), make([]byte, 8)); err == nil {
		t.Error("Magma CTR with an 8-byte IV accepted")
	}
}

// GOST R 34.13-2015 A.1.6 and A.2.6: subkeys and the truncated MAC.
func TestOMACStandard(t *testing.T) {
	for _, c := range []struct {
		alg                 *Algorithm
		key, p, k1, k2, mac string
	}{
		{Kuznyechik, kKey, kPlain, "297d82bc4d39e3ca0de0573298151dc7", "52fb05789a73c7941bc0ae65302a3b8e", "336f4d296059fbe3"},
		{Magma, mKey, mPlain, "5f459b3342521424", "be8b366684a42848", "154e7210"},
	} {
		b := mustBlock(t, c.alg, c.key)
		k1, k2 := omacSubkeys(b)
		if hex.EncodeToString(k1) != c.k1 || hex.EncodeToString(k2) != c.k2 {
			t.Errorf("%s subkeys %x %x", c.alg.Name, k1, k2)
		}
		p := unhex(t, c.p)
		h, _ := NewOMAC(b, len(c.mac)/2)
		for _, step := range []int{len(p), 1, 5, 16} {
			h.Reset()
			for i := 0; i < len(p); i += step {
				h.Write(p[i:min(len(p), i+step)])
			}
			if got := hex.EncodeToString(h.Sum(nil)); got != c.mac {
				t.Errorf("%s OMAC step %d: %s, want %s", c.alg.Name, step, got, c.mac)
			}
		}
	}
}

// R 1323565.1.017-2018 A.2 (Kuznyechik CTR-ACPKM, N = 256 bits).
func TestCTRACPKMStandard(t *testing.T) {
	p := unhex(t, kPlain+`33445566778899aabbcceeff0a001122 445566778899aabbcceeff0a00112233
		5566778899aabbcceeff0a0011223344`)
	want := unhex(t, `f195d8bec10ed1dbd57b5fa240bda1b8 85eee733f6a13e5df33ce4b33c45dee4
		4bceeb8f646f4c55001706275e85e800 587c4df568d094393e4834afd0805046
		cf30f57686aeece11cfc6c316b8a896e dffd07ec813636460c4f3b743423163e
		6409a9c282fac8d469d221e7fbd6de5d`)
	for _, step := range []int{len(p), 1, 13, 32} {
		s, err := NewCTRACPKM(Kuznyechik, unhex(t, kKey), unhex(t, "1234567890abcef0"), 32)
		if err != nil {
			t.Fatal(err)
		}
		got := make([]byte, len(p))
		for i := 0; i < len(p); i += step {
			j := min(len(p), i+step)
			s.XORKeyStream(got[i:j], p[i:j])
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("step %d\n got %x\nwant %x", step, got, want)
		}
	}
	if _, err := NewCTRACPKM(Kuznyechik, unhex(t, kKey), unhex(t, "1234567890abcef0"), 24); err == nil {
		t.Error("section of 24 bytes accepted for a 16-byte block")
	}
}

// R 1323565.1.017-2018 A.4.2: ACPKM-Master(K, 768 bits, 3 keys of 384 bits).
func TestACPKMMasterStandard(t *testing.T) {
	want := `0cabf1f2efbc4ac16048df1a24c605b2 c0d1673d7586a8ec0dd42c45a4f95bae
		0f2e2617e47148680fc3e6178df2c137 c9dda89cffa491feadd9b3eab703bb31
		bc7e927f0494729f51b49d3df9c94608 00fbbcf5edee610ea02f01093c7bc742
		d7d6271501b177775263c2a3495a8318 a81c79a04f29660ea3fda874c630799e
		142c577914fea90d3bc2502e833685d9`
	got, err := ACPKMMaster(Kuznyechik, unhex(t, kKey), 96, 144)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, unhex(t, want)) {
		t.Fatalf("\n got %x\nwant %x", got, unhex(t, want))
	}
}

// R 1323565.1.017-2018 A.3.1, A.3.2 (Magma), A.4.1, A.4.2 (Kuznyechik).
func TestOMACACPKMStandard(t *testing.T) {
	for _, c := range []struct {
		name            string
		alg             *Algorithm
		section, master int
		msg, mac        string
	}{
		{"A.3.1", Magma, 16, 80, "1122334455667700ffeeddcc", "a0540e3730acbcf3"},
		{"A.3.2", Magma, 16, 80, "1122334455667700ffeeddccbbaa998800112233445566778899aabbcceeff0a1122334455667788", "34008dad5496bb8e"},
		{"A.4.1", Kuznyechik, 32, 96, "1122334455667700ffeeddccbbaa99880011223344556677", "b5367f47b62b995eeb2a648c5843145e"},
		{"A.4.2", Kuznyechik, 32, 96, `1122334455667700ffeeddccbbaa998800112233445566778899aabbcceeff0a
			112233445566778899aabbcceeff0a002233445566778899aabbcceeff0a0011
			33445566778899aabbcceeff0a001122`, "fbb8dcee45bea67c35f58c5700898e5d"},
	} {
		got, err := OMACACPKM(c.alg, unhex(t, kKey), c.section, c.master, c.alg.BlockSize, unhex(t, c.msg))
		if err != nil {
			t.Fatal(err)
		}
		if hex.EncodeToString(got) != c.mac {
			t.Errorf("%s: %x, want %s", c.name, got, c.mac)
		}
	}
}

// KExp15 with Magma, the example of the GOST engine's test_keyexpimp.c
// (R 1323565.1.017-2018 algorithm).
func TestKExp15Magma(t *testing.T) {
	shared := unhex(t, kKey)
	kEnc := unhex(t, "202122232425262728292a2b2c2d2e2f38393a3b3c3d3e3f3031323334353637")
	kMac := unhex(t, "08090a0b0c0d0e0f0001020304050607101112131415161718191a1b1c1d1e1f")
	iv := unhex(t, "67bed654")
	want := unhex(t, "cfd5a12d5b81b6e1e99c916d07900c6ac12703fb3abded55567bf3742c899c755dafe7b42e3a8bd9")
	got, err := KExp15(Magma, shared, kEnc, kMac, iv)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("\n got %x\nwant %x", got, want)
	}
	back, err := KImp15(Magma, got, kEnc, kMac, iv)
	if err != nil || !bytes.Equal(back, shared) {
		t.Fatalf("KImp15: %x %v", back, err)
	}
	got[3] ^= 1
	if _, err := KImp15(Magma, got, kEnc, kMac, iv); err != ErrMAC {
		t.Fatalf("damaged export: %v", err)
	}
}

// R 50.1.113-2016 / RFC 7836: KDF_GOSTR3411_2012_256 (its HMAC example
// input is exactly 01 || label || 00 || seed || 01 00) and KDF_TREE.
func TestKDFStandard(t *testing.T) {
	key := unhex(t, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
	label, seed := unhex(t, "26bdb878"), unhex(t, "af21434145656378")
	if got := hex.EncodeToString(KDF256(key, label, seed)); got != "a1aa5f7de402d7b3d323f2991c8d4534013137010a83754fd0af6d7cd4922ed9" {
		t.Errorf("KDF256 %s", got)
	}
	got, err := KDFTree256(key, label, seed, 1, 64)
	if err != nil {
		t.Fatal(err)
	}
	want := "22b6837845c6bef65ea71672b265831086d3c76aebe6dae91cad51d83f79d16b" +
		"074c9330599d7f8d712fca54392f4ddde93751206b3584c8f43f9e6dc51531f9"
	if hex.EncodeToString(got) != want {
		t.Errorf("KDF_TREE %x", got)
	}
	one, _ := KDFTree256(key, label, seed, 1, 32)
	if !bytes.Equal(one, KDF256(key, label, seed)) {
		t.Error("KDF_TREE with L = 256 differs from KDF_256")
	}
	if _, err := KDFTree256(key, label, seed, 1, 32*256); err == nil {
		t.Error("256 blocks with a one-byte counter accepted")
	}
}
