package transport_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/reports"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/training/node"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/trust"
)

// rewriteAnswers is a man in the middle: each GetResponseResponse that
// carries an answer goes through f before the client sees it.
func rewriteAnswers(f func([]byte) []byte) func(http.Handler) http.Handler {
	return rewrite("GetResponseResponse", "ResponseMessage", f)
}

// rewrite passes every node answer holding op and msg through f.
func rewrite(op, msg string, f func([]byte) []byte) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			body := rec.Body.Bytes()
			if bytes.Contains(body, []byte(op)) && bytes.Contains(body, []byte(msg)) &&
				strings.HasPrefix(rec.Header().Get("Content-Type"), "text/xml") {
				body = f(body)
			}
			for k, v := range rec.Header() {
				if k != "Content-Length" {
					w.Header()[k] = v
				}
			}
			w.WriteHeader(rec.Code)
			w.Write(body)
		})
	}
}

// mustRefuse polls once and checks that the answer was not taken as data:
// the request waits in «ответ не прошёл проверку подписи» with the reason,
// the fault reply keeps the raw envelope and no body, and SMEV was told
// accepted=false.
func mustRefuse(t *testing.T, e *env, requestID int64, reason string) *store.Reply {
	t.Helper()
	pr, err := e.svc.PollNow(ctx)
	if err != nil || pr.Rejected != 1 || pr.Replies != 0 {
		t.Fatalf("poll: %+v %v", pr, err)
	}
	r, _ := e.db.Request(ctx, requestID)
	if r.Status != domain.StatusUnverified || !strings.Contains(r.LastError, reason) {
		t.Fatalf("request: %s %q, want a reason with %q", r.Status, r.LastError, reason)
	}
	reps, _ := e.db.Replies(ctx, requestID)
	if len(reps) != 1 || reps[0].Kind != store.ReplyFault || len(reps[0].Body) != 0 {
		t.Fatalf("replies: %+v", reps)
	}
	if _, env, err := e.db.ReplyForMessage(ctx, reps[0].MessageID); err != nil || !bytes.Contains(env, []byte("GetResponseResponse")) {
		t.Fatalf("the raw envelope is not kept: %v", err)
	}
	if st := e.node.Stats(); st.Pending != 0 {
		t.Fatal("not acknowledged")
	}
	if !e.ackedFalse() {
		t.Fatal("no Ack with accepted=false")
	}
	return reps[0]
}

func (e *env) ackedFalse() bool {
	e.rec.mu.Lock()
	defer e.rec.mu.Unlock()
	for _, m := range e.rec.msgs {
		if bytes.Contains(m.body, []byte(`accepted="false"`)) {
			return true
		}
	}
	return false
}

// An answer whose ЭП-СМЭВ and ЭП-ОВ are mathematically right but made with
// certificates of no trusted CA (a node that forges both) is never shown
// as verified: the trust store here knows none of the node's CAs.
func TestForgedAnswerIsNotTrusted(t *testing.T) {
	e := newEnv(t, node.Options{})
	empty, err := trust.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	e.svc.Poller.Checker = &transport.Checker{Trust: empty, Contour: trust.Training}
	q := e.queue("fns-egrul")
	if _, err := e.svc.SendNow(ctx); err != nil {
		t.Fatal(err)
	}
	rep := mustRefuse(t, e, q.RequestID, "сертификат не доверенный")
	for _, want := range []string{`"verdict":"untrusted"`, "ЭП-СМЭВ", "ЭП-ОВ", "математически верна"} {
		if !strings.Contains(rep.Signatures, want) {
			t.Errorf("stored verdicts lack %q: %s", want, rep.Signatures)
		}
	}
	if strings.Contains(rep.Signatures, `"valid":true`) {
		t.Errorf("a signature stored as valid: %s", rep.Signatures)
	}
	// Printed, it carries no e-signature mark, and says why.
	doc, err := reports.ReplyDoc(ctx, e.db, rep.MessageID, time.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Mark != nil || !strings.Contains(doc.Unconfirmed, "сертификат не доверенный") || len(doc.Sections) != 1 {
		t.Fatalf("printout: mark %+v, unconfirmed %q, %d sections", doc.Mark, doc.Unconfirmed, len(doc.Sections))
	}
}

// The same answer with the node's CAs trusted is taken: the check is not
// a blanket refusal.
func TestTrustedAnswerIsTaken(t *testing.T) {
	e := newEnv(t, node.Options{})
	q := e.queue("fns-egrul")
	e.svc.SendNow(ctx)
	pr, err := e.svc.PollNow(ctx)
	if err != nil || pr.Replies != 1 {
		t.Fatalf("%+v %v", pr, err)
	}
	reps, _ := e.db.Replies(ctx, q.RequestID)
	if len(reps) != 1 || len(reps[0].Body) == 0 || !strings.Contains(reps[0].Signatures, `"verdict":"valid"`) ||
		strings.Contains(reps[0].Signatures, `"valid":false`) || !strings.Contains(reps[0].Signatures, "доверенный корневой сертификат") {
		t.Fatalf("%+v", reps)
	}
	// Printed with the mark of the provider's signature — also a year on,
	// when the training CAs are long gone: the verdict stored at receipt
	// and the mathematics of the stored envelope at that moment decide.
	doc, err := reports.ReplyDoc(ctx, e.db, reps[0].MessageID, time.Now().AddDate(1, 0, 0), nil)
	if err != nil || doc.Mark == nil || doc.Unconfirmed != "" {
		t.Fatalf("printout: %+v %q %v", doc.Mark, doc.Unconfirmed, err)
	}
}

// firstText is the first non-blank text between two tags.
var firstText = regexp.MustCompile(`>([^<\s][^<]*)<`)

var spdRe = regexp.MustCompile(`(?s)<([\w]+:)?SenderProvidedResponseData\b.*?</([\w]+:)?SenderProvidedResponseData>`)

// Signature wrapping: an unsigned, altered SenderProvidedResponseData put
// before the signed one. The verifier would find the signed one by Id; the
// data must never be read from the other. The envelope is refused.
func TestWrappedAnswerIsRefused(t *testing.T) {
	e := newEnvWith(t, node.Options{}, rewriteAnswers(func(b []byte) []byte {
		spd := spdRe.Find(b)
		if spd == nil {
			return b
		}
		forged := regexp.MustCompile(` Id="[^"]*"`).ReplaceAll(spd, nil)
		// The forged copy says something else: its first text, whatever
		// the answer (found, not found, refused), becomes ПОДДЕЛКА and the
		// copy stays well-formed.
		if loc := firstText.FindSubmatchIndex(forged); loc != nil {
			forged = append(append(append([]byte(nil), forged[:loc[2]]...), "ПОДДЕЛКА"...), forged[loc[3]:]...)
		}
		i := bytes.Index(b, spd)
		return append(append(append([]byte(nil), b[:i]...), forged...), b[i:]...)
	}))
	q := e.queue("fns-egrul")
	if _, err := e.svc.SendNow(ctx); err != nil {
		t.Fatal(err)
	}
	mustRefuse(t, e, q.RequestID, "встречается дважды")
}

// ЭП-СМЭВ stripped and the data replaced: the sender's ЭП-ОВ no longer
// covers what is there, and nothing vouches for the message.
func TestAnswerWithoutSMEVSignatureIsRefused(t *testing.T) {
	e := newEnvWith(t, node.Options{}, rewriteAnswers(func(b []byte) []byte {
		return regexp.MustCompile(`(?s)(<([\w]+:)?SMEVSignature>).*?(</([\w]+:)?SMEVSignature>)`).ReplaceAll(b, []byte("$1$3"))
	}))
	q := e.queue("fns-egrul")
	if _, err := e.svc.SendNow(ctx); err != nil {
		t.Fatal(err)
	}
	mustRefuse(t, e, q.RequestID, "нет ЭП-СМЭВ")
}

// The same wrapping in an incoming request: it is not taken, and SMEV is
// told accepted=false.
func TestWrappedIncomingRequestIsRefused(t *testing.T) {
	re := regexp.MustCompile(`(?s)<([\w]+:)?SenderProvidedRequestData\b.*?</([\w]+:)?SenderProvidedRequestData>`)
	e := newEnvWith(t, node.Options{IncomingPerParticipant: 1}, rewrite("GetRequestResponse", "RequestMessage", func(b []byte) []byte {
		spd := re.Find(b)
		if spd == nil {
			return b
		}
		forged := regexp.MustCompile(` Id="[^"]*"`).ReplaceAll(spd, nil)
		i := bytes.Index(b, spd)
		return append(append(append([]byte(nil), b[:i]...), forged...), b[i:]...)
	}))
	pr, err := e.svc.PollNow(ctx)
	if err != nil || pr.Incoming != 0 {
		t.Fatalf("%+v %v", pr, err)
	}
	page, _ := e.db.ListRequests(ctx, domain.RequestFilter{Direction: domain.Incoming})
	if page.Total != 0 || !e.ackedFalse() {
		t.Fatalf("incoming taken: %d, acked false: %v", page.Total, e.ackedFalse())
	}
}

// A node that closes the connection in the middle of a call (here: Ack) is
// a network problem for the clerk, never «Внутренняя ошибка программы».
func TestConnectionClosedIsANetworkProblem(t *testing.T) {
	e := newEnvWith(t, node.Options{}, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			body, _ := io.ReadAll(req.Body)
			if bytes.Contains(body, []byte("AckRequest")) {
				panic(http.ErrAbortHandler) // the server drops the connection
			}
			req.Body = io.NopCloser(bytes.NewReader(body))
			h.ServeHTTP(w, req)
		})
	})
	err := e.svc.Client.Ack(ctx, "8c4b1f2e-c8a1-11f1-8000-0242ac120002", true)
	var ne *transport.NetError
	if err == nil || !errors.As(err, &ne) {
		t.Fatalf("Ack over a closed connection: %v", err)
	}
	if domain.ErrorCode(err) != domain.EUNAVAILABLE || !strings.Contains(domain.ErrorMessage(err), "Нет связи с узлом СМЭВ") {
		t.Fatalf("code %s, message %q", domain.ErrorCode(err), domain.ErrorMessage(err))
	}
}
