package gostmode

import (
	"crypto/cipher"
	"fmt"
	"hash"
)

// omac is the MAC of GOST R 34.13-2015 5.6 (OMAC1/CMAC) as a hash.Hash.
type omac struct {
	b      cipher.Block
	k1, k2 []byte
	x      []byte // chaining value C_{i-1}
	buf    []byte // pending block, never processed until more data comes
	nbuf   int
	size   int
}

// NewOMAC returns the MAC of GOST R 34.13-2015 5.6 over b, truncated to
// size bytes (1…block size; the standard's examples use half a block).
func NewOMAC(b cipher.Block, size int) (hash.Hash, error) {
	n := b.BlockSize()
	if size < 1 || size > n {
		return nil, fmt.Errorf("gostmode: OMAC size %d out of 1…%d", size, n)
	}
	k1, k2 := omacSubkeys(b)
	m := &omac{b: b, k1: k1, k2: k2, x: make([]byte, n), buf: make([]byte, n), size: size}
	return m, nil
}

// omacSubkeys derives K1 and K2 from R = E_K(0) (5.6): K1 = R<<1, plus B_n
// when the top bit of R was set; K2 likewise from K1.
func omacSubkeys(b cipher.Block) (k1, k2 []byte) {
	r := make([]byte, b.BlockSize())
	b.Encrypt(r, r)
	k1 = double(r)
	return k1, double(k1)
}

// double shifts the block left by one bit and adds B_n (B_64 = 0…011011,
// B_128 = 0…010000111) when a one was shifted out.
func double(v []byte) []byte {
	out := make([]byte, len(v))
	var carry byte
	for i := len(v) - 1; i >= 0; i-- {
		out[i] = v[i]<<1 | carry
		carry = v[i] >> 7
	}
	if carry != 0 {
		if len(v) == 16 {
			out[15] ^= 0x87
		} else {
			out[len(v)-1] ^= 0x1b
		}
	}
	return out
}

func (m *omac) Size() int      { return m.size }
func (m *omac) BlockSize() int { return len(m.x) }

func (m *omac) Reset() {
	clear(m.x)
	clear(m.buf)
	m.nbuf = 0
}

func (m *omac) Write(p []byte) (int, error) {
	total := len(p)
	n := len(m.x)
	for len(p) > 0 {
		if m.nbuf == n {
			xorBytes(m.x, m.x, m.buf)
			m.b.Encrypt(m.x, m.x)
			m.nbuf = 0
		}
		k := copy(m.buf[m.nbuf:], p)
		m.nbuf += k
		p = p[k:]
	}
	return total, nil
}

// Sum appends the MAC of the data written so far; the state is unchanged.
func (m *omac) Sum(in []byte) []byte {
	n := len(m.x)
	last := make([]byte, n)
	copy(last, m.buf[:m.nbuf])
	key := m.k1
	if m.nbuf < n {
		last[m.nbuf] = 0x80
		key = m.k2
	}
	xorBytes(last, last, m.x)
	xorBytes(last, last, key)
	m.b.Encrypt(last, last)
	return append(in, last[:m.size]...)
}

// OMAC returns the size-byte MAC of msg under key with alg.
func OMAC(alg *Algorithm, key, msg []byte, size int) ([]byte, error) {
	b, err := alg.New(key)
	if err != nil {
		return nil, err
	}
	h, err := NewOMAC(b, size)
	if err != nil {
		return nil, err
	}
	h.Write(msg)
	return h.Sum(nil), nil
}

// OMACACPKM returns the size-byte OMAC-ACPKM of msg (R 1323565.1.017-2018
// 4.3, RFC 8645 6.4): the message is cut into sections of sectionSize bytes
// (a positive multiple of the block size); section i is MACed in the OMAC
// chain under its own key K^i_1, and the last block is masked with K^l_2 (as
// K1) or its doubling (as K2) of the last section l. The keys
// K^i = K^i_1 || K^i_2 (key plus one block each) are ACPKM-Master(key) with
// master section size masterSection (T*).
func OMACACPKM(alg *Algorithm, key []byte, sectionSize, masterSection, size int, msg []byte) ([]byte, error) {
	n := alg.BlockSize
	if sectionSize <= 0 || sectionSize%n != 0 {
		return nil, fmt.Errorf("gostmode: OMAC-ACPKM section size %d is not a positive multiple of %d", sectionSize, n)
	}
	if size < 1 || size > n {
		return nil, fmt.Errorf("gostmode: OMAC-ACPKM size %d out of 1…%d", size, n)
	}
	sections := max(1, (len(msg)+sectionSize-1)/sectionSize)
	per := KeySize + n
	material, err := ACPKMMaster(alg, key, masterSection, sections*per)
	if err != nil {
		return nil, err
	}
	blocks := max(1, (len(msg)+n-1)/n)
	x := make([]byte, n)
	var b cipher.Block
	for j := 0; j < blocks; j++ {
		if j*n%sectionSize == 0 {
			i := j * n / sectionSize
			if b, err = alg.New(material[i*per : i*per+KeySize]); err != nil {
				return nil, err
			}
		}
		blk := make([]byte, n)
		copy(blk, msg[j*n:min(len(msg), (j+1)*n)])
		if j == blocks-1 {
			i := j * n / sectionSize
			mask := material[i*per+KeySize : (i+1)*per]
			if len(msg)-j*n < n {
				blk[len(msg)-j*n] = 0x80
				mask = double(mask)
			}
			xorBytes(blk, blk, mask)
		}
		xorBytes(x, x, blk)
		b.Encrypt(x, x)
	}
	return x[:size], nil
}
