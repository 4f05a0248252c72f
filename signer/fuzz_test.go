package signer

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzVerify feeds envelopes to Verify: it must never panic, and a
// signature it calls valid must have its digest and value confirmed.
func FuzzVerify(f *testing.F) {
	files, _ := filepath.Glob("testdata/real-signed/*/message.xml")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`<a Id="x"><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#x"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature></a>`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		res, err := Verify(doc, nil)
		if err != nil {
			return
		}
		for _, r := range res {
			if r.Valid() && (!r.DigestOK || !r.SignatureOK || r.Certificate == nil) {
				t.Fatalf("valid without checks: %+v", r)
			}
		}
	})
}
