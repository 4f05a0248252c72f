package gost341194

import (
	"bytes"
	"testing"
)

// FuzzHash: any input and any split point hash without panic, streaming
// equals one-shot, for both parameter sets.
func FuzzHash(f *testing.F) {
	f.Add([]byte(""), uint16(0), false)
	f.Add([]byte("This is message, length=32 bytes"), uint16(5), true)
	f.Add([]byte("Suppose the original message has length = 50 bytes"), uint16(32), false)
	f.Add(bytes.Repeat([]byte{0xff}, 97), uint16(64), true)
	f.Fuzz(func(t *testing.T, msg []byte, split uint16, test bool) {
		p := ParamSetCryptoPro()
		if test {
			p = ParamSetTest()
		}
		one := NewParamSet(p)
		one.Write(msg)
		want := one.Sum(nil)
		cut := int(split) % (len(msg) + 1)
		h := NewParamSet(p)
		h.Write(msg[:cut])
		h.Sum(nil)
		h.Write(msg[cut:])
		if got := h.Sum(nil); !bytes.Equal(got, want) || len(got) != Size {
			t.Fatalf("split at %d: %x, one-shot %x", cut, got, want)
		}
		if !test {
			if s := Sum(msg); !bytes.Equal(s[:], want) {
				t.Fatal("Sum differs from New")
			}
		}
	})
}
