package smevtransform

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer/c14n"
)

func addSeeds(f *testing.F) {
	for _, pat := range []string{"transform/*/*.xml", "real-signed/*/*.xml"} {
		files, _ := filepath.Glob(filepath.Join(vectors, pat))
		for _, p := range files {
			b, err := os.ReadFile(p)
			if err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`<a xmlns="u" xmlns:p="v"> x<!--c--> <?pi?>]]&gt;<p:b p:z="1" y="&quot;&amp;&lt;"/><![CDATA[ ]]></a>`))
}

// FuzzTransform checks that the direct transform of every element equals
// the textbook pipeline c14n → parse → transform, and never panics.
func FuzzTransform(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := xmltree.Parse(src)
		if err != nil {
			return
		}
		checked := 0
		for i := range d.Nodes {
			if d.Nodes[i].Kind != xmltree.Element || checked > 20 {
				continue
			}
			checked++
			n := int32(i)
			direct := Bytes(d, n, nil)
			canon := c14n.ExclusiveBytes(d, n, nil)
			d2, err := xmltree.Parse(canon)
			if err != nil {
				t.Fatalf("c14n output does not parse: %v\n%q", err, canon)
			}
			if via := Bytes(d2, d2.Root, nil); !bytes.Equal(via, direct) {
				t.Fatalf("direct and via-c14n differ:\n%q\n%q", direct, via)
			}
		}
	})
}
