package printing

import (
	"strings"
	"testing"
	"unicode"
)

func nonSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// checkWrap: nothing is lost and no line is wider than the width (a single
// character wider than the width may stand alone).
func checkWrap(t *testing.T, m *metrics, f fontID, size, width float64, s string) []string {
	t.Helper()
	s = m.clean(s)
	lines := m.wrap(f, size, width, s)
	if got, want := nonSpace(strings.Join(lines, "")), nonSpace(s); got != want {
		t.Fatalf("wrap lost text:\n got %q\nwant %q", got, want)
	}
	for _, ln := range lines {
		if w := m.width(f, size, ln); w > max(width, size)+0.01 && len([]rune(ln)) > 1 {
			t.Fatalf("line %q is %.1f pt wide, more than %.1f", ln, w, width)
		}
	}
	return lines
}

func TestWrap(t *testing.T) {
	m, err := fontMetrics()
	if err != nil {
		t.Fatal(err)
	}
	lines := checkWrap(t, m, regular, 10, 100, "Воронежская область, Рамонский район, с. Кривоборье, ул. Школьная, д. 7")
	if len(lines) < 3 || lines[0] != "Воронежская" && !strings.HasPrefix(lines[0], "Воронежская ") {
		t.Errorf("lines %q", lines)
	}
	// a MessageID wider than the column breaks after a hyphen
	lines = checkWrap(t, m, regular, 9, 110, "2f1c9a7e-5b3d-11f1-9a2b-0242ac120002")
	if len(lines) != 2 || !strings.HasSuffix(lines[0], "-") {
		t.Errorf("MessageID broken as %q", lines)
	}
	// explicit line breaks are kept, empty lines too
	if lines := checkWrap(t, m, regular, 10, 300, "первая\n\nтретья"); len(lines) != 3 || lines[1] != "" {
		t.Errorf("line breaks: %q", lines)
	}
	checkWrap(t, m, bold, 12, 5, "узко")
}

func FuzzWrap(f *testing.F) {
	f.Add("Выписка из ЕГРН об объекте недвижимости", 60.0)
	f.Add("2f1c9a7e-5b3d-11f1-9a2b-0242ac120002", 50.0)
	f.Add("a\n\n\tb\x00c😀", 1.0)
	m, err := fontMetrics()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string, width float64) {
		if !(width > 0 && width < 2000) || len(s) > 4096 {
			return
		}
		checkWrap(t, m, regular, 10, width, s)
	})
}
