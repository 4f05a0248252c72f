// Package gostmode holds the modes of operation of GOST R 34.13-2015 and the
// related TC26 algorithms that the key formats need:
//
//   - CTR (GOST R 34.13-2015 5.2) with the standard's counter layout,
//     IV || 0…0, the IV being half a block;
//   - OMAC, the MAC of GOST R 34.13-2015 5.6 (CMAC);
//   - ACPKM re-keying, CTR-ACPKM and OMAC-ACPKM (R 1323565.1.017-2018,
//     described in RFC 8645);
//   - KExp15 / KImp15 key export and import (R 1323565.1.017-2018);
//   - KDF_GOSTR3411_2012_256 and KDF_TREE_GOSTR3411_2012_256
//     (R 50.1.113-2016, RFC 7836) on HMAC-Streebog-256;
//   - the RFC 9337 PBES2 encryption schemes (CTR-ACPKM, with and without
//     OMAC) for password-protected keys.
//
// Byte strings are as the standards print them (see packages kuznyechik and
// magma). Nothing here is constant-time beyond the MAC comparisons; the
// block ciphers underneath are table-driven (kuznyechik/CONSTANT_TIME.md).
package gostmode

import (
	"crypto/cipher"
	"crypto/subtle"
	"errors"
	"fmt"

	"github.com/mezhved/mezhved/gost/kuznyechik"
	"github.com/mezhved/mezhved/gost/magma"
)

// Algorithm is a GOST R 34.12-2015 block cipher as the re-keying modes need
// it: a constructor from a 256-bit key and the block size.
type Algorithm struct {
	Name      string
	BlockSize int
	New       func(key []byte) (cipher.Block, error)
}

// KeySize is the key size of both GOST R 34.12-2015 ciphers, in bytes.
const KeySize = 32

var (
	// Kuznyechik is the 128-bit block cipher.
	Kuznyechik = &Algorithm{Name: "Kuznyechik", BlockSize: kuznyechik.BlockSize, New: kuznyechik.New}
	// Magma is the 64-bit block cipher.
	Magma = &Algorithm{Name: "Magma", BlockSize: magma.BlockSize, New: magma.New}
)

// ctr is the CTR keystream of GOST R 34.13-2015 5.2, with ACPKM re-keying
// every section bytes when section > 0 (R 1323565.1.017-2018).
type ctr struct {
	alg       *Algorithm // for re-keying; nil when section == 0
	b         cipher.Block
	counter   []byte // next counter block
	ks        []byte // current keystream block
	used      int    // bytes of ks already used
	section   int    // section size in bytes, 0: no re-keying
	inSection int    // keystream bytes made under the current key
}

// NewCTR returns the CTR mode of GOST R 34.13-2015 over b. iv is half a
// block (4 bytes for Magma, 8 for Kuznyechik); the first counter block is
// iv || 0…0 and each next one adds 1 modulo 2^n to the whole block.
// Encryption and decryption are the same XORKeyStream.
func NewCTR(b cipher.Block, iv []byte) (cipher.Stream, error) {
	return newCTR(nil, b, iv, 0)
}

// NewCTRACPKM returns CTR-ACPKM over alg (R 1323565.1.017-2018 4.1, RFC 8645
// 6.2.2): CTR as NewCTR, with the key replaced by ACPKM(key) after every
// section of sectionSize bytes (a positive multiple of the block size; the
// counter runs on).
func NewCTRACPKM(alg *Algorithm, key, iv []byte, sectionSize int) (cipher.Stream, error) {
	if sectionSize <= 0 || sectionSize%alg.BlockSize != 0 {
		return nil, fmt.Errorf("gostmode: %s CTR-ACPKM section size %d is not a positive multiple of the block size", alg.Name, sectionSize)
	}
	b, err := alg.New(key)
	if err != nil {
		return nil, err
	}
	return newCTR(alg, b, iv, sectionSize)
}

func newCTR(alg *Algorithm, b cipher.Block, iv []byte, section int) (*ctr, error) {
	n := b.BlockSize()
	if len(iv) != n/2 {
		return nil, fmt.Errorf("gostmode: CTR IV must be %d bytes (half a block), got %d", n/2, len(iv))
	}
	c := &ctr{alg: alg, b: b, counter: make([]byte, n), ks: make([]byte, n), used: n, section: section}
	copy(c.counter, iv)
	return c, nil
}

// XORKeyStream XORs src with the keystream into dst.
func (c *ctr) XORKeyStream(dst, src []byte) {
	if len(dst) < len(src) {
		panic("gostmode: output smaller than input")
	}
	n := len(c.ks)
	for len(src) > 0 {
		if c.used == n {
			c.next()
		}
		k := min(len(src), n-c.used)
		xorBytes(dst[:k], src[:k], c.ks[c.used:c.used+k])
		c.used += k
		dst, src = dst[k:], src[k:]
	}
}

// next makes the next keystream block, re-keying first at a section end.
func (c *ctr) next() {
	n := len(c.ks)
	if c.section > 0 && c.inSection == c.section {
		key := acpkm(c.b)
		b, err := c.alg.New(key)
		if err != nil {
			panic("gostmode: " + err.Error()) // a 32-byte key is always valid
		}
		c.b, c.inSection = b, 0
	}
	c.b.Encrypt(c.ks, c.counter)
	for i := n - 1; i >= 0; i-- {
		c.counter[i]++
		if c.counter[i] != 0 {
			break
		}
	}
	c.used = 0
	c.inSection += n
}

func xorBytes(dst, a, b []byte) { subtle.XORBytes(dst, a, b) }

// acpkm is the key step of R 1323565.1.017-2018 4.1 (RFC 8645 6.1): the new
// key is E_K(D1)||…||E_K(DJ), the first 256 bits of the encryption of the
// constant D = 80 81 82 … 9f.
func acpkm(b cipher.Block) []byte {
	key := make([]byte, KeySize)
	for i := range key {
		key[i] = 0x80 + byte(i)
	}
	n := b.BlockSize()
	for i := 0; i < KeySize; i += n {
		b.Encrypt(key[i:i+n], key[i:i+n])
	}
	return key
}

// ACPKMMaster returns size bytes of key material ACPKM-Master: the
// CTR-ACPKM keystream under key with IV 1…1 (half a block of ff bytes) and
// section size sectionSize (the standard's T*), i.e. the encryption of
// size zero bytes (R 1323565.1.017-2018 4.2, RFC 8645 6.3.1).
func ACPKMMaster(alg *Algorithm, key []byte, sectionSize, size int) ([]byte, error) {
	iv := make([]byte, alg.BlockSize/2)
	for i := range iv {
		iv[i] = 0xff
	}
	s, err := NewCTRACPKM(alg, key, iv, sectionSize)
	if err != nil {
		return nil, err
	}
	out := make([]byte, size)
	s.XORKeyStream(out, out)
	return out, nil
}

// ErrMAC is returned when a MAC does not match: a wrong key or password, or
// damaged data. Nothing decrypted is returned with it.
var ErrMAC = errors.New("gostmode: MAC mismatch (wrong key or password, or damaged data)")
