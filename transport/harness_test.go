package transport_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/testtool"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/training/node"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/trust"
)

func needTool(t testing.TB, name, pkg string) string {
	t.Helper()
	return testtool.Require(t, name, pkg)
}

var xopRe = regexp.MustCompile(`<xop:Include [^>]*href="cid:([^"]+)"\s*/>`)

// schemaCheck validates the element under soap:Body of a SOAP body (or of
// an MTOM message, with the XOP parts put back as base64) against the 1.3
// types and faults schemas with xmllint.
func schemaCheck(t testing.TB, body []byte, contentType string) {
	t.Helper()
	xmllint := needTool(t, "xmllint", "libxml2-utils")
	xml, parts, err := transport.SplitMTOM(contentType, body, transport.Limits{})
	if err != nil {
		t.Fatalf("split MTOM: %v", err)
	}
	xml = xopRe.ReplaceAllFunc(xml, func(m []byte) []byte {
		return []byte(base64.StdEncoding.EncodeToString(parts[string(xopRe.FindSubmatch(m)[1])]))
	})
	env, err := transport.ParseEnvelope(xml, 0)
	el := int32(-1)
	if f, ok := err.(*transport.Fault); ok {
		_ = f
		d := env.Doc
		det := d.ChildElement(env.Op, "", "detail")
		if det < 0 {
			return // a fault without SMEV detail: nothing to validate
		}
		for c := d.Nodes[det].FirstChild; c >= 0; c = d.Nodes[c].Next {
			if d.Nodes[c].Kind == 1 {
				el = c
				break
			}
		}
	} else if err != nil {
		t.Fatalf("parse envelope: %v\n%s", err, xml)
	} else {
		el = env.Op
	}
	if el < 0 {
		t.Fatalf("no element to validate in\n%s", xml)
	}
	part := transport.Standalone(env.Doc, el)
	f := filepath.Join(t.TempDir(), "el.xml")
	if err := os.WriteFile(f, part, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--schema", "testdata/xsd/all-1.3.xsd", f).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint rejects %s:\n%s\n%s", env.Doc.Path(el), out, part)
	}
}

// recorder keeps every request and answer that passed through the node.
type recorder struct {
	h    http.Handler
	mu   sync.Mutex
	msgs []recorded
}

type recorded struct {
	ctype string
	body  []byte
	out   bool // the node's answer
}

type teeWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (w *teeWriter) Write(b []byte) (int, error) { w.buf.Write(b); return w.ResponseWriter.Write(b) }

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	req.Body = io.NopCloser(bytes.NewReader(body))
	tw := &teeWriter{ResponseWriter: w}
	r.h.ServeHTTP(tw, req)
	r.mu.Lock()
	r.msgs = append(r.msgs, recorded{req.Header.Get("Content-Type"), body, false},
		recorded{w.Header().Get("Content-Type"), tw.buf.Bytes(), true})
	r.mu.Unlock()
}

// checkAll validates every recorded envelope (both ways) with xmllint.
func (r *recorder) checkAll(t *testing.T) { t.Helper(); r.check(t, false) }

// check validates the recorded envelopes: only the node's answers when
// answersOnly (a test sent broken envelopes on purpose).
func (r *recorder) check(t *testing.T, answersOnly bool) {
	t.Helper()
	r.mu.Lock()
	msgs := append([]recorded(nil), r.msgs...)
	r.mu.Unlock()
	if len(msgs) == 0 {
		t.Fatal("no envelopes recorded")
	}
	for _, m := range msgs {
		if answersOnly && !m.out {
			continue
		}
		if len(m.body) == 0 { // 503 of an outage
			continue
		}
		if m.out && !bytes.HasPrefix(m.body, []byte("<")) && !strings.HasPrefix(m.ctype, "multipart/") {
			continue // a plain-text HTTP error
		}
		schemaCheck(t, m.body, m.ctype)
	}
}

type env struct {
	t     *testing.T
	node  *node.Node
	lb    *node.Loopback
	rec   *recorder
	db    *store.DB
	key   keys.Key
	svc   *transport.Service
	shift time.Duration // the worker's clock runs this far ahead of real time
	dump  string
	trust *trust.Store
}

var (
	demoKeyOnce sync.Once
	demoKey     keys.Key
)

func clerkKey(t testing.TB) keys.Key {
	demoKeyOnce.Do(func() {
		k, _, err := keys.NewDemoGOST(keys.DefaultDemoSubject, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		demoKey = k
	})
	return demoKey
}

var (
	pkiOnce sync.Once
	testPKI *transport.PKI
)

func sharedPKI(t testing.TB) *transport.PKI {
	pkiOnce.Do(func() {
		p, err := transport.NewLoopbackPKI(24 * time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		testPKI = p
	})
	return testPKI
}

func newEnv(t *testing.T, opts node.Options) *env {
	t.Helper()
	return newEnvWith(t, opts, nil)
}

// newEnvWith is newEnv with the node's HTTP answers passed through wrap
// (a man in the middle, for the forgery tests).
func newEnvWith(t *testing.T, opts node.Options, wrap func(http.Handler) http.Handler) *env {
	t.Helper()
	e := &env{t: t, dump: t.TempDir()}
	opts.DumpDir = e.dump
	n, err := node.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	e.node = n
	var h http.Handler = n
	if wrap != nil {
		h = wrap(n)
	}
	e.rec = &recorder{h: h}
	if e.lb, err = node.ServeLoopbackHandler(n, e.rec, "", sharedPKI(t)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.lb.Close() })
	if e.db, err = store.Open(t.TempDir(), store.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.db.Close() })
	e.key = clerkKey(t)
	e.trust = trainingTrust(t, n)
	e.svc, err = transport.NewService(transport.ServiceConfig{DB: e.db, Endpoint: e.lb.Endpoint, SystemKey: e.key, Provider: true,
		Log: t.Logf, Trust: e.trust, Contour: trust.Training})
	if err != nil {
		t.Fatal(err)
	}
	e.svc.Worker.Now = func() time.Time { return time.Now().Add(e.shift) }
	t.Cleanup(e.svc.Close)
	return e
}

func (e *env) queue(id string) *transport.Queued {
	e.t.Helper()
	tm, err := templates.Builtin().Get(id)
	if err != nil {
		e.t.Fatal(err)
	}
	q, err := e.svc.QueueRequest(context.Background(), transport.OutgoingRequest{Template: tm, Values: tm.Examples(), Applicant: "Смирнов А. В."})
	if err != nil {
		e.t.Fatalf("queue %s: %v", id, err)
	}
	return q
}

func (e *env) status(id int64) domain.Status {
	e.t.Helper()
	r, err := e.db.Request(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return r.Status
}

func (e *env) outbox(msgID string) *store.OutboxItem {
	e.t.Helper()
	it, err := e.db.OutboxByMessageID(context.Background(), msgID)
	if err != nil {
		e.t.Fatal(err)
	}
	return it
}

type templatesT = templates.Template

func builtin() *templates.Catalogue { return templates.Builtin() }

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *safeBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.b.Bytes())
}

// trainingTrust is a trust store whose training contour trusts the node's
// training CAs, as the app's is in the training mode.
func trainingTrust(t testing.TB, n *node.Node) *trust.Store {
	t.Helper()
	s, err := trust.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s.SetFetcher(nil)
	for _, ca := range n.TrainingAnchors() {
		if err := s.AddTrainingAnchor(ca); err != nil {
			t.Fatal(err)
		}
	}
	return s
}
