package gostpkcs

import "crypto/cipher"

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
