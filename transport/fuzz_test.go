package transport_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mezhved/mezhved/signer/cms"
	"github.com/mezhved/mezhved/transport"
)

// The readers of untrusted input never panic and stay within their limits.

func FuzzParseEnvelope(f *testing.F) {
	files, _ := filepath.Glob("testdata/vectors/*.xml")
	for _, name := range files {
		b, _ := os.ReadFile(name)
		f.Add(b)
	}
	f.Add([]byte(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><detail><f:SignatureVerificationFault xmlns:f="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/faults/1.3"/></detail></soap:Fault></soap:Body></soap:Envelope>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		env, err := transport.ParseEnvelope(b, 1<<20)
		if err != nil || env == nil {
			return
		}
		transport.ParseSendResult(env)
		transport.ParseGetResponse(env, nil)
		transport.ParseGetRequest(env, map[string][]byte{"a": []byte("x")})
		transport.ParseGetStatus(env)
		transport.Standalone(env.Doc, env.Op)
	})
}

func FuzzSplitMTOM(f *testing.F) {
	body, ct, _ := transport.JoinMTOM([]byte("<a/>"), []transport.Attachment{{ContentID: "x1", MimeType: "application/pdf", Content: []byte("%PDF")}})
	f.Add(body, ct)
	f.Add([]byte("--b\r\nContent-ID: <r>\r\n\r\n<a/>\r\n--b--\r\n"), `multipart/related; boundary=b; start="<r>"`)
	f.Fuzz(func(t *testing.T, b []byte, ct string) {
		xml, parts, err := transport.SplitMTOM(ct, b, transport.Limits{MaxResponse: 1 << 16, MaxAttachments: 1 << 16})
		if err != nil {
			return
		}
		total := 0
		for _, p := range parts {
			total += len(p)
		}
		if total > 1<<16 || len(xml) > len(b) {
			t.Fatalf("limits broken: %d", total)
		}
	})
}

func FuzzVerifyDetachedCMS(f *testing.F) {
	key := clerkKey(f)
	sig, _ := cms.SignDetached([]byte("data"), key, time.Now())
	f.Add([]byte("data"), sig)
	f.Fuzz(func(t *testing.T, content, p7 []byte) {
		cms.VerifyDetached(content, p7)
	})
}
