package smevtransform

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer/c14n"
)

const vectors = "../testdata"

// viaC14N is the textbook pipeline: exclusive c14n to octets, parse them,
// transform the result.
func viaC14N(t testing.TB, d *xmltree.Doc, n int32) []byte {
	t.Helper()
	canon := c14n.ExclusiveBytes(d, n, nil)
	d2, err := xmltree.Parse(canon)
	if err != nil {
		t.Fatalf("c14n output does not parse: %v\n%s", err, canon)
	}
	return Bytes(d2, d2.Root, nil)
}

func TestMetodichkaAndPrefixScoping(t *testing.T) {
	inputs, _ := filepath.Glob(filepath.Join(vectors, "transform/metodichka/*.input.xml"))
	inputs = append(inputs, filepath.Join(vectors, "transform/prefix-scoping/input.xml"))
	if len(inputs) < 7 {
		t.Fatalf("vectors missing: %v", inputs)
	}
	for _, in := range inputs {
		want := strings.Replace(in, ".input.xml", ".expected_java_semantics.xml", 1)
		if strings.HasSuffix(in, "/input.xml") {
			want = filepath.Join(filepath.Dir(in), "expected.xml")
		}
		t.Run(filepath.Base(filepath.Dir(in))+"/"+filepath.Base(in), func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			exp, err := os.ReadFile(want)
			if err != nil {
				t.Fatal(err)
			}
			exp = bytes.TrimRight(exp, "\n")
			d, err := xmltree.Parse(src)
			if err != nil {
				t.Fatal(err)
			}
			got := Bytes(d, d.Root, nil)
			if !bytes.Equal(got, exp) {
				t.Errorf("got\n%s\nwant\n%s", got, exp)
			}
			if two := viaC14N(t, d, d.Root); !bytes.Equal(two, got) {
				t.Errorf("direct and via-c14n differ:\n%s\n%s", got, two)
			}
		})
	}
}

// elementByID finds the single element with Id=id.
func elementByID(t testing.TB, d *xmltree.Doc, id string) int32 {
	found := xmltree.None
	for i := range d.Nodes {
		if d.Nodes[i].Kind != xmltree.Element {
			continue
		}
		if v, ok := d.Attr(int32(i), "", "Id"); ok && v == id {
			if found != xmltree.None {
				t.Fatalf("two elements with Id %s", id)
			}
			found = int32(i)
		}
	}
	if found == xmltree.None {
		t.Fatalf("no element with Id %s", id)
	}
	return found
}

func TestRealSigned(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(vectors, "real-signed/*/*.transformed*.xml"))
	if len(files) != 9 {
		t.Fatalf("expected 9 transformed vectors, found %d", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(filepath.Dir(f))+"/"+filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(filepath.Dir(f), "message.xml"))
			if err != nil {
				t.Fatal(err)
			}
			exp, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			d, err := xmltree.Parse(src)
			if err != nil {
				t.Fatal(err)
			}
			id := strings.SplitN(filepath.Base(f), ".", 2)[0]
			n := elementByID(t, d, id)
			got := Bytes(d, n, nil)
			if !bytes.Equal(got, exp) {
				i := 0
				for i < len(got) && i < len(exp) && got[i] == exp[i] {
					i++
				}
				t.Errorf("differs at byte %d:\ngot  …%s\nwant …%s", i, clip(got[i:]), clip(exp[i:]))
			}
			if two := viaC14N(t, d, n); !bytes.Equal(two, got) {
				t.Errorf("direct and via-c14n differ")
			}
			var buf bytes.Buffer
			if err := Write(&buf, d, n, nil); err != nil || !bytes.Equal(buf.Bytes(), got) {
				t.Errorf("Write and Bytes differ (%v)", err)
			}
		})
	}
}

func clip(b []byte) []byte {
	if len(b) > 120 {
		return b[:120]
	}
	return b
}
