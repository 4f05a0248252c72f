package keys_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/signer/keys"
)

// smevRequest is a SendRequestRequest with both signature places empty.
const smevRequest = `<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Header/>
  <soap:Body>
    <ns:SendRequestRequest xmlns:ns="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.3" xmlns:bas="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/basic/1.3">
      <ns:SenderProvidedRequestData Id="SIGNED_BY_CONSUMER">
        <ns:MessageID>6f1c2e4a-5b7d-11ef-8a3c-0242ac120002</ns:MessageID>
        <bas:MessagePrimaryContent>
          <req:Request xmlns:req="urn://x-artefacts-rosreestr-gov-ru/virtual-services/egrn-statement/1.1.2" Id="PERSONAL">
            <req:region>50</req:region>
            <req:address>Московская обл., с. Малое, ул. Ленина, д. 3</req:address>
          </req:Request>
        </bas:MessagePrimaryContent>
        <bas:PersonalSignature/>
      </ns:SenderProvidedRequestData>
      <ns:CallerInformationSystemSignature></ns:CallerInformationSystemSignature>
    </ns:SendRequestRequest>
  </soap:Body>
</soap:Envelope>
`

// A GOST 2012 key from a password-protected PFX (OpenSSL's and CryptoPro's
// exports), an encrypted PEM and a CryptoPro container signs an SMEV
// request (ЭП-СП and ЭП-ОВ) whose signatures verify, judged at a moment
// inside the certificate's validity.
func TestProtectedKeysSignSMEV(t *testing.T) {
	dir := "../../gost/testdata/keys"
	for _, c := range []struct{ key, cert, secret string }{
		{"made-here/mh-gost2012-512-gost89-streebog512mac.pfx", "", "12345678"},
		{"pfx/loadtestingru-cryptopro-pfx2.pfx", "", "1234567890"},
		{"made-here/mh-gost2012-256.enc-pkcs8-gost89.pem", "made-here/mh-gost2012-256.cert.pem", "12345678"},
		{"cryptopro/kovserg-g2012256/g2012256.000", "", "1"},
		{"cryptopro/kovserg-g2012512/g2012512.000", "", "1"},
	} {
		t.Run(filepath.Base(c.key), func(t *testing.T) {
			cert := ""
			if c.cert != "" {
				cert = filepath.Join(dir, c.cert)
			}
			k, err := keys.Open(filepath.Join(dir, c.key), cert, []byte(c.secret))
			if err != nil {
				t.Fatal(err)
			}
			defer k.Close()
			doc, err := signer.Sign([]byte(smevRequest), "PERSONAL", signer.KindPersonal, k, nil)
			if err != nil {
				t.Fatal(err)
			}
			if doc, err = signer.Sign(doc, "SIGNED_BY_CONSUMER", signer.KindSystem, k, nil); err != nil {
				t.Fatal(err)
			}
			at := k.Certificate().NotBefore.Add(time.Hour)
			res, err := signer.Verify(doc, &signer.VerifyOptions{Time: at})
			if err != nil || len(res) != 2 {
				t.Fatalf("%d results, %v", len(res), err)
			}
			for _, r := range res {
				if !r.Valid() || r.SignatureAlgorithm != k.Algorithm().Signature {
					t.Fatalf("%s: %s (%s)", r.Kind, r.Problem(), r.SignatureAlgorithm)
				}
			}
		})
	}
}
