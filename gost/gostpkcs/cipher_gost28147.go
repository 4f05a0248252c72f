package gostpkcs

import (
	"encoding/asn1"

	"github.com/mezhved/mezhved/gost/internal/gost28147"
)

// gost28147Params are Gost28147-89-Parameters (RFC 4357 section 10.1):
// the IV and the parameter set, whose OID names the S-box and says whether
// the CryptoPro key meshing applies.
type gost28147Params struct {
	IV       []byte
	ParamSet asn1.ObjectIdentifier
}

// decryptGOST28147 is GOST 28147-89 CFB (RFC 4357 section 10.1 as PBES2
// uses it: R 50.1.112-2016, and CryptoPro's exports): no padding.
func decryptGOST28147(key, params, ct []byte) ([]byte, error) {
	var p gost28147Params
	if err := parseDER(params, &p, "GOST 28147-89 parameters"); err != nil {
		return nil, err
	}
	if len(p.IV) != gost28147.BlockSize {
		return nil, malformed("GOST 28147-89 IV of %d bytes", len(p.IV))
	}
	set := gost28147.ParamSetByOID(p.ParamSet)
	if set == nil {
		return nil, unsupported("GOST 28147-89 parameter set %v", p.ParamSet)
	}
	b, err := gost28147.NewBlock(set, key)
	if err != nil {
		return nil, err
	}
	defer b.Zero()
	s, err := gost28147.NewCFBDecrypter(b, p.IV, set.Meshing)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(ct))
	s.XORKeyStream(out, ct)
	return out, nil
}
