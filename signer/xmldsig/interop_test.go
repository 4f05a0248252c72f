package xmldsig

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/signer/keys"
)

const keyDir = "../keys/testdata"

func loadKey(t testing.TB, name string) keys.Key {
	t.Helper()
	k, err := keys.Open(filepath.Join(keyDir, name+".key"), filepath.Join(keyDir, name+".crt"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// docs to sign: name → (document, Id to sign, the element's local name and namespace for --id-attr).
var interopDocs = []struct {
	name, doc, id, idNode string
}{
	{"root-no-id", `<?xml version="1.0" encoding="UTF-8"?>
<?app-info v="1"?>
<!-- a comment -->
<Request xmlns="urn://x-test/request/1.0" attr="a&#9;b&#10;c">
  <Name>Иванов Иван &amp; сын</Name>
  <Empty/>
</Request>
`, "", ""},
	{"root-with-id", `<r:Request xmlns:r="urn:r" Id="REQ-1"><r:Item k="1">x</r:Item></r:Request>`, "REQ-1", "urn:r:Request"},
	{"soap-body", `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:tns="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.2" xmlns:ns1="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/basic/1.2">
  <soap:Header/>
  <soap:Body>
    <tns:SendRequestRequest>
      <tns:SenderProvidedRequestData Id="SIGNED_BY_CONSUMER">
        <tns:MessageID>db0486d0-3c08-11e5-95e2-d4c9eff07b77</tns:MessageID>
        <ns1:MessagePrimaryContent><req xmlns="urn:custom" note="  spaced  "> text	with tab </req></ns1:MessagePrimaryContent>
      </tns:SenderProvidedRequestData>
    </tns:SendRequestRequest>
  </soap:Body>
</soap:Envelope>`, "SIGNED_BY_CONSUMER", "urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.2:SenderProvidedRequestData"},
	{"self-closing-crlf", "<root xmlns=\"urn:x\">\r\n<item Id=\"E1\" a=\"1&#10;2\" b=\"x\r\ny\tz\"/>\r\n<other/></root>", "E1", "urn:x:item"},
}

func xmlsec1Verify(t *testing.T, signed []byte, certName, idNode string) (string, error) {
	t.Helper()
	return xmlsec1VerifyAttr(t, signed, certName, "Id", idNode)
}

// xmlsec1VerifyAttr has xmlsec1 verify signed, the attribute idAttr of the
// elements idNode ("namespace:local") holding Ids.
func xmlsec1VerifyAttr(t *testing.T, signed []byte, certName, idAttr, idNode string) (string, error) {
	t.Helper()
	bin := needTool(t, "xmlsec1", "xmlsec1")
	dir := t.TempDir()
	f := filepath.Join(dir, "signed.xml")
	if err := os.WriteFile(f, signed, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"--verify", "--trusted-pem", filepath.Join(keyDir, certName+".crt")}
	if idNode != "" {
		args = append(args, "--id-attr:"+idAttr, idNode)
	}
	out, err := exec.Command(bin, append(args, f)...).CombinedOutput()
	return string(out), err
}

func TestSignVerifiedByXmlsec1(t *testing.T) {
	for _, alg := range []string{"rsa", "ec", "ec384"} {
		k := loadKey(t, alg)
		for _, c := range interopDocs {
			t.Run(alg+"/"+c.name, func(t *testing.T) {
				signed, err := Sign([]byte(c.doc), k, Options{ID: c.id})
				if err != nil {
					t.Fatal(err)
				}
				out, err := xmlsec1Verify(t, signed, alg, c.idNode)
				if err != nil || !strings.Contains(out, "OK") {
					t.Fatalf("xmlsec1 rejects our signature: %v\n%s\n%s", err, out, signed)
				}
				res, err := Verify(signed, VerifyOptions{})
				if err != nil || len(res) != 1 || !res[0].Valid() {
					t.Fatalf("own verify: %v %+v", err, res)
				}
				// Tampering is caught by both.
				bad := bytes.Replace(signed, []byte("</"), []byte(" </"), 1)
				if out, err := xmlsec1Verify(t, bad, alg, c.idNode); err == nil {
					t.Fatalf("xmlsec1 accepts a tampered document:\n%s", out)
				}
				res, err = Verify(bad, VerifyOptions{})
				contentFirst := strings.Index(string(signed), "</") < strings.Index(string(signed), "<ds:Signature")
				if err != nil || len(res) != 1 || res[0].Valid() || contentFirst && res[0].DigestOK {
					t.Fatalf("tampered document passes: %v %+v", err, res)
				}
			})
		}
	}
}

// template builds an xmlsec1 signing template for the element with id
// (URI="" when empty).
func template(uri, sigMethod string) string {
	return fmt.Sprintf(`<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="%s"/><ds:Reference URI="%s"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>`, sigMethod, uri)
}

func xmlsec1Sign(t *testing.T, doc, keyName, idNode string) []byte {
	t.Helper()
	bin := needTool(t, "xmlsec1", "xmlsec1")
	f := filepath.Join(t.TempDir(), "tmpl.xml")
	if err := os.WriteFile(f, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"--sign", "--privkey-pem", filepath.Join(keyDir, keyName+".key") + "," + filepath.Join(keyDir, keyName+".crt")}
	if idNode != "" {
		args = append(args, "--id-attr:Id", idNode)
	}
	out, err := exec.Command(bin, append(args, f)...).Output()
	if err != nil {
		t.Fatalf("xmlsec1 --sign: %v", err)
	}
	return out
}

// insertTemplate puts the template as the last child of the element whose
// end tag is endTag.
func insertTemplate(doc, endTag, tmpl string) string {
	i := strings.LastIndex(doc, endTag)
	return doc[:i] + tmpl + doc[i:]
}

func TestVerifyXmlsec1Signatures(t *testing.T) {
	cases := []struct{ name, doc, endTag, uri, idNode string }{
		{"root-no-id", interopDocs[0].doc, "</Request>", "", ""},
		{"root-with-id", interopDocs[1].doc, "</r:Request>", "#REQ-1", interopDocs[1].idNode},
		{"soap-body", interopDocs[2].doc, "</tns:SenderProvidedRequestData>", "#SIGNED_BY_CONSUMER", interopDocs[2].idNode},
	}
	for _, alg := range []struct{ key, method string }{{"rsa", keys.SigRSA256}, {"ec", keys.SigECDSA256}, {"ec384", keys.SigECDSA256}} {
		for _, c := range cases {
			t.Run(alg.key+"/"+c.name, func(t *testing.T) {
				signed := xmlsec1Sign(t, insertTemplate(c.doc, c.endTag, template(c.uri, alg.method)), alg.key, c.idNode)
				res, err := Verify(signed, VerifyOptions{})
				if err != nil || len(res) != 1 || !res[0].Valid() || res[0].Algorithm != alg.method {
					t.Fatalf("xmlsec1's signature fails: %v %+v\n%s", err, res, signed)
				}
				if res[0].Certificate == nil || res[0].Certificate.Subject.CommonName != "Test Clerk" {
					t.Fatalf("certificate %+v", res[0].Certificate)
				}
				// A changed signature value is caught.
				bad := bytes.Replace(signed, []byte("<ds:SignatureValue>"), []byte("<ds:SignatureValue>AAAA"), 1)
				res, err = Verify(bad, VerifyOptions{})
				if err != nil || res[0].SignatureOK || res[0].Valid() {
					t.Fatalf("changed SignatureValue passes: %v %+v", err, res)
				}
			})
		}
	}
}

// TestVerifyXmlsec1InclusiveNamespaces: xmlsec1 signs with an
// InclusiveNamespaces PrefixList (the SOAP prefixes and #default) in both
// the reference transform and the SignedInfo canonicalization.
func TestVerifyXmlsec1InclusiveNamespaces(t *testing.T) {
	inc := `<ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="soap ns1 #default"/>`
	tmpl := template("#SIGNED_BY_CONSUMER", keys.SigRSA256)
	tmpl = strings.Replace(tmpl, `xml-exc-c14n#"/><ds:SignatureMethod`, `xml-exc-c14n#">`+inc+`</ds:CanonicalizationMethod><ds:SignatureMethod`, 1)
	tmpl = strings.Replace(tmpl, `xml-exc-c14n#"/></ds:Transforms>`, `xml-exc-c14n#">`+inc+`</ds:Transform></ds:Transforms>`, 1)
	doc := strings.Replace(interopDocs[2].doc, `<soap:Envelope `, `<soap:Envelope xmlns="urn:outer-default" `, 1)
	signed := xmlsec1Sign(t, insertTemplate(doc, "</tns:SenderProvidedRequestData>", tmpl), "rsa", interopDocs[2].idNode)
	res, err := Verify(signed, VerifyOptions{})
	if err != nil || len(res) != 1 || !res[0].Valid() {
		t.Fatalf("%v %+v\n%s", err, res, signed)
	}
	// Without the prefix list the canonical form differs: the list is used.
	d, _ := Parse(signed)
	el := FindByID(d.Root(), "SIGNED_BY_CONSUMER", "Id")[0]
	a, _ := (&Canonicalizer{InclusivePrefixes: []string{"soap", "ns1", "#default"}}).Canonicalize(el)
	b, _ := (&Canonicalizer{}).Canonicalize(el)
	if bytes.Equal(a, b) || !bytes.Contains(a, []byte(`xmlns:soap=`)) || !bytes.Contains(a, []byte(`xmlns="urn:outer-default"`)) {
		t.Fatalf("prefix list not applied:\n%s", a)
	}
}
