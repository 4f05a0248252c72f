package xsd

import (
	"math/rand/v2"
	"regexp"
	"regexp/syntax"
	"strings"
)

// preferred are the characters a sample of a character class is taken
// from when the class has any of them: what Russian documents are written
// in.
var preferred = []rune("0123456789АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯабвгдежзиклмнопрстуфхцчшэюяABCDEFabcdef -.")

// samplePattern returns a string re matches, repeating open-ended parts
// at most reps times beyond their minimum.
func samplePattern(re *regexp.Regexp, rnd *rand.Rand, reps int) string {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return ""
	}
	var b strings.Builder
	sampleNode(tree, rnd, reps, &b, 0)
	return b.String()
}

func sampleNode(r *syntax.Regexp, rnd *rand.Rand, reps int, b *strings.Builder, depth int) {
	if depth > 50 || b.Len() > 4096 {
		return
	}
	repeat := func(lo, hi int) {
		if hi < 0 || hi > lo+reps {
			hi = lo + reps
		}
		n := lo + rnd.IntN(hi-lo+1)
		for i := 0; i < n; i++ {
			sampleNode(r.Sub[0], rnd, reps, b, depth+1)
		}
	}
	switch r.Op {
	case syntax.OpLiteral:
		b.WriteString(string(r.Rune))
	case syntax.OpCharClass:
		b.WriteRune(sampleClass(r.Rune, rnd))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteRune('а')
	case syntax.OpCapture:
		sampleNode(r.Sub[0], rnd, reps, b, depth+1)
	case syntax.OpStar:
		repeat(0, -1)
	case syntax.OpPlus:
		repeat(1, -1)
	case syntax.OpQuest:
		repeat(0, 1)
	case syntax.OpRepeat:
		repeat(r.Min, r.Max)
	case syntax.OpConcat:
		for _, s := range r.Sub {
			sampleNode(s, rnd, reps, b, depth+1)
		}
	case syntax.OpAlternate:
		sampleNode(r.Sub[rnd.IntN(len(r.Sub))], rnd, reps, b, depth+1)
	}
}

// sampleClass picks a rune of the class given as ranges (lo, hi pairs).
func sampleClass(ranges []rune, rnd *rand.Rand) rune {
	var nice []rune
	for _, c := range preferred {
		for i := 0; i+1 < len(ranges); i += 2 {
			if c >= ranges[i] && c <= ranges[i+1] {
				nice = append(nice, c)
				break
			}
		}
	}
	if len(nice) > 0 {
		return nice[rnd.IntN(len(nice))]
	}
	for i := 0; i+1 < len(ranges); i += 2 {
		if ranges[i] > ' ' {
			return ranges[i]
		}
		if ranges[i+1] > ' ' {
			return ' ' + 1
		}
	}
	return 'x'
}
