package gostpkcs

import (
	"encoding/asn1"
	"errors"

	"github.com/mezhved/mezhved/gost/gostmode"
)

// decryptGOST2015 is a PBES2 scheme of RFC 9337: Kuznyechik or Magma in
// CTR-ACPKM, with OMAC over the data for the -omac schemes (gostmode does
// the cipher; this maps its answers to this package's errors). Without
// OMAC a wrong password yields noise that the caller's PrivateKeyInfo check
// refuses.
func decryptGOST2015(oid asn1.ObjectIdentifier) func(key, params, ct []byte) ([]byte, error) {
	return func(key, params, ct []byte) ([]byte, error) {
		s := gostmode.SchemeByOID(oid)
		ukm, err := s.ParseParams(params)
		if err != nil {
			return nil, malformed("%s parameters: %v", s.Name, err)
		}
		pt, err := s.Decrypt(key, ukm, ct)
		switch {
		case errors.Is(err, gostmode.ErrMAC):
			return nil, ErrWrongPassword
		case err != nil:
			return nil, malformed("%s data: %v", s.Name, err)
		}
		return pt, nil
	}
}

func init() {
	for _, oid := range []asn1.ObjectIdentifier{gostmode.OIDMagmaCTRACPKM, gostmode.OIDMagmaCTRACPKMOMAC,
		gostmode.OIDKuznyechikCTRACPKM, gostmode.OIDKuznyechikCTRACPKMOMAC} {
		pbes2Ciphers[oid.String()] = cipherSpec{gostmode.SchemeByOID(oid).Name, gostmode.KeySize, decryptGOST2015(oid)}
	}
}
