package xmldsig

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/mezhved/mezhved/domain"
)

func TestSignKeepsDocumentAndWritesRawECDSA(t *testing.T) {
	k := loadKey(t, "ec")
	doc := interopDocs[2].doc
	signed, err := Sign([]byte(doc), k, Options{ID: "SIGNED_BY_CONSUMER"})
	if err != nil {
		t.Fatal(err)
	}
	s := string(signed)
	// Namespace declarations of the document survive signing.
	for _, decl := range []string{`xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"`, `xmlns:ns1=`, `xmlns="urn:custom"`} {
		if !strings.Contains(s, decl) {
			t.Fatalf("declaration %s lost:\n%s", decl, s)
		}
	}
	if !strings.Contains(s, `<ds:Reference URI="#SIGNED_BY_CONSUMER">`) ||
		!strings.Contains(s, `</ds:Signature></tns:SenderProvidedRequestData>`) {
		t.Fatalf("signature not enveloped in the signed element:\n%s", s)
	}
	v := s[strings.Index(s, "<ds:SignatureValue>")+19 : strings.Index(s, "</ds:SignatureValue>")]
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(raw) != 64 {
		t.Fatalf("ECDSA P-256 SignatureValue is %d bytes, want raw r||s of 64 (%v)", len(raw), err)
	}
}

func TestSignatureWrappingFails(t *testing.T) {
	k := loadKey(t, "rsa")
	signed, err := Sign([]byte(interopDocs[1].doc), k, Options{ID: "REQ-1"})
	if err != nil {
		t.Fatal(err)
	}
	// A second element with the same Id, carrying other content.
	wrapped := bytes.Replace(signed, []byte(`<r:Item k="1">`), []byte(`<r:Evil Id="REQ-1">pay 1000</r:Evil><r:Item k="1">`), 1)
	res, err := Verify(wrapped, VerifyOptions{})
	if err != nil || len(res) != 1 || res[0].Valid() || !strings.Contains(domain.ErrorMessage(res[0].Err), "несколько элементов") {
		t.Fatalf("wrapped document: %v %+v", err, res)
	}
	if _, err := Sign(wrapped, k, Options{ID: "REQ-1"}); err == nil {
		t.Fatal("signed an ambiguous Id")
	}
}

func TestSignRejects(t *testing.T) {
	k := loadKey(t, "rsa")
	for name, c := range map[string]struct{ doc, id string }{
		"doctype":    {`<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>`, ""},
		"missing id": {`<a Id="x"/>`, "y"},
		"malformed":  {`<a><b></a>`, ""},
		"unbound":    {`<p:a/>`, ""},
	} {
		if _, err := Sign([]byte(c.doc), k, Options{ID: c.id}); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%s: %v (code %q), want EINVALID", name, err, domain.ErrorCode(err))
		}
	}
}

func TestVerifyRejectsDERECDSA(t *testing.T) {
	k := loadKey(t, "ec")
	signed, err := Sign([]byte(`<a Id="A">x</a>`), k, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := string(signed)
	i, j := strings.Index(s, "<ds:SignatureValue>")+19, strings.Index(s, "</ds:SignatureValue>")
	raw, _ := base64.StdEncoding.DecodeString(s[i:j])
	der, _ := rawToDER(raw)
	bad := s[:i] + base64.StdEncoding.EncodeToString(der) + s[j:]
	res, err := Verify([]byte(bad), VerifyOptions{})
	if err != nil || res[0].SignatureOK || !res[0].DigestOK {
		t.Fatalf("DER ECDSA value accepted: %v %+v", err, res)
	}
}

// rawToDER is what goxmldsig would have written for ECDSA.
func rawToDER(raw []byte) ([]byte, error) {
	n := len(raw) / 2
	enc := func(b []byte) []byte {
		b = bytes.TrimLeft(b, "\x00")
		if b[0]&0x80 != 0 {
			b = append([]byte{0}, b...)
		}
		return append([]byte{2, byte(len(b))}, b...)
	}
	body := append(enc(raw[:n]), enc(raw[n:])...)
	return append([]byte{0x30, byte(len(body))}, body...), nil
}

func FuzzVerify(f *testing.F) {
	k := loadKey(f, "rsa")
	for _, c := range interopDocs {
		signed, err := Sign([]byte(c.doc), k, Options{ID: c.id})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(signed)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := Verify(b, VerifyOptions{})
		if err != nil {
			return
		}
		for _, r := range res {
			if r.Valid() && r.Err != nil {
				t.Fatal("valid with an error")
			}
		}
	})
}

// TestSignKeepsInputBytes: the signed document is the input with the
// signature inserted, byte for byte.
func TestSignKeepsInputBytes(t *testing.T) {
	k := loadKey(t, "rsa")
	for _, c := range interopDocs {
		signed, err := Sign([]byte(c.doc), k, Options{ID: c.id})
		if err != nil {
			t.Fatal(err)
		}
		s := string(signed)
		i, j := strings.Index(s, "<ds:Signature "), strings.Index(s, "</ds:Signature>")+len("</ds:Signature>")
		rest := s[:i] + s[j:]
		if c.name == "self-closing-crlf" {
			rest = strings.Replace(rest, "></item>", "/>", 1)
		}
		if rest != c.doc {
			t.Errorf("%s: input bytes changed:\n%q\n%q", c.name, rest, c.doc)
		}
	}
}

// FuzzSignRoundTrip: whatever document the strict reader accepts, Sign
// produces a document that parses and verifies (this exercises the
// insertion into the input bytes).
func FuzzSignRoundTrip(f *testing.F) {
	k := loadKey(f, "rsa")
	for _, c := range interopDocs {
		f.Add([]byte(c.doc), c.id)
	}
	f.Add([]byte("<a><b Id='x'/><!-- <c> --><![CDATA[</b>]]><?p </b>?></a>"), "x")
	f.Fuzz(func(t *testing.T, doc []byte, id string) {
		signed, err := Sign(doc, k, Options{ID: id})
		if err != nil {
			return
		}
		res, err := Verify(signed, VerifyOptions{})
		if err != nil {
			t.Fatalf("signed document does not verify: %v\n%q", err, signed)
		}
		for _, r := range res {
			if r.URI == "" || r.URI == "#"+id {
				if !r.Valid() {
					t.Fatalf("own signature invalid: %+v\n%q", r, signed)
				}
			}
		}
	})
}

// TestWriteDocumentEscapesWhitespace: a document signed in place and written
// by WriteDocument keeps TAB/LF/CR in attributes and CR in text as character
// references; etree's default settings would write them raw, and a parser
// would read back spaces and LFs: the digest would break.
func TestWriteDocumentEscapesWhitespace(t *testing.T) {
	k := loadKey(t, "rsa")
	src := "<a xmlns=\"urn:a\" Id=\"A\" v=\"1&#9;2&#10;3&#13;4\">x&#13;y</a>"
	d, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := SignDocument(d, k, Options{ID: "A"}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteDocument(&buf, d); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `v="1&#x9;2&#xA;3&#xD;4"`) || !strings.Contains(buf.String(), "x&#xD;y") {
		t.Fatalf("whitespace not escaped: %s", buf.String())
	}
	res, err := Verify(buf.Bytes(), VerifyOptions{})
	if err != nil || !res[0].Valid() {
		t.Fatalf("%v %+v", err, res)
	}
	if out, err := xmlsec1Verify(t, buf.Bytes(), "rsa", "urn:a:a"); err != nil {
		t.Fatalf("xmlsec1: %v\n%s", err, out)
	}
	// What etree writes by default does not verify.
	d.WriteSettings = etree.WriteSettings{}
	raw, _ := d.WriteToBytes()
	if res, err := Verify(raw, VerifyOptions{}); err == nil && res[0].Valid() {
		t.Fatal("raw whitespace unexpectedly verifies: the test proves nothing")
	}
}

func TestVerifyTooManySignatures(t *testing.T) {
	sig := `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>`
	doc := "<a>" + strings.Repeat(sig, MaxSignatures+1) + "</a>"
	if _, err := Verify([]byte(doc), VerifyOptions{}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("%v", err)
	}
}
