package gostx509

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
)

// seeds returns the DER of every certificate and key in testdata.
func seeds(f *testing.F) (certs, keys [][]byte) {
	f.Helper()
	ders, _ := filepath.Glob("testdata/smev/*.der")
	for _, p := range ders {
		b, _ := os.ReadFile(p)
		certs = append(certs, b)
	}
	pems, _ := filepath.Glob("testdata/*")
	for _, p := range pems {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		for {
			var blk *pem.Block
			blk, b = pem.Decode(b)
			if blk == nil {
				break
			}
			switch blk.Type {
			case "CERTIFICATE":
				certs = append(certs, blk.Bytes)
			case "PRIVATE KEY":
				keys = append(keys, blk.Bytes)
			}
		}
	}
	if len(certs) == 0 || len(keys) == 0 {
		f.Fatal("no seeds in testdata")
	}
	return certs, keys
}

func FuzzParsePKIXPublicKey(f *testing.F) {
	certs, _ := seeds(f)
	for _, der := range certs {
		if c, err := x509.ParseCertificate(der); err == nil {
			f.Add(c.RawSubjectPublicKeyInfo)
		}
	}
	f.Fuzz(func(t *testing.T, der []byte) {
		pub, err := ParsePKIXPublicKey(der)
		if err != nil {
			return
		}
		again, err := MarshalPKIXPublicKey(pub)
		if err != nil {
			t.Fatal(err)
		}
		pub2, err := ParsePKIXPublicKey(again)
		if err != nil || !pub2.Equal(pub) {
			t.Fatalf("re-encoded key does not parse to the same key: %v", err)
		}
	})
}

func FuzzParsePKCS8PrivateKey(f *testing.F) {
	_, keys := seeds(f)
	for _, k := range keys {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, der []byte) {
		priv, err := ParsePKCS8PrivateKey(der)
		if err != nil {
			return
		}
		again, err := MarshalPKCS8PrivateKey(priv)
		if err != nil {
			t.Fatal(err)
		}
		priv2, err := ParsePKCS8PrivateKey(again)
		if err != nil || !priv2.Equal(priv) {
			t.Fatalf("re-encoded key does not parse to the same key: %v", err)
		}
	})
}

func FuzzParseCertificate(f *testing.F) {
	certs, _ := seeds(f)
	for _, c := range certs {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, der []byte) {
		cert, pub, err := ParseCertificate(der)
		if err != nil {
			return
		}
		_ = RussianIDsFromName(cert.Subject)
		_, _ = SignatureAlgorithmOID(cert)
		err = CheckSignatureFrom(cert, cert)
		if err == nil && pub == nil {
			t.Fatal("signature accepted without a GOST key")
		}
	})
}
