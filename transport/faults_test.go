package transport_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/training/node"
	"github.com/mezhved/mezhved/transport"
)

// Every fault of the 1.3 faults schema maps to the action smev3.md gives.
func TestClassify(t *testing.T) {
	for _, c := range []struct {
		f    transport.Fault
		want transport.Action
	}{
		{transport.Fault{Name: "MessageIsAlreadySent"}, transport.ActDone},
		{transport.Fault{Name: "StaleMessageId"}, transport.ActNewID},
		{transport.Fault{Name: "InvalidMessageIdFormat"}, transport.ActFix},
		{transport.Fault{Name: "SMEVFailure"}, transport.ActRetry},
		{transport.Fault{Name: "DestinationOverflow"}, transport.ActRetry},
		{transport.Fault{Name: "EndOfLifeReached"}, transport.ActRetry},
		{transport.Fault{Name: "SignatureVerificationFault", SigFault: "PoorSOAPEnvelopeFormat"}, transport.ActFix},
		{transport.Fault{Name: "SignatureVerificationFault", SigFault: "NoSignatureFound"}, transport.ActFix},
		{transport.Fault{Name: "SignatureVerificationFault", SigFault: "IncorrectSignatureTarget"}, transport.ActFix},
		{transport.Fault{Name: "SignatureVerificationFault", SigFault: "SignatureIsInvalid"}, transport.ActFix},
		{transport.Fault{Name: "SignatureVerificationFault", SigFault: "CertificateIsNotFound"}, transport.ActFix},
		{transport.Fault{Name: "SignatureVerificationFault", SigFault: "CertificateIsExpired"}, transport.ActFix},
		{transport.Fault{Name: "AccessDenied"}, transport.ActFinal},
		{transport.Fault{Name: "PersonalAccessDenied"}, transport.ActFinal},
		{transport.Fault{Name: "SenderIsNotRegistered"}, transport.ActFinal},
		{transport.Fault{Name: "RecipientIsNotFound"}, transport.ActFinal},
		{transport.Fault{Name: "InvalidContent"}, transport.ActFinal},
		{transport.Fault{Name: "BusinessDataTypeIsNotSupported"}, transport.ActFinal},
		{transport.Fault{Name: "AttachmentContentMiscoordination"}, transport.ActFinal},
		{transport.Fault{Name: "AttachmentSizeLimitExceeded"}, transport.ActFinal},
		{transport.Fault{Name: "QuoteLimitExceeded"}, transport.ActFinal},
		{transport.Fault{Name: "TargetMessageIsNotFound"}, transport.ActFinal},
		{transport.Fault{Name: "UnknownMessageType"}, transport.ActFinal},
		{transport.Fault{Name: "TransactionCodeInvalid"}, transport.ActFinal},
		{transport.Fault{Name: "IncorrectResponseContentType"}, transport.ActFinal},
		{transport.Fault{Name: "RequestIsNotFound"}, transport.ActFinal},
		{transport.Fault{Code: "soap:Server", String: "NullPointerException"}, transport.ActRetry},
		{transport.Fault{Code: "soap:Client", String: "bad"}, transport.ActFinal},
		{transport.Fault{Name: "SomethingNew"}, transport.ActFinal},
	} {
		got := transport.Classify(&c.f)
		if got.Action != c.want {
			t.Errorf("%s/%s: %s, want %s", c.f.Name, c.f.SigFault, got.Action, c.want)
		}
		if got.Ru == "" || !strings.ContainsAny(got.Ru, "абвгдеёжзийклмнопрстуфхцчшщъыьэюя") {
			t.Errorf("%s: no Russian message: %q", c.f.Name, got.Ru)
		}
	}
	if m := transport.Classify(&transport.Fault{Name: "SignatureVerificationFault", SigFault: "CertificateIsExpired"}).Ru; !strings.Contains(m, "удостоверяющий центр") {
		t.Errorf("expired certificate message: %q", m)
	}
	// Every fault element of the schema is in the table.
	xsd := readFile(t, "testdata/xsd/smev-message-exchange-faults-1.3.xsd")
	known := map[string]bool{}
	for _, n := range transport.FaultNames() {
		known[n] = true
	}
	d, err := xmltree.Parse(xsd)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for c := d.Nodes[d.Root].FirstChild; c >= 0; c = d.Nodes[c].Next {
		if !d.Is(c, "http://www.w3.org/2001/XMLSchema", "element") {
			continue
		}
		name, _ := d.Attr(c, "", "name")
		n++
		if !known[name] {
			t.Errorf("fault %s of the schema is not mapped", name)
		}
	}
	if n < 20 {
		t.Fatalf("only %d fault elements read from the schema", n)
	}
}

// Each fault the node sends, through the worker: what the outbox and the
// journal say afterwards.
func TestWorkerFaults(t *testing.T) {
	e := newEnv(t, node.Options{})
	for _, c := range []struct {
		inj    node.Injected
		state  string
		status domain.Status
		renew  bool
	}{
		{node.Injected{Name: "MessageIsAlreadySent"}, store.OutboxSent, domain.StatusSent, false},
		{node.Injected{Name: "SMEVFailure", Server: true}, store.OutboxPending, domain.StatusQueued, false},
		{node.Injected{Name: "DestinationOverflow", Server: true}, store.OutboxPending, domain.StatusQueued, false},
		{node.Injected{Name: "EndOfLifeReached"}, store.OutboxPending, domain.StatusQueued, false},
		{node.Injected{Name: "StaleMessageId"}, store.OutboxPending, domain.StatusQueued, true},
		{node.Injected{Name: "InvalidMessageIdFormat"}, store.OutboxFailed, domain.StatusError, false},
		{node.Injected{Name: "SignatureVerificationFault", SigCode: "CertificateIsNotFound"}, store.OutboxFailed, domain.StatusError, false},
		{node.Injected{Name: "AccessDenied"}, store.OutboxFailed, domain.StatusError, false},
		{node.Injected{Name: "SenderIsNotRegistered"}, store.OutboxFailed, domain.StatusError, false},
		{node.Injected{Name: "InvalidContent"}, store.OutboxFailed, domain.StatusError, false},
		{node.Injected{Name: "AttachmentSizeLimitExceeded"}, store.OutboxFailed, domain.StatusError, false},
		{node.Injected{Name: "QuoteLimitExceeded"}, store.OutboxFailed, domain.StatusError, false},
		{node.Injected{Name: "BusinessDataTypeIsNotSupported"}, store.OutboxFailed, domain.StatusError, false},
	} {
		t.Run(c.inj.Name, func(t *testing.T) {
			q := e.queue("sfr-payments")
			e.node.Inject("SendRequest", c.inj)
			if _, err := e.svc.SendNow(ctx); err != nil {
				t.Fatal(err)
			}
			r, _ := e.db.Request(ctx, q.RequestID)
			it, err := e.db.OutboxByMessageID(ctx, r.MessageID)
			if err != nil {
				t.Fatal(err)
			}
			if it.State != c.state || r.Status != c.status {
				t.Fatalf("outbox %s, request %s (%s)", it.State, r.Status, it.LastError)
			}
			if c.status == domain.StatusError && r.LastError == "" {
				t.Fatal("no message for the clerk")
			}
			if c.renew {
				if r.MessageID == q.MessageID {
					t.Fatal("StaleMessageId: the MessageID was not renewed")
				}
				if _, err := e.svc.SendNow(ctx); err != nil {
					t.Fatal(err)
				}
				if st := e.status(q.RequestID); st != domain.StatusSent {
					t.Fatalf("renewed message: %s", st)
				}
				if e.node.Stats().Accepted[r.MessageID] != 1 {
					t.Fatal("the renewed MessageID did not reach the node")
				}
			}
		})
	}
	e.rec.checkAll(t)
}

// Faults the node sends on its own, from real checks: a tampered signature,
// an unknown type of data, a MessageID that is not a v1 UUID.
func TestNodeChecks(t *testing.T) {
	e := newEnv(t, node.Options{})
	q := e.queue("sfr-payments") // a training card: its body has RequestDate
	env := e.outbox(q.MessageID).Envelope
	tampered := bytes.Replace(env, []byte("<req:RequestDate>"), []byte("<req:RequestDate>1"), 1)
	if bytes.Equal(tampered, env) {
		t.Fatal("nothing tampered")
	}
	_, err := e.svc.Client.SendSigned(ctx, "SendRequest", tampered, "")
	if f, ok := err.(*transport.Fault); !ok || f.Name != "SignatureVerificationFault" || f.SigFault != "SignatureIsInvalid" {
		t.Fatalf("tampered: %v", err)
	}
	unsigned := bytes.Replace(env, env[bytes.Index(env, []byte("<tns:CallerInformationSystemSignature>")):bytes.Index(env, []byte("</tns:SendRequestRequest>"))], []byte("<tns:CallerInformationSystemSignature/>"), 1)
	_, err = e.svc.Client.SendSigned(ctx, "SendRequest", unsigned, "")
	if f, ok := err.(*transport.Fault); !ok || f.SigFault != "NoSignatureFound" {
		t.Fatalf("unsigned: %v", err)
	}
	p, err := transport.PrepareRequest(e.svc.Client.NS(), transport.RequestSpec{Content: []byte(`<x:Unknown xmlns:x="urn://nobody/1">1</x:Unknown>`)}, e.key, nil, transport.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Client.SendSigned(ctx, "SendRequest", p.Envelope, "")
	if f, ok := err.(*transport.Fault); !ok || f.Name != "BusinessDataTypeIsNotSupported" {
		t.Fatalf("unknown type: %v", err)
	}
	// Ack of something never delivered.
	if err := e.svc.Client.Ack(ctx, q.MessageID, true); err == nil || err.(*transport.Fault).Name != "TargetMessageIsNotFound" {
		t.Fatalf("ack: %v", err)
	}
	e.rec.check(t, true) // the requests were broken on purpose
}

// A node that knows its participants refuses a stranger's certificate.
func TestSenderNotRegistered(t *testing.T) {
	e := newEnv(t, node.Options{Registered: func(c *signer.CertInfo) bool { return c.OGRN == "1234567890123" }})
	q := e.queue("zags-birth")
	if _, err := e.svc.SendNow(ctx); err != nil {
		t.Fatal(err)
	}
	r, _ := e.db.Request(ctx, q.RequestID)
	if r.Status != domain.StatusError || !strings.Contains(r.LastError, "не зарегистрирован") {
		t.Fatalf("%+v", r)
	}
	if _, err := e.svc.PollNow(ctx); err == nil {
		t.Fatal("poll of a stranger answered")
	}
	e.rec.check(t, true)
}
