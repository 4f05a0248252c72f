package kuznyechik

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"testing"

	"github.com/mezhved/mezhved/gost/internal/ossltest"
)

// TestOpenSSLECB encrypts random blocks under random keys with
// `openssl enc -kuznyechik-ecb -nopad` through the GOST engine, both ways.
func TestOpenSSLECB(t *testing.T) {
	o := ossltest.Require(t)
	r := rand.New(rand.NewPCG(7, 15))
	for n := 0; n < 6; n++ {
		key := make([]byte, KeySize)
		data := make([]byte, BlockSize*(1+r.IntN(40)))
		for i := range key {
			key[i] = byte(r.Uint32())
		}
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		c, _ := NewCipher(key)
		want := make([]byte, len(data))
		for i := 0; i < len(data); i += BlockSize {
			c.Encrypt(want[i:], data[i:])
		}
		got := o.MustRun(data, "enc", "-kuznyechik-ecb", "-nopad", "-K", hex.EncodeToString(key))
		if !bytes.Equal(got, want) {
			t.Fatalf("key %x: openssl %x, ours %x", key, got, want)
		}
		back := o.MustRun(want, "enc", "-d", "-kuznyechik-ecb", "-nopad", "-K", hex.EncodeToString(key))
		if !bytes.Equal(back, data) {
			t.Fatalf("key %x: openssl decrypts ours to %x", key, back)
		}
	}
}
