package signer

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/gost/streebog"
	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer/smevtransform"
)

var benchSizes = []struct {
	name string
	size int
}{{"1KB", 1 << 10}, {"100KB", 100 << 10}, {"1MB", 1 << 20}}

var benchKeys = []string{"GOST-256", "RSA-2048"}

// BenchmarkSign: parse, exc-c14n + SMEV transform + digest, SignedInfo,
// signature, insertion into CallerInformationSystemSignature.
func BenchmarkSign(b *testing.B) {
	for _, kn := range benchKeys {
		k := allKeys(b)[kn]
		for _, s := range benchSizes {
			doc := sendRequest(s.size)
			b.Run(fmt.Sprintf("%s/%s", kn, s.name), func(b *testing.B) {
				b.SetBytes(int64(len(doc)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Sign(doc, "SIGNED_BY_CONSUMER", KindSystem, k, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkVerify: parse and check the signature made by Sign.
func BenchmarkVerify(b *testing.B) {
	for _, kn := range benchKeys {
		k := allKeys(b)[kn]
		for _, s := range benchSizes {
			signed, err := Sign(sendRequest(s.size), "SIGNED_BY_CONSUMER", KindSystem, k, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("%s/%s", kn, s.name), func(b *testing.B) {
				b.SetBytes(int64(len(signed)))
				b.ReportAllocs()
				for b.Loop() {
					res, err := Verify(signed, nil)
					if err != nil || len(res) != 1 || !res[0].Valid() {
						b.Fatalf("%v %+v", err, res)
					}
				}
			})
		}
	}
}

// The stages of the 1 MB path, for finding where the time goes.
func BenchmarkStages1MB(b *testing.B) {
	doc := sendRequest(1 << 20)
	b.Run("parse", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := xmltree.Parse(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	d, _ := xmltree.Parse(doc)
	n, _ := findTarget(d, "SIGNED_BY_CONSUMER")
	b.Run("c14n+transform", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for b.Loop() {
			smevtransform.Write(io.Discard, d, n, nil)
		}
	})
	out := smevtransform.Bytes(d, n, nil)
	b.Run("streebog256", func(b *testing.B) {
		b.SetBytes(int64(len(out)))
		for b.Loop() {
			streebog.Sum256(out)
		}
	})
}

// BenchmarkXmlsec1Sign runs Debian's xmlsec1 --sign (RSA-SHA256, enveloped,
// exc-c14n over the whole 1 MB request) per process, for the comparison in
// docs/PERFORMANCE.md. Skipped without xmlsec1.
func BenchmarkXmlsec1Sign(b *testing.B) {
	xmlsec, err := exec.LookPath("xmlsec1")
	if err != nil {
		b.Skip("xmlsec1 missing (Debian package xmlsec1)")
	}
	tmpl := `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/></ds:Signature>`
	for _, s := range benchSizes {
		doc := bytes.Replace(sendRequest(s.size), []byte("<ns:CallerInformationSystemSignature></ns:CallerInformationSystemSignature>"),
			[]byte("<ns:CallerInformationSystemSignature>"+tmpl+"</ns:CallerInformationSystemSignature>"), 1)
		f := filepath.Join(b.TempDir(), "t.xml")
		os.WriteFile(f, doc, 0o644)
		b.Run("RSA-2048/"+s.name, func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				out, err := exec.Command(xmlsec, "--sign", "--privkey-pem", "keys/testdata/rsa.key", f).Output()
				if err != nil || !bytes.Contains(out, []byte("<ds:SignatureValue>")) {
					b.Fatalf("xmlsec1: %v", err)
				}
			}
		})
	}
}

// BenchmarkHostileDocument: 32 signatures × 8 References with URI="" and
// the enveloped transform over a 5 MB document (issue #12 case 4: 15–18 s
// of CPU before the digest budget). Target: well under a second.
func BenchmarkHostileDocument(b *testing.B) {
	big := strings.Repeat("<p>"+strings.Repeat("данные ", 100)+"</p>", 7000) // ~5 MB
	ref := `<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference>`
	sig := `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>` +
		strings.Repeat(ref, MaxReferences) + `</ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>`
	doc := []byte("<doc>" + big + strings.Repeat(sig, MaxSignatures) + "</doc>")
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := Verify(doc, nil); err != nil {
			b.Fatal(err)
		}
	}
}
