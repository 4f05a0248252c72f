package cryptopro

import (
	"bytes"
	"encoding/asn1"
	"encoding/binary"
	"errors"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gost341194"
	"github.com/mezhved/mezhved/gost/internal/gost28147"
)

// maxKeyBagIterations caps the password derivation of the key bag: its
// counter is two bytes, and CryptoPro writes 2000. One iteration is one
// GOST R 34.11-94 hash of a few dozen bytes (~5 µs), so the cap bounds a
// hostile file to a third of a second.
const maxKeyBagIterations = 65535

// keyBagIterationCap is maxKeyBagIterations; the fuzz test lowers it.
var keyBagIterationCap = maxKeyBagIterations

// keyBagLabel is the label of the KDF that turns the password key and the
// blob's UKM into the KEK of the wrapped key.
var keyBagLabel = []byte{0x26, 0xbd, 0xb8, 0x78}

// DecryptKeyBag opens the key bag of a CryptoPro CSP PFX export: alg is its
// AlgorithmIdentifier (1.2.840.113549.1.12.1.80 with SEQUENCE { salt OCTET
// STRING, iterations INTEGER }), encrypted its content, password as typed
// (UTF-8). It returns the GOST R 34.10-2012 private key; a password that
// does not open it gives ErrWrongPassword.
//
// The steps: the password key K = H(…H(H(pw ‖ salt ‖ 0001) ‖ salt ‖ 0002)…)
// with H = GOST R 34.11-94 (CryptoPro parameters), pw in UTF-16LE, the
// counter two bytes big-endian; the bag is GOST 28147-89 CFB under K
// (CryptoPro-A, IV = the first 8 salt bytes) around a PrivateKeyInfo whose
// key is CryptoPro's key blob: a 16-byte header, then the key wrapped as in
// RFC 4357 section 6.1 (UKM, ECB-encrypted key, IMIT) under
// KDF_GOSTR3411_2012_256(K, 26bdb878, UKM), and the key's parameters.
func DecryptKeyBag(alg, encrypted, password []byte) (*gost3410.PrivateKey, error) {
	var a struct {
		OID    asn1.ObjectIdentifier
		Params struct {
			Salt       []byte
			Iterations int
		}
	}
	if err := parseDER(alg, &a, "the key bag's algorithm"); err != nil {
		return nil, err
	}
	if !a.OID.Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 80}) {
		return nil, formatErr("not a CryptoPro key bag (%v)", a.OID)
	}
	n := a.Params.Iterations
	if n < 1 || n > keyBagIterationCap || len(a.Params.Salt) < 8 || len(encrypted) > maxContainerFile {
		return nil, formatErr("the key bag's parameters are out of range")
	}
	k, err := keyBagKey(password, a.Params.Salt, n)
	if err != nil {
		return nil, err
	}
	defer clear(k)
	blob, err := openKeyBag(k, a.Params.Salt[:8], encrypted)
	if err != nil {
		return nil, err
	}
	defer clear(blob)
	return unwrapKeyBlob(k, blob)
}

// keyBagKey derives the password key.
func keyBagKey(password, salt []byte, n int) ([]byte, error) {
	k := make([]byte, 0, 2*len(password))
	for p := password; len(p) > 0; {
		r, size := utf8.DecodeRune(p)
		if r == utf8.RuneError && size <= 1 {
			clear(k)
			return nil, ErrWrongPassword
		}
		if r > 0xffff {
			r1, r2 := utf16.EncodeRune(r)
			k = binary.LittleEndian.AppendUint16(k, uint16(r1))
			r = r2
		}
		k = binary.LittleEndian.AppendUint16(k, uint16(r))
		p = p[size:]
	}
	h := gost341194.New()
	var ctr [2]byte
	for i := 1; i <= n; i++ {
		binary.BigEndian.PutUint16(ctr[:], uint16(i))
		h.Reset()
		h.Write(k)
		h.Write(salt)
		h.Write(ctr[:])
		clear(k)
		k = h.Sum(k[:0])
	}
	return k, nil
}

// keyBagInfo is the decrypted bag: PrivateKeyInfo with CryptoPro's blob as
// the private key.
type keyBagInfo struct {
	Version   int
	Algorithm struct {
		OID    asn1.ObjectIdentifier
		Params asn1.RawValue `asn1:"optional"`
	}
	Blob       []byte
	Attributes asn1.RawValue `asn1:"optional,tag:0"`
}

// openKeyBag deciphers the bag and returns the key blob.
func openKeyBag(k, iv, encrypted []byte) ([]byte, error) {
	b, err := gost28147.NewBlock(gost28147.ParamSetCryptoProA, k)
	if err != nil {
		return nil, err
	}
	defer b.Zero()
	s, err := gost28147.NewCFBDecrypter(b, iv, true)
	if err != nil {
		return nil, err
	}
	pt := make([]byte, len(encrypted))
	defer clear(pt)
	s.XORKeyStream(pt, encrypted)
	var info keyBagInfo
	if _, err := asn1.Unmarshal(pt, &info); err != nil || info.Version != 0 || !is2012(info.Algorithm.OID) && !is2001(info.Algorithm.OID) {
		return nil, ErrWrongPassword // random bytes: the password was wrong
	}
	return bytes.Clone(info.Blob), nil
}

// keyBlob is what follows the blob's 16-byte header.
type keyBlob struct {
	Transport struct {
		UKM     []byte
		Wrapped struct {
			Encrypted []byte
			MAC       []byte
		}
		Params blobParams `asn1:"tag:0"`
	}
	Check []byte `asn1:"optional"`
}

// blobParams are the key's parameters inside the blob, [0] IMPLICIT
// SEQUENCE { attributes BIT STRING, [0] { algorithm OID, SEQUENCE { curve
// OID, digest OID } } }.
type blobParams struct {
	Attributes asn1.BitString
	Algorithm  struct {
		OID    asn1.ObjectIdentifier
		Params struct {
			Curve  asn1.ObjectIdentifier
			Digest asn1.ObjectIdentifier `asn1:"optional"`
		}
	} `asn1:"tag:0"`
}

const blobHeaderSize = 16

// unwrapKeyBlob reads the blob and unwraps the private key.
func unwrapKeyBlob(k, blob []byte) (*gost3410.PrivateKey, error) {
	if len(blob) <= blobHeaderSize {
		return nil, formatErr("the key blob is damaged")
	}
	var kb keyBlob
	if err := parseDER(blob[blobHeaderSize:], &kb, "the key blob"); err != nil {
		return nil, err
	}
	p := kb.Transport.Params
	if is2001(p.Algorithm.OID) {
		return nil, formatErr("a GOST R 34.10-2001 key in the key bag is not supported")
	}
	if !is2012(p.Algorithm.OID) {
		return nil, formatErr("unsupported key algorithm %v in the key bag", p.Algorithm.OID)
	}
	curve := gost3410.CurveByOID(p.Algorithm.Params.Curve)
	if curve == nil {
		return nil, formatErr("unsupported curve %v in the key bag", p.Algorithm.Params.Curve)
	}
	t := kb.Transport
	if len(t.UKM) != 8 || len(t.Wrapped.MAC) != 4 || len(t.Wrapped.Encrypted) != curve.Size() {
		return nil, formatErr("the wrapped key is damaged")
	}
	kek := kdf256(k, keyBagLabel, t.UKM)
	defer clear(kek)
	raw, err := unwrapKey(kek, t.UKM, t.Wrapped.Encrypted, t.Wrapped.MAC)
	if err != nil {
		return nil, err
	}
	defer clear(raw)
	priv, err := gost3410.NewPrivateKeyLE(curve, raw)
	if err != nil {
		return nil, formatErr("the key in the key bag is out of range")
	}
	return priv, nil
}

// unwrapKey is the GOST 28147-89 key unwrap of RFC 4357 section 6.2 with
// CryptoPro-A, for keys of 32 or 64 bytes (a 512-bit key is enciphered
// whole, the IMIT taken over all of it).
func unwrapKey(kek, ukm, enc, mac []byte) ([]byte, error) {
	if len(enc) == gost28147.KeySize {
		w := append(append(append([]byte(nil), ukm...), enc...), mac...)
		k, err := gost28147.Unwrap(gost28147.ParamSetCryptoProA, kek, w)
		if errors.Is(err, gost28147.ErrUnwrap) {
			return nil, ErrWrongPassword
		}
		return k, err
	}
	b, err := gost28147.NewBlock(gost28147.ParamSetCryptoProA, kek)
	if err != nil {
		return nil, err
	}
	defer b.Zero()
	out := make([]byte, len(enc))
	if err := b.DecryptECB(out, enc); err != nil {
		return nil, err
	}
	if m := b.MAC(ukm, out); !bytes.Equal(m[:4], mac) {
		clear(out)
		return nil, ErrWrongPassword
	}
	return out, nil
}
