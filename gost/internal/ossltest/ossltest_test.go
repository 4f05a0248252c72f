package ossltest

import (
	"errors"
	"strings"
	"testing"
)

func TestMissingEngine(t *testing.T) {
	err := errors.New("OpenSSL GOST engine (gost.so) not found")
	fatal, msg := missing(err, "true")
	if !fatal || !strings.Contains(msg, "libengine-gost-openssl") {
		t.Fatalf("CI=true: fatal=%v msg=%q", fatal, msg)
	}
	for _, ci := range []string{"", "false", "1"} {
		if fatal, _ := missing(err, ci); fatal {
			t.Fatalf("CI=%q must skip, not fail", ci)
		}
	}
}

func TestRequireWorks(t *testing.T) {
	o := Require(t)
	out := o.MustRun([]byte("abc"), "dgst", "-md_gost12_512", "-r")
	if !strings.HasPrefix(string(out), "28156e28317da7c98f4fe2bed6b542d0dab85bb224445fcedaf75d46e26d7eb8d5997f3e0915dd6b7f0aab08d9c8beb0d8c64bae2ab8b3c8c6bc53b3bf0db728") {
		t.Fatalf("Streebog-512(abc) from openssl: %s", out)
	}
}
