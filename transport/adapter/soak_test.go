package adapter_test

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	tradapter "github.com/mezhved/mezhved/training/adapter"
	"github.com/mezhved/mezhved/training/node"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/transport/adapter"
	"github.com/mezhved/mezhved/trust"
)

var (
	soakCycles   = flag.Int("soak.cycles", 15, "kill -9 soak over the adapter: how many times the child is killed")
	soakRequests = flag.Int("soak.requests", 60, "kill -9 soak over the adapter: requests the child sends in all")
)

// The kill -9 soak over the adapter channel: a child process (this test
// binary, TestAdapterSoakChild) queues, sends and polls through the
// training adapter (HTTPS, client certificates) in front of a node that
// fails and goes down at random; it is SIGKILLed at random moments and
// restarted. At the end every request went to SMEV exactly once (its
// clientId forwarded once, never sent twice: the adapter is asked first),
// every answer is in the journal exactly once, and the adapter's queue is
// empty (what a killed child took by Get was found again by Find).
func TestAdapterKill9Soak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak")
	}
	dir := t.TempDir()
	data, files := dir+"/data", dir+"/files"
	for _, d := range []string{data, files} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	_, p := shared(t)
	if err := p.Write(dir); err != nil {
		t.Fatal(err)
	}
	lb, err := node.StartLoopback(node.Options{FaultRate: 0.1, OutageRate: 0.05, NoDataRate: 0.2, Seed: 7}, "", p)
	if err != nil {
		t.Fatal(err)
	}
	defer lb.Close()
	ts := trainingTrust(t, lb.Node)
	a, err := tradapter.New(tradapter.Options{Node: lb.Endpoint, ITSystem: itSystem, FilesDir: files,
		Checker: &transport.Checker{Trust: ts, Contour: trust.Training}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := tradapter.Listen(a, "", p)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var anchors []byte
	for _, ca := range lb.Node.TrainingAnchors() {
		anchors = append(anchors, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw})...)
	}
	if err := os.WriteFile(dir+"/anchors.pem", anchors, 0o600); err != nil {
		t.Fatal(err)
	}
	child := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAdapterSoakChild$", "-test.v")
		cmd.Env = append(os.Environ(), "ADSOAK_CHILD=1", "ADSOAK_DIR="+dir, "ADSOAK_URL="+srv.URL, "ADSOAK_N="+strconv.Itoa(*soakRequests))
		return cmd
	}
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2))
	deadline := time.Now().Add(40 * time.Second)
	kills := 0
	for i := 0; i < *soakCycles && time.Now().Before(deadline); i++ {
		cmd := child()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(50+rnd.IntN(1000)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		if err := cmd.Wait(); err != nil {
			kills++
		}
	}
	out, err := runWithTimeout(child(), 90*time.Second)
	if err != nil {
		t.Fatalf("final child: %v\n%s", err, out)
	}
	db, err := store.Open(data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	page, err := db.ListRequests(ctx, domain.RequestFilter{Direction: domain.Outgoing, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Requests) != *soakRequests {
		t.Fatalf("%d requests in the journal, want %d", len(page.Requests), *soakRequests)
	}
	ast, st := srv.Stats(), lb.Node.Stats()
	for _, r := range page.Requests {
		if ast.Forwarded[r.MessageID] != 1 {
			t.Errorf("request %d (%s) went to SMEV %d times", r.ID, r.MessageID, ast.Forwarded[r.MessageID])
		}
		if r.Status != domain.StatusAnswered && r.Status != domain.StatusRejected {
			t.Errorf("request %d ended %s (%s)", r.ID, r.Status, r.LastError)
		}
		reps, err := db.Replies(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(reps) != 1 {
			t.Errorf("request %d: %d replies", r.ID, len(reps))
		}
	}
	for id, n := range st.Accepted {
		if n != 1 {
			t.Errorf("the node accepted %s %d times", id, n)
		}
	}
	if len(st.Accepted) != *soakRequests || ast.Queue != 0 || st.Pending != 0 {
		t.Errorf("node accepted %d, adapter queue %d, node pending %d", len(st.Accepted), ast.Queue, st.Pending)
	}
	dups := 0
	for _, n := range ast.Duplicates {
		dups += n
	}
	t.Logf("%d requests, %d kills, %d Sends of a clientId the adapter already had, %d messages to the adapter, %d not valid",
		len(page.Requests), kills, dups, ast.Received, ast.Invalid)
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

func runWithTimeout(cmd *exec.Cmd, d time.Duration) ([]byte, error) {
	var out safeBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return out.Bytes(), err
	case <-time.After(d):
		cmd.Process.Kill()
		<-done
		return out.Bytes(), fmt.Errorf("timed out after %s", d)
	}
}

// TestAdapterSoakChild is the process the soak kills (ADSOAK_CHILD=1).
func TestAdapterSoakChild(t *testing.T) {
	if os.Getenv("ADSOAK_CHILD") != "1" {
		t.Skip("run by TestAdapterKill9Soak")
	}
	dir := os.Getenv("ADSOAK_DIR")
	n, _ := strconv.Atoi(os.Getenv("ADSOAK_N"))
	p, err := transport.ReadPKI(dir)
	if err != nil {
		t.Fatal(err)
	}
	tc, err := p.Client()
	if err != nil {
		t.Fatal(err)
	}
	var db *store.DB
	for i := 0; ; i++ { // the killed predecessor's lock goes with it
		if db, err = store.Open(dir+"/data", store.Options{}); err == nil || i > 100 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	key, _, err := keys.NewDemoGOST(keys.DefaultDemoSubject, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := trust.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ts.SetFetcher(nil)
	rest, _ := os.ReadFile(dir + "/anchors.pem")
	for {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		ca, err := x509.ParseCertificate(b.Bytes)
		if err != nil || ts.AddTrainingAnchor(ca) != nil {
			t.Fatal("anchors.pem", err)
		}
	}
	svc, err := adapter.NewService(transport.ServiceConfig{DB: db, SystemKey: key,
		Endpoint: transport.Endpoint{URL: os.Getenv("ADSOAK_URL"), TLS: tc, Timeout: 10 * time.Second},
		Backoff:  transport.Backoff{Base: 20 * time.Millisecond, Max: 200 * time.Millisecond}, Trust: ts, Contour: trust.Training},
		adapter.Options{ITSystem: itSystem, Files: &adapter.Files{Dir: dir + "/files"}, Recheck: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	list := templates.Builtin().Requests()
	for round := 0; round < 10000; round++ {
		page, err := db.ListRequests(ctx, domain.RequestFilter{Direction: domain.Outgoing, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Requests) < n {
			tm := list[len(page.Requests)%len(list)]
			if _, err := svc.QueueRequest(ctx, transport.OutgoingRequest{Template: tm, Values: tm.Examples()}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.SendNow(ctx); err != nil {
			t.Logf("send: %v", err)
		}
		if _, err := svc.PollNow(ctx); err != nil {
			t.Logf("poll: %v", err)
		}
		done := len(page.Requests) == n
		for _, r := range page.Requests {
			done = done && !r.Status.Open()
		}
		if done {
			return
		}
		time.Sleep(40 * time.Millisecond)
	}
	t.Fatal("the child did not finish")
}
