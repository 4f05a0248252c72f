package xmltree

import (
	"errors"
	"strings"
	"testing"
)

func TestHelpers(t *testing.T) {
	d, err := Parse([]byte("<r>\n  a<!--c-->b<x>in</x><?p?>c\n<y/></r>"))
	if err != nil {
		t.Fatal(err)
	}
	kids := d.ChildElements(d.Root)
	if len(kids) != 2 || !d.Is(kids[0], "", "x") || !d.Is(kids[1], "", "y") {
		t.Fatalf("children %v", kids)
	}
	if got := d.Text(d.Root); got != "\n  abc\n" {
		t.Errorf("text %q", got)
	}
	if d.Line(d.Root) != 1 || d.Line(kids[0]) != 2 || d.Line(kids[1]) != 3 {
		t.Errorf("lines %d %d %d", d.Line(d.Root), d.Line(kids[0]), d.Line(kids[1]))
	}
}

// TestScopeLimit: namespace declarations in scope along one chain are
// bounded; siblings do not add up.
func TestScopeLimit(t *testing.T) {
	var b strings.Builder
	n := DefaultLimits.MaxScope + 1
	for i := 0; i < n; i++ {
		b.WriteString(`<e xmlns:p` + strings.Repeat("x", i) + `="urn:x">`)
	}
	b.WriteString(strings.Repeat("</e>", n))
	if _, err := Parse([]byte(b.String())); !errors.Is(err, ErrTooLarge) {
		t.Errorf("deep declarations: %v", err)
	}
	siblings := "<r>" + strings.Repeat(`<e xmlns:p="urn:x" xmlns:q="urn:y"/>`, 2*n) + "</r>"
	if _, err := Parse([]byte(siblings)); err != nil {
		t.Errorf("siblings: %v", err)
	}
}

func TestProblem(t *testing.T) {
	for src, want := range map[string]string{
		`<!DOCTYPE a><a/>`:         "DOCTYPE",
		strings.Repeat("<a>", 300): "велик",
		`<a></b>`:                  "правильным XML",
	} {
		_, err := Parse([]byte(src))
		if err == nil || !strings.Contains(Problem(err), want) {
			t.Errorf("%.20q: %v → %q", src, err, Problem(err))
		}
	}
}
