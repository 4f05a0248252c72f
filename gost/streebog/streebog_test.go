package streebog

import (
	"bufio"
	"bytes"
	"encoding"
	"encoding/hex"
	"hash"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

func reversed(b []byte) []byte {
	out := make([]byte, len(b))
	for i := range b {
		out[len(b)-1-i] = b[i]
	}
	return out
}

type vector struct {
	name string
	size int
	msg  []byte // as the hash consumes it
	sum  []byte // as the hash emits it
}

func rfcVectors(t *testing.T) []vector {
	t.Helper()
	f, err := os.Open("testdata/rfc6986.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []vector
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		fs := strings.Fields(line)
		m, err1 := hex.DecodeString(fs[2])
		h, err2 := hex.DecodeString(fs[3])
		if len(fs) != 4 || err1 != nil || err2 != nil {
			t.Fatalf("bad vector line %q", line)
		}
		size := Size256
		if fs[1] == "512" {
			size = Size512
		}
		vs = append(vs, vector{fs[0], size, reversed(m), reversed(h)})
	}
	if len(vs) != 4 {
		t.Fatalf("want 4 RFC vectors, got %d", len(vs))
	}
	return vs
}

func TestRFC6986(t *testing.T) {
	for _, v := range rfcVectors(t) {
		h := New(v.size)
		h.Write(v.msg)
		if got := h.Sum(nil); !bytes.Equal(got, v.sum) {
			t.Errorf("%s/%d: got %x want %x", v.name, v.size*8, got, v.sum)
		}
		var one []byte
		if v.size == Size256 {
			s := Sum256(v.msg)
			one = s[:]
		} else {
			s := Sum512(v.msg)
			one = s[:]
		}
		if !bytes.Equal(one, v.sum) {
			t.Errorf("%s/%d: Sum: got %x want %x", v.name, v.size*8, one, v.sum)
		}
	}
	// M1 is the ASCII digits: the reversal above is the RFC's byte order.
	if got := rfcVectors(t)[0].msg; string(got) != "012345678901234567890123456789012345678901234567890123456789012" {
		t.Errorf("M1 decoded to %q", got)
	}
}

// TestWriteBoundaries feeds the same message in pieces of every shape and
// checks the digest never depends on how it was split.
func TestWriteBoundaries(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	msg := make([]byte, 700)
	for i := range msg {
		msg[i] = byte(r.Uint32())
	}
	for _, newH := range []func() hash.Hash{New256, New512} {
		for _, n := range []int{0, 1, 55, 63, 64, 65, 127, 128, 129, 191, 192, 700} {
			want := oneShot(newH, msg[:n])
			for chunk := 1; chunk <= 130; chunk++ {
				h := newH()
				for p := msg[:n]; len(p) > 0; {
					c := min(chunk, len(p))
					h.Write(p[:c])
					p = p[c:]
				}
				if got := h.Sum(nil); !bytes.Equal(got, want) {
					t.Fatalf("size %d len %d chunk %d: %x != %x", h.Size(), n, chunk, got, want)
				}
			}
			// random splits, with Sum in the middle (Sum must not disturb the state)
			for trial := 0; trial < 20; trial++ {
				h := newH()
				for p := msg[:n]; len(p) > 0; {
					c := min(1+r.IntN(150), len(p))
					h.Write(p[:c])
					h.Sum(nil)
					p = p[c:]
				}
				if got := h.Sum(nil); !bytes.Equal(got, want) {
					t.Fatalf("random split len %d: %x != %x", n, got, want)
				}
			}
		}
	}
}

func oneShot(newH func() hash.Hash, b []byte) []byte {
	h := newH()
	h.Write(b)
	return h.Sum(nil)
}

func TestResetAndDistinct(t *testing.T) {
	h := New256()
	h.Write([]byte("abc"))
	first := h.Sum(nil)
	h.Reset()
	h.Write([]byte("abc"))
	if !bytes.Equal(first, h.Sum(nil)) {
		t.Fatal("Reset did not restore the initial state")
	}
	if bytes.Equal(first, oneShot(New256, []byte("abd"))) {
		t.Fatal("different messages gave the same digest")
	}
	if h.Size() != 32 || New512().Size() != 64 || h.BlockSize() != 64 {
		t.Fatal("wrong sizes")
	}
	e256, e512 := Sum256(nil), Sum512(nil)
	if bytes.Equal(e256[:], e512[32:]) {
		t.Fatal("256 is not a truncation of 512: the IVs differ")
	}
}

func TestMarshalClone(t *testing.T) {
	msg := bytes.Repeat([]byte("Межвед "), 50)
	for _, newH := range []func() hash.Hash{New256, New512} {
		want := oneShot(newH, msg)
		h := newH()
		h.Write(msg[:77])
		st, err := h.(encoding.BinaryMarshaler).MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		c, err := h.(hash.Cloner).Clone()
		if err != nil {
			t.Fatal(err)
		}
		h2 := newH()
		if err := h2.(encoding.BinaryUnmarshaler).UnmarshalBinary(st); err != nil {
			t.Fatal(err)
		}
		h2.Write(msg[77:])
		c.Write(msg[77:])
		if !bytes.Equal(h2.Sum(nil), want) || !bytes.Equal(c.Sum(nil), want) {
			t.Fatal("restored or cloned state gives another digest")
		}
		if err := h2.(encoding.BinaryUnmarshaler).UnmarshalBinary(st[:10]); err == nil {
			t.Fatal("truncated state accepted")
		}
	}
	if err := New512().(encoding.BinaryUnmarshaler).UnmarshalBinary(mustMarshal(New256())); err == nil {
		t.Fatal("256 state accepted by a 512 hash")
	}
}

func mustMarshal(h hash.Hash) []byte {
	b, _ := h.(encoding.BinaryMarshaler).MarshalBinary()
	return b
}

func benchmarkHash(b *testing.B, newH func() hash.Hash, n int) {
	msg := make([]byte, n)
	for i := range msg { // touched before the clock starts, as the engine's buffer
		msg[i] = byte(i*131 + i>>9)
	}
	h := newH()
	b.SetBytes(int64(n))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		h.Reset()
		h.Write(msg)
		h.Sum(nil)
	}
	reportCPU(b, start)
}

func BenchmarkStreebog256_1K(b *testing.B) { benchmarkHash(b, New256, 1<<10) }
func BenchmarkStreebog256_1M(b *testing.B) { benchmarkHash(b, New256, 1<<20) }
func BenchmarkStreebog512_1K(b *testing.B) { benchmarkHash(b, New512, 1<<10) }
func BenchmarkStreebog512_1M(b *testing.B) { benchmarkHash(b, New512, 1<<20) }

// BenchmarkStreebog256_100M is the Streebog measure of
// bench/gost-vs-openssl.sh: one hash of 100,000,000 bytes.
func BenchmarkStreebog256_100M(b *testing.B) { benchmarkHash(b, New256, 100_000_000) }

// TestCompressAgainstGeneric runs the compression the build uses (amd64
// assembly unless -tags purego) against the pure-Go one.
func TestCompressAgainstGeneric(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for i := 0; i < 2000; i++ {
		var h, m state
		for j := range h {
			h[j], m[j] = r.Uint64(), r.Uint64()
		}
		n := r.Uint64()
		if i%3 == 0 {
			n = uint64(i) * 512
		}
		h1, h2 := h, h
		compress(&h1, n, &m)
		compressGeneric(&h2, n, &m)
		if h1 != h2 {
			t.Fatalf("compress(%x, %d, %x) = %x, generic %x", h, n, m, h1, h2)
		}
	}
}

// TestBlocksAgainstGeneric runs the block loop the build uses against the
// pure-Go one for 1 to 9 blocks at a time.
func TestBlocksAgainstGeneric(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for nb := 1; nb <= 9; nb++ {
		p := make([]byte, nb*BlockSize)
		for i := range p {
			p[i] = byte(r.Uint32())
		}
		a, b := &digest{size: Size256}, &digest{size: Size256}
		a.Reset()
		b.Reset()
		a.n, b.n = 1024, 1024
		a.sigma[7], b.sigma[7] = ^uint64(0), ^uint64(0)
		a.blocks(p)
		b.blocksGeneric(p)
		if a.h != b.h || a.sigma != b.sigma || a.n != b.n {
			t.Fatalf("%d blocks: state differs", nb)
		}
	}
}
