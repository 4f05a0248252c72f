package ossltest

import (
	"errors"
	"strings"
	"testing"
)

// The message names the packages; failing under CI=true is testtool's
// (tested there).
func TestMissingEngineNamesPackages(t *testing.T) {
	msg := missingMsg(errors.New("OpenSSL GOST engine (gost.so) not found"))
	if !strings.Contains(msg, "libengine-gost-openssl") || !strings.Contains(msg, "gost.so") {
		t.Fatalf("message %q", msg)
	}
}

func TestRequireWorks(t *testing.T) {
	o := Require(t)
	out := o.MustRun([]byte("abc"), "dgst", "-md_gost12_512", "-r")
	if !strings.HasPrefix(string(out), "28156e28317da7c98f4fe2bed6b542d0dab85bb224445fcedaf75d46e26d7eb8d5997f3e0915dd6b7f0aab08d9c8beb0d8c64bae2ab8b3c8c6bc53b3bf0db728") {
		t.Fatalf("Streebog-512(abc) from openssl: %s", out)
	}
}
