package streebog

import "encoding/hex"

// lpsTable[t][x] is the contribution of input byte x at byte position t of a
// state word to the output word of LPS: S (π), P (τ) and L (matrix A)
// folded together, so that one LPS is 64 table lookups and XORs.
var lpsTable [8][256]uint64

// roundC holds C1..C12 as little-endian 64-bit words.
var roundC [12]state

func init() {
	for t := 0; t < 8; t++ {
		for x := 0; x < 256; x++ {
			v := uint64(pi[x])
			var acc uint64
			for b := 0; b < 8; b++ {
				if v>>uint(b)&1 == 1 {
					acc ^= matA[63-8*t-b]
				}
			}
			lpsTable[t][x] = acc
		}
	}
	for i, h := range roundHex {
		raw, err := hex.DecodeString(h)
		if err != nil || len(raw) != 64 {
			panic("streebog: bad round constant")
		}
		// The RFC writes the most significant byte first; the state keeps
		// the least significant byte at index 0.
		for w := 0; w < 8; w++ {
			var v uint64
			for b := 0; b < 8; b++ {
				v |= uint64(raw[63-(8*w+b)]) << uint(8*b)
			}
			roundC[i][w] = v
		}
	}
}
