package signer

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/internal/testtool"
	"github.com/mezhved/mezhved/signer/c14n"
)

func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	return testtool.Require(t, name, pkg)
}

// Documents signed by Debian's xmlsec1 (RSA-SHA256, enveloped, exc-c14n,
// whole document and #Id) verify here, and a change breaks them.
func TestVerifyXmlsec1Signed(t *testing.T) {
	xmlsec := needTool(t, "xmlsec1", "xmlsec1")
	tmpl := func(uri string, inclusive bool) string {
		c14nAlg, c14nTr := ExcC14NURI, `<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>`
		if inclusive {
			c14nAlg, c14nTr = c14n.InclusiveURI, ""
		}
		return `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="` + c14nAlg + `"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="` + uri + `"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>` + c14nTr + `</ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>`
	}
	for name, c := range map[string]struct {
		uri, where, extra string
		inclusive         bool
	}{
		"whole document":            {"", "<soap:Header/>", "", false},
		"by Id":                     {"#SIGNED_BY_CONSUMER", "<bas:PersonalSignature/>", "--id-attr:Id SenderProvidedRequestData", false},
		"by Id, inclusive c14n":     {"#SIGNED_BY_CONSUMER", "<bas:PersonalSignature/>", "--id-attr:Id SenderProvidedRequestData", true},
		"whole doc, inclusive c14n": {"", "<soap:Header/>", "", true},
	} {
		t.Run(name, func(t *testing.T) {
			// The template replaces an empty element: an enveloped
			// signature straight under the element it signs (or the root's
			// Header).
			doc := bytes.Replace(sendRequest(3000), []byte(c.where), []byte(tmpl(c.uri, c.inclusive)), 1)
			f := filepath.Join(t.TempDir(), "t.xml")
			os.WriteFile(f, doc, 0o644)
			args := []string{"--sign", "--privkey-pem", "keys/testdata/rsa.key,keys/testdata/rsa.crt"}
			args = append(args, strings.Fields(c.extra)...)
			out, err := exec.Command(xmlsec, append(args, f)...).CombinedOutput()
			if err != nil {
				t.Fatalf("xmlsec1: %v\n%s", err, out)
			}
			res, err := Verify(out, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != 1 || !res[0].Valid() || res[0].Kind != KindEnveloped {
				t.Fatalf("xmlsec1's signature: %+v", res)
			}
			bad := bytes.Replace(out, []byte("Ленина, д. 2<"), []byte("Ленина, д. 9<"), 1)
			if res, _ := Verify(bad, nil); res[0].Valid() || res[0].DigestOK {
				t.Fatalf("changed content accepted")
			}
		})
	}
}
