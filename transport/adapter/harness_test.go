package adapter_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/testtool"
	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	tradapter "github.com/mezhved/mezhved/training/adapter"
	"github.com/mezhved/mezhved/training/node"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/transport/adapter"
	"github.com/mezhved/mezhved/trust"
)

var ctx = context.Background()

const itSystem = "MEZHVED01"

var (
	once     sync.Once
	clerk    keys.Key
	pki      *transport.PKI
	setupErr error
)

func shared(t testing.TB) (keys.Key, *transport.PKI) {
	once.Do(func() {
		if clerk, _, setupErr = keys.NewDemoGOST(keys.DefaultDemoSubject, 24*time.Hour); setupErr != nil {
			return
		}
		pki, setupErr = transport.NewLoopbackPKI(24 * time.Hour)
	})
	if setupErr != nil {
		t.Fatal(setupErr)
	}
	return clerk, pki
}

// env is the whole road: the workstation's service over the adapter
// channel (HTTPS with client certificates), the training adapter, the
// SMEV node behind it (mutual TLS), a real SQLite journal, a shared file
// store.
type env struct {
	t       *testing.T
	lb      *node.Loopback
	ad      *tradapter.Server
	db      *store.DB
	svc     *transport.Service
	files   string
	dump    string
	dataDir string
	trust   *trust.Store
	key     keys.Key
}

func newEnv(t *testing.T, opts node.Options) *env {
	t.Helper()
	return newEnvWith(t, opts, nil)
}

// newEnvWith is newEnv with the node's HTTP answers passed through wrap.
func newEnvWith(t *testing.T, opts node.Options, wrap func(http.Handler) http.Handler) *env {
	t.Helper()
	key, p := shared(t)
	e := &env{t: t, files: t.TempDir(), dump: t.TempDir(), dataDir: t.TempDir(), key: key}
	n, err := node.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = n
	if wrap != nil {
		h = wrap(n)
	}
	if e.lb, err = node.ServeLoopbackHandler(n, h, "", p); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.lb.Close() })
	e.trust = trainingTrust(t, e.lb.Node)
	a, err := tradapter.New(tradapter.Options{Node: e.lb.Endpoint, ITSystem: itSystem, FilesDir: e.files, DumpDir: e.dump,
		Checker: &transport.Checker{Trust: e.trust, Contour: trust.Training}, Log: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	if e.ad, err = tradapter.Listen(a, "", p); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.ad.Close() })
	e.open()
	return e
}

// open opens the journal and the service (again, after a restart).
func (e *env) open() {
	t := e.t
	var err error
	if e.db, err = store.Open(e.dataDir, store.Options{}); err != nil {
		t.Fatal(err)
	}
	e.svc, err = adapter.NewService(transport.ServiceConfig{DB: e.db, Endpoint: e.ad.Endpoint, SystemKey: e.key, Provider: true,
		Backoff: transport.Backoff{Base: time.Millisecond, Max: 5 * time.Millisecond}, Log: t.Logf, Trust: e.trust, Contour: trust.Training},
		adapter.Options{ITSystem: itSystem, Files: &adapter.Files{Dir: e.files}, Recheck: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.close)
}

func (e *env) close() {
	if e.svc != nil {
		e.svc.Close()
		e.db.Close()
		e.svc = nil
	}
}

func (e *env) queue(id string) *transport.Queued {
	e.t.Helper()
	tm, err := templates.Builtin().Get(id)
	if err != nil {
		e.t.Fatal(err)
	}
	q, err := e.svc.QueueRequest(ctx, transport.OutgoingRequest{Template: tm, Values: tm.Examples(), Applicant: "Смирнов А. В."})
	if err != nil {
		e.t.Fatalf("queue %s: %v", id, err)
	}
	return q
}

func (e *env) request(id int64) *domain.Request {
	e.t.Helper()
	r, err := e.db.Request(ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// settle sends and polls until nothing is open or the rounds run out.
func (e *env) settle(rounds int) {
	e.t.Helper()
	for i := 0; i < rounds; i++ {
		if _, err := e.svc.SendNow(ctx); err != nil {
			e.t.Logf("send: %v", err)
		}
		if _, err := e.svc.PollNow(ctx); err != nil {
			e.t.Logf("poll: %v", err)
		}
		page, err := e.db.ListRequests(ctx, domain.RequestFilter{Direction: domain.Outgoing, Limit: 500})
		if err != nil {
			e.t.Fatal(err)
		}
		open := false
		for _, r := range page.Requests {
			open = open || r.Status.Open()
		}
		if !open {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

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

// xmllintCheck validates the message under soap:Body of every message the
// training adapter received and answered with xmllint against the adapter
// XSD; it returns how many it checked.
func xmllintCheck(t *testing.T, dir string) int {
	t.Helper()
	xmllint := testtool.Require(t, "xmllint", "libxml2-utils")
	schema, err := filepath.Abs("../../training/adapter/xsd/smev-service-adapter-types.xsd")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "adapter-*.xml"))
	out := t.TempDir()
	var list []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := xmltree.Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		body := d.ChildElement(d.Root, transport.SOAPNS, "Body")
		els := d.ChildElements(body)
		if len(els) == 0 {
			continue // an empty queue
		}
		el := els[0]
		if d.Is(el, transport.SOAPNS, "Fault") {
			det := d.ChildElement(el, "", "detail")
			if det == xmltree.None || len(d.ChildElements(det)) == 0 {
				t.Fatalf("%s: a fault without the adapter's detail", f)
			}
			el = d.ChildElements(det)[0]
		}
		p := filepath.Join(out, filepath.Base(f))
		if err := os.WriteFile(p, transport.Standalone(d, el), 0o644); err != nil {
			t.Fatal(err)
		}
		list = append(list, p)
	}
	for i := 0; i < len(list); i += 200 {
		args := append([]string{"--noout", "--schema", schema}, list[i:min(i+200, len(list))]...)
		if b, err := exec.Command(xmllint, args...).CombinedOutput(); err != nil {
			t.Fatalf("xmllint rejects adapter messages:\n%s", trimOK(string(b)))
		}
	}
	return len(list)
}

func trimOK(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasSuffix(l, " validates") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func mustTemplate(t testing.TB, id string) *templates.Template {
	t.Helper()
	tm, err := templates.Builtin().Get(id)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}
