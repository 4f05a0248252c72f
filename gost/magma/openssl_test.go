package magma

import (
	"bytes"
	"crypto/cipher"
	"encoding/hex"
	"math/rand/v2"
	"testing"

	"github.com/mezhved/mezhved/gost/internal/ossltest"
)

// TestOpenSSLCBC checks the block cipher against the GOST engine's
// magma-cbc (this engine build has no magma-ecb) with random keys, IVs and
// data, both ways; crypto/cipher's CBC runs over our block.
func TestOpenSSLCBC(t *testing.T) {
	o := ossltest.Require(t)
	r := rand.New(rand.NewPCG(8, 91))
	fill := func(b []byte) {
		for i := range b {
			b[i] = byte(r.Uint32())
		}
	}
	for n := 0; n < 6; n++ {
		key, iv := make([]byte, KeySize), make([]byte, BlockSize)
		data := make([]byte, BlockSize*(1+r.IntN(60)))
		fill(key)
		fill(iv)
		fill(data)
		c, _ := NewCipher(key)
		want := make([]byte, len(data))
		cipher.NewCBCEncrypter(c, iv).CryptBlocks(want, data)
		args := []string{"-magma-cbc", "-nopad", "-K", hex.EncodeToString(key), "-iv", hex.EncodeToString(iv)}
		got := o.MustRun(data, append([]string{"enc"}, args...)...)
		if !bytes.Equal(got, want) {
			t.Fatalf("key %x: openssl %x, ours %x", key, got, want)
		}
		back := o.MustRun(want, append([]string{"enc", "-d"}, args...)...)
		if !bytes.Equal(back, data) {
			t.Fatalf("key %x: openssl decrypts ours to %x", key, back)
		}
	}
}
