package printing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// clean makes s printable with the embedded fonts: invalid UTF-8 and runes
// the fonts have no glyph for become «?», tabs become spaces, line breaks are
// kept as '\n', other control characters are dropped.
func (m *metrics) clean(s string) string {
	if isPlain(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteByte('\n')
		case r == '\t' || r == '\r' || r == '\u00A0':
			b.WriteByte(' ')
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			// zero-width and control characters are not printed
		case m.advance(regular, r) < 0 || m.advance(bold, r) < 0:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPlain reports whether s is ASCII-printable or Cyrillic text only, which
// needs no cleaning (the common case, kept fast).
func isPlain(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < ' ' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !(r >= 0x410 && r <= 0x44F || r == 'Ё' || r == 'ё' || r == '№' || r == '«' || r == '»' || r == '—' || r == '–') {
			return false
		}
		i += n
	}
	return true
}

// wrap breaks s into lines no wider than width (points) in font f at size.
// Lines break at spaces; a word wider than the line is broken between
// characters, after a hyphen, slash or underscore where possible. Explicit
// '\n' start new lines. Nothing is ever dropped: the concatenation of the
// lines holds every non-space character of s.
func (m *metrics) wrap(f fontID, size, width float64, s string) []string {
	if width <= size {
		width = size // a degenerate column still gets one character per line
	}
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		space := m.advance(f, ' ') * size
		var cur strings.Builder
		curW := 0.0
		flush := func() {
			lines = append(lines, cur.String())
			cur.Reset()
			curW = 0
		}
		for _, w := range words {
			ww := m.width(f, size, w)
			if cur.Len() > 0 && curW+space+ww <= width {
				cur.WriteByte(' ')
				cur.WriteString(w)
				curW += space + ww
				continue
			}
			if cur.Len() > 0 {
				flush()
			}
			if ww <= width {
				cur.WriteString(w)
				curW = ww
				continue
			}
			parts := m.breakWord(f, size, width, w)
			lines = append(lines, parts[:len(parts)-1]...)
			last := parts[len(parts)-1]
			cur.WriteString(last)
			curW = m.width(f, size, last)
		}
		if cur.Len() > 0 {
			flush()
		}
	}
	return lines
}

// breakWord splits a word wider than width into pieces that fit.
func (m *metrics) breakWord(f fontID, size, width float64, w string) []string {
	var parts []string
	for len(w) > 0 {
		acc, end, soft := 0.0, 0, 0
		for i, r := range w {
			a := m.advance(f, r)
			if a < 0 {
				a = 0
			}
			if acc+a*size > width && end > 0 {
				break
			}
			acc += a * size
			end = i + utf8.RuneLen(r)
			if r == '-' || r == '/' || r == '_' || r == '.' {
				soft = end
			}
		}
		if end < len(w) && soft > end/2 {
			end = soft
		}
		parts = append(parts, w[:end])
		w = w[end:]
	}
	return parts
}
