package gostpkcs

import (
	"encoding/asn1"
	"unicode/utf16"
)

var (
	oidData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidEncryptedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 6}

	oidKeyBag          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 1}
	oidShroudedKeyBag  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 2}
	oidCertBag         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 3}
	oidX509Certificate = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 22, 1}
	oidFriendlyName    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 20}
	oidLocalKeyID      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 21}
)

// PFX is an opened PKCS#12 file: its MAC checked, its certificates
// decrypted, its private keys still as they were stored.
type PFX struct {
	Certificates [][]byte // DER X.509 certificates, in file order
	Keys         []*KeyBag
}

// KeyBag is a private key of a PFX. A keyBag holds the PrivateKeyInfo in
// the clear (Plain); a pkcs8ShroudedKeyBag holds it encrypted (Algorithm,
// Encrypted): Decrypt opens the standard schemes, cryptopro.DecryptKeyBag
// CryptoPro's (Algorithm 1.2.840.113549.1.12.1.80).
type KeyBag struct {
	Algorithm    asn1.ObjectIdentifier // of the encryption; nil for a plain keyBag
	AlgorithmDER []byte                // the whole AlgorithmIdentifier
	Encrypted    []byte
	Plain        []byte // PrivateKeyInfo of a plain keyBag
	LocalKeyID   []byte
	FriendlyName string
}

// OIDCryptoProKeyBag is the encryption OID of CryptoPro CSP's PFX key bag.
var OIDCryptoProKeyBag = oidCryptoProKeyBagPB

// Decrypt returns the bag's PrivateKeyInfo (a copy for a plain bag), which
// the caller zeroes after use.
func (k *KeyBag) Decrypt(password []byte) ([]byte, error) {
	if k.Algorithm == nil {
		return append([]byte(nil), k.Plain...), nil
	}
	var a algorithmIdentifier
	if err := parseDER(k.AlgorithmDER, &a, "key bag algorithm"); err != nil {
		return nil, err
	}
	return decryptKeyInfo(encryptedPrivateKeyInfo{Algorithm: a, EncryptedData: k.Encrypted}, password)
}

type pfxPDU struct {
	Version  int
	AuthSafe contentInfo
	MacData  macData `asn1:"optional"`
}

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"tag:0,explicit,optional"`
}

type encryptedData struct {
	Version int
	Info    encryptedContentInfo
}

type encryptedContentInfo struct {
	ContentType asn1.ObjectIdentifier
	Algorithm   algorithmIdentifier
	Content     []byte `asn1:"tag:0,optional"`
}

type safeBag struct {
	ID         asn1.ObjectIdentifier
	Value      asn1.RawValue `asn1:"tag:0,explicit"`
	Attributes []attribute   `asn1:"set,optional"`
}

type attribute struct {
	ID     asn1.ObjectIdentifier
	Values []asn1.RawValue `asn1:"set"`
}

type certBag struct {
	ID   asn1.ObjectIdentifier
	Data []byte `asn1:"tag:0,explicit"`
}

// ParsePFX opens a PKCS#12 file with password (UTF-8): it checks the MAC
// (see verifyMAC), decrypts the encrypted safe contents and collects the
// certificates and key bags. A wrong password gives ErrWrongPassword.
func ParsePFX(data, password []byte) (*PFX, error) {
	if len(data) > MaxInput {
		return nil, malformed("PFX of %d bytes", len(data))
	}
	var pdu pfxPDU
	if err := parseDER(data, &pdu, "PFX"); err != nil {
		return nil, err
	}
	if pdu.Version != 3 {
		return nil, unsupported("PFX version %d", pdu.Version)
	}
	if !pdu.AuthSafe.ContentType.Equal(oidData) {
		return nil, unsupported("PFX protected by public key (content type %v)", pdu.AuthSafe.ContentType)
	}
	var authSafe []byte
	if err := parseDER(pdu.AuthSafe.Content.Bytes, &authSafe, "PFX authSafe"); err != nil {
		return nil, err
	}
	if len(pdu.MacData.Mac.Algorithm.Algorithm) > 0 {
		if err := verifyMAC(&pdu.MacData, authSafe, password); err != nil {
			return nil, err
		}
	}
	var infos []contentInfo
	if err := parseDER(authSafe, &infos, "PFX authenticated safe"); err != nil {
		return nil, err
	}
	if len(infos) > maxEncryptedItems {
		return nil, unsupported("PFX with %d content parts", len(infos))
	}
	pfx := &PFX{}
	for _, ci := range infos {
		contents, err := openContent(ci, password)
		if err != nil {
			return nil, err
		}
		err = pfx.addBags(contents)
		clear(contents)
		if err != nil {
			return nil, err
		}
	}
	return pfx, nil
}

// openContent returns the SafeContents of one part of the authenticated
// safe: as is (data) or decrypted (encryptedData).
func openContent(ci contentInfo, password []byte) ([]byte, error) {
	switch {
	case ci.ContentType.Equal(oidData):
		var b []byte
		if err := parseDER(ci.Content.Bytes, &b, "PFX data"); err != nil {
			return nil, err
		}
		return b, nil
	case ci.ContentType.Equal(oidEncryptedData):
		var ed encryptedData
		if err := parseDER(ci.Content.Bytes, &ed, "PFX encryptedData"); err != nil {
			return nil, err
		}
		if !ed.Info.ContentType.Equal(oidData) {
			return nil, unsupported("PFX encrypted content type %v", ed.Info.ContentType)
		}
		pt, err := decrypt(ed.Info.Algorithm, password, ed.Info.Content)
		if err != nil {
			return nil, err
		}
		if !isDERSequence(pt) {
			clear(pt)
			return nil, ErrWrongPassword
		}
		return pt, nil
	}
	return nil, unsupported("PFX content type %v", ci.ContentType)
}

// clone copies b: the safe contents a bag is read from are zeroed after.
func clone(b []byte) []byte { return append([]byte(nil), b...) }

func (p *PFX) addBags(contents []byte) error {
	var bags []safeBag
	if err := parseDER(contents, &bags, "PFX safe contents"); err != nil {
		return err
	}
	if len(bags)+len(p.Keys)+len(p.Certificates) > maxBags {
		return unsupported("PFX with more than %d bags", maxBags)
	}
	for _, bag := range bags {
		switch {
		case bag.ID.Equal(oidCertBag):
			var cb certBag
			if err := parseDER(bag.Value.Bytes, &cb, "PFX certificate bag"); err != nil {
				return err
			}
			if cb.ID.Equal(oidX509Certificate) {
				p.Certificates = append(p.Certificates, clone(cb.Data))
			}
		case bag.ID.Equal(oidShroudedKeyBag):
			var e struct {
				Algorithm asn1.RawValue
				Data      []byte
			}
			if err := parseDER(bag.Value.Bytes, &e, "PFX shrouded key bag"); err != nil {
				return err
			}
			var a algorithmIdentifier
			if err := parseDER(e.Algorithm.FullBytes, &a, "PFX key bag algorithm"); err != nil {
				return err
			}
			k := &KeyBag{Algorithm: a.Algorithm, AlgorithmDER: clone(e.Algorithm.FullBytes), Encrypted: clone(e.Data)}
			k.readAttributes(bag.Attributes)
			p.Keys = append(p.Keys, k)
		case bag.ID.Equal(oidKeyBag):
			k := &KeyBag{Plain: clone(bag.Value.Bytes)}
			if !isPrivateKeyInfo(k.Plain) {
				return malformed("PFX key bag")
			}
			k.readAttributes(bag.Attributes)
			p.Keys = append(p.Keys, k)
		}
	}
	if len(p.Keys) > maxEncryptedItems {
		return unsupported("PFX with %d keys", len(p.Keys))
	}
	return nil
}

func (k *KeyBag) readAttributes(attrs []attribute) {
	for _, a := range attrs {
		if len(a.Values) != 1 {
			continue
		}
		switch {
		case a.ID.Equal(oidLocalKeyID):
			var id []byte
			if parseDER(a.Values[0].FullBytes, &id, "localKeyID") == nil {
				k.LocalKeyID = clone(id)
			}
		case a.ID.Equal(oidFriendlyName):
			v := a.Values[0]
			if v.Tag == asn1.TagBMPString && len(v.Bytes)%2 == 0 {
				u := make([]uint16, len(v.Bytes)/2)
				for i := range u {
					u[i] = uint16(v.Bytes[2*i])<<8 | uint16(v.Bytes[2*i+1])
				}
				k.FriendlyName = string(utf16.Decode(u))
			}
		}
	}
}
