package xmldsig

import (
	"fmt"
	"testing"

	dsig "github.com/russellhaering/goxmldsig"
)

func benchDoc(size int) []byte {
	return GenerateRequest(size)
}

func BenchmarkSign(b *testing.B) {
	k := loadKey(b, "rsa")
	for _, size := range []int{1 << 10, 100 << 10, 1 << 20} {
		doc := benchDoc(size)
		b.Run(fmt.Sprintf("RSA-%dKB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				if _, err := Sign(doc, k, Options{ID: "SIGNED_BY_CONSUMER"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	k := loadKey(b, "rsa")
	for _, size := range []int{1 << 10, 1 << 20} {
		signed, err := Sign(benchDoc(size), k, Options{ID: "SIGNED_BY_CONSUMER"})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("RSA-%dKB", size>>10), func(b *testing.B) {
			for b.Loop() {
				if res, err := Verify(signed, VerifyOptions{}); err != nil || !res[0].Valid() {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkC14N canonicalizes the signed element of a 1 MB request: as
// Sign does (straight from the parsed input), as goxmldsig's Canonicalizer
// interface does for any etree element (written out and read back), and
// with goxmldsig's own exclusive c14n. goxmldsig mutates the tree and
// refuses to detach an element this large from its parents ("traversal
// limit reached"), so it gets an untimed standalone copy each time.
func BenchmarkC14N(b *testing.B) {
	doc := benchDoc(1 << 20)
	d, err := Parse(doc)
	if err != nil {
		b.Fatal(err)
	}
	el := FindByID(d.Root(), "SIGNED_BY_CONSUMER", "Id")[0]
	canon, err := (&Canonicalizer{}).Canonicalize(el)
	if err != nil {
		b.Fatal(err)
	}
	standalone, err := Parse(canon)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("bound-1MB", func(b *testing.B) {
		tree, _ := parseTree(doc)
		n := findID(tree, "SIGNED_BY_CONSUMER", "Id")[0]
		c := &Canonicalizer{bound: el, doc: tree, node: n}
		for b.Loop() {
			if out, err := c.Canonicalize(el); err != nil || len(out) != len(canon) {
				b.Fatal(err)
			}
		}
	})
	b.Run("etree-1MB", func(b *testing.B) {
		for b.Loop() {
			if _, err := (&Canonicalizer{}).Canonicalize(el); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("goxmldsig-1MB", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			cp := standalone.Root().Copy()
			b.StartTimer()
			out, err := dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("").Canonicalize(cp)
			if err != nil {
				b.Fatal(err)
			}
			if i == 0 && string(out) != string(canon) {
				b.Fatal("goxmldsig and Canonicalizer disagree")
			}
		}
	})
}
