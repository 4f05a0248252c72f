package adapter_test

import (
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/transport/adapter"
	"github.com/mezhved/mezhved/trust"
)

// What the adapter relays is judged by the signatures it still carries:
// the provider's ЭП-СП over exactly the data; a tampered content or a
// signature over something else refuses the answer.
func TestRelayedSignatures(t *testing.T) {
	key, _ := shared(t)
	doc := `<q:QueryResult xmlns:q="` + adapter.NS + `" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><q:smevMetadata/>` +
		`<q:Message xsi:type="q:ResponseMessageType"><q:ResponseMetadata><q:clientId>r1</q:clientId><q:replyToClientId>c1</q:replyToClientId>` +
		`</q:ResponseMetadata><q:ResponseContent><q:content><q:MessagePrimaryContent><b:Answer xmlns:b="urn:b" Id="` + adapter.IDPersonal +
		`"><b:Value>42</b:Value></b:Answer></q:MessagePrimaryContent><q:PersonalSignature/></q:content></q:ResponseContent></q:Message></q:QueryResult>`
	signed, err := signer.Sign([]byte(doc), adapter.IDPersonal, signer.KindPersonal, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := trust.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ts.SetFetcher(nil)
	c := &transport.Checker{Trust: ts, Contour: trust.Training}
	judge := func(b []byte) transport.MessageCheck {
		d, err := xmltree.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		r, err := adapter.ParseResult(d, d.Root)
		if err != nil {
			t.Fatal(err)
		}
		return c.CheckRelayed(ctx, d, r.Data, nil, time.Now())
	}
	if m := judge(signed); !m.OK || len(m.Signatures) != 1 || m.Signatures[0].Kind != string(signer.KindPersonal) {
		t.Fatalf("a sound ЭП-СП (of an issuer the contour does not know) refuses nothing: %+v", m)
	}
	if m := judge([]byte(strings.Replace(string(signed), "<b:Value>42", "<b:Value>43", 1))); m.OK {
		t.Fatal("a tampered answer is taken")
	}
	// The signature moved to cover another element: not the data.
	moved := strings.Replace(string(signed), `<b:Answer xmlns:b="urn:b" Id="`+adapter.IDPersonal+`">`, `<b:Answer xmlns:b="urn:b"><b:Wrap Id="`+adapter.IDPersonal+`"/>`, 1)
	if m := judge([]byte(moved)); m.OK {
		t.Fatal("a ЭП-СП over something else than the data is taken")
	}
}
