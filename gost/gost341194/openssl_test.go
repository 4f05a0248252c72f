package gost341194

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/gost/internal/ossltest"
)

// TestOpenSSLCrossCheck compares random messages of the sizes around the
// block and up to 1 MB with `openssl dgst -md_gost94` (the engine's
// CryptoPro parameter set): its printed hex is the digest as we emit it.
func TestOpenSSLCrossCheck(t *testing.T) {
	o := ossltest.Require(t)
	r := rand.New(rand.NewPCG(94, 2001))
	sizes := []int{0, 1, 31, 32, 33, 63, 64, 65, 1000, 4097, 1 << 20}
	for i := 0; i < 4; i++ {
		sizes = append(sizes, r.IntN(100000))
	}
	for _, n := range sizes {
		msg := make([]byte, n)
		for i := range msg {
			msg[i] = byte(r.Uint32())
		}
		out := o.MustRun(msg, "dgst", "-md_gost94", "-r")
		got, err := hex.DecodeString(strings.Fields(string(out))[0])
		if err != nil {
			t.Fatalf("openssl output %q", out)
		}
		if want := Sum(msg); !bytes.Equal(got, want[:]) {
			t.Errorf("len %d: openssl %x, ours %x", n, got, want)
		}
	}
}
