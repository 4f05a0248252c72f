package streebog

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/gost/internal/ossltest"
)

// TestOpenSSLCrossCheck compares random messages, short and long, with
// `openssl dgst -md_gost12_256/-md_gost12_512` through the GOST engine.
func TestOpenSSLCrossCheck(t *testing.T) {
	o := ossltest.Require(t)
	r := rand.New(rand.NewPCG(42, uint64(len(t.Name()))))
	sizes := []int{0, 1, 63, 64, 65, 128, 1000, 4097, 65536 + 13, 1 << 20}
	for i := 0; i < 6; i++ {
		sizes = append(sizes, r.IntN(300000))
	}
	for _, n := range sizes {
		msg := make([]byte, n)
		for i := range msg {
			msg[i] = byte(r.Uint32())
		}
		s256, s512 := Sum256(msg), Sum512(msg)
		for _, c := range []struct {
			md   string
			want []byte
		}{{"-md_gost12_256", s256[:]}, {"-md_gost12_512", s512[:]}} {
			out := o.MustRun(msg, "dgst", c.md, "-r")
			got, err := hex.DecodeString(strings.Fields(string(out))[0])
			if err != nil {
				t.Fatalf("openssl output %q", out)
			}
			if !bytes.Equal(got, c.want) {
				t.Errorf("len %d %s: openssl %x, ours %x", n, c.md, got, c.want)
			}
		}
	}
}
