package gostmode

import (
	"bytes"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/mezhved/mezhved/gost/internal/ossltest"
)

func TestSchemesByOID(t *testing.T) {
	for _, c := range []struct {
		oid  string
		alg  *Algorithm
		omac bool
		ukm  int
	}{
		{OIDStringMagmaCTRACPKM, Magma, false, 12},
		{OIDStringMagmaCTRACPKMOMAC, Magma, true, 12},
		{OIDStringKuznyechikCTRACPKM, Kuznyechik, false, 16},
		{OIDStringKuznyechikCTRACPKMOMAC, Kuznyechik, true, 16},
	} {
		var s *Scheme
		for _, x := range Schemes() {
			if x.OID.String() == c.oid {
				s = x
			}
		}
		if s == nil || SchemeByOID(s.OID) != s || s.Alg != c.alg || s.OMAC != c.omac || s.UKMSize() != c.ukm {
			t.Errorf("%s: %+v", c.oid, s)
		}
	}
	if SchemeByOID(asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 5, 2, 3}) != nil {
		t.Error("unknown OID found")
	}
}

func TestSchemeParams(t *testing.T) {
	s := SchemeByOID(OIDKuznyechikCTRACPKMOMAC)
	ukm := unhex(t, "d8d3d51e1339ca64a1a2a3a4a5a6a7a8")
	der, err := s.MarshalParams(ukm)
	if err != nil {
		t.Fatal(err)
	}
	// SEQUENCE { OCTET STRING (16 bytes) }, as the engine writes it.
	if hex.EncodeToString(der) != "30120410"+hex.EncodeToString(ukm) {
		t.Fatalf("params %x", der)
	}
	got, err := s.ParseParams(der)
	if err != nil || !bytes.Equal(got, ukm) {
		t.Fatalf("parse: %x %v", got, err)
	}
	for _, bad := range []string{"30100410" + hex.EncodeToString(ukm[:14]) + "", "3012041" + "0" + hex.EncodeToString(ukm) + "00", "0410" + hex.EncodeToString(ukm)} {
		if _, err := s.ParseParams(unhex(t, bad)); err == nil {
			t.Errorf("bad params %s accepted", bad)
		}
	}
	m := SchemeByOID(OIDMagmaCTRACPKMOMAC)
	if _, err := m.ParseParams(der); err == nil {
		t.Error("a 16-byte ukm accepted for Magma")
	}
}

func TestSchemeRoundTripAndWrongKey(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 9337))
	for _, s := range Schemes() {
		for _, n := range []int{0, 1, 72, 1024, 4096, 5000} {
			key, ukm, data := randBytes(r, KeySize), randBytes(r, s.UKMSize()), randBytes(r, n)
			ct, err := s.Encrypt(key, ukm, data)
			if err != nil {
				t.Fatal(err)
			}
			if s.OMAC && len(ct) != n+s.Alg.BlockSize {
				t.Fatalf("%s: %d bytes out of %d", s.Name, len(ct), n)
			}
			params, _ := s.MarshalParams(ukm)
			pt, err := DecryptPBES2(s.OID, key, params, ct)
			if err != nil || !bytes.Equal(pt, data) {
				t.Fatalf("%s, %d bytes: %v", s.Name, n, err)
			}
			if !s.OMAC {
				continue
			}
			wrong := append([]byte{}, key...)
			wrong[0] ^= 1
			if _, err := s.Decrypt(wrong, ukm, ct); !errors.Is(err, ErrMAC) {
				t.Fatalf("%s: wrong key gave %v", s.Name, err)
			}
			ct[len(ct)/2] ^= 0x40
			if _, err := s.Decrypt(key, ukm, ct); !errors.Is(err, ErrMAC) {
				t.Fatalf("%s: damaged data gave %v", s.Name, err)
			}
		}
	}
	s := SchemeByOID(OIDKuznyechikCTRACPKMOMAC)
	if _, err := s.Decrypt(make([]byte, 32), make([]byte, 16), make([]byte, 15)); err == nil {
		t.Error("ciphertext shorter than the MAC accepted")
	}
	if _, err := s.Decrypt(make([]byte, 31), make([]byte, 16), make([]byte, 40)); err == nil {
		t.Error("31-byte key accepted")
	}
	if _, err := DecryptPBES2(asn1.ObjectIdentifier{1, 2, 3}, nil, nil, nil); err == nil {
		t.Error("unknown scheme accepted")
	}
}

// TestOpenSSLScheme checks the RFC 9337 composition against the engine's
// primitives: our Encrypt output, decrypted with `openssl enc -d
// -kuznyechik-ctr-acpkm` (or magma) under K(1), is the data followed by
// `openssl dgst -mac kuznyechik-mac` (or magma) of the data under K(2).
// (The engine cannot itself write a checkable blob: its ctr-acpkm-omac
// ciphers draw a random KDF seed that they do not record, and keep the MAC
// out of the output; see Scheme.)
func TestOpenSSLScheme(t *testing.T) {
	o := ossltest.Require(t)
	r := rand.New(rand.NewPCG(2, 9337))
	for _, s := range Schemes() {
		if !s.OMAC {
			continue
		}
		name := "kuznyechik"
		if s.Alg == Magma {
			name = "magma"
		}
		for _, n := range []int{70, 1100, 4200, 9000} {
			key, ukm, data := randBytes(r, KeySize), randBytes(r, s.UKMSize()), randBytes(r, n)
			ct, err := s.Encrypt(key, ukm, data)
			if err != nil {
				t.Fatal(err)
			}
			k, _ := KDFTree256(key, []byte("kdf tree"), ukm[len(ukm)-8:], 1, 64)
			iv := ukm[:s.Alg.BlockSize/2]
			plain := o.MustRun(ct, "enc", "-d", "-"+name+"-ctr-acpkm", "-K", hex.EncodeToString(k[:32]), "-iv", fullIV(iv))
			if !bytes.Equal(plain[:n], data) {
				t.Fatalf("%s, %d bytes: openssl decrypts to other data", s.Name, n)
			}
			mac := o.MustRun(data, "dgst", "-mac", name+"-mac", "-macopt", "hexkey:"+hex.EncodeToString(k[32:]))
			if !bytes.Contains(mac, []byte(hex.EncodeToString(plain[n:]))) {
				t.Fatalf("%s, %d bytes: openssl MAC %q, decrypted MAC %x", s.Name, n, mac, plain[n:])
			}
		}
	}
}
