package gost341194

import "encoding/binary"

// c3 is the constant C3 of the key generation as a little-endian byte
// string (the standard prints it ff00ffff 000000ff ff0000ff 00ffff00
// 00ff00ff 00ff00ff ff00ff00 ff00ff00, most significant first); C2 = C4 = 0.
var c3 = [32]byte{
	0x00, 0xff, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff,
	0xff, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff, 0x00,
	0x00, 0xff, 0xff, 0x00, 0xff, 0x00, 0x00, 0xff,
	0xff, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0xff,
}

// step is the step function: h = f(h, m) (RFC 5831 section 6). Both are
// little-endian 256-bit values; h1 (the least significant 64 bits) is
// enciphered under K1.
func (p *ParamSet) step(h, m *[32]byte) {
	var s [32]byte
	u, v := *h, *m
	for j := 0; j < 4; j++ {
		if j > 0 {
			u = transformA(&u)
			if j == 2 {
				xor(&u, &u, &c3)
			}
			v = transformA(&v)
			v = transformA(&v)
		}
		var w [32]byte
		xor(&w, &u, &v)
		key := transformP(&w)
		n1 := binary.LittleEndian.Uint32(h[8*j:])
		n2 := binary.LittleEndian.Uint32(h[8*j+4:])
		n1, n2 = p.c.Encrypt(&key, n1, n2)
		binary.LittleEndian.PutUint32(s[8*j:], n1)
		binary.LittleEndian.PutUint32(s[8*j+4:], n2)
	}
	// H = ψ^61(h ⊕ ψ(m ⊕ ψ^12(S)))
	psi(&s, 12)
	xor(&s, &s, m)
	psi(&s, 1)
	xor(&s, &s, h)
	psi(&s, 61)
	*h = s
}

func xor(dst, a, b *[32]byte) {
	for i := range dst {
		dst[i] = a[i] ^ b[i]
	}
}

// transformA is A(y4‖y3‖y2‖y1) = (y1 ⊕ y2)‖y4‖y3‖y2, 64-bit yi, y1 least
// significant.
func transformA(y *[32]byte) [32]byte {
	var out [32]byte
	copy(out[:24], y[8:])
	for i := 0; i < 8; i++ {
		out[24+i] = y[i] ^ y[8+i]
	}
	return out
}

// transformP is the byte permutation P: output byte i+4k takes input byte
// 8i+k (i = 0..3, k = 0..7, 0-based, least significant first), i.e.
// φ(i+1+4(k-1)) = 8i+k in the standard's 1-based terms. It returns the
// result as the cipher key's eight little-endian words.
func transformP(w *[32]byte) [8]uint32 {
	var k [32]byte
	for i := 0; i < 4; i++ {
		for j := 0; j < 8; j++ {
			k[i+4*j] = w[8*i+j]
		}
	}
	var key [8]uint32
	for i := range key {
		key[i] = binary.LittleEndian.Uint32(k[4*i:])
	}
	return key
}

// psi applies ψ n times (n ≤ 61). With y = η16‖…‖η1 (16-bit words, η1
// least significant), ψ(y) = (η1⊕η2⊕η3⊕η4⊕η13⊕η16)‖η16‖…‖η2: a shift
// register, so ψ^n extends the word sequence by n words and keeps the last 16.
func psi(y *[32]byte, n int) {
	var w [16 + 61]uint16
	for i := 0; i < 16; i++ {
		w[i] = binary.LittleEndian.Uint16(y[2*i:])
	}
	for t := 0; t < n; t++ {
		w[16+t] = w[t] ^ w[t+1] ^ w[t+2] ^ w[t+3] ^ w[t+12] ^ w[t+15]
	}
	for i := 0; i < 16; i++ {
		binary.LittleEndian.PutUint16(y[2*i:], w[n+i])
	}
}
