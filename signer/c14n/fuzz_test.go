package c14n

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/mezhved/mezhved/internal/xmltree"
)

// FuzzC14N checks that exclusive and inclusive c14n output is well-formed, idempotent and
// that Exclusive and ExclusiveBytes agree.
func FuzzC14N(f *testing.F) {
	files, _ := filepath.Glob("../testdata/*/*/*.xml")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, false, false)
		}
	}
	for _, s := range corpus {
		f.Add([]byte(s), true, true)
	}
	f.Fuzz(func(t *testing.T, src []byte, comments, inclusive bool) {
		d, err := xmltree.Parse(src)
		if err != nil {
			return
		}
		opt := &Options{WithComments: comments, InclusivePrefixes: []string{"#default", "p"}, Inclusive: inclusive}
		for i := range d.Nodes {
			if d.Nodes[i].Kind != xmltree.Element || i > 50 {
				continue
			}
			out := ExclusiveBytes(d, int32(i), opt)
			var buf bytes.Buffer
			Exclusive(&buf, d, int32(i), opt)
			if !bytes.Equal(buf.Bytes(), out) {
				t.Fatal("Exclusive and ExclusiveBytes differ")
			}
			d2, err := xmltree.Parse(out)
			if err != nil {
				t.Fatalf("output does not parse: %v\n%q", err, out)
			}
			if again := ExclusiveBytes(d2, d2.Root, &Options{WithComments: comments, Inclusive: inclusive}); !bytes.Equal(again, ExclusiveBytes(d, int32(i), &Options{WithComments: comments, Inclusive: inclusive})) {
				t.Fatalf("not idempotent:\n%q\n%q", out, again)
			}
		}
	})
}
