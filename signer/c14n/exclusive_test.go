package c14n

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/mezhved/mezhved/internal/testtool"
	"github.com/mezhved/mezhved/internal/xmltree"
)

// needTool fails in CI and skips locally when a Debian tool is missing.
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	return testtool.Require(t, name, pkg)
}

var corpus = map[string]string{
	"default ns undeclared": `<a xmlns="urn:a"><b xmlns=""><c xmlns="urn:a"/></b></a>`,
	"prefix redeclared":     `<p:a xmlns:p="urn:1" xmlns:q="urn:q"><p:b xmlns:p="urn:2"><p:c/></p:b><q:d/></p:a>`,
	"unused decls dropped":  `<a xmlns:x="urn:x" xmlns:y="urn:y"><b y:at="1" at="2" x:at="3"/></a>`,
	"attr order":            `<a xmlns:z="urn:a" xmlns:b="urn:b" z:k="1" b:k="2" k="0" a="3"/>`,
	"escaping":              "<a at=\"&lt;&amp;&quot;&#9;&#10;&#13;>'\">&lt;&amp;&gt;&#13;\"'<![CDATA[<&>]]></a>",
	"pi and comments":       `<?pi before?><!--c--><a><?pi   x ?><!--in-->t</a><!--after--><?pi after?>`,
	"xml attrs":             `<a xml:lang="ru" xml:space="preserve"><b xml:lang="en"/></a>`,
	"whitespace":            "<a>\n  <b>  x  </b>\r\n\t</a>",
	"cyrillic":              `<ns:Запрос xmlns:ns="urn://primer" ns:Код="1">Текст</ns:Запрос>`,
	"self closing nested":   `<s:E xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:H/><s:B><x:y xmlns:x="urn:x" a=""/></s:B></s:E>`,
}

func TestDocumentAgainstXmllint(t *testing.T) {
	xmllint := needTool(t, "xmllint", "libxml2-utils")
	dir := t.TempDir()
	files := map[string]string{}
	for name, src := range corpus {
		files[name] = src
	}
	for _, v := range []string{"01_SendRequestRequest_v1.2_consumer", "03_GetResponseResponse_v1.2_smev_and_sender", "05_SendRequestRequest_v1.1_rosreestr_consumer", "08_SendRequestResponse_spb_reindented"} {
		b, err := os.ReadFile(filepath.Join("../testdata/real-signed", v, "message.xml"))
		if err != nil {
			t.Fatal(err)
		}
		files[v] = string(b)
	}
	for name, src := range files {
		t.Run(name, func(t *testing.T) {
			f := filepath.Join(dir, "in.xml")
			os.WriteFile(f, []byte(src), 0o644)
			d, err := xmltree.Parse([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			for _, mode := range []string{"--exc-c14n", "--c14n"} {
				want, err := exec.Command(xmllint, mode, f).Output()
				if err != nil {
					t.Fatal(err)
				}
				var got bytes.Buffer
				// xmllint keeps comments.
				if err := Document(&got, d, &Options{WithComments: true, Inclusive: mode == "--c14n"}); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), want) {
					t.Errorf("differs from xmllint %s:\ngot  %q\nwant %q", mode, got.Bytes(), want)
				}
			}
		})
	}
}

func TestSubtreeExclusive(t *testing.T) {
	src := `<e:Env xmlns:e="urn:env" xmlns="urn:def" xmlns:u="urn:unused" xml:lang="ru"><e:Body><x:Sig xmlns:x="urn:x" Id="s"><In a="1">t</In><x:k u:a="2"/></x:Sig></e:Body></e:Env>`
	d, err := xmltree.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	body := d.ChildElement(d.Root, "urn:env", "Body")
	sig := d.ChildElement(body, "urn:x", "Sig")
	got := string(ExclusiveBytes(d, sig, nil))
	want := `<x:Sig xmlns:x="urn:x" Id="s"><In xmlns="urn:def" a="1">t</In><x:k xmlns:u="urn:unused" u:a="2"></x:k></x:Sig>`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	got = string(ExclusiveBytes(d, sig, &Options{InclusivePrefixes: []string{"#default", "e", "nope"}}))
	want = `<x:Sig xmlns="urn:def" xmlns:e="urn:env" xmlns:x="urn:x" Id="s"><In a="1">t</In><x:k xmlns:u="urn:unused" u:a="2"></x:k></x:Sig>`
	if got != want {
		t.Errorf("inclusive prefixes: got\n%s\nwant\n%s", got, want)
	}
	// Excluded subtree (enveloped signature) and comments.
	k := d.ChildElement(sig, "urn:x", "k")
	got = string(ExclusiveBytes(d, sig, &Options{Exclude: []int32{k}}))
	if got != `<x:Sig xmlns:x="urn:x" Id="s"><In xmlns="urn:def" a="1">t</In></x:Sig>` {
		t.Errorf("exclude: %s", got)
	}
}

func TestSubtreeInclusive(t *testing.T) {
	src := `<e:Env xmlns:e="urn:env" xmlns="urn:def" xmlns:u="urn:unused" xml:lang="ru" xml:space="preserve"><e:Body xml:lang="en"><x:Sig xmlns:x="urn:x" xml:space="default" Id="s"><In xmlns="" a="1">t</In></x:Sig></e:Body></e:Env>`
	d, err := xmltree.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	sig := d.ChildElement(d.ChildElement(d.Root, "urn:env", "Body"), "urn:x", "Sig")
	got := string(ExclusiveBytes(d, sig, &Options{Inclusive: true}))
	want := `<x:Sig xmlns="urn:def" xmlns:e="urn:env" xmlns:u="urn:unused" xmlns:x="urn:x" Id="s" xml:lang="en" xml:space="default"><In xmlns="" a="1">t</In></x:Sig>`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestXOPReplacement(t *testing.T) {
	src := `<a xmlns:xop="http://www.w3.org/2004/08/xop/include"><b><xop:Include href="cid:1"/></b></a>`
	d, _ := xmltree.Parse([]byte(src))
	got := string(ExclusiveBytes(d, d.Root, &Options{Attachment: func(h string) ([]byte, bool) { return []byte("hi"), h == "cid:1" }}))
	if got != `<a><b>aGk=</b></a>` {
		t.Errorf("got %s", got)
	}
}
