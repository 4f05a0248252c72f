package xmltree

import (
	"bytes"
	"unicode/utf8"
)

func (p *parser) decode(raw []byte, off int, attr bool) ([]byte, error) {
	needs := false
	for _, c := range raw {
		if c == '&' || c == '\r' || (attr && (c == '\n' || c == '\t' || c == '<')) {
			needs = true
			break
		}
	}
	if !needs {
		return raw, nil
	}
	p.grow()
	start := len(p.buf)
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '\r':
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
			if attr {
				c = ' '
			} else {
				c = '\n'
			}
		case '\n', '\t':
			if attr {
				c = ' '
			}
		case '<':
			return nil, p.errf(off+i, "\"<\" in an attribute value")
		case '&':
			semi := bytes.IndexByte(raw[i:], ';')
			if semi < 0 {
				return nil, p.errf(off+i, "\"&\" without \";\"")
			}
			ref := raw[i+1 : i+semi]
			switch string(ref) {
			case "lt":
				c = '<'
			case "gt":
				c = '>'
			case "amp":
				c = '&'
			case "apos":
				c = '\''
			case "quot":
				c = '"'
			default:
				r, ok := charRef(ref)
				if !ok {
					if len(ref) > 0 && ref[0] != '#' {
						return nil, p.errf(off+i, "entity &%s; is not allowed (no DTD is processed)", ref)
					}
					return nil, p.errf(off+i, "invalid character reference &%s;", ref)
				}
				p.buf = utf8.AppendRune(p.buf, r)
				i += semi
				continue
			}
			i += semi
		}
		p.buf = append(p.buf, c)
	}
	return p.buf[start:len(p.buf):len(p.buf)], nil
}

func charRef(ref []byte) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	var r rune
	digits := ref[1:]
	base := rune(10)
	if digits[0] == 'x' {
		base = 16
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 8 {
		return 0, false
	}
	for _, c := range digits {
		var v rune
		switch {
		case c >= '0' && c <= '9':
			v = rune(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			v = rune(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			v = rune(c-'A') + 10
		default:
			return 0, false
		}
		r = r*base + v
	}
	ok := r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
	return r, ok
}
