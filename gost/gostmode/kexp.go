package gostmode

import (
	"crypto/subtle"
	"fmt"
)

// KExp15 exports key (R 1323565.1.017-2018 4.4 "KExp15"):
// CTR(kEnc, iv, key || OMAC(kMac, iv || key)), with a full-block MAC and iv
// half a block. The result is len(key) + one block long.
func KExp15(alg *Algorithm, key, kEnc, kMac, iv []byte) ([]byte, error) {
	if len(iv) != alg.BlockSize/2 {
		return nil, fmt.Errorf("gostmode: KExp15 IV must be %d bytes, got %d", alg.BlockSize/2, len(iv))
	}
	mac, err := OMAC(alg, kMac, append(append([]byte{}, iv...), key...), alg.BlockSize)
	if err != nil {
		return nil, err
	}
	b, err := alg.New(kEnc)
	if err != nil {
		return nil, err
	}
	s, err := NewCTR(b, iv)
	if err != nil {
		return nil, err
	}
	out := append(append([]byte{}, key...), mac...)
	s.XORKeyStream(out, out)
	return out, nil
}

// KImp15 imports a key exported by KExp15: it decrypts exported with kEnc
// and iv and checks the MAC under kMac; on a mismatch it returns ErrMAC and
// no key.
func KImp15(alg *Algorithm, exported, kEnc, kMac, iv []byte) ([]byte, error) {
	n := alg.BlockSize
	if len(iv) != n/2 {
		return nil, fmt.Errorf("gostmode: KImp15 IV must be %d bytes, got %d", n/2, len(iv))
	}
	if len(exported) <= n {
		return nil, fmt.Errorf("gostmode: KImp15 input of %d bytes is too short", len(exported))
	}
	b, err := alg.New(kEnc)
	if err != nil {
		return nil, err
	}
	s, err := NewCTR(b, iv)
	if err != nil {
		return nil, err
	}
	plain := make([]byte, len(exported))
	s.XORKeyStream(plain, exported)
	key, mac := plain[:len(plain)-n], plain[len(plain)-n:]
	want, err := OMAC(alg, kMac, append(append([]byte{}, iv...), key...), n)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(mac, want) != 1 {
		clear(plain)
		return nil, ErrMAC
	}
	return key, nil
}
