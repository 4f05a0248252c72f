package gost28147

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/gost/internal/ossltest"
)

// The engine's gost89 (CFB with key meshing), gost89-cnt and gost89-cnt-12
// (CNT with key meshing) and gost89-cbc (one block with a zero IV = ECB) under each
// parameter set (CRYPT_PARAMS), on data that crosses the meshing interval
// three times, give what this package gives.
func TestModesAgainstOpenSSL(t *testing.T) {
	o := ossltest.Require(t)
	key, iv := make([]byte, KeySize), make([]byte, BlockSize)
	rand.Read(key)
	rand.Read(iv)
	msg := make([]byte, 3*meshInterval+21)
	rand.Read(msg)
	K, IV := hex.EncodeToString(key), hex.EncodeToString(iv)
	for _, p := range ParamSets() {
		t.Run(p.Name, func(t *testing.T) {
			t.Setenv("CRYPT_PARAMS", p.Name)
			b := mustBlock(t, p, key)

			want := o.MustRun(msg, "enc", "-gost89", "-K", K, "-iv", IV)
			// the engine meshes under every set, the test set too (RFC 4357
			// gives that set no meshing; no real file uses it)
			s, _ := NewCFBEncrypter(b, iv, true)
			got := make([]byte, len(msg))
			s.XORKeyStream(got, msg)
			if !bytes.Equal(got, want) {
				t.Fatalf("CFB differs from the engine's gost89 (first %x / %x)", got[:8], want[:8])
			}

			// the engine's counter mode has CryptoPro-A (gost89-cnt) and
			// param-Z (gost89-cnt-12) only, whatever CRYPT_PARAMS says
			if cntAlg := map[*ParamSet]string{ParamSetCryptoProA: "-gost89-cnt", ParamSetZ: "-gost89-cnt-12"}[p]; cntAlg != "" {
				want = o.MustRun(msg, "enc", cntAlg, "-K", K, "-iv", IV)
				c, _ := NewCNT(b, iv, p.Meshing)
				c.XORKeyStream(got, msg)
				if !bytes.Equal(got, want) {
					t.Fatalf("CNT differs from the engine's %s (first %x / %x)", cntAlg, got[:8], want[:8])
				}
			}

			want = o.MustRun(msg[:8], "enc", "-gost89-cbc", "-nopad", "-K", K, "-iv", "0000000000000000")
			b.Encrypt(got[:8], msg[:8])
			if !bytes.Equal(got[:8], want) {
				t.Fatalf("one block: %x, engine %x", got[:8], want)
			}
			plain := o.MustRun(msg[:8], "enc", "-d", "-gost89-cbc", "-nopad", "-K", K, "-iv", "0000000000000000")
			b.Decrypt(got[:8], msg[:8])
			if !bytes.Equal(got[:8], plain) {
				t.Fatalf("one block decrypted: %x, engine %x", got[:8], plain)
			}
		})
	}
}

// IMIT against the engine's gost-mac (CryptoPro-A) and gost-mac-12
// (param-Z), on lengths around the block boundaries.
func TestMACAgainstOpenSSL(t *testing.T) {
	o := ossltest.Require(t)
	key := make([]byte, KeySize)
	rand.Read(key)
	msg := make([]byte, 1000)
	rand.Read(msg)
	for _, m := range []struct {
		alg string
		p   *ParamSet
	}{{"gost-mac", ParamSetCryptoProA}, {"gost-mac-12", ParamSetZ}} {
		b := mustBlock(t, m.p, key)
		for _, n := range []int{1, 7, 8, 9, 16, 17, 32, 100, 1000} {
			out := string(o.MustRun(msg[:n], "dgst", "-mac", m.alg, "-macopt", "hexkey:"+hex.EncodeToString(key)))
			want := strings.TrimSpace(out[strings.LastIndex(out, "=")+1:])
			mac := b.MAC(nil, msg[:n])
			if got := hex.EncodeToString(mac[:4]); got != want {
				t.Fatalf("%s of %d bytes: %s, engine %s", m.alg, n, got, want)
			}
		}
	}
}
