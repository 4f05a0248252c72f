package adapter_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/transport/adapter"
)

// The adapter's answers are untrusted input: the parser never panics,
// stays within its bounds, and what it accepts reads again on its own
// (the QueryResult kept in the journal is what was judged).
func FuzzParseAdapterAnswer(f *testing.F) {
	for _, name := range []string{"../../training/adapter/testdata/QueryResult_StatusMessage.xml",
		"../../training/adapter/testdata/QueryResult_ResponseMessage_with_Sender.xml"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if i := bytes.Index(b, []byte("?>")); i >= 0 {
			b = b[i+2:]
		}
		f.Add(adapter.Wrap(b))
		f.Add(adapter.Wrap(append(append([]byte(`<QueryResultList xmlns="`+adapter.NS+`">`), b...), `</QueryResultList>`...)))
	}
	f.Add(adapter.Wrap([]byte(`<q:MessageResult xmlns:q="` + adapter.NS + `"><q:itSystem>X</q:itSystem><q:MessageId>1</q:MessageId></q:MessageResult>`)))
	f.Add([]byte(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode>` +
		`<detail><f:SystemFault xmlns:f="` + adapter.FaultsNS + `"><f:code>1</f:code></f:SystemFault></detail></soap:Fault></soap:Body></soap:Envelope>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		const max = 1 << 20
		_, _ = adapter.ParseMessageResult(b, max)
		if r, err := adapter.ParseGet(b, max); err == nil && r != nil {
			reread(t, r)
		}
		if rs, err := adapter.ParseFind(b, max); err == nil {
			if len(rs) > adapter.MaxResults {
				t.Fatalf("%d results", len(rs))
			}
			for _, r := range rs {
				reread(t, r)
			}
		}
	})
}

func reread(t *testing.T, r *adapter.Result) {
	d, err := xmltree.Parse(r.Raw)
	if err != nil {
		t.Fatalf("the kept QueryResult does not read: %v\n%s", err, r.Raw)
	}
	again, err := adapter.ParseResult(d, d.Root)
	if err != nil {
		t.Fatalf("the kept QueryResult does not parse: %v\n%s", err, r.Raw)
	}
	// The content's bytes differ only by the namespaces declared on it.
	if again.Kind != r.Kind || again.ClientID != r.ClientID || again.ReplyTo != r.ReplyTo || again.Original != r.Original ||
		again.ContentNS != r.ContentNS || again.ContentRoot != r.ContentRoot || len(again.Files) != len(r.Files) || len(again.Rejects) != len(r.Rejects) {
		t.Fatalf("read differently on its own: %s %s %s / %s %s %s", again.Kind, again.ClientID, again.ContentRoot, r.Kind, r.ClientID, r.ContentRoot)
	}
}
