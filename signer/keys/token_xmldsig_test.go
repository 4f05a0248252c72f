package keys_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/internal/testtool"
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
