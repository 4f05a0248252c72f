package cryptopro

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"io"
	"io/fs"
	"math/big"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/internal/gost28147"
)

// maxContainerFile bounds each file of a container (header.key with a
// certificate is a few kilobytes, the others tens of bytes).
const maxContainerFile = 64 << 10

// Container is a CryptoPro key container read from its folder: what the
// header says, and the encrypted primary key with its mask.
type Container struct {
	Name        string                // from name.key (may be empty)
	Algorithm   asn1.ObjectIdentifier // the key's algorithm as the header names it
	Curve       *gost3410.Curve
	Certificate []byte // DER, when the header carries the certificate

	fingerprint []byte // the first 8 bytes of LE(X) of the public key
	primary     []byte // the masked key, encrypted under the PIN key
	mask        []byte
	salt        []byte
}

// Legacy reports whether the container holds a GOST R 34.10-2001 key.
func (c *Container) Legacy() bool { return is2001(c.Algorithm) }

// ReadContainer reads the container in fsys (for a folder: os.DirFS(dir)):
// header.key, masks.key and primary.key are required, name.key is read
// when present. Nothing is decrypted yet.
func ReadContainer(fsys fs.FS) (*Container, error) {
	header, err := readFile(fsys, "header.key")
	if err != nil {
		return nil, err
	}
	masks, err := readFile(fsys, "masks.key")
	if err != nil {
		return nil, err
	}
	primary, err := readFile(fsys, "primary.key")
	if err != nil {
		return nil, err
	}
	defer clear(primary)
	c := &Container{}
	if err := c.parseHeader(header); err != nil {
		return nil, err
	}
	if err := c.parseMasks(masks); err != nil {
		return nil, err
	}
	var prim struct{ Key []byte }
	if err := parseDER(primary, &prim, "primary.key"); err != nil {
		return nil, err
	}
	if len(prim.Key) != c.Curve.Size() {
		return nil, formatErr("primary.key holds %d bytes for a %d-bit key", len(prim.Key), 8*c.Curve.Size())
	}
	c.primary = bytes.Clone(prim.Key)
	if name, err := readFile(fsys, "name.key"); err == nil {
		var n struct{ Name string }
		if _, err := asn1.Unmarshal(name, &n); err == nil {
			c.Name = n.Name
		}
	}
	return c, nil
}

func readFile(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, formatErr("the container has no %s", name)
		}
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxContainerFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxContainerFile {
		return nil, formatErr("%s is too large", name)
	}
	return b, nil
}

// keyParameters are the primary key's parameters in the header:
// SEQUENCE { attributes BIT STRING, [0] { algorithm OID, SEQUENCE { curve
// OID, digest OID } } }.
type keyParameters struct {
	Attributes asn1.BitString
	Algorithm  struct {
		OID    asn1.ObjectIdentifier
		Params struct {
			Curve  asn1.ObjectIdentifier
			Digest asn1.ObjectIdentifier `asn1:"optional"`
		}
	} `asn1:"tag:0"`
}

// parseHeader reads header.key: SEQUENCE { content SEQUENCE { … }, hmac
// OCTET STRING }. Of the content it takes the first universal SEQUENCE (the
// primary key's parameters), [5] (the certificate) and [10] (the public key
// fingerprint); the other fields are skipped.
func (c *Container) parseHeader(der []byte) error {
	var h struct {
		Content asn1.RawValue
		HMAC    []byte
	}
	if err := parseDER(der, &h, "header.key"); err != nil {
		return err
	}
	if h.Content.Tag != asn1.TagSequence || !h.Content.IsCompound {
		return formatErr("header.key is damaged: no content")
	}
	var params *keyParameters
	for rest := h.Content.Bytes; len(rest) > 0; {
		var f asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &f); err != nil {
			return formatErr("header.key is damaged: %v", err)
		}
		switch {
		case f.Class == asn1.ClassUniversal && f.Tag == asn1.TagSequence && params == nil:
			params = new(keyParameters)
			if err := parseDER(f.FullBytes, params, "the key parameters of header.key"); err != nil {
				return err
			}
		case f.Class == asn1.ClassContextSpecific && f.Tag == 5 && len(f.Bytes) > 0 && f.Bytes[0] == 0x30:
			c.Certificate = bytes.Clone(f.Bytes)
		case f.Class == asn1.ClassContextSpecific && f.Tag == 10:
			c.fingerprint = bytes.Clone(f.Bytes)
		}
	}
	if params == nil {
		return formatErr("header.key names no key")
	}
	c.Algorithm = params.Algorithm.OID
	if !is2001(c.Algorithm) && !is2012(c.Algorithm) {
		return formatErr("unsupported key algorithm %v", c.Algorithm)
	}
	if c.Curve = gost3410.CurveByOID(params.Algorithm.Params.Curve); c.Curve == nil {
		return formatErr("unsupported curve %v", params.Algorithm.Params.Curve)
	}
	if c.Legacy() && c.Curve.Size() != 32 {
		return formatErr("a GOST R 34.10-2001 key on a %d-bit curve", 8*c.Curve.Size())
	}
	if len(c.fingerprint) != 8 {
		return formatErr("header.key has no public key fingerprint")
	}
	return nil
}

// parseMasks reads masks.key: SEQUENCE { mask OCTET STRING, salt OCTET
// STRING (12), hmac OCTET STRING }.
func (c *Container) parseMasks(der []byte) error {
	var m struct {
		Mask, Salt, HMAC []byte
	}
	if err := parseDER(der, &m, "masks.key"); err != nil {
		return err
	}
	if len(m.Mask) != c.Curve.Size() || len(m.Salt) != 12 {
		return formatErr("masks.key is damaged")
	}
	c.mask, c.salt = bytes.Clone(m.Mask), bytes.Clone(m.Salt)
	return nil
}

// PrivateKey decrypts the primary key with pin (as typed, UTF-8): the PIN
// key enciphers the masked key in ECB (S-box CryptoPro-A for 2001 keys,
// TC26 param-Z for 2012 keys); the key is masked · mask⁻¹ mod q (both
// little-endian), and its public key must match the header's fingerprint,
// else ErrWrongPassword.
func (c *Container) PrivateKey(pin []byte) (*gost3410.PrivateKey, error) {
	if len(pin) > 256 {
		return nil, ErrWrongPassword
	}
	set := gost28147.ParamSetZ
	if c.Legacy() {
		set = gost28147.ParamSetCryptoProA
	}
	kek := containerKey(pinHash(c.Legacy()), pin, c.salt)
	defer clear(kek)
	b, err := gost28147.NewBlock(set, kek)
	if err != nil {
		return nil, err
	}
	defer b.Zero()
	masked := make([]byte, len(c.primary))
	defer clear(masked)
	if err := b.DecryptECB(masked, c.primary); err != nil {
		return nil, err
	}
	q := c.Curve.Q
	m := leInt(c.mask)
	if m.ModInverse(m, q) == nil {
		return nil, formatErr("masks.key is damaged: the mask has no inverse")
	}
	d := leInt(masked)
	d.Mul(d, m).Mod(d, q)
	defer d.SetInt64(0)
	if d.Sign() == 0 {
		return nil, ErrWrongPassword
	}
	k, err := gost3410.NewPrivateKey(c.Curve, d)
	if err != nil {
		return nil, ErrWrongPassword
	}
	x := k.X.FillBytes(make([]byte, c.Curve.Size()))
	for i, j := 0, len(x)-1; i < j; i, j = i+1, j-1 {
		x[i], x[j] = x[j], x[i]
	}
	if !bytes.Equal(x[:8], c.fingerprint) {
		return nil, ErrWrongPassword
	}
	return k, nil
}

// leInt reads a little-endian integer.
func leInt(b []byte) *big.Int {
	be := make([]byte, len(b))
	for i := range b {
		be[len(b)-1-i] = b[i]
	}
	v := new(big.Int).SetBytes(be)
	clear(be)
	return v
}
