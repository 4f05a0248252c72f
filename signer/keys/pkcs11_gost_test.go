package keys

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/pkcs11"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gostx509"
	"github.com/mezhved/mezhved/gost/streebog"
	"github.com/mezhved/mezhved/internal/p11build"
)

// The GOST tokens of these tests live in Mezhved's own PKCS#11 module
// (cmd/mezhved-pkcs11), built once per test process: four slots, each a
// token with its SO and user PINs and three PIN tries.
const (
	gostSOPIN      = "87654321"
	gostPIN        = "12345678"
	gostLabel      = "mezhved-gost"      // slot 0: gost256 (01), gost512 (02), imported (03), orphan certificate (09)
	secondLabel    = "mezhved-second"    // slot 1: gost256 (01), first (11), second (12, 512-bit)
	removableLabel = "mezhved-removable" // slot 2: gost256 (01), pulled out by a test
	lockLabel      = "mezhved-lock"      // slot 3: gost256 (01), locked by a test
)

var (
	gostOnce   sync.Once
	gostErr    error
	gostDir    string
	gostModule string
)

// gostToken returns the module's path, the tokens made.
func gostToken(t testing.TB) string {
	t.Helper()
	mod := p11build.Module(t)
	gostOnce.Do(func() {
		gostModule = mod
		gostErr = makeGOSTTokens(mod)
	})
	if gostErr != nil {
		t.Fatal(gostErr)
	}
	return gostModule
}

func makeGOSTTokens(mod string) error {
	dir, err := os.MkdirTemp("", "mezhved-pkcs11-")
	if err != nil {
		return err
	}
	gostDir = dir
	for i := range 4 {
		if err := os.Mkdir(filepath.Join(dir, fmt.Sprint("slot", i)), 0o700); err != nil {
			return err
		}
	}
	os.Setenv("MEZHVED_PKCS11_DIR", dir)
	os.Setenv("MEZHVED_PKCS11_SLOTS", "4")
	os.Setenv("MEZHVED_PKCS11_PIN_TRIES", "3")
	ctx, err := loadModule(mod)
	if err != nil {
		return err
	}
	ca, err := newTestCA()
	if err != nil {
		return err
	}
	for slot, keys := range []func(*tokenWriter) error{
		func(w *tokenWriter) error {
			return w.all(w.gen("gost256", 0x01, gost3410.CurveTC26256A()), w.gen("gost512", 0x02, gost3410.CurveTC26512A()),
				w.importKey("imported", 0x03), w.orphan("orphan", 0x09))
		},
		func(w *tokenWriter) error {
			return w.all(w.gen("gost256", 0x01, gost3410.CurveCryptoProA()), w.gen("first", 0x11, gost3410.CurveTC26256B()),
				w.gen("second", 0x12, gost3410.CurveTC26512B()))
		},
		func(w *tokenWriter) error { return w.gen("gost256", 0x01, gost3410.CurveTC26256A()) },
		func(w *tokenWriter) error { return w.gen("gost256", 0x01, gost3410.CurveTC26256A()) },
	} {
		label := []string{gostLabel, secondLabel, removableLabel, lockLabel}[slot]
		if err := writeToken(ctx, uint(slot), label, ca, keys); err != nil {
			return fmt.Errorf("token %s: %w", label, err)
		}
	}
	return nil
}

// tokenWriter fills one token in a logged-in read/write session.
type tokenWriter struct {
	ctx   *pkcs11.Ctx
	sh    pkcs11.SessionHandle
	label string
	ca    *testCA
}

func (w *tokenWriter) all(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func writeToken(ctx *pkcs11.Ctx, slot uint, label string, ca *testCA, fill func(*tokenWriter) error) error {
	if err := ctx.InitToken(slot, gostSOPIN, label); err != nil {
		return err
	}
	sh, err := ctx.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION)
	if err != nil {
		return err
	}
	defer ctx.CloseSession(sh)
	for _, step := range []func() error{
		func() error { return ctx.Login(sh, pkcs11.CKU_SO, gostSOPIN) },
		func() error { return ctx.InitPIN(sh, gostPIN) },
		func() error { return ctx.Logout(sh) },
		func() error { return ctx.Login(sh, pkcs11.CKU_USER, gostPIN) },
		func() error { return fill(&tokenWriter{ctx: ctx, sh: sh, label: label, ca: ca}) },
		func() error { return ctx.Logout(sh) },
	} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// gen makes a key pair on the token (the standard mechanism for 256-bit
// keys, TC26's for 512-bit ones) and writes its certificate beside it.
func (w *tokenWriter) gen(name string, id byte, c *gost3410.Curve) error {
	params, _ := asn1.Marshal(c.OID)
	mech := uint(pkcs11.CKM_GOSTR3410_KEY_PAIR_GEN)
	if c.Size() == 64 {
		mech = CKM_GOSTR3410_512_KEY_PAIR_GEN
	}
	common := []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true), pkcs11.NewAttribute(pkcs11.CKA_ID, []byte{id}),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, name)}
	pubH, _, err := w.ctx.GenerateKeyPair(w.sh, []*pkcs11.Mechanism{pkcs11.NewMechanism(mech, nil)},
		append([]*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_GOSTR3410_PARAMS, params), pkcs11.NewAttribute(pkcs11.CKA_VERIFY, true)}, common...),
		append([]*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_SIGN, true), pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, true),
			pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true)}, common...))
	if err != nil {
		return err
	}
	a, err := w.ctx.GetAttributeValue(w.sh, pubH, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_VALUE, nil)})
	if err != nil {
		return err
	}
	pub, err := gost3410.NewPublicKeyLE(c, a[0].Value)
	if err != nil {
		return err
	}
	return w.cert(name, id, pub)
}

// cert writes a certificate for pub issued by the test CA.
func (w *tokenWriter) cert(name string, id byte, pub *gost3410.PublicKey) error {
	der, err := w.ca.issue(w.label+": "+name, pub)
	if err != nil {
		return err
	}
	c, _ := x509.ParseCertificate(der)
	_, err = w.ctx.CreateObject(w.sh, []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE),
		pkcs11.NewAttribute(pkcs11.CKA_CERTIFICATE_TYPE, pkcs11.CKC_X_509),
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
		pkcs11.NewAttribute(pkcs11.CKA_ID, []byte{id}),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, name),
		pkcs11.NewAttribute(pkcs11.CKA_SUBJECT, c.RawSubject),
		pkcs11.NewAttribute(pkcs11.CKA_VALUE, der),
	})
	return err
}

// importKey writes testdata/gost256.key as pkcs11-tool writes a GOST key
// (the little-endian value without its high zero bytes) and its certificate.
func (w *tokenWriter) importKey(name string, id byte) error {
	data, err := os.ReadFile(td("gost256.key"))
	if err != nil {
		return err
	}
	b, _ := pem.Decode(data)
	priv, err := gostx509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return err
	}
	params, _ := asn1.Marshal(priv.Curve.OID)
	_, err = w.ctx.CreateObject(w.sh, []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PRIVATE_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_GOSTR3410),
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, true),
		pkcs11.NewAttribute(pkcs11.CKA_SIGN, true),
		pkcs11.NewAttribute(pkcs11.CKA_ID, []byte{id}),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, name),
		pkcs11.NewAttribute(pkcs11.CKA_GOSTR3410_PARAMS, params),
		pkcs11.NewAttribute(pkcs11.CKA_VALUE, []byte(strings.TrimRight(string(priv.PrivateRawLE()), "\x00"))),
	})
	if err != nil {
		return err
	}
	cert, err := os.ReadFile(td("gost256.crt"))
	if err != nil {
		return err
	}
	cb, _ := pem.Decode(cert)
	_, err = w.ctx.CreateObject(w.sh, []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE),
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
		pkcs11.NewAttribute(pkcs11.CKA_ID, []byte{id}),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, name),
		pkcs11.NewAttribute(pkcs11.CKA_VALUE, cb.Bytes),
	})
	return err
}

// orphan writes a certificate whose key is nowhere on the token.
func (w *tokenWriter) orphan(name string, id byte) error {
	other, err := gost3410.GenerateKey(gost3410.CurveTC26256A(), rand.Reader)
	if err != nil {
		return err
	}
	return w.cert(name, id, &other.PublicKey)
}

// testCA issues the tokens' certificates.
type testCA struct {
	key  *gost3410.PrivateKey
	cert *x509.Certificate
	n    int64
}

func newTestCA() (*testCA, error) {
	key, err := gost3410.GenerateKey(gost3410.CurveTC26256A(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Учебный УЦ токенов"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := gostx509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return &testCA{key: key, cert: cert, n: 1}, err
}

func (ca *testCA) issue(cn string, pub *gost3410.PublicKey) ([]byte, error) {
	ca.n++
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(ca.n), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	return gostx509.CreateCertificate(rand.Reader, tmpl, ca.cert, pub, ca.key)
}

func gostCfg(token, label string, id []byte) PKCS11Config {
	return PKCS11Config{Module: gostModule, TokenLabel: token, KeyLabel: label, KeyID: id}
}

// TestPKCS11GOST signs through the module with 256- and 512-bit keys made
// on the token and one imported, by label and by id, hashing here
// (CKM_GOSTR3410) and on the token (TC26's hash-and-sign).
func TestPKCS11GOST(t *testing.T) {
	gostToken(t)
	cases := []struct {
		name string
		cfg  PKCS11Config
		hash bool
		alg  Algorithm
	}{
		{"256 by label", gostCfg(gostLabel, "gost256", nil), false, AlgGOST256},
		{"256 by id, hash on token", gostCfg(gostLabel, "", []byte{1}), true, AlgGOST256},
		{"512 by label, hash on token", gostCfg(gostLabel, "gost512", nil), true, AlgGOST512},
		{"512 by id", gostCfg(gostLabel, "", []byte{2}), false, AlgGOST512},
		{"imported key", gostCfg(gostLabel, "imported", nil), false, AlgGOST256},
		{"512 on the second token", gostCfg(secondLabel, "second", nil), true, AlgGOST512},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.cfg.HashOnToken = c.hash
			pin := []byte(gostPIN)
			k, err := OpenPKCS11(c.cfg, pin)
			if err != nil {
				t.Fatal(err)
			}
			defer k.Close()
			if string(pin) != string(make([]byte, len(pin))) {
				t.Fatal("PIN not zeroed")
			}
			if k.Algorithm() != c.alg {
				t.Fatalf("algorithm %+v", k.Algorithm())
			}
			data := []byte("<ds:SignedInfo>подпись на токене Межведа</ds:SignedInfo>")
			sig, err := k.SignData(data)
			if err != nil {
				t.Fatal(err)
			}
			pub := k.Public().(*gost3410.PublicKey)
			h := pub.Curve.NewHash()
			h.Write(data)
			if !gost3410.VerifyDigest(pub, h.Sum(nil), sig) {
				t.Fatal("the token's signature does not verify")
			}
			if tk(k).gostReversed.Load() {
				t.Fatal("the module reads CKM_GOSTR3410 digests reversed")
			}
			if _, err := tk(k).ctx.GetAttributeValue(tk(k).sh, tk(k).priv, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_VALUE, nil)}); !isRV(err, pkcs11.CKR_ATTRIBUTE_SENSITIVE) {
				t.Fatalf("private value readable: %v", err)
			}
		})
	}
}

func tk(k Key) *tokenKey { return k.(*tokenKey) }

// TestPKCS11GOSTWrongPIN: each wrong PIN tells the clerk how things stand,
// the third locks the token, the right PIN then does not open it, and the
// administrator's PIN unlocks it.
func TestPKCS11GOSTWrongPIN(t *testing.T) {
	gostToken(t)
	cfg := gostCfg(lockLabel, "gost256", nil)
	for i, want := range []string{"Попыток осталось немного", "Осталась одна попытка", "заблокирован", "заблокирован"} {
		pin := "00000000"
		if i == 3 {
			pin = gostPIN
		}
		_, err := OpenPKCS11(cfg, []byte(pin))
		wantCode(t, err, domain.EPERMISSION, want)
		if strings.Contains(err.Error(), pin) {
			t.Fatal("PIN in the error")
		}
	}
	ctx, _ := loadModule(gostModule)
	slot, err := findSlot(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sh, err := ctx.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION)
	if err != nil {
		t.Fatal(err)
	}
	if err := ctx.Login(sh, pkcs11.CKU_SO, gostSOPIN); err != nil {
		t.Fatal(err)
	}
	if err := ctx.InitPIN(sh, gostPIN); err != nil {
		t.Fatal(err)
	}
	ctx.Logout(sh)
	ctx.CloseSession(sh)
	k, err := OpenPKCS11(cfg, []byte(gostPIN))
	if err != nil {
		t.Fatalf("after the administrator's unlock: %v", err)
	}
	k.Close()
}

// TestPKCS11GOSTRemoved: a token pulled out during a session fails the
// next signature with a clear message, the key closes cleanly, and the
// token works again once put back.
func TestPKCS11GOSTRemoved(t *testing.T) {
	gostToken(t)
	cfg := gostCfg(removableLabel, "gost256", nil)
	k, err := OpenPKCS11(cfg, []byte(gostPIN))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.SignData([]byte("x")); err != nil {
		t.Fatal(err)
	}
	in, out := filepath.Join(gostDir, "slot2"), filepath.Join(gostDir, "slot2-pulled-out")
	if err := os.Rename(in, out); err != nil {
		t.Fatal(err)
	}
	_, err = k.SignData([]byte("x"))
	wantCode(t, err, domain.EUNAVAILABLE, "Токен отключён")
	if err := k.Close(); err != nil {
		t.Fatalf("Close after removal: %v", err)
	}
	_, err = OpenPKCS11(cfg, []byte(gostPIN))
	wantCode(t, err, domain.ENOTFOUND, "Токен не найден")
	if err := os.Rename(out, in); err != nil {
		t.Fatal(err)
	}
	k, err = OpenPKCS11(cfg, []byte(gostPIN))
	if err != nil {
		t.Fatalf("token put back: %v", err)
	}
	defer k.Close()
	if _, err := k.SignData([]byte("x")); err != nil {
		t.Fatal(err)
	}
}

// TestPKCS11GOSTTwoTokens picks keys by pkcs11: URI among tokens that share
// labels and ids.
func TestPKCS11GOSTTwoTokens(t *testing.T) {
	mod := gostToken(t)
	q := "?module-path=" + mod
	for _, c := range []struct{ uri, cn string }{
		{"pkcs11:token=" + gostLabel + ";object=gost256", gostLabel + ": gost256"},
		{"pkcs11:token=" + secondLabel + ";object=gost256", secondLabel + ": gost256"},
		{"pkcs11:token=" + secondLabel + ";id=%01", secondLabel + ": gost256"},
		{"pkcs11:token=" + secondLabel + ";id=%12", secondLabel + ": second"},
		{"pkcs11:slot-id=1;object=first", secondLabel + ": first"},
		{"pkcs11:token=" + gostLabel + ";object=gost512;id=%02", gostLabel + ": gost512"},
	} {
		k, err := Open(c.uri+q, "", []byte(gostPIN))
		if err != nil {
			t.Fatalf("%s: %v", c.uri, err)
		}
		if cn := k.Certificate().Subject.CommonName; cn != c.cn {
			t.Errorf("%s: certificate %q, want %q", c.uri, cn, c.cn)
		}
		if _, err := k.SignData([]byte("x")); err != nil {
			t.Errorf("%s: %v", c.uri, err)
		}
		k.Close()
	}
	_, err := Open("pkcs11:object=gost256"+q, "", []byte(gostPIN))
	wantCode(t, err, domain.EINVALID, "несколько токенов")
	_, err = Open("pkcs11:token="+secondLabel+";object=imported"+q, "", []byte(gostPIN))
	wantCode(t, err, domain.ENOTFOUND, "«imported» не найден на токене")
}

// TestPKCS11GOSTCertWithoutKey: a certificate alone on the token is named.
func TestPKCS11GOSTCertWithoutKey(t *testing.T) {
	mod := gostToken(t)
	for _, uri := range []string{"pkcs11:token=" + gostLabel + ";object=orphan", "pkcs11:token=" + gostLabel + ";id=%09"} {
		_, err := Open(uri+"?module-path="+mod, "", []byte(gostPIN))
		wantCode(t, err, domain.ENOTFOUND, "нет его закрытого ключа")
	}
}

// TestPKCS11GOSTDigestOrder: CKM_GOSTR3410 on the module takes the digest
// as Streebog emits it, the order SignDigest sends.
func TestPKCS11GOSTDigestOrder(t *testing.T) {
	gostToken(t)
	k, err := OpenPKCS11(gostCfg(gostLabel, "gost256", nil), []byte(gostPIN))
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	d := streebog.Sum256([]byte("порядок байтов"))
	sig, err := tk(k).sign(pkcs11.CKM_GOSTR3410, d[:])
	if err != nil {
		t.Fatal(err)
	}
	if !gost3410.VerifyDigest(k.Public().(*gost3410.PublicKey), d[:], sig) {
		t.Fatal("CKM_GOSTR3410 does not sign the digest as emitted")
	}
}
