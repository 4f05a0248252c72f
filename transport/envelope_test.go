package transport_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/signer/cms"
	"github.com/mezhved/mezhved/transport"
)

const body = `<req:Q xmlns:req="urn://mezhved/test/1"><req:V>1 &amp; 2</req:V></req:Q>`

func ns13(t testing.TB) transport.NS {
	ns, err := transport.Namespaces(transport.V13)
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

func signedOK(t *testing.T, doc []byte, wantSigs int) {
	t.Helper()
	res, err := signer.Verify(doc, nil)
	if err != nil || len(res) != wantSigs {
		t.Fatalf("%d signatures, %v", len(res), err)
	}
	for _, r := range res {
		if !r.Valid() {
			t.Fatalf("%s: %s", r.Container, r.Problem())
		}
	}
}

// Every envelope the client builds, signed, is valid against the 1.3
// schema and its signatures verify.
func TestBuildersValid(t *testing.T) {
	ns, key := ns13(t), clerkKey(t)
	sign := func(doc []byte, id string) []byte {
		out, err := signer.Sign(doc, id, signer.KindSystem, key, nil)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	ref, _ := transport.NewMessageID()
	pdf := []byte("%PDF-1.4 tiny")
	sig, err := cms.SignDetached(pdf, key, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p, err := transport.PrepareRequest(ns, transport.RequestSpec{ReferenceID: ref, TransactionCode: `<&>"'`, Content: []byte(body),
		Personal: true, Test: true, Attachments: []transport.Attachment{{ContentID: "att1", MimeType: "application/pdf", Content: pdf, Signature: sig}}},
		key, key, transport.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.ContentType, "multipart/related") {
		t.Fatal("attachments not sent as MTOM")
	}
	schemaCheck(t, p.Envelope, p.ContentType)
	xml, parts, err := transport.SplitMTOM(p.ContentType, p.Envelope, transport.Limits{})
	if err != nil || !bytes.Equal(parts["att1"], pdf) {
		t.Fatalf("parts %v %v", parts, err)
	}
	signedOK(t, xml, 2) // ЭП-СП and ЭП-ОВ
	if !bytes.Contains(xml, []byte(`<tns:TransactionCode>&lt;&amp;&gt;&quot;&apos;</tns:TransactionCode>`)) {
		t.Fatal("TransactionCode not escaped")
	}

	for _, spec := range []transport.ResponseSpec{
		{To: `eol:<x>&"`, Content: []byte(body)},
		{To: "rt:1", RejectCode: transport.RejectNoData},
		{To: "rt:1", RejectCode: transport.RejectAccessDenied, RejectText: "Нет доступа <по закону>"},
	} {
		p, err := transport.PrepareResponse(ns, spec, key, nil, transport.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		schemaCheck(t, p.Envelope, "")
		signedOK(t, p.Envelope, 1)
	}
	gr, err := transport.BuildGetResponse(ns, transport.Selector{Namespace: "urn://mezhved/test/1", Root: "QResponse", NodeID: "n1"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	greq, _ := transport.BuildGetRequest(ns, transport.Selector{}, time.Now())
	ack, err := transport.BuildAck(ns, ref, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		doc []byte
		id  string
	}{{gr, transport.IDSelector}, {greq, transport.IDSelector}, {ack, transport.IDAck}, {transport.BuildGetStatus(ns, time.Now()), transport.IDTimestamp}} {
		doc := sign(c.doc, c.id)
		schemaCheck(t, doc, "")
		signedOK(t, doc, 1)
	}
}

func TestBuildRefusals(t *testing.T) {
	ns, key := ns13(t), clerkKey(t)
	for name, spec := range map[string]transport.RequestSpec{
		"declaration": {Content: []byte(`<?xml version="1.0"?>` + body)},
		"two roots":   {Content: []byte(body + body)},
		"no ns":       {Content: []byte(`<Q>1</Q>`)},
		"doctype":     {Content: []byte(`<!DOCTYPE q [<!ENTITY x "y">]><q:Q xmlns:q="urn:x">&x;</q:Q>`)},
		"v4 id":       {MessageID: uuid.NewString(), Content: []byte(body)},
		"bad ref":     {ReferenceID: "nope", Content: []byte(body)},
		"bad cid":     {Content: []byte(body), Attachments: []transport.Attachment{{ContentID: "1x", MimeType: "application/pdf"}}},
		"bad mime":    {Content: []byte(body), Attachments: []transport.Attachment{{ContentID: "a", MimeType: "pdf"}}},
		"too large":   {Content: []byte(body), Attachments: []transport.Attachment{{ContentID: "a", MimeType: "application/pdf", Content: make([]byte, 2048)}}},
	} {
		_, err := transport.PrepareRequest(ns, spec, key, key, transport.Limits{MaxAttachments: 1024})
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := transport.PrepareResponse(ns, transport.ResponseSpec{To: "x", RejectCode: "MAYBE"}, key, nil, transport.Limits{}); err == nil {
		t.Error("unknown reject code accepted")
	}
	if _, err := transport.Namespaces("1.1"); err == nil {
		t.Error("1.1 is read, not written")
	}
	if _, err := transport.BuildAck(ns, "x", true); err == nil {
		t.Error("bad ack id")
	}
}

func TestMessageID(t *testing.T) {
	id, err := transport.NewMessageID()
	if err != nil || !transport.ValidMessageID(id) {
		t.Fatal(id, err)
	}
	if at, ok := transport.MessageIDTime(id); !ok || time.Since(at) > time.Minute || time.Since(at) < -time.Minute {
		t.Fatal(at)
	}
	for _, bad := range []string{uuid.NewString(), strings.ToUpper(id), id[1:], ""} {
		if transport.ValidMessageID(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

// A MessageID for a given moment reads back as that moment (to 100 ns),
// is a version 1 UUID of the RFC 4122 variant with a random node marked
// multicast, and no two are alike even for the same moment.
func TestMessageIDAt(t *testing.T) {
	at := time.Date(2027, 12, 28, 7, 0, 0, 123456700, time.UTC)
	seen := map[string]bool{}
	for i := 0; i < 5000; i++ {
		id, err := transport.NewMessageIDAt(at)
		if err != nil || !transport.ValidMessageID(id) || seen[id] {
			t.Fatalf("%d: %q %v (seen %v)", i, id, err, seen[id])
		}
		seen[id] = true
		got, ok := transport.MessageIDTime(id)
		if !ok || !got.Equal(at) {
			t.Fatalf("%s reads back as %v, want %v", id, got, at)
		}
		u := uuid.MustParse(id)
		if u.Variant() != uuid.RFC4122 || u[10]&1 != 1 {
			t.Fatalf("%s: variant %v node %x", id, u.Variant(), u[10:])
		}
	}
}

// StaleMessageId: a new MessageID and a new ЭП-ОВ; ЭП-СП stays valid.
func TestRenew(t *testing.T) {
	ns, key := ns13(t), clerkKey(t)
	p, err := transport.PrepareRequest(ns, transport.RequestSpec{Content: []byte(body), Personal: true}, key, key, transport.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := transport.Renew(p.Envelope, key, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if r.MessageID == p.MessageID || !bytes.Contains(r.Envelope, []byte(r.MessageID)) || bytes.Contains(r.Envelope, []byte(p.MessageID)) {
		t.Fatal("MessageID not replaced")
	}
	signedOK(t, r.Envelope, 2)
	schemaCheck(t, r.Envelope, "")
}

// The real envelopes of the test contour are read.
func TestParseVectors(t *testing.T) {
	env, err := transport.ParseEnvelope(readFile(t, "testdata/vectors/02.xml"), 0)
	if err != nil {
		t.Fatal(err)
	}
	md, err := transport.ParseSendResult(env)
	if err != nil || md.MessageID != "39f52a38-9a54-11ea-b23a-3316e2108089" || md.Status != "requestIsQueued" || md.Recipient != "GGER03_3T" || md.SendingTimestamp.IsZero() {
		t.Fatalf("%+v %v", md, err)
	}
	env, err = transport.ParseEnvelope(readFile(t, "testdata/vectors/03.xml"), 0)
	if err != nil || env.NS.Version != transport.V12 {
		t.Fatal(err)
	}
	r, err := transport.ParseGetResponse(env, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.OriginalMessageID != "39f52a38-9a54-11ea-b23a-3316e2108089" || r.Metadata.MessageID != "c0938f39-9a55-11ea-8ec7-2dd0b486eb66" ||
		r.Data.ContentRoot != "PublicPrintOutResponse" || !bytes.Contains(r.Data.Content, []byte("Организация Экспертная")) {
		t.Fatalf("%+v", r)
	}
	// The standalone content is a document of its own.
	if _, err := signer.Parse(r.Data.Content); err != nil {
		t.Fatal(err)
	}
	env, err = transport.ParseEnvelope(readFile(t, "testdata/vectors/07.xml"), 0)
	if err != nil || env.NS.Version != transport.V11 {
		t.Fatal(err)
	}
	// 07 refers to an attachment by xop:Include that is not in the file.
	if _, err := transport.ParseGetRequest(env, nil); err != nil && !strings.Contains(err.Error(), "MTOM") {
		t.Fatal(err)
	}
	for _, f := range []string{"01.xml", "04.xml"} {
		if _, err := transport.ParseEnvelope(readFile(t, "testdata/vectors/"+f), 0); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	// DOCTYPE, entities and oversize are refused.
	for _, bad := range []string{
		`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>&e;</soap:Body></soap:Envelope>`,
		`<x/>`,
		`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>`,
	} {
		if _, err := transport.ParseEnvelope([]byte(bad), 0); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
	if _, err := transport.ParseEnvelope(readFile(t, "testdata/vectors/03.xml"), 1000); err == nil {
		t.Error("oversize accepted")
	}
}

// An answer larger than the limit is refused with a clear error, and the
// client does not read past it.
func TestResponseLimit(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 1<<20)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.Write([]byte(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><a>`))
		w.Write(big)
	}))
	pki := sharedPKI(t)
	stc, _ := pki.Server()
	srv.TLS = stc
	srv.StartTLS()
	defer srv.Close()
	ctc, _ := pki.Client()
	url := strings.Replace(srv.URL, "https://127.0.0.1", "https://localhost", 1)
	c, err := transport.NewClient(transport.Endpoint{URL: url, TLS: ctc, Limits: transport.Limits{MaxResponse: 64 << 10}}, clerkKey(t))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetStatus(ctx)
	if !errors.Is(err, transport.ErrTooLarge) || !strings.Contains(err.Error(), "больше допустимого") {
		t.Fatalf("%v", err)
	}
	// A server that does not answer in time.
	slow := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { time.Sleep(2 * time.Second) }))
	slow.TLS = stc
	slow.StartTLS()
	defer slow.Close()
	c, _ = transport.NewClient(transport.Endpoint{URL: slow.URL, TLS: ctc, Timeout: 200 * time.Millisecond}, clerkKey(t))
	start := time.Now()
	_, err = c.GetStatus(ctx)
	var ne *transport.NetError
	if !errors.As(err, &ne) || time.Since(start) > time.Second {
		t.Fatalf("%v after %v", err, time.Since(start))
	}
	// A node whose certificate is not from the pinned CA.
	other, _ := transport.NewLoopbackPKI(time.Hour)
	otc, _ := other.Client()
	c, _ = transport.NewClient(transport.Endpoint{URL: url, TLS: otc}, clerkKey(t))
	if _, err := c.GetStatus(ctx); !errors.As(err, &ne) {
		t.Fatalf("foreign CA: %v", err)
	}
}

func TestEndpointRules(t *testing.T) {
	key := clerkKey(t)
	if _, err := transport.NewClient(transport.Endpoint{URL: "http://10.0.0.1/smev"}, key); err == nil {
		t.Fatal("plain HTTP without the setting")
	}
	c, err := transport.NewClient(transport.Endpoint{URL: "http://10.0.0.1/smev", AllowPlainHTTP: true}, key)
	if err != nil || c == nil {
		t.Fatal(err)
	}
	ep := transport.Endpoint{URL: "http://10.0.0.1/smev", AllowPlainHTTP: true}
	if !ep.Plain() || !strings.Contains(ep.ChannelDescription(), "без шифрования") {
		t.Fatal(ep.ChannelDescription())
	}
	if _, err := transport.NewClient(transport.Endpoint{URL: "https://10.0.0.1/smev"}, key); err == nil {
		t.Fatal("https without a client certificate")
	}
	if _, err := transport.NewClient(transport.Endpoint{URL: "ftp://x/"}, key); err == nil {
		t.Fatal("ftp")
	}
	dir := t.TempDir()
	sharedPKI(t).Write(dir)
	cs := transport.ChannelSettings{URL: "https://localhost:1/", TLSCert: filepath.Join(dir, "client.pem"), TLSKey: filepath.Join(dir, "client.key"), CA: filepath.Join(dir, "ca.pem")}
	if _, err := cs.Endpoint(); err != nil {
		t.Fatal(err)
	}
	cs.CA = filepath.Join(dir, "missing.pem")
	if _, err := cs.Endpoint(); err == nil {
		t.Fatal("missing CA")
	}
	os.WriteFile(filepath.Join(dir, "junk.pem"), []byte("junk"), 0o644)
	cs.CA = filepath.Join(dir, "junk.pem")
	if _, err := cs.Endpoint(); err == nil {
		t.Fatal("junk CA")
	}
}

// StaleMessageId for a message with attachments: the root part is renewed,
// the parts stay.
func TestRenewPacked(t *testing.T) {
	ns, key := ns13(t), clerkKey(t)
	pdf := []byte("%PDF-1.4 tiny")
	p, err := transport.PrepareRequest(ns, transport.RequestSpec{Content: []byte(body),
		Attachments: []transport.Attachment{{ContentID: "a1", MimeType: "application/pdf", Content: pdf}}}, key, key, transport.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := transport.RenewPacked(p.Envelope, p.ContentType, key, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	xml, parts, err := transport.SplitMTOM(r.ContentType, r.Envelope, transport.Limits{})
	if err != nil || !bytes.Equal(parts["a1"], pdf) || !bytes.Contains(xml, []byte(r.MessageID)) || r.MessageID == p.MessageID {
		t.Fatalf("%v", err)
	}
	signedOK(t, xml, 1)
	schemaCheck(t, r.Envelope, r.ContentType)
}
