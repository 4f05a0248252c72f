package keys

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"sync/atomic"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/miekg/pkcs11"
)

// PKCS#11 GOST constants of the TC26 vendor range that Rutoken and JaCarta
// use (absent from the standard header).
const (
	CKVendorRUTeamTC26                  = 0xD4321000
	CKK_GOSTR3410_512                   = CKVendorRUTeamTC26 | 0x003
	CKM_GOSTR3410_512_KEY_PAIR_GEN      = CKVendorRUTeamTC26 | 0x005
	CKM_GOSTR3410_512                   = CKVendorRUTeamTC26 | 0x006
	CKM_GOSTR3410_WITH_GOSTR3411_12_256 = CKVendorRUTeamTC26 | 0x008
	CKM_GOSTR3410_WITH_GOSTR3411_12_512 = CKVendorRUTeamTC26 | 0x009
	CKM_GOSTR3411_12_256                = CKVendorRUTeamTC26 | 0x012
	CKM_GOSTR3411_12_512                = CKVendorRUTeamTC26 | 0x013
)

// PKCS11Config says where the key lives on a token.
type PKCS11Config struct {
	Module     string // the PKCS#11 library: librtpkcs11ecp.so, libjcPKCS11-2.so, libsofthsm2.so
	TokenLabel string // the token's label; or
	Slot       *uint  // the slot id (when TokenLabel is empty; neither: the only token present)
	KeyLabel   string // CKA_LABEL of the private key; and/or
	KeyID      []byte // CKA_ID of the private key
	// CertFile is the certificate (PEM or DER) when the token holds none
	// with the key's CKA_ID.
	CertFile string
	// HashOnToken makes SignData use the mechanisms that hash on the token
	// (CKM_SHA256_RSA_PKCS, CKM_GOSTR3410_WITH_GOSTR3411_12_256/512) instead
	// of hashing locally and signing the digest. ECDSA always hashes locally.
	HashOnToken bool
}

// modules are loaded and initialized once per process (C_Initialize may be
// called only once per library).
var (
	modMu   sync.Mutex
	modules = map[string]*pkcs11.Ctx{}
)

func loadModule(path string) (*pkcs11.Ctx, error) {
	modMu.Lock()
	defer modMu.Unlock()
	if c, ok := modules[path]; ok {
		return c, nil
	}
	c := pkcs11.New(path)
	if c == nil {
		return nil, domain.Errorf(domain.EUNAVAILABLE, "Не удалось загрузить библиотеку токена %s: установлен ли драйвер?", path)
	}
	if err := c.Initialize(); err != nil && !isRV(err, pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
		return nil, domain.Wrap(err, domain.EUNAVAILABLE, "keys.OpenPKCS11", "Библиотека токена не запустилась")
	}
	modules[path] = c
	return c, nil
}

func isRV(err error, rv uint) bool {
	var e pkcs11.Error
	return errors.As(err, &e) && uint(e) == rv
}

// OpenPKCS11 logs in to a token with pin and finds the private key and its
// certificate. The PIN is zeroed before return (miekg/pkcs11 takes it as a
// string: that short-lived copy cannot be zeroed). Close logs out.
func OpenPKCS11(cfg PKCS11Config, pin []byte) (Key, error) {
	defer Zero(pin)
	if cfg.Module == "" {
		return nil, domain.Errorf(domain.EINVALID, "Не указана библиотека PKCS#11 токена")
	}
	if cfg.KeyLabel == "" && len(cfg.KeyID) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "Не указан ключ на токене (метка или идентификатор)")
	}
	ctx, err := loadModule(cfg.Module)
	if err != nil {
		return nil, err
	}
	slot, err := findSlot(ctx, cfg)
	if err != nil {
		return nil, err
	}
	sh, err := ctx.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION)
	if err != nil {
		return nil, domain.Wrap(err, domain.EUNAVAILABLE, "keys.OpenPKCS11", "Не удалось открыть сеанс с токеном")
	}
	k := &tokenKey{ctx: ctx, sh: sh, hashOnToken: cfg.HashOnToken}
	ok := false
	defer func() {
		if !ok {
			k.Close()
		}
	}()
	if err := ctx.Login(sh, pkcs11.CKU_USER, string(pin)); err != nil && !isRV(err, pkcs11.CKR_USER_ALREADY_LOGGED_IN) {
		return nil, loginError(ctx, slot, err)
	}
	k.loggedIn = true
	if err := k.findKey(cfg); err != nil {
		return nil, err
	}
	if err := k.findCert(cfg); err != nil {
		return nil, err
	}
	ok = true
	return k, nil
}

func findSlot(ctx *pkcs11.Ctx, cfg PKCS11Config) (uint, error) {
	slots, err := ctx.GetSlotList(true)
	if err != nil {
		return 0, domain.Wrap(err, domain.EUNAVAILABLE, "keys.OpenPKCS11", "Не удалось получить список токенов")
	}
	var found []uint
	for _, s := range slots {
		switch {
		case cfg.TokenLabel != "":
			ti, err := ctx.GetTokenInfo(s)
			if err == nil && ti.Label == cfg.TokenLabel {
				found = append(found, s)
			}
		case cfg.Slot != nil:
			if s == *cfg.Slot {
				found = append(found, s)
			}
		default:
			found = append(found, s)
		}
	}
	switch len(found) {
	case 0:
		return 0, domain.Errorf(domain.ENOTFOUND, "Токен не найден: подключите токен")
	case 1:
		return found[0], nil
	}
	return 0, domain.Errorf(domain.EINVALID, "Подключено несколько токенов: укажите метку токена")
}

type tokenKey struct {
	ctx         *pkcs11.Ctx
	sh          pkcs11.SessionHandle
	priv        pkcs11.ObjectHandle
	id          []byte
	keyType     uint
	pub         crypto.PublicKey
	cert        *x509.Certificate
	s           scheme
	hashOnToken bool

	gostReversed atomic.Bool // the token reads CKM_GOSTR3410 digests reversed (learnt at the first signature)

	mu       sync.Mutex
	loggedIn bool
	closed   bool
}

func (k *tokenKey) findObjects(tmpl []*pkcs11.Attribute) ([]pkcs11.ObjectHandle, error) {
	if err := k.ctx.FindObjectsInit(k.sh, tmpl); err != nil {
		return nil, err
	}
	defer k.ctx.FindObjectsFinal(k.sh)
	var all []pkcs11.ObjectHandle
	for {
		objs, _, err := k.ctx.FindObjects(k.sh, 16)
		if err != nil {
			return nil, err
		}
		if len(objs) == 0 {
			return all, nil
		}
		all = append(all, objs...)
	}
}

func (k *tokenKey) findKey(cfg PKCS11Config) error {
	tmpl := []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PRIVATE_KEY)}
	if cfg.KeyLabel != "" {
		tmpl = append(tmpl, pkcs11.NewAttribute(pkcs11.CKA_LABEL, cfg.KeyLabel))
	}
	if len(cfg.KeyID) > 0 {
		tmpl = append(tmpl, pkcs11.NewAttribute(pkcs11.CKA_ID, cfg.KeyID))
	}
	objs, err := k.findObjects(tmpl)
	if err != nil {
		return domain.Wrap(err, domain.EUNAVAILABLE, "keys.OpenPKCS11", "Не удалось найти ключ на токене")
	}
	switch len(objs) {
	case 0:
		return k.noKeyError(cfg)
	case 1:
	default:
		return domain.Errorf(domain.EINVALID, "На токене несколько ключей с этой меткой: укажите идентификатор ключа")
	}
	k.priv = objs[0]
	attrs, err := k.ctx.GetAttributeValue(k.sh, k.priv, []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, nil),
		pkcs11.NewAttribute(pkcs11.CKA_ID, nil),
	})
	if err != nil {
		return domain.Wrap(err, domain.EUNAVAILABLE, "keys.OpenPKCS11", "Не удалось прочитать ключ на токене")
	}
	k.keyType = ulong(attrs[0].Value)
	k.id = attrs[1].Value
	return nil
}

func ulong(b []byte) uint {
	var v uint
	for i := len(b) - 1; i >= 0; i-- { // native little-endian CK_ULONG
		v = v<<8 | uint(b[i])
	}
	return v
}

func (k *tokenKey) findCert(cfg PKCS11Config) error {
	var cert *x509.Certificate
	if len(k.id) > 0 {
		objs, err := k.findObjects([]*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE),
			pkcs11.NewAttribute(pkcs11.CKA_ID, k.id),
		})
		if err == nil && len(objs) > 0 {
			attrs, err := k.ctx.GetAttributeValue(k.sh, objs[0], []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_VALUE, nil)})
			if err == nil {
				cert, _ = x509.ParseCertificate(attrs[0].Value)
			}
		}
	}
	if cert == nil && cfg.CertFile != "" {
		data, err := readBounded(cfg.CertFile)
		if err != nil {
			return err
		}
		certs, err := parseCertificates(data)
		if err != nil {
			return err
		}
		cert = certs[0]
	}
	if cert == nil {
		return domain.Errorf(domain.ENOTFOUND, "На токене нет сертификата этого ключа: укажите файл сертификата")
	}
	if err := refuseOldAlgorithm(cert); err != nil {
		return err
	}
	pub, err := CertificatePublicKey(cert)
	if err != nil {
		return err
	}
	if err := k.checkTokenKind(pub); err != nil {
		return err
	}
	if k.s, err = schemeFor(pub); err != nil {
		return err
	}
	k.pub, k.cert = pub, cert
	return k.checkPublic()
}

func (k *tokenKey) checkTokenKind(pub crypto.PublicKey) error {
	okKind := false
	switch pub.(type) {
	case *rsa.PublicKey:
		okKind = k.keyType == pkcs11.CKK_RSA
	case *ecdsa.PublicKey:
		okKind = k.keyType == pkcs11.CKK_EC
	case *gost3410.PublicKey:
		okKind = k.keyType == pkcs11.CKK_GOSTR3410 || k.keyType == CKK_GOSTR3410_512
	}
	if !okKind {
		return domain.Errorf(domain.EINVALID, "Сертификат не соответствует ключу на токене")
	}
	return nil
}

// checkPublic compares the certificate with the token's public key object
// of the same CKA_ID, when the token has one.
func (k *tokenKey) checkPublic() error {
	if len(k.id) == 0 {
		return nil
	}
	objs, err := k.findObjects([]*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PUBLIC_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_ID, k.id),
	})
	if err != nil || len(objs) != 1 {
		return nil
	}
	mismatch := domain.Errorf(domain.EINVALID, "Сертификат не соответствует ключу на токене")
	switch p := k.pub.(type) {
	case *rsa.PublicKey:
		a, err := k.ctx.GetAttributeValue(k.sh, objs[0], []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_MODULUS, nil)})
		if err == nil && new(big.Int).SetBytes(a[0].Value).Cmp(p.N) != 0 {
			return mismatch
		}
	case *gost3410.PublicKey:
		a, err := k.ctx.GetAttributeValue(k.sh, objs[0], []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_VALUE, nil)})
		if err == nil && len(a[0].Value) == 2*p.Curve.Size() && !bytes.Equal(a[0].Value, p.RawLE()) {
			return mismatch
		}
	case *ecdsa.PublicKey:
		a, err := k.ctx.GetAttributeValue(k.sh, objs[0], []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_EC_POINT, nil)})
		if err == nil {
			want, _ := p.Bytes()
			// CKA_EC_POINT is the point in an OCTET STRING (some tokens give it bare).
			if !bytes.HasSuffix(a[0].Value, want) {
				return mismatch
			}
		}
	}
	return nil
}

func (k *tokenKey) Public() crypto.PublicKey       { return k.pub }
func (k *tokenKey) Certificate() *x509.Certificate { return k.cert }
func (k *tokenKey) Algorithm() Algorithm           { return k.s.alg }

// Close logs out and closes the session; safe to call twice.
func (k *tokenKey) Close() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return nil
	}
	k.closed = true
	if k.loggedIn {
		k.ctx.Logout(k.sh)
	}
	return k.ctx.CloseSession(k.sh)
}

// digestInfoSHA256 is the DER prefix of a SHA-256 DigestInfo (RFC 8017).
var digestInfoSHA256 = []byte{0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}

func (k *tokenKey) sign(mech uint, in []byte) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return nil, domain.Errorf(domain.EINTERNAL, "Сеанс с токеном закрыт")
	}
	if err := k.ctx.SignInit(k.sh, []*pkcs11.Mechanism{pkcs11.NewMechanism(mech, nil)}, k.priv); err != nil {
		return nil, tokenSignError(err)
	}
	sig, err := k.ctx.Sign(k.sh, in)
	if err != nil {
		return nil, tokenSignError(err)
	}
	return sig, nil
}

func tokenSignError(err error) error {
	switch {
	case isRV(err, pkcs11.CKR_MECHANISM_INVALID):
		return domain.Wrap(err, domain.EUNSUPPORTED, "keys.tokenKey.Sign", "Токен не поддерживает нужный алгоритм подписи")
	case tokenGone(err):
		return domain.Wrap(err, domain.EUNAVAILABLE, "keys.tokenKey.Sign", "Токен отключён: подключите его и повторите")
	}
	return domain.Wrap(err, domain.ESIGNATURE, "keys.tokenKey.Sign", "Токен не смог подписать документ")
}

// SignData signs data. RSA with HashOnToken: CKM_SHA256_RSA_PKCS; GOST with
// HashOnToken: CKM_GOSTR3410_WITH_GOSTR3411_12_256/_512; otherwise the
// digest is computed here and signed with SignDigest. Every signature the
// token returns is verified here with the certificate's key before it is
// used (see selfCheck).
func (k *tokenKey) SignData(data []byte) ([]byte, error) {
	h := k.s.newHash()
	h.Write(data)
	digest := h.Sum(nil)
	if k.hashOnToken {
		var sig []byte
		var err error
		switch k.pub.(type) {
		case *rsa.PublicKey:
			sig, err = k.checked(k.sign(pkcs11.CKM_SHA256_RSA_PKCS, data))
		case *gost3410.PublicKey:
			m := uint(CKM_GOSTR3410_WITH_GOSTR3411_12_256)
			if k.s.alg == AlgGOST512 {
				m = CKM_GOSTR3410_WITH_GOSTR3411_12_512
			}
			sig, err = k.checked(k.sign(m, data))
		default:
			return k.SignDigest(digest)
		}
		if err != nil {
			return nil, err
		}
		if err := selfCheck(k.pub, digest, sig); err != nil {
			return nil, err
		}
		return sig, nil
	}
	return k.SignDigest(digest)
}

// SignDigest signs a digest: CKM_RSA_PKCS over the SHA-256 DigestInfo,
// CKM_ECDSA (the token returns r ‖ s), CKM_GOSTR3410 / CKM_GOSTR3410_512
// over the Streebog digest as the hash emits it (the token returns s ‖ r).
// Should a GOST token read the digest in the other byte order, the
// self-check fails, the reversed digest is tried once, and the order that
// verifies is kept for the session.
func (k *tokenKey) SignDigest(digest []byte) ([]byte, error) {
	if len(digest) != k.s.newHash().Size() {
		return nil, domain.Errorf(domain.EINTERNAL, "Неверная длина хэша для подписи")
	}
	var sig []byte
	var err error
	switch k.pub.(type) {
	case *rsa.PublicKey:
		sig, err = k.checked(k.sign(pkcs11.CKM_RSA_PKCS, append(append([]byte(nil), digestInfoSHA256...), digest...)))
	case *ecdsa.PublicKey:
		sig, err = k.sign(pkcs11.CKM_ECDSA, digest)
		if err == nil && len(sig) != 2*k.s.ecSize {
			// PKCS#11 says r ‖ s; a token that answers in DER is tolerated.
			if raw, derr := ecdsaDERToRaw(sig, k.s.ecSize); derr == nil {
				sig = raw
			}
		}
		sig, err = k.checked(sig, err)
	case *gost3410.PublicKey:
		m := uint(pkcs11.CKM_GOSTR3410)
		if k.s.alg == AlgGOST512 {
			m = CKM_GOSTR3410_512
		}
		in := digest
		if k.gostReversed.Load() {
			in = reversed(digest)
		}
		sig, err = k.checked(k.sign(m, in))
		if err == nil && selfCheck(k.pub, digest, sig) != nil && !k.gostReversed.Load() {
			if sig2, err2 := k.checked(k.sign(m, reversed(digest))); err2 == nil && selfCheck(k.pub, digest, sig2) == nil {
				k.gostReversed.Store(true)
				sig = sig2
			}
		}
	default:
		return nil, domain.Errorf(domain.EUNSUPPORTED, "Тип ключа не поддерживается")
	}
	if err != nil {
		return nil, err
	}
	if err := selfCheck(k.pub, digest, sig); err != nil {
		return nil, err
	}
	return sig, nil
}

func reversed(b []byte) []byte {
	out := make([]byte, len(b))
	for i := range b {
		out[len(b)-1-i] = b[i]
	}
	return out
}

// selfCheck verifies a signature value with the certificate's public key:
// a token whose key does not match the certificate, or that signs in a form
// SMEV would reject, is caught here and not at SMEV.
func selfCheck(pub crypto.PublicKey, digest, sig []byte) error {
	ok := false
	switch p := pub.(type) {
	case *rsa.PublicKey:
		ok = rsa.VerifyPKCS1v15(p, crypto.SHA256, digest, sig) == nil
	case *ecdsa.PublicKey:
		n := len(sig) / 2
		ok = ecdsa.Verify(p, digest, new(big.Int).SetBytes(sig[:n]), new(big.Int).SetBytes(sig[n:]))
	case *gost3410.PublicKey:
		ok = gost3410.VerifyDigest(p, digest, sig)
	}
	if !ok {
		return domain.Errorf(domain.ESIGNATURE, "Подпись токена не проверяется сертификатом: ключ на токене не соответствует сертификату или токен подписывает не по ГОСТ Р 34.10-2012")
	}
	return nil
}

// checked makes sure the token's answer has the length the algorithm needs.
func (k *tokenKey) checked(sig []byte, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	want := 0
	switch p := k.pub.(type) {
	case *rsa.PublicKey:
		want = p.Size()
	case *ecdsa.PublicKey:
		want = 2 * k.s.ecSize
	case *gost3410.PublicKey:
		want = 2 * p.Curve.Size()
	}
	if len(sig) != want {
		return nil, domain.Wrap(fmt.Errorf("token returned %d bytes, want %d", len(sig), want), domain.ESIGNATURE, "keys.tokenKey.Sign", "Токен вернул подпись неожиданной длины")
	}
	return sig, nil
}
