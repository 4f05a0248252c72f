package keys_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/internal/testtool"
	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/signer/xmldsig"
)

// TestTokenSignsXMLDSig: an XML document signed by a SoftHSM2 token key
// through signer/xmldsig verifies with xmlsec1 and with our verifier.
func TestTokenSignsXMLDSig(t *testing.T) {
	keys.SoftTokenForTest(t)
	xmlsec1 := testtool.Require(t, "xmlsec1", "xmlsec1")
	for _, c := range []struct {
		label, cert string
	}{{"rsa", ""}, {"ec", "testdata/ec.crt"}} {
		t.Run(c.label, func(t *testing.T) {
			k, err := keys.OpenPKCS11(keys.PKCS11Config{Module: keys.SoftHSMModule, TokenLabel: keys.TokenLabel,
				KeyLabel: c.label, CertFile: c.cert}, []byte(keys.TokenPIN))
			if err != nil {
				t.Fatal(err)
			}
			defer k.Close()
			signed, err := xmldsig.Sign(xmldsig.GenerateRequest(4096), k, xmldsig.Options{ID: "SIGNED_BY_CONSUMER"})
			if err != nil {
				t.Fatal(err)
			}
			res, err := xmldsig.Verify(signed, xmldsig.VerifyOptions{})
			if err != nil || !res[0].Valid() {
				t.Fatalf("own verifier: %v %+v", err, res)
			}
			f := filepath.Join(t.TempDir(), "signed.xml")
			os.WriteFile(f, signed, 0o600)
			out, err := exec.Command(xmlsec1, "--verify", "--trusted-pem", "testdata/"+c.label+".crt", "--id-attr:Id",
				"urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.2:SenderProvidedRequestData", f).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "OK") {
				t.Fatalf("xmlsec1 rejects the token's signature: %v\n%s", err, out)
			}
		})
	}
}

// tokenSMEVRequest is a SendRequestRequest with both signature containers empty.
const tokenSMEVRequest = `<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <ns:SendRequestRequest xmlns:ns="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.3" xmlns:bas="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/basic/1.3">
      <ns:SenderProvidedRequestData Id="SIGNED_BY_CONSUMER">
        <ns:MessageID>6f1c2e4a-5b7d-11ef-8a3c-0242ac120002</ns:MessageID>
        <bas:MessagePrimaryContent>
          <req:Request xmlns:req="urn://x-artefacts-rosreestr-gov-ru/virtual-services/egrn-statement/1.1.2" Id="PERSONAL">
            <req:region>50</req:region>
            <req:object>50:21:0010101:17, ул. Ленина, д. 3</req:object>
          </req:Request>
        </bas:MessagePrimaryContent>
        <bas:PersonalSignature/>
      </ns:SenderProvidedRequestData>
      <ns:CallerInformationSystemSignature></ns:CallerInformationSystemSignature>
    </ns:SendRequestRequest>
  </soap:Body>
</soap:Envelope>
`

// TestTokenSignsSMEV: an SMEV request signed ЭП-СП then ЭП-ОВ with GOST
// keys on Mezhved's PKCS#11 token (hashing here and on the token) verifies.
func TestTokenSignsSMEV(t *testing.T) {
	mod := keys.GOSTTokenForTest(t)
	for _, c := range []struct {
		label string
		hash  bool
	}{{"gost256", false}, {"gost256", true}, {"gost512", true}, {"gost512", false}} {
		t.Run(c.label+map[bool]string{true: " hash on token"}[c.hash], func(t *testing.T) {
			k, err := keys.OpenPKCS11(keys.PKCS11Config{Module: mod, TokenLabel: keys.GOSTTokenLabel, KeyLabel: c.label, HashOnToken: c.hash},
				[]byte(keys.GOSTTokenPIN))
			if err != nil {
				t.Fatal(err)
			}
			defer k.Close()
			doc, err := signer.Sign([]byte(tokenSMEVRequest), "PERSONAL", signer.KindPersonal, k, nil)
			if err != nil {
				t.Fatal(err)
			}
			doc, err = signer.Sign(doc, "SIGNED_BY_CONSUMER", signer.KindSystem, k, nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := signer.Verify(doc, nil)
			if err != nil || len(res) != 2 {
				t.Fatalf("%v: %d signatures", err, len(res))
			}
			kinds := map[signer.Kind]bool{}
			for _, r := range res {
				kinds[r.Kind] = true
				if !r.Valid() || r.SignatureAlgorithm != k.Algorithm().Signature {
					t.Errorf("%s: %s (%s)", r.Kind, r.Problem(), r.SignatureAlgorithm)
				}
			}
			if !kinds[signer.KindPersonal] || !kinds[signer.KindSystem] {
				t.Fatalf("kinds %v", kinds)
			}
			bad := strings.Replace(string(doc), "д. 3<", "д. 4<", 1)
			if res, _ := signer.Verify([]byte(bad), nil); res[0].Valid() || res[1].Valid() {
				t.Fatal("a changed request still verifies")
			}
		})
	}
}
