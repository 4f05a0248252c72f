package gostpkcs

import (
	"bytes"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/gost/gostx509"
	"github.com/mezhved/mezhved/gost/streebog"
)

// keysDir holds the fixtures made by real tools (README.md there).
const keysDir = "../testdata/keys"

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(keysDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func pemBytes(t testing.TB, name string) []byte {
	t.Helper()
	b, _ := pem.Decode(readFixture(t, name))
	if b == nil {
		t.Fatalf("%s: no PEM", name)
	}
	return b.Bytes
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// privHex returns the private key of a GOST PrivateKeyInfo as big-endian
// hex, as the fixtures' notes print it.
func privHex(t testing.TB, der []byte) string {
	t.Helper()
	k, err := gostx509.ParsePKCS8PrivateKey(der)
	if err != nil {
		t.Fatalf("the decrypted key does not parse: %v", err)
	}
	return strings.ToUpper(hex.EncodeToString(k.D().FillBytes(make([]byte, k.Curve.Size()))))
}

// pfxCase is a PFX fixture with its password and what its key must be.
type pfxCase struct {
	file, password string
	certs          int
	priv           string // expected private key (hex), or
	keyPEM         string // the unencrypted key behind it
	certCN         string
}

var pfxCases = []pfxCase{
	{file: "pfx/tc26-r50.1.112-2016-example.pfx", password: "Пароль для PFX", certs: 1, certCN: "Test certificate 1 (PKCS#12 example)"},
	{file: "made-here/mh-gost2012-256-gost89-streebog256mac.pfx", password: "12345678", certs: 1, keyPEM: "made-here/mh-gost2012-256.key.pem", certCN: "made-here test gost2012_256"},
	{file: "made-here/mh-gost2012-256-gost89-streebog512mac.pfx", password: "12345678", certs: 1, keyPEM: "made-here/mh-gost2012-256.key.pem", certCN: "made-here test gost2012_256"},
	{file: "made-here/mh-gost2012-512-gost89-streebog512mac.pfx", password: "12345678", certs: 1, keyPEM: "made-here/mh-gost2012-512.key.pem", certCN: "made-here test gost2012_512"},
	{file: "pfx/bcjava-cryptopro-gostPfx.pfx", password: "1", certs: 1, priv: "6B0AC0133BC19D17C757EBDC2F409CD9B5537BFB2BA22628707E5B99EF8D5237", certCN: "Иванов Иван Иванович"},
	{file: "pfx/bcjava-gostOpenSSLIntegerD.pfx", password: "password", certs: 1, certCN: "Mike"},
}

// Every GOST PFX opens with its password: the MAC is checked, the
// certificate decrypted, the key bag decrypted to exactly the expected key,
// whose public key is the certificate's.
func TestPFXFixtures(t *testing.T) {
	for _, c := range pfxCases {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			p, err := ParsePFX(readFixture(t, c.file), []byte(c.password))
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Certificates) != c.certs || len(p.Keys) != 1 {
				t.Fatalf("%d certificates, %d keys", len(p.Certificates), len(p.Keys))
			}
			cert, err := x509.ParseCertificate(p.Certificates[0])
			if err != nil || cert.Subject.CommonName != c.certCN {
				t.Fatalf("certificate %v: %v", cert.Subject, err)
			}
			info, err := p.Keys[0].Decrypt([]byte(c.password))
			if err != nil {
				t.Fatal(err)
			}
			got := privHex(t, info)
			switch {
			case c.priv != "" && got != c.priv:
				t.Fatalf("private key %s, want %s", got, c.priv)
			case c.keyPEM != "" && got != privHex(t, pemBytes(t, c.keyPEM)):
				t.Fatalf("private key %s differs from %s", got, c.keyPEM)
			}
			priv, _ := gostx509.ParsePKCS8PrivateKey(info)
			pub, err := gostx509.PublicKeyFromCertificate(cert)
			if err != nil || !priv.PublicKey.Equal(pub) {
				t.Fatalf("the key is not the certificate's: %v", err)
			}
		})
	}
}

// VECTORS.md section 9: the key bag of the TC26 example decrypts to the
// PrivateKeyInfo the example prints (a 64-byte OCTET STRING key).
func TestTC26ExampleKeyBag(t *testing.T) {
	p, err := ParsePFX(readFixture(t, pfxCases[0].file), []byte(pfxCases[0].password))
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Keys[0].Decrypt([]byte(pfxCases[0].password))
	if err != nil {
		t.Fatal(err)
	}
	want := unhex(t, "3066020100301f06082a85030701010101301306072a85030202230106082a85"+
		"0307010102020440461b46ef3acfed4914a0dc3c337d51b4c61b6922f5e9d3aa"+
		"8b382a9514d23f480e997551789a035603230523940a7ef351a42e6cadf05c3a"+
		"1adfd7e496724806")
	if !bytes.Equal(got, want) {
		t.Fatalf("PrivateKeyInfo\n got %x\nwant %x", got, want)
	}
	if string(p.Keys[0].LocalKeyID) != "\x01\x00\x00\x00" {
		t.Fatalf("localKeyID %x", p.Keys[0].LocalKeyID)
	}
}

// The encrypted PKCS#8 PEM fixtures decrypt to the expected keys.
func TestEncryptedPKCS8Fixtures(t *testing.T) {
	for _, c := range []struct{ file, password, priv, keyPEM string }{
		{"made-here/mh-gost2012-256.enc-pkcs8-gost89.pem", "12345678", "", "made-here/mh-gost2012-256.key.pem"},
		{"made-here/mh-gost2012-512.enc-pkcs8-gost89.pem", "12345678", "", "made-here/mh-gost2012-512.key.pem"},
		{"pem/gost-engine-mkkey-pkcs8-2.pem", "qwertyu", "499F36A98A6EE9142351EA0A979B2FAEF62E32B88778042FB9222F8C08397E79", ""},
		{"pem/gost-engine-mkkey-pkcs8-3.pem", "йцукенг", "894150BCD66A400C198154D68E5817A6EF3546983863B57F6D04F5C14FD766CC", ""},
	} {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			der := pemBytes(t, c.file)
			info, err := DecryptPKCS8(der, []byte(c.password))
			if err != nil {
				t.Fatal(err)
			}
			want := c.priv
			if c.keyPEM != "" {
				want = privHex(t, pemBytes(t, c.keyPEM))
			}
			if got := privHex(t, info); got != want {
				t.Fatalf("private key %s, want %s", got, want)
			}
			if _, err := DecryptPKCS8(der, []byte(c.password+"x")); !errors.Is(err, ErrWrongPassword) {
				t.Fatalf("wrong password: %v", err)
			}
		})
	}
}

// A wrong password is ErrWrongPassword for every PFX, whatever its MAC.
func TestPFXWrongPassword(t *testing.T) {
	files := []string{"pfx/loadtestingru-cryptopro-pfx1.pfx", "pfx/loadtestingru-cryptopro-pfx2.pfx"}
	for _, c := range pfxCases {
		files = append(files, c.file)
	}
	for _, f := range files {
		for _, pw := range []string{"", "wrong", "Пароль"} {
			if _, err := ParsePFX(readFixture(t, f), []byte(pw)); !errors.Is(err, ErrWrongPassword) {
				t.Fatalf("%s with %q: %v", f, pw, err)
			}
		}
	}
}

// The PFX of CryptoPro CSP open here too (MAC SHA-1 / SHA-256 with the
// RFC 7292 KDF, certificates in 3DES / PBES2 AES-256); their key bag is
// left to package cryptopro.
func TestCryptoProPFXContainer(t *testing.T) {
	for _, c := range []struct{ file, password string }{
		{"pfx/loadtestingru-cryptopro-pfx1.pfx", "12345"},
		{"pfx/loadtestingru-cryptopro-pfx2.pfx", "1234567890"},
	} {
		p, err := ParsePFX(readFixture(t, c.file), []byte(c.password))
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Certificates) != 2 || len(p.Keys) != 1 || !p.Keys[0].Algorithm.Equal(OIDCryptoProKeyBag) {
			t.Fatalf("%s: %d certificates, keys %+v", c.file, len(p.Certificates), p.Keys)
		}
		var u *UnsupportedError
		if _, err := p.Keys[0].Decrypt([]byte(c.password)); !errors.As(err, &u) {
			t.Fatalf("the CryptoPro key bag: %v", err)
		}
	}
}

// Damaged files are refused with an error, never a panic or a key.
func TestDamagedPFX(t *testing.T) {
	data := readFixture(t, pfxCases[1].file)
	pw := []byte(pfxCases[1].password)
	var m *MalformedError
	for _, n := range []int{0, 1, 10, len(data) / 2, len(data) - 1} {
		if _, err := ParsePFX(data[:n], pw); !errors.As(err, &m) {
			t.Fatalf("truncated to %d: %v", n, err)
		}
	}
	if _, err := ParsePFX(append(bytes.Clone(data), 0), pw); !errors.As(err, &m) {
		t.Fatalf("trailing byte: %v", err)
	}
	// a byte changed inside the MAC-protected content or the MAC itself
	for _, i := range []int{len(data) / 3, len(data) - 5} {
		bad := bytes.Clone(data)
		bad[i] ^= 0x01
		if _, err := ParsePFX(bad, pw); err == nil {
			t.Fatalf("byte %d changed: opened", i)
		}
	}
}

// PBKDF2 with HMAC-Streebog-512: R 50.1.111-2016 / RFC 9337 vectors
// (VECTORS.md section 8).
func TestPBKDF2Streebog512(t *testing.T) {
	for _, v := range []struct {
		p, s string
		c, n int
		dk   string
	}{
		{"password", "salt", 1, 64, "64770af7f748c3b1c9ac831dbcfd85c26111b30a8a657ddc3056b80ca73e040d2854fd36811f6d825cc4ab66ec0a68a490a9e5cf5156b3a2b7eecddbf9a16b47"},
		{"password", "salt", 2, 64, "5a585bafdfbb6e8830d6d68aa3b43ac00d2e4aebce01c9b31c2caed56f0236d4d34b2b8fbd2c4e89d54d46f50e47d45bbac301571743119e8d3c42ba66d348de"},
		{"password", "salt", 4096, 64, "e52deb9a2d2aaff4e2ac9d47a41f34c20376591c67807f0477e32549dc341bc7867c09841b6d58e29d0347c996301d55df0d34e47cf68f4e3c2cdaf1d9ab86c3"},
		{"passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 100, "b2d8f1245fc4d29274802057e4b54e0a0753aa22fc53760b301cf008679e58fe4bee9addcae99ba2b0b20f431a9c5e50f395c89387d0945aedeca6eb4015dfc2bd2421ee9bb71183ba882ceebfef259f33f9e27dc6178cb89dc37428cf9cc52a2baa2d3a"},
		{"pass\x00word", "sa\x00lt", 4096, 64, "50df062885b69801a3c10248eb0a27ab6e522ffeb20c991c660f001475d73a4e167f782c18e97e92976d9c1d970831ea78ccb879f67068cdac1910740844e830"},
	} {
		if got := hex.EncodeToString(PBKDF2(streebog.New512, []byte(v.p), []byte(v.s), v.c, v.n)); got != v.dk {
			t.Errorf("PBKDF2(%q, %q, %d) = %s, want %s", v.p, v.s, v.c, got, v.dk)
		}
	}
	// VECTORS.md section 9: the key of the TC26 example's key bag
	key := PBKDF2(streebog.New512, []byte("Пароль для PFX"),
		unhex(t, "f9a99af44d322c06f760528abfcc5c0ecddc89a218faff85a2c9c7208fd00afd"), 2000, 32)
	if hex.EncodeToString(key) != "309dd0354c5603739403f2335e9e2055138f8b5c98b63009de0635eea1fd7ba8" {
		t.Fatalf("TC26 example key %x", key)
	}
}

// VECTORS.md section 10: the legacy CryptoPro PFX MAC key from the RFC 7292
// KDF over GOST R 34.11-94, and the TC26 example's MAC key (section 9).
func TestMACKeys(t *testing.T) {
	bmp, _ := bmpPassword([]byte("1"))
	d := lookupHash(digests, oidGOST94)
	key := pkcs12KDF(d.new, bmp, unhex(t, "18e6c0ed92b55e05"), kdfMAC, 2048, 32)
	if hex.EncodeToString(key) != "90cbe7e0451d0e1dd397aba39c85f33bc6b7404edbca31a729ddfd857e2d2a20" {
		t.Fatalf("RFC 7292 GOST MAC key %x", key)
	}
	var pdu pfxPDU
	if err := parseDER(readFixture(t, pfxCases[0].file), &pdu, "PFX"); err != nil {
		t.Fatal(err)
	}
	keys := macKeys(lookupHash(digests, oidStreebog512), &pdu.MacData, []byte(pfxCases[0].password))
	if len(keys) != 1 || hex.EncodeToString(keys[0]) != "cadbfbf3bceaa9b79f651508fac5abbeb4a13d0bd0e1876bd3c3efb2112128a5" {
		t.Fatalf("TC26 MAC key %x", keys)
	}
}

func TestBMPPassword(t *testing.T) {
	b, ok := bmpPassword([]byte("Яa"))
	if !ok || hex.EncodeToString(b) != "042f00610000" {
		t.Fatalf("%x %v", b, ok)
	}
	if _, ok := bmpPassword([]byte{0xff}); ok {
		t.Fatal("invalid UTF-8 accepted")
	}
	if _, ok := bmpPassword([]byte("😀")); ok {
		t.Fatal("a character outside the BMP accepted")
	}
}
