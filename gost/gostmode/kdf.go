package gostmode

import (
	"crypto/hmac"
	"fmt"

	"github.com/mezhved/mezhved/gost/streebog"
)

// KDF256 is KDF_GOSTR3411_2012_256 (R 50.1.113-2016 4.4, RFC 7836 4.5):
// HMAC-Streebog-256(key, 01 || label || 00 || seed || 01 00), 32 bytes.
func KDF256(key, label, seed []byte) []byte {
	return kdfBlock(key, []byte{1}, label, seed, []byte{1, 0})
}

// KDFTree256 is KDF_TREE_GOSTR3411_2012_256 (R 50.1.113-2016 4.5, RFC 7836
// 4.5): size bytes made of K(1) || K(2) || …, K(i) = HMAC-Streebog-256(key,
// [i]_R || label || 00 || seed || [L]), with i in r bytes big-endian
// (r = 1…4) and L = 8·size, the length in bits, big-endian in as few bytes
// as hold it.
func KDFTree256(key, label, seed []byte, r, size int) ([]byte, error) {
	if r < 1 || r > 4 {
		return nil, fmt.Errorf("gostmode: KDF_TREE counter size %d out of 1…4", r)
	}
	if size <= 0 {
		return nil, fmt.Errorf("gostmode: KDF_TREE output size %d", size)
	}
	blocks := (size + 31) / 32
	if r < 4 && blocks >= 1<<(8*uint(r)) {
		return nil, fmt.Errorf("gostmode: KDF_TREE output of %d bytes needs a counter longer than %d bytes", size, r)
	}
	var l []byte
	for bits := uint64(size) * 8; bits > 0; bits >>= 8 {
		l = append([]byte{byte(bits)}, l...)
	}
	out := make([]byte, 0, blocks*32)
	for i := 1; i <= blocks; i++ {
		ctr := make([]byte, r)
		for j, v := r-1, i; j >= 0; j, v = j-1, v>>8 {
			ctr[j] = byte(v)
		}
		out = append(out, kdfBlock(key, ctr, label, seed, l)...)
	}
	return out[:size], nil
}

func kdfBlock(key, ctr, label, seed, l []byte) []byte {
	m := hmac.New(streebog.New256, key)
	m.Write(ctr)
	m.Write(label)
	m.Write([]byte{0})
	m.Write(seed)
	m.Write(l)
	return m.Sum(nil)
}
