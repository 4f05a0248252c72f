package gost341194

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

type vector struct {
	set     *ParamSet
	msg     []byte
	digest  []byte
	printed []byte // as the standard prints it, or nil
}

func readVectors(t testing.TB) []vector {
	f, err := os.Open("testdata/vectors.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []vector
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		out = append(out, parseVector(t, line))
	}
	if len(out) < 10 {
		t.Fatalf("only %d vectors read", len(out))
	}
	return out
}

// parseVector reads "set repeat "message" digest [printed]".
func parseVector(t testing.TB, line string) vector {
	set, rest, _ := strings.Cut(line, " ")
	count, rest, _ := strings.Cut(rest, " ")
	q, err := strconv.QuotedPrefix(rest)
	if err != nil {
		t.Fatalf("bad line %q: %v", line, err)
	}
	msg, _ := strconv.Unquote(q)
	n, err := strconv.Atoi(count)
	if err != nil {
		t.Fatalf("bad line %q: %v", line, err)
	}
	v := vector{set: ParamSetTest(), msg: bytes.Repeat([]byte(msg), n)}
	if set == "cryptopro" {
		v.set = ParamSetCryptoPro()
	}
	hexes := strings.Fields(rest[len(q):])
	v.digest = mustHex(t, hexes[0])
	if len(hexes) > 1 {
		v.printed = mustHex(t, hexes[1])
	}
	return v
}

func mustHex(t testing.TB, s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != Size {
		t.Fatalf("bad digest %q", s)
	}
	return b
}

func hashOf(p *ParamSet, msg []byte) []byte {
	h := NewParamSet(p)
	h.Write(msg)
	return h.Sum(nil)
}

// TestVectors checks the known answers, and that the standard's printed
// values are the emitted digests reversed (the byte order of README).
func TestVectors(t *testing.T) {
	printed := 0
	for _, v := range readVectors(t) {
		got := hashOf(v.set, v.msg)
		if !bytes.Equal(got, v.digest) {
			t.Errorf("%s %q (%d bytes): %x, want %x", v.set.Name, trunc(v.msg), len(v.msg), got, v.digest)
		}
		if v.printed != nil {
			printed++
			r := slices.Clone(v.printed)
			slices.Reverse(r)
			if !bytes.Equal(r, v.digest) {
				t.Errorf("%q: the printed value reversed is not the digest", v.msg)
			}
		}
	}
	if printed != 2 {
		t.Fatalf("%d printed examples, want the standard's 2", printed)
	}
}

func trunc(b []byte) []byte {
	if len(b) > 40 {
		return b[:40]
	}
	return b
}

// The parameter sets differ, New is CryptoPro, Sum equals New, and the
// lookup by OID works.
func TestParamSets(t *testing.T) {
	msg := []byte("abc")
	cp, test := hashOf(ParamSetCryptoPro(), msg), hashOf(ParamSetTest(), msg)
	if bytes.Equal(cp, test) {
		t.Fatal("the two parameter sets give the same digest")
	}
	h := New()
	h.Write(msg)
	s := Sum(msg)
	if !bytes.Equal(h.Sum(nil), cp) || !bytes.Equal(s[:], cp) {
		t.Fatal("New or Sum is not the CryptoPro parameter set")
	}
	if ParamSetByOID(OIDCryptoProParamSet) != ParamSetCryptoPro() || ParamSetByOID(OIDTestParamSet) != ParamSetTest() ||
		ParamSetByOID(OIDCryptoProParamSet[:6]) != nil {
		t.Fatal("ParamSetByOID")
	}
	if h.Size() != 32 || h.BlockSize() != 32 {
		t.Fatal("sizes")
	}
}

// Writes in pieces of every size equal one write; Sum leaves the state
// as it was; Reset starts over.
func TestStreaming(t *testing.T) {
	msg := make([]byte, 200)
	for i := range msg {
		msg[i] = byte(i*7 + 3)
	}
	want := hashOf(ParamSetCryptoPro(), msg)
	for step := 1; step <= 70; step++ {
		h := New()
		for i := 0; i < len(msg); i += step {
			h.Write(msg[i:min(i+step, len(msg))])
			h.Sum(nil) // must not disturb the state
		}
		if got := h.Sum(nil); !bytes.Equal(got, want) {
			t.Fatalf("pieces of %d: %x, want %x", step, got, want)
		}
		h.Reset()
		h.Write(msg)
		if got := h.Sum([]byte{1}); !bytes.Equal(got[1:], want) || got[0] != 1 {
			t.Fatal("after Reset, or Sum does not append")
		}
	}
}

// The lengths around the block size give distinct digests (padding and
// the length block are in play).
func TestLengthsDiffer(t *testing.T) {
	seen := map[string]int{}
	for n := 0; n <= 97; n++ {
		d := string(hashOf(ParamSetCryptoPro(), make([]byte, n)))
		if m, ok := seen[d]; ok {
			t.Fatalf("%d and %d zero bytes hash alike", m, n)
		}
		seen[d] = n
	}
}

func TestNilParamSetPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("NewParamSet(nil) did not panic")
		}
	}()
	NewParamSet(nil)
}

func BenchmarkHash1K(b *testing.B) {
	msg := make([]byte, 1024)
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		Sum(msg)
	}
}
