package xsd

import (
	"fmt"
	"regexp"
	"strings"
)

// translatePattern turns an XSD regular expression (XML Schema part 2,
// appendix F) into an anchored Go regexp with the same meaning, or fails for
// the constructs the subset leaves out. It is one scanner on purpose: each
// construct of the grammar is a case of one switch over the pattern.
func translatePattern(p string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString(`^(?:`)
	rs := []rune(p)
	inClass := false
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\':
			if i+1 >= len(rs) {
				return nil, fmt.Errorf("pattern %q ends with a backslash", p)
			}
			i++
			e := rs[i]
			switch e {
			case 'd':
				b.WriteString(`\p{Nd}`)
			case 'D':
				if inClass {
					return nil, fmt.Errorf("pattern %q: \\D inside a class is not supported", p)
				}
				b.WriteString(`\P{Nd}`)
			case 's':
				if inClass {
					b.WriteString(` \t\n\r`)
				} else {
					b.WriteString(`[ \t\n\r]`)
				}
			case 'S':
				if inClass {
					return nil, fmt.Errorf("pattern %q: \\S inside a class is not supported", p)
				}
				b.WriteString(`[^ \t\n\r]`)
			case 'n', 'r', 't', '\\', '|', '.', '-', '^', '?', '*', '+', '{', '}', '(', ')', '[', ']':
				b.WriteRune('\\')
				b.WriteRune(e)
			case 'p', 'P':
				j := i + 1
				if j >= len(rs) || rs[j] != '{' {
					return nil, fmt.Errorf("pattern %q: \\%c without {…}", p, e)
				}
				k := j
				for k < len(rs) && rs[k] != '}' {
					k++
				}
				if k >= len(rs) {
					return nil, fmt.Errorf("pattern %q: unclosed \\%c{", p, e)
				}
				name := string(rs[j+1 : k])
				if !generalCategory[name] {
					return nil, fmt.Errorf("pattern %q: \\%c{%s} is not supported (only general categories)", p, e, name)
				}
				fmt.Fprintf(&b, `\%c{%s}`, e, name)
				i = k
			default:
				return nil, fmt.Errorf("pattern %q: escape \\%c is not supported", p, e)
			}
		case inClass:
			switch r {
			case ']':
				inClass = false
				b.WriteRune(r)
			case '[':
				return nil, fmt.Errorf("pattern %q: character class subtraction is not supported", p)
			default:
				b.WriteRune(r)
			}
		case r == '[':
			inClass = true
			b.WriteRune(r)
			if i+1 < len(rs) && rs[i+1] == '^' {
				b.WriteRune('^')
				i++
			}
		case r == '.':
			b.WriteString(`[^\n\r]`)
		case r == '^' || r == '$':
			b.WriteRune('\\')
			b.WriteRune(r)
		case r == '(':
			if i+1 < len(rs) && rs[i+1] == '?' {
				return nil, fmt.Errorf("pattern %q: \"(?\" is not XSD syntax", p)
			}
			b.WriteString("(?:")
		case (r == '?' || r == '*' || r == '+' || r == '}') && i+1 < len(rs) && rs[i+1] == '?':
			return nil, fmt.Errorf("pattern %q: lazy quantifiers are not XSD syntax", p)
		default:
			b.WriteRune(r)
		}
	}
	if inClass {
		return nil, fmt.Errorf("pattern %q: unclosed [", p)
	}
	b.WriteString(`)$`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %v", p, err)
	}
	return re, nil
}

var generalCategory = map[string]bool{}

func init() {
	for _, c := range strings.Fields("L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po Z Zs Zl Zp S Sm Sc Sk So C Cc Cf Co Cn") {
		generalCategory[c] = true
	}
}
