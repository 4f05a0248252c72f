package gostmode

import (
	"testing"
)

func benchCTR(b *testing.B, alg *Algorithm, section, size int) {
	key := make([]byte, KeySize)
	iv := make([]byte, alg.BlockSize/2)
	buf := make([]byte, size)
	b.SetBytes(int64(size))
	for b.Loop() {
		if section == 0 {
			blk, _ := alg.New(key)
			s, _ := NewCTR(blk, iv)
			s.XORKeyStream(buf, buf)
		} else {
			s, _ := NewCTRACPKM(alg, key, iv, section)
			s.XORKeyStream(buf, buf)
		}
	}
}

func BenchmarkKuznyechikCTR_64K(b *testing.B)      { benchCTR(b, Kuznyechik, 0, 64<<10) }
func BenchmarkMagmaCTR_64K(b *testing.B)           { benchCTR(b, Magma, 0, 64<<10) }
func BenchmarkKuznyechikCTRACPKM_64K(b *testing.B) { benchCTR(b, Kuznyechik, 4096, 64<<10) }
func BenchmarkMagmaCTRACPKM_64K(b *testing.B)      { benchCTR(b, Magma, 1024, 64<<10) }

func benchOMAC(b *testing.B, alg *Algorithm, size int) {
	key, msg := make([]byte, KeySize), make([]byte, size)
	b.SetBytes(int64(size))
	for b.Loop() {
		if _, err := OMAC(alg, key, msg, alg.BlockSize); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKuznyechikOMAC_64K(b *testing.B) { benchOMAC(b, Kuznyechik, 64<<10) }
func BenchmarkMagmaOMAC_64K(b *testing.B)      { benchOMAC(b, Magma, 64<<10) }

// A PBES2-protected private key is about 100 bytes: the cost is the key
// derivation (KDF_TREE), key schedules and a few blocks.
func benchScheme(b *testing.B, s *Scheme) {
	key, ukm := make([]byte, KeySize), make([]byte, s.UKMSize())
	ct, _ := s.Encrypt(key, ukm, make([]byte, 100))
	for b.Loop() {
		if _, err := s.Decrypt(key, ukm, ct); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSchemeKuznyechikDecrypt100(b *testing.B) {
	benchScheme(b, SchemeByOID(OIDKuznyechikCTRACPKMOMAC))
}
func BenchmarkSchemeMagmaDecrypt100(b *testing.B) { benchScheme(b, SchemeByOID(OIDMagmaCTRACPKMOMAC)) }

func BenchmarkKExp15Magma(b *testing.B) {
	k := make([]byte, KeySize)
	iv := make([]byte, 4)
	for b.Loop() {
		if _, err := KExp15(Magma, k, k, k, iv); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKDFTree256_64(b *testing.B) {
	k := make([]byte, KeySize)
	for b.Loop() {
		if _, err := KDFTree256(k, []byte("kdf tree"), k[:8], 1, 64); err != nil {
			b.Fatal(err)
		}
	}
}
