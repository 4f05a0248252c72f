package softtoken

import (
	"bytes"
	"crypto/rand"
	"encoding/asn1"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gostx509"
	"github.com/mezhved/mezhved/gost/streebog"
)

const (
	soPIN   = "87654321"
	userPIN = "123456"
)

// newModule starts a module over a fresh directory with n slot directories.
func newModule(t *testing.T, n int) (*Module, string) {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		if err := os.Mkdir(filepath.Join(dir, "slot"+string(rune('0'+i))), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{EnvDir: dir, EnvSlots: "4"}
	m := &Module{}
	if rv := m.Initialize(func(k string) string { return env[k] }); rv != CKR_OK {
		t.Fatalf("Initialize: %#x", rv)
	}
	t.Cleanup(func() { m.Finalize() })
	return m, dir
}

func must(t *testing.T, what string, rv RV) {
	t.Helper()
	if rv != CKR_OK {
		t.Fatalf("%s: %#x", what, rv)
	}
}

func want(t *testing.T, what string, rv, exp RV) {
	t.Helper()
	if rv != exp {
		t.Fatalf("%s: %#x, want %#x", what, rv, exp)
	}
}

// initToken initializes slot id with the SO and user PINs and returns a
// read/write session logged in as the user.
func initToken(t *testing.T, m *Module, id uint, label string) uint {
	t.Helper()
	must(t, "InitToken", m.InitToken(id, []byte(soPIN), label))
	h, rv := m.OpenSession(id, CKF_SERIAL_SESSION|CKF_RW_SESSION)
	must(t, "OpenSession", rv)
	must(t, "Login SO", m.Login(h, CKU_SO, []byte(soPIN)))
	must(t, "InitPIN", m.InitPIN(h, []byte(userPIN)))
	must(t, "Logout", m.Logout(h))
	must(t, "Login", m.Login(h, CKU_USER, []byte(userPIN)))
	return h
}

func ul(v uint) []byte { return ulongBytes(v) }

func oidDER(t *testing.T, c *gost3410.Curve) []byte {
	b, err := asn1.Marshal(c.OID)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func genPair(t *testing.T, m *Module, h, mech uint, c *gost3410.Curve, id string) (uint, uint) {
	t.Helper()
	pub := []Attr{{CKA_TOKEN, []byte{1}}, {CKA_GOSTR3410_PARAMS, oidDER(t, c)}, {CKA_ID, []byte(id)}, {CKA_LABEL, []byte(id)}}
	priv := []Attr{{CKA_TOKEN, []byte{1}}, {CKA_SIGN, []byte{1}}, {CKA_ID, []byte(id)}, {CKA_LABEL, []byte(id)}}
	ph, qh, rv := m.GenerateKeyPair(h, mech, pub, priv)
	must(t, "GenerateKeyPair", rv)
	return ph, qh
}

func pubKey(t *testing.T, m *Module, h, ph uint, c *gost3410.Curve) *gost3410.PublicKey {
	t.Helper()
	v, rv := m.GetAttributes(h, ph, []uint{CKA_VALUE})
	must(t, "GetAttributes", rv)
	pub, err := gost3410.NewPublicKeyLE(c, v[0].Value)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

func sign(t *testing.T, m *Module, h, mech, key uint, data []byte) []byte {
	t.Helper()
	must(t, "SignInit", m.SignInit(h, mech, nil, key))
	_, n, rv := m.Sign(h, nil, Out{Query: true})
	must(t, "Sign length", rv)
	sig, _, rv := m.Sign(h, data, Out{Cap: n})
	must(t, "Sign", rv)
	return sig
}

// TestTokenSignBothNumberings: keys made and used under the standard numbers and
// TC26's sign what gost3410 verifies; digests are Streebog's.
func TestTokenSignBothNumberings(t *testing.T) {
	m, _ := newModule(t, 1)
	h := initToken(t, m, 0, "test")
	data := bytes.Repeat([]byte("подпись "), 100)
	for _, c := range []struct {
		name              string
		gen, raw, withH   uint
		curve             *gost3410.Curve
		stdWithHashParams bool
	}{
		{"256 standard", CKM_GOSTR3410_KEY_PAIR_GEN, CKM_GOSTR3410, CKM_GOSTR3410_WITH_GOSTR3411, gost3410.CurveTC26256A(), true},
		{"256 TC26", CKM_GOSTR3410_KEY_PAIR_GEN, CKM_GOSTR3410, CKM_GOSTR3410_WITH_GOSTR3411_12_256, gost3410.CurveCryptoProA(), false},
		{"512 TC26", CKM_GOSTR3410_512_KEY_PAIR_GEN, CKM_GOSTR3410_512, CKM_GOSTR3410_WITH_GOSTR3411_12_512, gost3410.CurveTC26512A(), false},
		{"512 standard", CKM_GOSTR3410_KEY_PAIR_GEN, CKM_GOSTR3410, CKM_GOSTR3410_WITH_GOSTR3411, gost3410.CurveTC26512B(), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ph, qh := genPair(t, m, h, c.gen, c.curve, c.name)
			pub := pubKey(t, m, h, ph, c.curve)
			hh := c.curve.NewHash()
			hh.Write(data)
			d := hh.Sum(nil)
			if sig := sign(t, m, h, c.raw, qh, d); !gost3410.VerifyDigest(pub, d, sig) {
				t.Fatal("raw signature does not verify")
			}
			sig := sign(t, m, h, c.withH, qh, data)
			if !gost3410.VerifyDigest(pub, d, sig) {
				t.Fatal("hash-and-sign signature does not verify")
			}
			must(t, "VerifyInit", m.VerifyInit(h, c.withH, nil, ph))
			must(t, "Verify", m.Verify(h, data, sig))
			must(t, "VerifyInit", m.VerifyInit(h, c.withH, nil, ph))
			want(t, "Verify tampered", m.Verify(h, append(data, 1), sig), CKR_SIGNATURE_INVALID)
			// Multi-part.
			must(t, "SignInit", m.SignInit(h, c.withH, nil, qh))
			must(t, "SignUpdate", m.SignUpdate(h, data[:10]))
			must(t, "SignUpdate", m.SignUpdate(h, data[10:]))
			sig, _, rv := m.Sign(h, nil, Out{Cap: 128})
			must(t, "SignFinal", rv)
			if !gost3410.VerifyDigest(pub, d, sig) {
				t.Fatal("multi-part signature does not verify")
			}
			// A digest of the wrong length is refused.
			must(t, "SignInit", m.SignInit(h, c.raw, nil, qh))
			_, _, rv = m.Sign(h, d[:len(d)-1], Out{Cap: 128})
			want(t, "short digest", rv, CKR_DATA_LEN_RANGE)
		})
	}
	// The hash of one size on a key of the other is refused.
	_, q256 := genPair(t, m, h, CKM_GOSTR3410_KEY_PAIR_GEN, gost3410.CurveTC26256B(), "x")
	want(t, "512 hash on 256 key", m.SignInit(h, CKM_GOSTR3410_WITH_GOSTR3411_12_512, nil, q256), CKR_KEY_TYPE_INCONSISTENT)
	want(t, "512 mechanism on 256 key", m.SignInit(h, CKM_GOSTR3410_512, nil, q256), CKR_KEY_TYPE_INCONSISTENT)
}

func TestTokenDigest(t *testing.T) {
	m, _ := newModule(t, 1)
	h := initToken(t, m, 0, "test")
	data := []byte("012345678901234567890123456789012345678901234567890123456789012")
	for _, c := range []struct {
		mech  uint
		param []byte
		want  []byte
	}{
		{CKM_GOSTR3411_12_256, nil, sum256(data)},
		{CKM_GOSTR3411_12_512, nil, sum512(data)},
		{CKM_GOSTR3411, derStreebog256, sum256(data)},
		{CKM_GOSTR3411, derStreebog512, sum512(data)},
	} {
		must(t, "DigestInit", m.DigestInit(h, c.mech, c.param))
		must(t, "DigestUpdate", m.DigestUpdate(h, data[:5]))
		got, _, rv := m.Digest(h, data[5:], Out{Cap: 64})
		must(t, "Digest", rv)
		if !bytes.Equal(got, c.want) {
			t.Errorf("%#x: %x", c.mech, got)
		}
	}
	want(t, "GOST R 34.11-94", m.DigestInit(h, CKM_GOSTR3411, nil), CKR_MECHANISM_PARAM_INVALID)
}

func sum256(b []byte) []byte { s := streebog.Sum256(b); return s[:] }
func sum512(b []byte) []byte { s := streebog.Sum512(b); return s[:] }

// TestTokenPINCounter: wrong PINs are counted on disk, the flags warn, the PIN
// locks, the SO unlocks it; nothing PIN-like is written.
func TestTokenPINCounter(t *testing.T) {
	m, dir := newModule(t, 1)
	h := initToken(t, m, 0, "pin")
	must(t, "Logout", m.Logout(h))
	tries := m.Config().PINTries
	for i := 1; i <= tries; i++ {
		want(t, "wrong PIN", m.Login(h, CKU_USER, []byte("000000")), CKR_PIN_INCORRECT)
		ti, rv := m.TokenInfo(0)
		must(t, "TokenInfo", rv)
		f := ti.Flags
		if f&CKF_USER_PIN_COUNT_LOW == 0 || (f&CKF_USER_PIN_FINAL_TRY != 0) != (i == tries-1) || (f&CKF_USER_PIN_LOCKED != 0) != (i == tries) {
			t.Fatalf("after %d wrong PINs flags %#x", i, f)
		}
	}
	want(t, "right PIN, locked", m.Login(h, CKU_USER, []byte(userPIN)), CKR_PIN_LOCKED)
	// Another process (a new module) sees the same count.
	m2 := &Module{}
	must(t, "Initialize", m2.Initialize(func(k string) string { return map[string]string{EnvDir: dir}[k] }))
	h2, rv := m2.OpenSession(0, CKF_SERIAL_SESSION)
	must(t, "OpenSession", rv)
	want(t, "locked for others", m2.Login(h2, CKU_USER, []byte(userPIN)), CKR_PIN_LOCKED)
	m2.Finalize()
	must(t, "Login SO", m.Login(h, CKU_SO, []byte(soPIN)))
	must(t, "InitPIN", m.InitPIN(h, []byte("654321")))
	must(t, "Logout", m.Logout(h))
	must(t, "new PIN", m.Login(h, CKU_USER, []byte("654321")))
	must(t, "SetPIN", m.SetPIN(h, []byte("654321"), []byte(userPIN)))
	must(t, "Logout", m.Logout(h))
	must(t, "changed PIN", m.Login(h, CKU_USER, []byte(userPIN)))
	// Files: 0700 directory, 0600 token file, no PIN in it.
	for path, mode := range map[string]os.FileMode{filepath.Join(dir, "slot0"): 0o700, filepath.Join(dir, "slot0", tokenFileName): 0o600} {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: %v %v, want %v", path, fi.Mode().Perm(), err, mode)
		}
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "slot0", tokenFileName))
	for _, pin := range []string{soPIN, userPIN, "654321"} {
		if strings.Contains(string(raw), pin) {
			t.Errorf("token file holds PIN %s", pin)
		}
	}
}

// TestTokenPrivateKeyStays: a private key imported as pkcs11-tool writes one
// (little-endian, high zero bytes dropped) signs; its value never comes
// out and is not in the file; it is invisible without login.
func TestTokenPrivateKeyStays(t *testing.T) {
	m, dir := newModule(t, 1)
	h := initToken(t, m, 0, "import")
	c := gost3410.CurveTC26256A()
	var priv *gost3410.PrivateKey
	for priv == nil || priv.PrivateRawLE()[31] != 0 { // one whose value is short in pkcs11-tool's form
		priv, _ = gost3410.GenerateKey(c, rand.Reader)
	}
	le := priv.PrivateRawLE()
	short := bytes.TrimRight(le, "\x00")
	qh, rv := m.CreateObject(h, []Attr{{CKA_CLASS, ul(CKO_PRIVATE_KEY)}, {CKA_KEY_TYPE, ul(CKK_GOSTR3410)}, {CKA_TOKEN, []byte{1}},
		{CKA_GOSTR3410_PARAMS, oidDER(t, c)}, {CKA_VALUE, short}, {CKA_ID, []byte{7}}})
	must(t, "CreateObject", rv)
	d := sum256([]byte("x"))
	if sig := sign(t, m, h, CKM_GOSTR3410, qh, d); !gost3410.VerifyDigest(&priv.PublicKey, d, sig) {
		t.Fatal("imported key signs wrong")
	}
	vals, rv := m.GetAttributes(h, qh, []uint{CKA_VALUE, CKA_SENSITIVE, CKA_EXTRACTABLE, CKA_MODULUS_FAKE})
	must(t, "GetAttributes", rv)
	if vals[0].RV != CKR_ATTRIBUTE_SENSITIVE || vals[1].Value[0] != 1 || vals[2].Value[0] != 0 || vals[3].RV != CKR_ATTRIBUTE_TYPE_INVALID {
		t.Fatalf("attributes %+v", vals)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "slot0", tokenFileName))
	if bytes.Contains(raw, short) || strings.Contains(string(raw), base64.StdEncoding.EncodeToString(short)) {
		t.Fatal("private value in the token file")
	}
	must(t, "FindInit", m.FindInit(h, []Attr{{CKA_VALUE, short}}))
	if hs, _ := m.Find(h, 10); len(hs) != 0 {
		t.Fatal("found by private value")
	}
	must(t, "FindFinal", m.FindFinal(h))
	must(t, "Logout", m.Logout(h))
	must(t, "FindInit", m.FindInit(h, []Attr{{CKA_ID, []byte{7}}}))
	if hs, _ := m.Find(h, 10); len(hs) != 0 {
		t.Fatal("private key visible without login")
	}
	m.FindFinal(h)
	// Extractable or not sensitive keys are refused.
	must(t, "Login", m.Login(h, CKU_USER, []byte(userPIN)))
	_, rv = m.CreateObject(h, []Attr{{CKA_CLASS, ul(CKO_PRIVATE_KEY)}, {CKA_KEY_TYPE, ul(CKK_GOSTR3410)}, {CKA_EXTRACTABLE, []byte{1}},
		{CKA_GOSTR3410_PARAMS, oidDER(t, c)}, {CKA_VALUE, le}})
	want(t, "extractable key", rv, CKR_ATTRIBUTE_VALUE_INVALID)
}

// CKA_MODULUS_FAKE is an attribute a GOST key does not have (CKA_MODULUS).
const CKA_MODULUS_FAKE = 0x120

// TestTokenCertificateAndRemoval: a certificate is stored with what pkcs11-tool
// leaves out filled in; pulling the token out ends its sessions.
func TestTokenCertificateAndRemoval(t *testing.T) {
	m, dir := newModule(t, 2)
	h := initToken(t, m, 1, "removable")
	c := gost3410.CurveTC26256A()
	priv, _ := gost3410.GenerateKey(c, rand.Reader)
	der := selfSigned(t, priv)
	ch, rv := m.CreateObject(h, []Attr{{CKA_CLASS, ul(CKO_CERTIFICATE)}, {CKA_TOKEN, []byte{1}}, {CKA_VALUE, der}, {CKA_ID, []byte{1}}, {CKA_LABEL, []byte("cert")}})
	must(t, "CreateObject cert", rv)
	vals, rv := m.GetAttributes(h, ch, []uint{CKA_SUBJECT, CKA_CERTIFICATE_TYPE, CKA_PRIVATE})
	must(t, "GetAttributes", rv)
	if len(vals[0].Value) == 0 || !bytes.Equal(vals[1].Value, ul(CKC_X_509)) || vals[2].Value[0] != 0 {
		t.Fatalf("certificate attributes %+v", vals)
	}
	slot := filepath.Join(dir, "slot1")
	if err := os.WriteFile(filepath.Join(slot, removedMarker), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	want(t, "after removal", m.Login(h, CKU_USER, []byte(userPIN)), CKR_DEVICE_REMOVED)
	_, rv = m.OpenSession(1, CKF_SERIAL_SESSION)
	want(t, "open without token", rv, CKR_TOKEN_NOT_PRESENT)
	must(t, "CloseSession of a removed token", m.CloseSession(h))
	os.Remove(filepath.Join(slot, removedMarker))
	h, rv = m.OpenSession(1, CKF_SERIAL_SESSION)
	must(t, "OpenSession after reinsertion", rv)
	if err := os.RemoveAll(slot); err != nil {
		t.Fatal(err)
	}
	_, rv = m.SessionInfo(h)
	want(t, "directory removed", rv, CKR_DEVICE_REMOVED)
	if _, err := os.Stat(slot); err == nil {
		t.Fatal("a pulled token came back")
	}
	ids, _ := m.SlotList(true)
	if len(ids) != 1 || ids[0] != 0 {
		t.Fatalf("slots with a token: %v", ids)
	}
}

func selfSigned(t *testing.T, priv *gost3410.PrivateKey) []byte {
	t.Helper()
	der, err := gostx509.CreateCertificate(rand.Reader, testTemplate(), testTemplate(), &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// TestTokenConcurrent: sessions on many goroutines sign at once.
func TestTokenConcurrent(t *testing.T) {
	m, _ := newModule(t, 1)
	h := initToken(t, m, 0, "busy")
	c := gost3410.CurveTC26256A()
	ph, qh := genPair(t, m, h, CKM_GOSTR3410_KEY_PAIR_GEN, c, "k")
	pub := pubKey(t, m, h, ph, c)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, rv := m.OpenSession(0, CKF_SERIAL_SESSION)
			if rv != CKR_OK {
				errs <- "open"
				return
			}
			defer m.CloseSession(s)
			for range 5 {
				d := sum256([]byte("x"))
				if m.SignInit(s, CKM_GOSTR3410, nil, qh) != CKR_OK {
					errs <- "init"
					return
				}
				sig, _, rv := m.Sign(s, d, Out{Cap: 64})
				if rv != CKR_OK || !gost3410.VerifyDigest(pub, d, sig) {
					errs <- "sign"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
