package keys

import (
	"crypto/x509"
	"fmt"
	"net/url"
	"strings"

	"github.com/miekg/pkcs11"

	"github.com/mezhved/mezhved/domain"
)

// TokenInfo is a token present in a PKCS#11 library's slot, and the
// certificates it shows without a PIN.
type TokenInfo struct {
	Module       string
	Slot         uint
	Label        string
	Manufacturer string
	Model        string
	Serial       string
	// LabelShared: another token of the same library has this label, so
	// its keys are named by slot (slot-id) instead.
	LabelShared bool
	Certs       []TokenCert
	// Locked: the user PIN is locked (after wrong tries).
	Locked bool
}

// TokenCert is a certificate object on a token.
type TokenCert struct {
	ID    []byte // CKA_ID: the key beside it has the same
	Label string // CKA_LABEL
	Cert  *x509.Certificate
	// KeyVisible: a private key with the same CKA_ID is visible without
	// login. Most tokens hide private keys until login, so false says
	// nothing; OpenPKCS11 finds out.
	KeyVisible bool
}

// maxTokenObjects bounds the objects read from one token.
const maxTokenObjects = 256

// ListTokens lists the tokens present in a PKCS#11 library and their
// certificates, without logging in: certificates are public objects. No
// PIN is asked for and nothing is written.
func ListTokens(module string) ([]TokenInfo, error) {
	ctx, err := loadModule(module)
	if err != nil {
		return nil, err
	}
	slots, err := ctx.GetSlotList(true)
	if err != nil {
		return nil, domain.Wrap(err, domain.EUNAVAILABLE, "keys.ListTokens", "Не удалось получить список токенов")
	}
	var out []TokenInfo
	labels := map[string]int{}
	for _, slot := range slots {
		ti, err := ctx.GetTokenInfo(slot)
		if err != nil {
			continue // pulled out while listed
		}
		t := TokenInfo{Module: module, Slot: slot, Label: strings.TrimSpace(ti.Label), Manufacturer: strings.TrimSpace(ti.ManufacturerID),
			Model: strings.TrimSpace(ti.Model), Serial: strings.TrimSpace(ti.SerialNumber), Locked: ti.Flags&pkcs11.CKF_USER_PIN_LOCKED != 0}
		t.Certs = tokenCertificates(ctx, slot)
		labels[t.Label]++
		out = append(out, t)
	}
	for i := range out {
		out[i].LabelShared = labels[out[i].Label] > 1
	}
	return out, nil
}

// tokenCertificates reads the X.509 certificates of the token in slot in a
// session without login.
func tokenCertificates(ctx *pkcs11.Ctx, slot uint) []TokenCert {
	sh, err := ctx.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION)
	if err != nil {
		return nil
	}
	defer ctx.CloseSession(sh)
	k := &tokenKey{ctx: ctx, sh: sh}
	objs, err := k.findObjects([]*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE)})
	if err != nil {
		return nil
	}
	var out []TokenCert
	for i, o := range objs {
		if i >= maxTokenObjects {
			break
		}
		attrs, err := ctx.GetAttributeValue(sh, o, []*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_VALUE, nil), pkcs11.NewAttribute(pkcs11.CKA_ID, nil), pkcs11.NewAttribute(pkcs11.CKA_LABEL, nil),
		})
		if err != nil {
			continue
		}
		cert, err := x509.ParseCertificate(attrs[0].Value)
		if err != nil {
			continue
		}
		tc := TokenCert{ID: attrs[1].Value, Label: string(attrs[2].Value), Cert: cert}
		if len(tc.ID) > 0 {
			keys, err := k.findObjects([]*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PRIVATE_KEY), pkcs11.NewAttribute(pkcs11.CKA_ID, tc.ID)})
			tc.KeyVisible = err == nil && len(keys) > 0
		}
		out = append(out, tc)
	}
	return out
}

// URI names a certificate's key on this token as an RFC 7512 pkcs11: URI
// that Open and ParsePKCS11URI read: the token by its label (by its slot
// when the label is shared), the key by its CKA_ID (by its label when it
// has no id), the library as module-path.
func (t TokenInfo) URI(c TokenCert) string {
	var b strings.Builder
	b.WriteString("pkcs11:")
	if t.LabelShared || t.Label == "" {
		fmt.Fprintf(&b, "slot-id=%d", t.Slot)
	} else {
		b.WriteString("token=" + url.PathEscape(t.Label))
	}
	if len(c.ID) > 0 {
		b.WriteString(";id=")
		for _, x := range c.ID {
			fmt.Fprintf(&b, "%%%02X", x)
		}
	} else {
		b.WriteString(";object=" + url.PathEscape(c.Label))
	}
	b.WriteString("?module-path=" + url.QueryEscape(t.Module))
	return b.String()
}
