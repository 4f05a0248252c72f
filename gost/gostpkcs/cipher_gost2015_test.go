package gostpkcs

import (
	"bytes"
	"crypto/rand"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"os"
	"testing"

	"github.com/mezhved/mezhved/gost/gostmode"
)

// encryptPKCS8 writes an EncryptedPrivateKeyInfo with PBES2: PBKDF2 with
// HMAC-Streebog-512 and an RFC 9337 scheme (the engine here cannot write a
// readable one, so the tests make their own with gostmode's Encrypt).
func encryptPKCS8(t *testing.T, oid asn1.ObjectIdentifier, keyInfo, password []byte) (der, ukm []byte) {
	t.Helper()
	s := gostmode.SchemeByOID(oid)
	salt := make([]byte, 16)
	ukm = make([]byte, s.UKMSize())
	rand.Read(salt)
	rand.Read(ukm)
	const iter = 2000
	key := PBKDF2(lookupHash(prfs, oidHMACStreebog512).new, password, salt, iter, gostmode.KeySize)
	ct, err := s.Encrypt(key, ukm, keyInfo)
	if err != nil {
		t.Fatal(err)
	}
	raw := func(v any) asn1.RawValue {
		b, err := asn1.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return asn1.RawValue{FullBytes: b}
	}
	sp, err := s.MarshalParams(ukm)
	if err != nil {
		t.Fatal(err)
	}
	p := pbes2Params{
		KDF: algorithmIdentifier{Algorithm: oidPBKDF2, Parameters: raw(pbkdf2Params{Salt: salt, Iterations: iter,
			PRF: algorithmIdentifier{Algorithm: oidHMACStreebog512, Parameters: asn1.NullRawValue}})},
		Scheme: algorithmIdentifier{Algorithm: oid, Parameters: asn1.RawValue{FullBytes: sp}},
	}
	der, err = asn1.Marshal(encryptedPrivateKeyInfo{Algorithm: algorithmIdentifier{Algorithm: oidPBES2, Parameters: raw(p)}, EncryptedData: ct})
	if err != nil {
		t.Fatal(err)
	}
	return der, ukm
}

// A GOST 2012 key protected by each RFC 9337 scheme opens with its
// password and is refused, with ErrWrongPassword, with another.
func TestPBES2Kuznyechik(t *testing.T) {
	pemData, err := os.ReadFile("../testdata/keys/made-here/mh-gost2012-256.key.pem")
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(pemData)
	for _, oid := range []asn1.ObjectIdentifier{gostmode.OIDKuznyechikCTRACPKMOMAC, gostmode.OIDMagmaCTRACPKMOMAC,
		gostmode.OIDKuznyechikCTRACPKM, gostmode.OIDMagmaCTRACPKM} {
		name := gostmode.SchemeByOID(oid).Name
		t.Run(name, func(t *testing.T) {
			der, ukm := encryptPKCS8(t, oid, blk.Bytes, []byte("Пароль ключа"))
			got, err := DecryptPKCS8(der, []byte("Пароль ключа"))
			if err != nil || !bytes.Equal(got, blk.Bytes) {
				t.Fatalf("decrypt: %v", err)
			}
			if _, err := DecryptPKCS8(der, []byte("Пароль ключа ")); !errors.Is(err, ErrWrongPassword) {
				t.Fatalf("wrong password: %v", err)
			}
			// A damaged UKM is a damaged file, not a wrong password. The
			// UKM's own OCTET STRING is found by its value: its header
			// bytes alone may also occur in the random salt or
			// ciphertext (this test once damaged the salt instead).
			bad := bytes.Clone(der)
			i := bytes.Index(bad, append([]byte{0x04, byte(len(ukm))}, ukm...))
			if i < 0 || bytes.Count(bad, ukm) != 1 {
				t.Fatal("the UKM is not in the file once")
			}
			bad[i+1]--
			if _, err := DecryptPKCS8(bad, []byte("Пароль ключа")); err == nil || errors.Is(err, ErrWrongPassword) {
				t.Fatalf("damaged parameters: %v", err)
			}
		})
	}
}
