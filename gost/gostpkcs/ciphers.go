package gostpkcs

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"encoding/asn1"

	"github.com/mezhved/mezhved/gost/internal/gost28147"
)

// cipherSpec is one encryption scheme of PBES2 (RFC 8018 section 6.2).
type cipherSpec struct {
	name   string
	keyLen int // bytes of key PBKDF2 derives when its keyLength is absent
	// decrypt deciphers ct under key with the scheme's parameters (the DER
	// of the AlgorithmIdentifier's parameters). A failed padding or
	// integrity check returns ErrWrongPassword; parameters it cannot read
	// return a MalformedError or UnsupportedError.
	decrypt func(key, params, ct []byte) ([]byte, error)
}

// pbes2Ciphers are the PBES2 encryption schemes by OID. Kuznyechik and
// Magma in CTR-ACPKM with OMAC (RFC 9337 section 6, id-gostr3412-2015-*-
// ctracpkm-omac) are to be added here beside GOST 28147-89: an entry gets
// the PBKDF2 output and the scheme's parameters (with the UKM).
var pbes2Ciphers = map[string]cipherSpec{
	"1.2.643.2.2.21":          {"GOST 28147-89 CFB", 32, decryptGOST28147},
	"2.16.840.1.101.3.4.1.2":  {"AES-128-CBC", 16, decryptCBC(aes.NewCipher)},
	"2.16.840.1.101.3.4.1.22": {"AES-192-CBC", 24, decryptCBC(aes.NewCipher)},
	"2.16.840.1.101.3.4.1.42": {"AES-256-CBC", 32, decryptCBC(aes.NewCipher)},
	"1.2.840.113549.3.7":      {"DES-EDE3-CBC", 24, decryptCBC(des.NewTripleDESCipher)},
}

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

// decryptCBC is a CBC scheme whose parameter is the IV (RFC 8018 appendix
// B.2), with the PKCS#7 padding of RFC 8018 section 6.1.1.
func decryptCBC(newCipher func([]byte) (cipher.Block, error)) func(key, params, ct []byte) ([]byte, error) {
	return func(key, params, ct []byte) ([]byte, error) {
		var iv []byte
		if err := parseDER(params, &iv, "CBC IV"); err != nil {
			return nil, err
		}
		b, err := newCipher(key)
		if err != nil {
			return nil, err
		}
		return cbcDecrypt(b, iv, ct)
	}
}

// cbcDecrypt deciphers CBC and removes the PKCS#7 padding; a bad padding is
// a wrong password.
func cbcDecrypt(b cipher.Block, iv, ct []byte) ([]byte, error) {
	n := b.BlockSize()
	if len(iv) != n {
		return nil, malformed("CBC IV of %d bytes", len(iv))
	}
	if len(ct) == 0 || len(ct)%n != 0 {
		return nil, malformed("CBC ciphertext of %d bytes", len(ct))
	}
	out := make([]byte, len(ct))
	cipher.NewCBCDecrypter(b, iv).CryptBlocks(out, ct)
	pad := int(out[len(out)-1])
	if pad == 0 || pad > n {
		clear(out)
		return nil, ErrWrongPassword
	}
	for _, c := range out[len(out)-pad:] {
		if int(c) != pad {
			clear(out)
			return nil, ErrWrongPassword
		}
	}
	return out[:len(out)-pad], nil
}
