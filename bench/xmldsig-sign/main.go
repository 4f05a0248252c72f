// Command xmldsig-sign signs an XML document with the standard XMLDSig
// profile of signer/xmldsig (enveloped, exclusive c14n, RSA/ECDSA) and
// writes it to stdout. It exists for bench/xmldsig-vs-xmlsec1.sh until
// `mezhved sign --profile xmldsig` is there.
//
//	xmldsig-sign --key KEY [--cert CERT] [--pin-file F] [--id ID] FILE
//	xmldsig-sign --gen SIZE        (a SMEV-like request of SIZE bytes)
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/signer/xmldsig"
)

func main() {
	key := flag.String("key", "", "key file: PKCS#12 or PEM")
	cert := flag.String("cert", "", "certificate file (PEM or DER)")
	pinFile := flag.String("pin-file", "", "file holding the PKCS#12 password")
	id := flag.String("id", "", "Id of the element to sign (default: the root)")
	gen := flag.Int("gen", 0, "write a generated request of this many bytes and exit")
	tmpl := flag.Bool("xmlsec1-template", false, "with --gen: put an xmlsec1 signing template into the signed element")
	flag.Parse()
	if *gen > 0 {
		doc := xmldsig.GenerateRequest(*gen)
		if *tmpl {
			doc = bytes.Replace(doc, []byte("</ns:SenderProvidedRequestData>"), []byte(template+"</ns:SenderProvidedRequestData>"), 1)
		}
		os.Stdout.Write(doc)
		return
	}
	if *key == "" || flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	var secret []byte
	if *pinFile != "" {
		var err error
		if secret, err = keys.ReadSecretFile(*pinFile); err != nil {
			fail(err)
		}
	}
	k, err := keys.Open(*key, *cert, secret)
	if err != nil {
		fail(err)
	}
	defer k.Close()
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fail(err)
	}
	doc, err := xmldsig.ReadDocument(f)
	f.Close()
	if err != nil {
		fail(err)
	}
	out, err := xmldsig.Sign(doc, k, xmldsig.Options{ID: *id})
	if err != nil {
		fail(err)
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	w.Write(out)
	if err := w.Flush(); err != nil {
		fail(err)
	}
}

// template is what xmlsec1 --sign fills in: the same profile Sign writes.
const template = `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>` +
	`<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>` +
	`<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>` +
	`<ds:Reference URI="#SIGNED_BY_CONSUMER"><ds:Transforms>` +
	`<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>` +
	`<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>` +
	`<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>` +
	`</ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>`

func fail(err error) {
	fmt.Fprintf(os.Stderr, "xmldsig-sign: %s\n", domain.ErrorMessage(err))
	os.Exit(2)
}
