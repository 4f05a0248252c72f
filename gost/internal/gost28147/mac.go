package gost28147

// MAC returns the GOST 28147-89 imitovstavka (IMIT, GOST 28147-89 section
// 5, RFC 4357's gost28147IMIT): the state starts as iv (8 bytes; nil means
// zeros), each 8-byte block of msg is XORed into it and transformed by the
// 16-round cycle; a final partial block is padded with zeros, and a message
// of a single block gets a zero block appended (the standard takes at least
// two blocks; OpenSSL's engine does the same). It returns the final state;
// the 32-bit MAC of RFC 4357 is its first 4 bytes.
func (b *Block) MAC(iv, msg []byte) [BlockSize]byte {
	var s [BlockSize]byte
	copy(s[:], iv)
	n1, n2 := le32(s[:4]), le32(s[4:])
	blocks := (len(msg) + BlockSize - 1) / BlockSize
	if blocks == 1 {
		blocks = 2
	}
	for i := 0; i < blocks; i++ {
		var m [BlockSize]byte
		if i*BlockSize < len(msg) {
			copy(m[:], msg[i*BlockSize:])
		}
		n1 ^= le32(m[:4])
		n2 ^= le32(m[4:])
		n1, n2 = b.c.mac16(&b.k, n1, n2)
	}
	put32(s[:4], n1)
	put32(s[4:], n2)
	return s
}
