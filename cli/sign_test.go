package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const keysDir = "../signer/keys/testdata"

const request = `<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header/><soap:Body>
<ns:SendRequestRequest xmlns:ns="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.3" xmlns:bas="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/basic/1.3">
  <ns:SenderProvidedRequestData Id="SIGNED_BY_CONSUMER">
    <ns:MessageID>6f1c2e4a-5b7d-11ef-8a3c-0242ac120002</ns:MessageID>
    <bas:MessagePrimaryContent><r:Request xmlns:r="urn://example/request/1.0.0" Id="PERSONAL"><r:Snils>123-456-789 01</r:Snils></r:Request></bas:MessagePrimaryContent>
    <bas:PersonalSignature/>
  </ns:SenderProvidedRequestData>
  <ns:CallerInformationSystemSignature/>
</ns:SendRequestRequest></soap:Body></soap:Envelope>
`

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// madeHere holds GOST keys made by OpenSSL's GOST engine (gost/testdata/keys).
var madeHere = filepath.Join("..", "gost", "testdata", "keys", "made-here")

func TestSignThenVerify(t *testing.T) {
	dir := t.TempDir()
	req := writeFile(t, dir, "req.xml", request)
	pin := writeFile(t, dir, "pin", "test-password\n")
	type keyCase struct{ name, key, cert, pin string }
	cases := []keyCase{
		{"RSA PKCS#12", filepath.Join(keysDir, "rsa.pfx"), "", pin},
		{"RSA PEM", filepath.Join(keysDir, "rsa.key"), filepath.Join(keysDir, "rsa.crt"), ""},
		{"ECDSA PKCS#12", filepath.Join(keysDir, "ec.pfx"), "", pin},
		{"GOST-256 PEM", filepath.Join(keysDir, "gost256.key"), filepath.Join(keysDir, "gost256.crt"), ""},
		{"GOST-512 PEM", filepath.Join(keysDir, "gost512.key"), filepath.Join(keysDir, "gost512.crt"), ""},
		// GOST PFX made with a password by OpenSSL's GOST engine (PBES2,
		// PBKDF2-HMAC-Streebog-512, GOST 28147-89), and a CryptoPro container.
		{"GOST-256 PFX by OpenSSL", filepath.Join(madeHere, "mh-gost2012-256-gost89-streebog512mac.pfx"), "", writeFile(t, dir, "pfxpin", "12345678\n")},
		{"GOST-512 PFX by OpenSSL", filepath.Join(madeHere, "mh-gost2012-512-gost89-streebog512mac.pfx"), "", writeFile(t, dir, "pfxpin", "12345678\n")},
		{"GOST-256 encrypted PEM", filepath.Join(madeHere, "mh-gost2012-256.enc-pkcs8-gost89.pem"), filepath.Join(madeHere, "mh-gost2012-256.cert.pem"), writeFile(t, dir, "pfxpin", "12345678\n")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base := []string{"sign", "--key", c.key}
			if c.cert != "" {
				base = append(base, "--cert", c.cert)
			}
			if c.pin != "" {
				base = append(base, "--pin-file", c.pin)
			}
			code, out, errs := runCLI(t, append(base, "--id", "PERSONAL", "--kind", "personal", req)...)
			if code != 0 || errs != "" {
				t.Fatalf("personal: exit %d: %s", code, errs)
			}
			step := writeFile(t, dir, "step.xml", out)
			code, out, errs = runCLI(t, append(base, "--id", "SIGNED_BY_CONSUMER", step)...)
			if code != 0 {
				t.Fatalf("system: exit %d: %s", code, errs)
			}
			signed := writeFile(t, dir, "signed.xml", out)
			code, vout, _ := runCLI(t, "verify", "--no-trust", signed)
			if code != 0 || strings.Count(vout, ": VALID") != 2 || !strings.Contains(vout, "ЭП-СП #PERSONAL") || !strings.Contains(vout, "ЭП-ОВ #SIGNED_BY_CONSUMER") ||
				(strings.HasPrefix(c.name, "GOST-256") && !strings.Contains(vout, "GOST R 34.10-2012 256")) ||
				(strings.HasPrefix(c.name, "GOST-512") && !strings.Contains(vout, "GOST R 34.10-2012 512")) {
				t.Fatalf("verify: exit %d\n%s", code, vout)
			}
			// The xmldsig profile's output verifies too (enveloped signature).
			if strings.HasPrefix(c.name, "GOST") {
				return
			}
			code, out, errs = runCLI(t, append(base, "--profile", "xmldsig", "--id", "PERSONAL", req)...)
			if code != 0 {
				t.Fatalf("xmldsig: exit %d: %s", code, errs)
			}
			code, vout, _ = runCLI(t, "verify", "--no-trust", writeFile(t, dir, "x.xml", out))
			if code != 0 || !strings.Contains(vout, "XMLDSig #PERSONAL") {
				t.Fatalf("verify xmldsig: exit %d\n%s", code, vout)
			}
		})
	}
}

func TestSignBadInput(t *testing.T) {
	dir := t.TempDir()
	req := writeFile(t, dir, "req.xml", request)
	pin := writeFile(t, dir, "pin", "test-password")
	wrong := writeFile(t, dir, "wrong", "not-the-password")
	pfx := filepath.Join(keysDir, "rsa.pfx")
	cases := map[string]struct {
		args []string
		msg  string
	}{
		"wrong password": {[]string{"--key", pfx, "--pin-file", wrong, "--id", "SIGNED_BY_CONSUMER", req}, ""},
		"malformed":      {[]string{"--key", pfx, "--pin-file", pin, "--id", "X", writeFile(t, dir, "m.xml", "<a><b></a>")}, "XML"},
		"doctype":        {[]string{"--key", pfx, "--pin-file", pin, "--id", "X", writeFile(t, dir, "d.xml", `<!DOCTYPE a [<!ENTITY e "x">]><a Id="X">&e;</a>`)}, "DOCTYPE"},
		"missing id":     {[]string{"--key", pfx, "--pin-file", pin, "--id", "NOPE", req}, "NOPE"},
		"no --id":        {[]string{"--key", pfx, "--pin-file", pin, req}, "--id"},
		"bad kind":       {[]string{"--key", pfx, "--pin-file", pin, "--id", "PERSONAL", "--kind", "other", req}, "other"},
		"bad profile":    {[]string{"--key", pfx, "--pin-file", pin, "--id", "PERSONAL", "--profile", "cades", req}, "cades"},
		"no key":         {[]string{"--id", "PERSONAL", req}, "--key"},
		"missing file":   {[]string{"--key", pfx, "--pin-file", pin, "--id", "PERSONAL", filepath.Join(dir, "none.xml")}, "none.xml"},
		"personal wrong": {[]string{"--key", pfx, "--pin-file", pin, "--id", "SIGNED_BY_CONSUMER", "--kind", "personal", req}, "MessagePrimaryContent"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			code, out, errs := runCLI(t, append([]string{"sign"}, c.args...)...)
			if code != 2 || out != "" || !strings.Contains(errs, c.msg) || errs == "" {
				t.Fatalf("exit %d stdout %q stderr %q", code, out, errs)
			}
			if strings.Contains(errs, "not-the-password") || strings.Contains(errs, "test-password") {
				t.Fatalf("password in the message: %s", errs)
			}
		})
	}
}
