package templates

import (
	"testing"
)

func TestBuiltinLoads(t *testing.T) {
	c := Builtin()
	if n := len(c.List()); n < 10 {
		t.Fatalf("%d built-in templates, want at least 10", n)
	}
}
