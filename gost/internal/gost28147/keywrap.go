package gost28147

import (
	"crypto/subtle"
	"errors"
)

// WrappedSize is the length of a wrapped key of RFC 4357 section 6:
// UKM (8) ‖ CEK_ENC (32) ‖ CEK_MAC (4).
const WrappedSize = 8 + KeySize + 4

// ErrUnwrap is returned when a wrapped key's MAC does not match: a wrong
// key-encryption key (for password-based formats: a wrong password) or a
// damaged blob.
var ErrUnwrap = errors.New("gost28147: wrapped key MAC mismatch")

// Wrap is the GOST 28147-89 key wrap (RFC 4357 section 6.1): the CEK
// enciphered in ECB under kek, followed by the first 4 bytes of its IMIT
// under kek with the UKM as IV.
func Wrap(p *ParamSet, kek, ukm, cek []byte) ([]byte, error) {
	b, err := wrapArgs(p, kek, ukm)
	if err != nil {
		return nil, err
	}
	defer b.Zero()
	if len(cek) != KeySize {
		return nil, errors.New("gost28147: the wrapped key must be 32 bytes")
	}
	out := make([]byte, WrappedSize)
	copy(out, ukm)
	_ = b.EncryptECB(out[8:8+KeySize], cek)
	mac := b.MAC(ukm, cek)
	copy(out[8+KeySize:], mac[:4])
	return out, nil
}

// Unwrap reverses Wrap (RFC 4357 section 6.2): it checks the MAC and
// returns the CEK, or ErrUnwrap.
func Unwrap(p *ParamSet, kek, wrapped []byte) ([]byte, error) {
	if len(wrapped) != WrappedSize {
		return nil, errors.New("gost28147: a wrapped key is 44 bytes")
	}
	b, err := wrapArgs(p, kek, wrapped[:8])
	if err != nil {
		return nil, err
	}
	defer b.Zero()
	cek := make([]byte, KeySize)
	_ = b.DecryptECB(cek, wrapped[8:8+KeySize])
	mac := b.MAC(wrapped[:8], cek)
	if subtle.ConstantTimeCompare(mac[:4], wrapped[8+KeySize:]) != 1 {
		clear(cek)
		return nil, ErrUnwrap
	}
	return cek, nil
}

// CryptoProWrap is the CryptoPro key wrap (RFC 4357 section 6.3): Wrap
// under the KEK diversified with the UKM.
func CryptoProWrap(p *ParamSet, kek, ukm, cek []byte) ([]byte, error) {
	k, err := DiversifyKEK(p, kek, ukm)
	if err != nil {
		return nil, err
	}
	defer clear(k)
	return Wrap(p, k, ukm, cek)
}

// CryptoProUnwrap reverses CryptoProWrap (RFC 4357 section 6.4).
func CryptoProUnwrap(p *ParamSet, kek, wrapped []byte) ([]byte, error) {
	if len(wrapped) != WrappedSize {
		return nil, errors.New("gost28147: a wrapped key is 44 bytes")
	}
	k, err := DiversifyKEK(p, kek, wrapped[:8])
	if err != nil {
		return nil, err
	}
	defer clear(k)
	return Unwrap(p, k, wrapped)
}

// DiversifyKEK is the CryptoPro KEK diversification (RFC 4357 section 6.5):
// eight steps, one per UKM byte; in step i the key's words k0..k7 are summed
// (mod 2^32) into S1 where bit j of ukm[i] is 1 and into S2 where it is 0,
// and the key is enciphered in CFB under itself with IV = S1 ‖ S2 (each
// little-endian), with no key meshing.
func DiversifyKEK(p *ParamSet, kek, ukm []byte) ([]byte, error) {
	b, err := wrapArgs(p, kek, ukm)
	if err != nil {
		return nil, err
	}
	defer b.Zero()
	k := append([]byte(nil), kek...)
	for i := 0; i < 8; i++ {
		var s1, s2 uint32
		for j := 0; j < 8; j++ {
			w := le32(k[4*j:])
			if ukm[i]>>uint(j)&1 == 1 {
				s1 += w
			} else {
				s2 += w
			}
		}
		var iv [BlockSize]byte
		put32(iv[:4], s1)
		put32(iv[4:], s2)
		b.setKey(k)
		s, _ := NewCFBEncrypter(b, iv[:], false)
		s.XORKeyStream(k, k)
	}
	return k, nil
}

func wrapArgs(p *ParamSet, kek, ukm []byte) (*Block, error) {
	if len(ukm) != 8 {
		return nil, errors.New("gost28147: the UKM must be 8 bytes")
	}
	return NewBlock(p, kek)
}
