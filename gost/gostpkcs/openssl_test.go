package gostpkcs

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"testing"

	"github.com/mezhved/mezhved/gost/internal/ossltest"
)

// Keys that OpenSSL's GOST engine encrypts (PKCS#8 with PBES2 over
// GOST 28147-89, PFX with each GOST MAC digest and several certificates, so
// that the encrypted certificates run past the 1024 bytes of the key
// meshing) open here to the very key the engine holds.
func TestAgainstOpenSSL(t *testing.T) {
	o := ossltest.Require(t)
	const pass = "пароль-Pass 1"
	for _, alg := range []string{"gost2012_256", "gost2012_512"} {
		o.MustRun(nil, "genpkey", "-algorithm", alg, "-pkeyopt", "paramset:A", "-out", o.Path(alg+".key"))
		want := o.MustRun(nil, "pkey", "-in", o.Path(alg+".key"), "-outform", "DER")
		o.MustRun(nil, "req", "-new", "-x509", "-key", o.Path(alg+".key"), "-subj", "/CN="+alg, "-days", "30", "-out", o.Path(alg+".crt"))

		enc := o.MustRun(nil, "pkcs8", "-topk8", "-v2", "gost89", "-in", o.Path(alg+".key"), "-passout", "pass:"+pass)
		b, _ := pem.Decode(enc)
		if b == nil || b.Type != "ENCRYPTED PRIVATE KEY" {
			t.Fatalf("openssl pkcs8 wrote %q", enc)
		}
		got, err := DecryptPKCS8(b.Bytes, []byte(pass))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s PKCS#8: %v", alg, err)
		}

		// three more certificates make the certificate part over 1 KB
		chain := o.Path(alg + "-chain.pem")
		var certs []byte
		for i := 0; i < 3; i++ {
			certs = append(certs, o.MustRun(nil, "req", "-new", "-x509", "-key", o.Path(alg+".key"), "-subj", fmt.Sprintf("/CN=extra %d", i), "-days", "30")...)
		}
		o.WriteFile(alg+"-chain.pem", certs)
		for _, md := range []string{"md_gost12_256", "md_gost12_512", "md_gost94"} {
			pfx := o.MustRun(nil, "pkcs12", "-export", "-inkey", o.Path(alg+".key"), "-in", o.Path(alg+".crt"),
				"-certfile", chain, "-keypbe", "gost89", "-certpbe", "gost89", "-macalg", md, "-passout", "pass:"+pass)
			p, err := ParsePFX(pfx, []byte(pass))
			if err != nil {
				t.Fatalf("%s PFX with %s: %v", alg, md, err)
			}
			if len(p.Certificates) != 4 || len(p.Keys) != 1 {
				t.Fatalf("%s PFX with %s: %d certificates, %d keys", alg, md, len(p.Certificates), len(p.Keys))
			}
			got, err := p.Keys[0].Decrypt([]byte(pass))
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("%s PFX with %s: key %v", alg, md, err)
			}
			if _, err := ParsePFX(pfx, []byte("пароль")); err != ErrWrongPassword {
				t.Fatalf("%s PFX with %s, wrong password: %v", alg, md, err)
			}
		}
	}
}
