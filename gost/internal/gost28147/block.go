package gost28147

import (
	"encoding/binary"
	"errors"
)

// KeySize and BlockSize of GOST 28147-89, in bytes.
const (
	KeySize   = 32
	BlockSize = 8
)

// Block is GOST 28147-89 under one key and parameter set, on byte strings
// as OpenSSL's GOST engine, CryptoPro and the RFCs write them: key word Ki
// from key bytes 4i..4i+3 and the halves N1, N2 from block bytes 0..3 and
// 4..7, all little-endian. It implements crypto/cipher.Block.
type Block struct {
	p *ParamSet
	c *Cipher
	k [8]uint32
}

// NewBlock returns the cipher under key (32 bytes) with the parameter set p.
func NewBlock(p *ParamSet, key []byte) (*Block, error) {
	if p == nil {
		return nil, errors.New("gost28147: no parameter set")
	}
	if len(key) != KeySize {
		return nil, errors.New("gost28147: key must be 32 bytes")
	}
	b := &Block{p: p, c: p.cipher()}
	b.setKey(key)
	return b, nil
}

func (b *Block) setKey(key []byte) {
	for i := range b.k {
		b.k[i] = binary.LittleEndian.Uint32(key[4*i:])
	}
}

// ParamSet returns the block's parameter set.
func (b *Block) ParamSet() *ParamSet { return b.p }

// BlockSize returns 8.
func (b *Block) BlockSize() int { return BlockSize }

// Encrypt enciphers one block of src into dst (ECB, 32 rounds).
func (b *Block) Encrypt(dst, src []byte) {
	n1, n2 := b.c.Encrypt(&b.k, binary.LittleEndian.Uint32(src), binary.LittleEndian.Uint32(src[4:]))
	binary.LittleEndian.PutUint32(dst, n1)
	binary.LittleEndian.PutUint32(dst[4:], n2)
}

// Decrypt deciphers one block of src into dst.
func (b *Block) Decrypt(dst, src []byte) {
	n1, n2 := b.c.Decrypt(&b.k, binary.LittleEndian.Uint32(src), binary.LittleEndian.Uint32(src[4:]))
	binary.LittleEndian.PutUint32(dst, n1)
	binary.LittleEndian.PutUint32(dst[4:], n2)
}

// Zero overwrites the key.
func (b *Block) Zero() {
	for i := range b.k {
		b.k[i] = 0
	}
}

// EncryptECB enciphers src (a multiple of 8 bytes) block by block into dst.
func (b *Block) EncryptECB(dst, src []byte) error {
	if len(src)%BlockSize != 0 || len(dst) < len(src) {
		return errors.New("gost28147: ECB input not a multiple of the block size")
	}
	for i := 0; i < len(src); i += BlockSize {
		b.Encrypt(dst[i:], src[i:])
	}
	return nil
}

// DecryptECB deciphers src (a multiple of 8 bytes) block by block into dst.
func (b *Block) DecryptECB(dst, src []byte) error {
	if len(src)%BlockSize != 0 || len(dst) < len(src) {
		return errors.New("gost28147: ECB input not a multiple of the block size")
	}
	for i := 0; i < len(src); i += BlockSize {
		b.Decrypt(dst[i:], src[i:])
	}
	return nil
}

// meshConst is C of the CryptoPro key meshing (RFC 4357 section 2.3.2).
var meshConst = [KeySize]byte{
	0x69, 0x00, 0x72, 0x22, 0x64, 0xc9, 0x04, 0x23, 0x8d, 0x3a, 0xdb, 0x96, 0x46, 0xe9, 0x2a, 0xc4,
	0x18, 0xfe, 0xac, 0x94, 0x00, 0xed, 0x07, 0x12, 0xc0, 0x86, 0xdc, 0xc2, 0xef, 0x4c, 0xa9, 0x2b,
}

// meshInterval is how many bytes are processed under one key before the
// CryptoPro key meshing changes it (RFC 4357 section 2.3.2).
const meshInterval = 1024

// mesh applies the CryptoPro key meshing: K' = D_K(C) (ECB), and the
// feedback/counter block iv becomes E_K'(iv).
func (b *Block) mesh(iv []byte) {
	var k [KeySize]byte
	_ = b.DecryptECB(k[:], meshConst[:])
	b.setKey(k[:])
	clear(k[:])
	b.Encrypt(iv, iv)
}
