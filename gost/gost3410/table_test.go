package gost3410

import "testing"

func BenchmarkBaseTable256(b *testing.B) {
	for b.Loop() {
		CurveCryptoProA().g.buildBaseTable()
	}
}

func BenchmarkBaseTable512(b *testing.B) {
	for b.Loop() {
		CurveTC26512A().g.buildBaseTable()
	}
}
