package transport_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer/cms"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/training/node"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/trust"
)

var ctx = context.Background()

// The whole loop over loopback mutual TLS: compose, sign, queue, send,
// answer, verify, commit, Ack; every envelope both ways valid against the
// 1.3 schema; the ЕГРН answer carries a signed PDF.
func TestHappyPath(t *testing.T) {
	e := newEnv(t, node.Options{Statuses: true})
	egrn := e.queue("egrn-object")
	snils := e.queue("sfr-snils-check")
	if st := e.status(egrn.RequestID); st != domain.StatusQueued {
		t.Fatalf("before sending: %s", st)
	}
	res, err := e.svc.SendNow(ctx)
	if err != nil || res.Sent != 2 {
		t.Fatalf("send: %+v %v", res, err)
	}
	r, err := e.db.Request(ctx, egrn.RequestID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != domain.StatusSent || r.DueOn == "" || r.SentAt.IsZero() {
		t.Fatalf("after sending: %+v", r)
	}
	pr, err := e.svc.PollNow(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if pr.Replies != 2 || pr.Rejected != 0 || pr.Duplicates != 0 {
		evs, _ := e.db.Events(ctx, egrn.RequestID)
		t.Fatalf("poll: %+v %+v", pr, evs)
	}
	for _, q := range []*transport.Queued{egrn, snils} {
		if st := e.status(q.RequestID); st != domain.StatusAnswered {
			t.Fatalf("request %d: %s", q.RequestID, st)
		}
	}
	reps, err := e.svc.Replies(ctx, egrn.RequestID)
	if err != nil || len(reps) != 1 {
		t.Fatalf("replies: %v %v", reps, err)
	}
	rep := reps[0]
	if rep.Kind != store.ReplyResponse || rep.AckedAt.IsZero() || !bytes.Contains(rep.Body, []byte("50:21:0110104:123")) {
		t.Fatalf("reply: %+v\n%s", rep, rep.Body)
	}
	if len(rep.Files) != 1 || rep.Files[0].MimeType != "application/pdf" || len(rep.Files[0].SHA256) != 64 {
		t.Fatalf("attachments: %+v", rep.Files)
	}
	pdf, err := e.db.AttachmentContent(ctx, rep.Files[0].ID)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("pdf: %v", err)
	}
	if !strings.Contains(rep.Signatures, `"valid":true`) || strings.Contains(rep.Signatures, `"valid":false`) {
		t.Fatalf("signatures: %s", rep.Signatures)
	}
	if p, err := exec.LookPath("pdftotext"); err == nil {
		f := filepath.Join(t.TempDir(), "x.pdf")
		os.WriteFile(f, pdf, 0o644)
		out, err := exec.Command(p, f, "-").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "50:21:0110104:123") {
			t.Fatalf("pdftotext: %v %s", err, out)
		}
	}
	st := e.node.Stats()
	if st.Accepted[egrn.MessageID] != 1 || st.Accepted[snils.MessageID] != 1 || st.Pending != 0 {
		t.Fatalf("node: %+v", st)
	}
	// The status queue told us SMEV accepted them; tied to the request.
	evs, _ := e.db.Events(ctx, egrn.RequestID)
	found := false
	for _, ev := range evs {
		found = found || strings.Contains(ev.Note, "requestIsAcceptedBySmev")
	}
	if !found {
		t.Fatalf("no status event: %+v", evs)
	}
	e.rec.checkAll(t)
	dumped, _ := filepath.Glob(filepath.Join(e.dump, "*"))
	if len(dumped) < 6 { // 2 SendRequest, GetResponse×3, Ack×2, GetStatus…
		t.Fatalf("dumped %d envelopes", len(dumped))
	}
}

// Schema 1.2 is selectable per endpoint and the node answers in kind.
func TestVersion12(t *testing.T) {
	e := newEnv(t, node.Options{})
	ep := e.lb.Endpoint
	ep.Version = transport.V12
	svc, err := transport.NewService(transport.ServiceConfig{DB: e.db, Endpoint: ep, SystemKey: e.key, Trust: e.trust, Contour: trust.Training})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	q, err := svc.QueueRequest(ctx, transport.OutgoingRequest{Template: mustTemplate(t, "zags-birth"), Values: mustTemplate(t, "zags-birth").Examples()})
	if err != nil {
		t.Fatal(err)
	}
	env := e.outbox(q.MessageID).Envelope
	if !bytes.Contains(env, []byte("types/1.2")) || bytes.Contains(env, []byte("types/1.3")) {
		t.Fatalf("not a 1.2 envelope")
	}
	if _, err := svc.SendNow(ctx); err != nil {
		t.Fatal(err)
	}
	if pr, err := svc.PollNow(ctx); err != nil || pr.Replies != 1 {
		t.Fatalf("%+v %v", pr, err)
	}
}

// The node is down: the request stays queued with a retry time; when the
// node is back the outbox drains with the same MessageID.
func TestNodeDownThenUp(t *testing.T) {
	e := newEnv(t, node.Options{})
	addr := e.lb.Addr
	e.lb.Close()
	q := e.queue("fns-egrul")
	res, err := e.svc.SendNow(ctx)
	if err != nil || res.Retried != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	it := e.outbox(q.MessageID)
	if it.State != store.OutboxPending || it.Attempts != 1 || !it.NextAttemptAt.After(time.Now()) || it.LastError == "" {
		t.Fatalf("outbox: %+v", it)
	}
	// Not due yet: nothing is sent.
	if res, _ := e.svc.SendNow(ctx); res.Sent+res.Retried != 0 {
		t.Fatalf("sent before its time: %+v", res)
	}
	// An outage answered 503 counts the same way.
	lb, err := node.ServeLoopbackHandler(e.node, e.rec, addr, sharedPKI(t))
	if err != nil {
		t.Fatal(err)
	}
	defer lb.Close()
	e.node.SetDown(true)
	e.shift += time.Hour
	if res, _ := e.svc.SendNow(ctx); res.Retried != 1 {
		t.Fatalf("during outage: %+v", res)
	}
	e.node.SetDown(false)
	e.shift += time.Hour
	if res, err := e.svc.SendNow(ctx); err != nil || res.Sent != 1 {
		t.Fatalf("after outage: %+v %v", res, err)
	}
	if it := e.outbox(q.MessageID); it.State != store.OutboxSent || it.Attempts != 2 {
		t.Fatalf("outbox: %+v", it)
	}
	if e.node.Stats().Accepted[q.MessageID] != 1 {
		t.Fatal("not accepted once")
	}
}

// A send that got through but whose answer was lost is sent again with the
// same MessageID; the node says MessageIsAlreadySent and the outbox
// records it as sent.
func TestDuplicateSend(t *testing.T) {
	e := newEnv(t, node.Options{})
	q := e.queue("mvd-registration")
	it := e.outbox(q.MessageID)
	// The first attempt reaches the node; the process dies before it
	// records the answer.
	if _, err := e.svc.Client.SendSigned(ctx, "SendRequest", it.Envelope, it.ContentType); err != nil {
		t.Fatal(err)
	}
	res, err := e.svc.SendNow(ctx)
	if err != nil || res.Sent != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	st := e.node.Stats()
	if st.Accepted[q.MessageID] != 1 || st.Duplicates[q.MessageID] != 1 {
		t.Fatalf("node: %+v", st)
	}
	if s := e.status(q.RequestID); s != domain.StatusSent {
		t.Fatalf("status %s", s)
	}
	evs, _ := e.db.Events(ctx, q.RequestID)
	if !strings.Contains(evs[len(evs)-1].Note, "MessageIsAlreadySent") {
		t.Fatalf("events: %+v", evs)
	}
	// Sending the same envelope directly gives the fault itself.
	_, err = e.svc.Client.SendSigned(ctx, "SendRequest", it.Envelope, it.ContentType)
	f, ok := err.(*transport.Fault)
	if !ok || f.Name != "MessageIsAlreadySent" || transport.Classify(f).Action != transport.ActDone {
		t.Fatalf("%v", err)
	}
	e.rec.checkAll(t)
}

// An answer whose Ack did not reach SMEV is delivered again: it is kept in
// the journal once and acknowledged again.
func TestRedeliveredWithoutAck(t *testing.T) {
	e := newEnv(t, node.Options{})
	q := e.queue("zags-death")
	if _, err := e.svc.SendNow(ctx); err != nil {
		t.Fatal(err)
	}
	// The Ack fails twice: after the commit, and when the next poll
	// acknowledges the committed reply again.
	e.node.Inject("Ack", node.Injected{Name: "SMEVFailure", Server: true}, node.Injected{Name: "SMEVFailure", Server: true})
	if _, err := e.svc.PollNow(ctx); err == nil {
		t.Fatal("the failed Ack was not reported")
	}
	reps, _ := e.db.Replies(ctx, q.RequestID)
	if len(reps) != 1 || !reps[0].AckedAt.IsZero() {
		t.Fatalf("committed before Ack: %+v", reps)
	}
	if e.node.Stats().Pending != 1 {
		t.Fatal("the node forgot an unacknowledged answer")
	}
	pr, err := e.svc.PollNow(ctx)
	if err != nil || pr.Duplicates != 1 || pr.Replies != 0 {
		t.Fatalf("%+v %v", pr, err)
	}
	reps, _ = e.db.Replies(ctx, q.RequestID)
	if len(reps) != 1 || reps[0].AckedAt.IsZero() {
		t.Fatalf("replies: %+v", reps)
	}
	st := e.node.Stats()
	if st.Pending != 0 || st.Delivered[reps[0].MessageID] < 2 {
		t.Fatalf("node: %+v", st)
	}
	e.rec.checkAll(t)
}

// An answer taken but never committed (the process died) comes again and
// is committed then.
func TestRedeliveredNotCommitted(t *testing.T) {
	e := newEnv(t, node.Options{})
	q := e.queue("zags-marriage")
	if _, err := e.svc.SendNow(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := e.svc.Client.GetResponse(ctx, transport.Selector{})
	if err != nil || r == nil || r.OriginalMessageID != q.MessageID {
		t.Fatalf("%+v %v", r, err)
	}
	pr, err := e.svc.PollNow(ctx)
	if err != nil || pr.Replies != 1 {
		t.Fatalf("%+v %v", pr, err)
	}
	if st := e.node.Stats(); st.Delivered[r.Metadata.MessageID] < 2 || st.Pending != 0 {
		t.Fatalf("node: %+v", st)
	}
}

// Our Ack reached SMEV but we did not record it: the next poll acknowledges
// again, SMEV says TargetMessageIsNotFound, and the journal notes the Ack.
func TestAckRecordedAfterRestart(t *testing.T) {
	e := newEnv(t, node.Options{})
	q := e.queue("fns-income")
	if _, err := e.svc.SendNow(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := e.svc.Client.GetResponse(ctx, transport.Selector{})
	if err != nil || r == nil {
		t.Fatal(err)
	}
	if _, _, err := e.db.SaveReply(ctx, store.NewReply{OriginalMessageID: q.MessageID, MessageID: r.Metadata.MessageID,
		Kind: store.ReplyResponse, Body: r.Data.Content, Status: domain.StatusAnswered}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Client.Ack(ctx, r.Metadata.MessageID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.PollNow(ctx); err != nil {
		t.Fatal(err)
	}
	reps, _ := e.db.Replies(ctx, q.RequestID)
	if len(reps) != 1 || reps[0].AckedAt.IsZero() {
		t.Fatalf("%+v", reps)
	}
}

// Answers appear after the provider's delay on the node's clock; NO_DATA
// becomes a refusal in the journal.
func TestDelayAndNoData(t *testing.T) {
	clock := node.NewFakeClock(time.Now())
	e := newEnv(t, node.Options{Clock: clock, Delay: 10 * time.Minute, NoDataRate: 1})
	q := e.queue("egrn-rights-person")
	if _, err := e.svc.SendNow(ctx); err != nil {
		t.Fatal(err)
	}
	if pr, err := e.svc.PollNow(ctx); err != nil || pr.Replies != 0 {
		t.Fatalf("answer before the delay: %+v %v", pr, err)
	}
	clock.Advance(11 * time.Minute)
	if pr, err := e.svc.PollNow(ctx); err != nil || pr.Replies != 1 {
		t.Fatalf("%+v %v", pr, err)
	}
	if s := e.status(q.RequestID); s != domain.StatusRejected {
		t.Fatalf("status %s", s)
	}
	reps, _ := e.db.Replies(ctx, q.RequestID)
	if reps[0].Kind != store.ReplyReject || reps[0].RejectCode != "NO_DATA" {
		t.Fatalf("%+v", reps[0])
	}
	e.rec.checkAll(t)
}

// The provider side: an incoming request from another authority is taken,
// verified, committed, acknowledged, answered (and refused) through the
// outbox.
func TestIncomingAnswered(t *testing.T) {
	e := newEnv(t, node.Options{IncomingPerParticipant: 2})
	// The first call registers us; the node queues two requests for us.
	pr, err := e.svc.PollNow(ctx)
	if err != nil || pr.Incoming != 2 {
		t.Fatalf("%+v %v", pr, err)
	}
	page, err := e.db.ListRequests(ctx, domain.RequestFilter{Direction: domain.Incoming})
	if err != nil || len(page.Requests) != 2 {
		t.Fatalf("%v %v", page, err)
	}
	in := page.Requests[0]
	if in.Status != domain.StatusReceived || in.DueOn == "" {
		t.Fatalf("%+v", in)
	}
	ans := []byte(`<h:HouseholdBookResponse xmlns:h="` + node.HouseholdNS + `"><h:Found>true</h:Found><h:Household>Лицевой счёт № 112, д. Учебная, ул. Луговая, д. 5</h:Household></h:HouseholdBookResponse>`)
	if _, err := e.svc.Answer(ctx, transport.IncomingAnswer{RequestID: in.ID, Content: ans, Personal: e.key,
		Attachments: []transport.Attachment{{ContentID: "extract1", MimeType: "application/pdf", Content: node.ExtractPDF("household")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Answer(ctx, transport.IncomingAnswer{RequestID: page.Requests[1].ID, RejectCode: transport.RejectNoData}); err != nil {
		t.Fatal(err)
	}
	if res, err := e.svc.SendNow(ctx); err != nil || res.Sent != 2 {
		t.Fatalf("%+v %v", res, err)
	}
	for _, r := range page.Requests {
		if s := e.status(r.ID); s != domain.StatusAnswered {
			t.Fatalf("incoming %d: %s", r.ID, s)
		}
	}
	answers := e.node.Stats().Answers
	if len(answers) != 2 {
		t.Fatalf("node answers: %v", answers)
	}
	e.rec.checkAll(t)
}

func mustTemplate(t *testing.T, id string) *templatesT {
	t.Helper()
	tm, err := builtin().Get(id)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// A request with a file: sent as MTOM with a detached PKCS#7 made with the
// official's key; the node checks that headers and contents agree and
// refuses what is too large.
func TestRequestWithAttachment(t *testing.T) {
	e := newEnv(t, node.Options{MaxAttachments: 64 << 10})
	tm := mustTemplate(t, "egrn-cadastral-plan")
	pdf := node.ExtractPDF("50:21:0110104:123")
	q, err := e.svc.QueueRequest(ctx, transport.OutgoingRequest{Template: tm, Values: tm.Examples(),
		Attachments: []transport.Attachment{{ContentID: "application1", MimeType: "application/pdf", Content: pdf}}})
	if err != nil {
		t.Fatal(err)
	}
	it := e.outbox(q.MessageID)
	if !strings.HasPrefix(it.ContentType, "multipart/related") {
		t.Fatalf("content type %q", it.ContentType)
	}
	if res, err := e.svc.SendNow(ctx); err != nil || res.Sent != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	if got := e.node.Stats().Attachments[q.MessageID]; got != len(pdf) {
		t.Fatalf("node got %d attachment bytes", got)
	}
	// The PKCS#7 in the header is over the bytes that travelled.
	xml, parts, err := transport.SplitMTOM(it.ContentType, it.Envelope, transport.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	env, _ := transport.ParseEnvelope(xml, 0)
	sigB64 := env.Doc.Src[bytes.Index(env.Doc.Src, []byte("<basic:SignaturePKCS7>"))+len("<basic:SignaturePKCS7>"):]
	sigB64 = sigB64[:bytes.IndexByte(sigB64, '<')]
	sig, _ := base64.StdEncoding.DecodeString(string(sigB64))
	if cert, err := cms.VerifyDetached(parts["application1"], sig); err != nil || cert.Subject.CommonName != e.key.Certificate().Subject.CommonName {
		t.Fatalf("%v", err)
	}
	// Too large for the node.
	big := bytes.Repeat([]byte("x"), 100<<10)
	q2, err := e.svc.QueueRequest(ctx, transport.OutgoingRequest{Template: tm, Values: tm.Examples(),
		Attachments: []transport.Attachment{{ContentID: "big", MimeType: "application/octet-stream", Content: big}}})
	if err != nil {
		t.Fatal(err)
	}
	e.svc.SendNow(ctx)
	if it := e.outbox(q2.MessageID); it.State != store.OutboxFailed || !strings.Contains(it.LastError, "размер вложений") {
		t.Fatalf("%+v", it)
	}
	// A header without its content.
	mis := bytes.Replace(xml, []byte("<basic:AttachmentContentList>"), []byte("<basic:AttachmentContentList><basic:AttachmentContent><basic:Id>ghost</basic:Id><basic:Content>AA==</basic:Content></basic:AttachmentContent>"), 1)
	body, ct, _ := transport.JoinMTOM(mis, []transport.Attachment{{ContentID: "application1", MimeType: "application/pdf", Content: pdf}})
	_, err = e.svc.Client.SendSigned(ctx, "SendRequest", body, ct)
	if f, ok := err.(*transport.Fault); !ok || f.Name != "AttachmentContentMiscoordination" {
		t.Fatalf("%v", err)
	}
	e.rec.check(t, true)
}

// An answer whose signature does not verify (here: ЭП-СМЭВ made with an
// expired certificate of an unknown CA) is kept as a fault for the clerk,
// the request goes to «ответ не прошёл проверку подписи», and SMEV is told
// accepted=false so it does not come back.
func TestAnswerWithBadSignature(t *testing.T) {
	expired, _, err := keys.NewDemoGOST(keys.DemoSubject{CommonName: "СМЭВ (просрочен)", Organization: "СМЭВ", OGRN: "1027700198767", INNLE: "7707049388"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, node.Options{Key: expired})
	q := e.queue("fns-egrul")
	if _, err := e.svc.SendNow(ctx); err != nil {
		t.Fatal(err)
	}
	pr, err := e.svc.PollNow(ctx)
	if err != nil || pr.Rejected != 1 || pr.Replies != 0 {
		t.Fatalf("%+v %v", pr, err)
	}
	r, _ := e.db.Request(ctx, q.RequestID)
	if r.Status != domain.StatusUnverified || !strings.Contains(r.LastError, "не прошёл проверку подписи") {
		t.Fatalf("%+v", r)
	}
	reps, _ := e.db.Replies(ctx, q.RequestID)
	if len(reps) != 1 || reps[0].Kind != store.ReplyFault || !strings.Contains(reps[0].Signatures, `"valid":false`) || reps[0].AckedAt.IsZero() {
		t.Fatalf("%+v", reps)
	}
	if st := e.node.Stats(); st.Pending != 0 {
		t.Fatal("not acknowledged")
	}
	// The Ack said accepted=false.
	found := false
	e.rec.mu.Lock()
	for _, m := range e.rec.msgs {
		found = found || bytes.Contains(m.body, []byte(`accepted="false"`))
	}
	e.rec.mu.Unlock()
	if !found {
		t.Fatal("no Ack with accepted=false")
	}
}

// With a node that hides delivered answers until their Ack (as SMEV does
// for a while), answers are taken in groups: one transaction for the
// group, then an Ack each.
func TestGroupedAnswers(t *testing.T) {
	e := newEnv(t, node.Options{RedeliverAfter: time.Minute})
	var qs []*transport.Queued
	for _, id := range []string{"zags-birth", "zags-death", "zags-marriage", "mvd-registration", "fns-egrul"} {
		qs = append(qs, e.queue(id))
	}
	if res, err := e.svc.SendNow(ctx); err != nil || res.Sent != 5 {
		t.Fatalf("%+v %v", res, err)
	}
	pr, err := e.svc.PollNow(ctx)
	if err != nil || pr.Replies != 5 {
		t.Fatalf("%+v %v", pr, err)
	}
	st := e.node.Stats()
	for id, n := range st.Delivered {
		if n != 1 {
			t.Fatalf("%s delivered %d times", id, n)
		}
	}
	if st.Pending != 0 {
		t.Fatal("not acknowledged")
	}
	for _, q := range qs {
		if s := e.status(q.RequestID); s != domain.StatusAnswered {
			t.Fatalf("%d: %s", q.RequestID, s)
		}
	}
	e.rec.checkAll(t)
}

// In the background (Service.Start) the worker and the poller do it all;
// Stop waits for them.
func TestBackground(t *testing.T) {
	e := newEnv(t, node.Options{RedeliverAfter: time.Minute})
	e.svc.Poller.Interval = 20 * time.Millisecond
	e.svc.Start()
	e.svc.Start() // twice is harmless
	var qs []*transport.Queued
	for _, id := range []string{"sfr-payments", "fns-egrip", "egrn-object", "zags-birth"} {
		qs = append(qs, e.queue(id))
	}
	deadline := time.Now().Add(20 * time.Second)
	for _, q := range qs {
		for e.status(q.RequestID) != domain.StatusAnswered {
			if time.Now().After(deadline) {
				t.Fatalf("request %d: %s", q.RequestID, e.status(q.RequestID))
			}
			e.svc.Poller.Wake()
			time.Sleep(10 * time.Millisecond)
		}
	}
	e.svc.Stop()
	e.svc.Stop()
	if res, err := e.svc.SendNow(ctx); err != nil || res.Sent != 0 {
		t.Fatalf("%+v %v", res, err)
	}
}
