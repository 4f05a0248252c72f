package gostx509

import (
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	"github.com/mezhved/mezhved/gost/gost3410"
)

type pkcs8 struct {
	Version    int
	Algorithm  algorithmIdentifier
	PrivateKey []byte
	Attributes asn1.RawValue `asn1:"optional,tag:0"`
	PublicKey  asn1.RawValue `asn1:"optional,tag:1"`
}

// maskedKey is the CryptoPro-style wrapping the GOST engine reads:
// SEQUENCE { masked key OCTET STRING, public key OCTET STRING }.
type maskedKey struct {
	Masked    []byte
	PublicKey []byte `asn1:"optional"`
}

// maxMasks bounds the number of masks a key may carry (untrusted input).
const maxMasks = 16

// ParsePKCS8PrivateKey parses a DER PKCS#8 GOST R 34.10 private key in every
// form OpenSSL's GOST engine reads:
//
//   - the privateKey OCTET STRING holds LE(d) directly (what the engine
//     writes by default), possibly followed by masks: k·Size bytes,
//     d = LE(first) · LE(mask1) · … mod q;
//   - an inner OCTET STRING holding LE(d) (the engine's "wrapped" format);
//   - an inner INTEGER holding d (big-endian, as DER integers are);
//   - an inner SEQUENCE { OCTET STRING masked key, OCTET STRING public key }.
func ParsePKCS8PrivateKey(der []byte) (*gost3410.PrivateKey, error) {
	var k pkcs8
	rest, err := asn1.Unmarshal(der, &k)
	if err != nil {
		return nil, fmt.Errorf("gostx509: bad PKCS#8: %v", err)
	}
	if len(rest) != 0 {
		return nil, errors.New("gostx509: trailing data after PKCS#8")
	}
	if k.Version != 0 && k.Version != 1 {
		return nil, fmt.Errorf("gostx509: PKCS#8 version %d", k.Version)
	}
	c, err := curveFromAlgorithm(k.Algorithm)
	if err != nil {
		return nil, err
	}
	d, err := privateValue(c, k.PrivateKey)
	if err != nil {
		return nil, err
	}
	return gost3410.NewPrivateKey(c, d)
}

func privateValue(c *gost3410.Curve, raw []byte) (*big.Int, error) {
	size := c.Size()
	if len(raw) == 0 {
		return nil, errors.New("gostx509: empty private key")
	}
	if len(raw)%size == 0 {
		return unmask(c, raw)
	}
	var d *big.Int
	switch raw[0] {
	case 0x04: // OCTET STRING, little-endian
		var inner []byte
		rest, err := asn1.Unmarshal(raw, &inner)
		if err != nil || len(rest) != 0 || len(inner) != size {
			return nil, errors.New("gostx509: bad wrapped GOST private key")
		}
		d = leInt(inner)
	case 0x02: // INTEGER
		var v *big.Int
		rest, err := asn1.Unmarshal(raw, &v)
		if err != nil || len(rest) != 0 || v.Sign() <= 0 || v.BitLen() > 8*size {
			return nil, errors.New("gostx509: bad INTEGER GOST private key")
		}
		d = v
	case 0x30: // SEQUENCE { masked OCTET STRING, public OCTET STRING }
		var m maskedKey
		rest, err := asn1.Unmarshal(raw, &m)
		if err != nil || len(rest) != 0 || len(m.Masked) == 0 || len(m.Masked)%size != 0 {
			return nil, errors.New("gostx509: bad masked GOST private key")
		}
		return unmask(c, m.Masked)
	default:
		return nil, errors.New("gostx509: unknown GOST private key form")
	}
	d.Mod(d, c.Q)
	if d.Sign() == 0 {
		return nil, errors.New("gostx509: GOST private key is zero mod q")
	}
	return d, nil
}

// unmask returns LE(chunk0)·LE(chunk1)·… mod q.
func unmask(c *gost3410.Curve, raw []byte) (*big.Int, error) {
	size := c.Size()
	n := len(raw) / size
	if n-1 > maxMasks {
		return nil, errors.New("gostx509: too many masks in GOST private key")
	}
	d := new(big.Int).Mod(leInt(raw[:size]), c.Q)
	for i := 1; i < n; i++ {
		d.Mul(d, leInt(raw[i*size:(i+1)*size]))
		d.Mod(d, c.Q)
	}
	if d.Sign() == 0 {
		return nil, errors.New("gostx509: GOST private key is zero mod q")
	}
	return d, nil
}

func leInt(b []byte) *big.Int {
	be := make([]byte, len(b))
	for i := range b {
		be[len(b)-1-i] = b[i]
	}
	return new(big.Int).SetBytes(be)
}

// MarshalPKCS8PrivateKey writes priv as OpenSSL's GOST engine does by default:
// version 0, the key algorithm with its parameters, and a privateKey OCTET
// STRING holding LE(d) (Size bytes, no inner wrapping).
func MarshalPKCS8PrivateKey(priv *gost3410.PrivateKey) ([]byte, error) {
	if priv == nil || priv.Curve == nil {
		return nil, errors.New("gostx509: nil private key")
	}
	alg, err := algorithmFor(priv.Curve)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(pkcs8{Version: 0, Algorithm: alg, PrivateKey: priv.PrivateRawLE()})
}
