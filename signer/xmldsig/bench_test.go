package xmldsig

import (
	"fmt"
	"testing"
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
