// Package testtokens fills Mezhved's GOST PKCS#11 module (cmd/mezhved-pkcs11,
// built by internal/p11build) with tokens for the tests of the key picker:
// GOST R 34.10-2012 keys made on the token, their certificates issued by a
// throwaway CA with the Russian subject attributes, and certificates
// without a key. For tests only.
package testtokens

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/miekg/pkcs11"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gostx509"
	"github.com/mezhved/mezhved/internal/p11build"
)

// The tokens' PINs.
const (
	PIN   = "12345678"
	SOPIN = "87654321"
)

// Token is one token to make, in its own slot.
type Token struct {
	Label string
	Keys  []Key
}

// Key is a key pair made on the token with its certificate; Orphan writes
// the certificate of a key that is not on the token.
type Key struct {
	Label  string
	ID     byte
	Owner  string // the certificate's CN
	Org    string
	SNILS  string
	OGRN   string
	Orphan bool
}

// Made is the module with its tokens.
type Made struct {
	Module string
	Dir    string            // the tokens' storage
	CA     *x509.Certificate // issued every certificate
}

var (
	once  sync.Once
	made  Made
	errMk error
)

// Make builds the module and, once per test process (the module reads its
// storage at C_Initialize), writes the tokens into a fresh storage, with
// certificates valid from..to. Later calls return the same tokens.
func Make(t testing.TB, from, to time.Time, tokens ...Token) Made {
	t.Helper()
	mod := p11build.Module(t)
	once.Do(func() { made, errMk = write(mod, from, to, tokens) })
	if errMk != nil {
		t.Fatal(errMk)
	}
	return made
}

func write(mod string, from, to time.Time, tokens []Token) (Made, error) {
	dir, err := os.MkdirTemp("", "mezhved-testtokens-")
	if err != nil {
		return Made{}, err
	}
	for i := range tokens {
		if err := os.Mkdir(filepath.Join(dir, fmt.Sprint("slot", i)), 0o700); err != nil {
			return Made{}, err
		}
	}
	os.Setenv("MEZHVED_PKCS11_DIR", dir)
	os.Setenv("MEZHVED_PKCS11_SLOTS", fmt.Sprint(len(tokens)))
	os.Setenv("MEZHVED_PKCS11_PIN_TRIES", "5")
	ctx := pkcs11.New(mod)
	if ctx == nil {
		return Made{}, fmt.Errorf("the module %s did not load", mod)
	}
	if err := ctx.Initialize(); err != nil {
		return Made{}, err
	}
	ca, err := newCA(from, to)
	if err != nil {
		return Made{}, err
	}
	for slot, tok := range tokens {
		if err := writeToken(ctx, uint(slot), tok, ca); err != nil {
			return Made{}, fmt.Errorf("token %s: %w", tok.Label, err)
		}
	}
	return Made{Module: mod, Dir: dir, CA: ca.cert}, nil
}

func writeToken(ctx *pkcs11.Ctx, slot uint, tok Token, ca *testCA) error {
	if err := ctx.InitToken(slot, SOPIN, tok.Label); err != nil {
		return err
	}
	sh, err := ctx.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION)
	if err != nil {
		return err
	}
	defer ctx.CloseSession(sh)
	steps := []func() error{
		func() error { return ctx.Login(sh, pkcs11.CKU_SO, SOPIN) },
		func() error { return ctx.InitPIN(sh, PIN) },
		func() error { return ctx.Logout(sh) },
		func() error { return ctx.Login(sh, pkcs11.CKU_USER, PIN) },
	}
	for _, k := range tok.Keys {
		steps = append(steps, func() error { return writeKey(ctx, sh, k, ca) })
	}
	steps = append(steps, func() error { return ctx.Logout(sh) })
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// writeKey makes a 256-bit key pair on the token (or, for an orphan, off
// it) and writes its certificate with the same CKA_ID and label.
func writeKey(ctx *pkcs11.Ctx, sh pkcs11.SessionHandle, k Key, ca *testCA) error {
	curve := gost3410.CurveTC26256A()
	var pub *gost3410.PublicKey
	if k.Orphan {
		other, err := gost3410.GenerateKey(curve, rand.Reader)
		if err != nil {
			return err
		}
		pub = &other.PublicKey
	} else {
		params, _ := asn1.Marshal(curve.OID)
		common := []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true), pkcs11.NewAttribute(pkcs11.CKA_ID, []byte{k.ID}),
			pkcs11.NewAttribute(pkcs11.CKA_LABEL, k.Label)}
		pubH, _, err := ctx.GenerateKeyPair(sh, []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_GOSTR3410_KEY_PAIR_GEN, nil)},
			append([]*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_GOSTR3410_PARAMS, params), pkcs11.NewAttribute(pkcs11.CKA_VERIFY, true)}, common...),
			append([]*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_SIGN, true), pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, true),
				pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true)}, common...))
		if err != nil {
			return err
		}
		a, err := ctx.GetAttributeValue(sh, pubH, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_VALUE, nil)})
		if err != nil {
			return err
		}
		if pub, err = gost3410.NewPublicKeyLE(curve, a[0].Value); err != nil {
			return err
		}
	}
	der, err := ca.issue(k, pub)
	if err != nil {
		return err
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return err
	}
	_, err = ctx.CreateObject(sh, []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE),
		pkcs11.NewAttribute(pkcs11.CKA_CERTIFICATE_TYPE, pkcs11.CKC_X_509),
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
		pkcs11.NewAttribute(pkcs11.CKA_ID, []byte{k.ID}),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, k.Label),
		pkcs11.NewAttribute(pkcs11.CKA_SUBJECT, c.RawSubject),
		pkcs11.NewAttribute(pkcs11.CKA_VALUE, der),
	})
	return err
}

type testCA struct {
	key      *gost3410.PrivateKey
	cert     *x509.Certificate
	from, to time.Time
	n        int64
}

func newCA(from, to time.Time) (*testCA, error) {
	key, err := gost3410.GenerateKey(gost3410.CurveTC26256A(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Тестовый УЦ токенов"},
		NotBefore: from, NotAfter: to, IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	der, err := gostx509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return &testCA{key: key, cert: cert, from: from, to: to, n: 1}, err
}

func (ca *testCA) issue(k Key, pub *gost3410.PublicKey) ([]byte, error) {
	ca.n++
	extra, err := gostx509.RussianIDs{SNILS: k.SNILS, OGRN: k.OGRN}.ExtraNames()
	if err != nil {
		return nil, err
	}
	subj := pkix.Name{CommonName: k.Owner, Country: []string{"RU"}, ExtraNames: extra}
	if k.Org != "" {
		subj.Organization = []string{k.Org}
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(ca.n), Subject: subj, NotBefore: ca.from, NotAfter: ca.to,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	return gostx509.CreateCertificate(rand.Reader, tmpl, ca.cert, pub, ca.key)
}
