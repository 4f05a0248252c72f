package xmltree

import (
	"testing"
)

// TestEscapeReadsBack: text and attribute values written with the escapers
// parse back to the same values (no normalization eats TAB, LF or CR).
func TestEscapeReadsBack(t *testing.T) {
	for _, v := range []string{"plain", "a&b<c>d\"e'f", "tab\tlf\ncr\rcrlf\r\n", "]]>", "Ж ёлка", ""} {
		src := []byte(`<a v="`)
		src = AppendAttr(src, v)
		src = append(src, `">`...)
		src = AppendText(src, []byte(v))
		src = append(src, "</a>"...)
		d, err := Parse(src)
		if err != nil {
			t.Fatalf("%q: %v\n%s", v, err, src)
		}
		if got, _ := d.Attr(d.Root, "", "v"); got != v {
			t.Errorf("attribute %q read back as %q (%s)", v, got, src)
		}
		if got := d.Text(d.Root); got != v {
			t.Errorf("text %q read back as %q (%s)", v, got, src)
		}
	}
	if got := string(AppendText(nil, "<&>\"\r")); got != `&lt;&amp;&gt;"&#xD;` {
		t.Errorf("text: %s", got)
	}
	if got := string(AppendAttr(nil, "<&>\"\t\n\r")); got != `&lt;&amp;>&quot;&#x9;&#xA;&#xD;` {
		t.Errorf("attribute: %s", got)
	}
}

func TestEscaperRefusesNonASCII(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("a non-ASCII byte accepted")
		}
	}()
	NewEscaper(map[byte]string{0xD0: "x"})
}
