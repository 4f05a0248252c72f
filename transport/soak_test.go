package transport_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/training/node"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/trust"
)

var (
	soakCycles   = flag.Int("soak.cycles", 25, "kill -9 soak: how many times the child is killed")
	soakRequests = flag.Int("soak.requests", 150, "kill -9 soak: requests the child sends in all")
)

// The kill -9 soak: a child process (this test binary, TestSoakChild)
// queues, sends and polls against a node on loopback mutual TLS; it is
// SIGKILLed at random moments many times and restarted; at the end every
// request reached the node exactly once (by MessageID; duplicates were
// answered MessageIsAlreadySent) and every answer is in the journal
// exactly once. Bounded by -soak.cycles and -soak.requests.
func TestKill9Soak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak")
	}
	dir := t.TempDir()
	data := dir + "/data"
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	pki := sharedPKI(t)
	if err := pki.Write(dir); err != nil {
		t.Fatal(err)
	}
	lb, err := node.StartLoopback(node.Options{FaultRate: 0.1, OutageRate: 0.05, NoDataRate: 0.2, Seed: 7, RedeliverAfter: 300 * time.Millisecond}, "", pki)
	if err != nil {
		t.Fatal(err)
	}
	defer lb.Close()
	// The child trusts the node's training CAs, as the app does.
	var anchors []byte
	for _, ca := range lb.Node.TrainingAnchors() {
		anchors = append(anchors, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw})...)
	}
	if err := os.WriteFile(dir+"/anchors.pem", anchors, 0o600); err != nil {
		t.Fatal(err)
	}
	child := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSoakChild$", "-test.v")
		cmd.Env = append(os.Environ(), "SOAK_CHILD=1", "SOAK_DIR="+dir, "SOAK_DATA="+data, "SOAK_URL="+lb.URL,
			"SOAK_N="+strconv.Itoa(*soakRequests))
		return cmd
	}
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	deadline := time.Now().Add(45 * time.Second)
	kills := 0
	for i := 0; i < *soakCycles && time.Now().Before(deadline); i++ {
		cmd := child()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(50+rnd.IntN(1200)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		if err := cmd.Wait(); err == nil {
			t.Logf("cycle %d: the child finished before the kill", i)
		} else {
			kills++
		}
	}
	// The last run goes to the end.
	cmd := child()
	out, err := runWithTimeout(cmd, 60*time.Second)
	if err != nil {
		t.Fatalf("final child: %v\n%s", err, out)
	}
	t.Logf("killed %d times", kills)

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
	st := lb.Node.Stats()
	ids := map[string]bool{}
	for _, r := range page.Requests {
		ids[r.MessageID] = true
		if st.Accepted[r.MessageID] != 1 {
			t.Errorf("request %d (%s) reached the node %d times", r.ID, r.MessageID, st.Accepted[r.MessageID])
		}
		if r.Status != domain.StatusAnswered && r.Status != domain.StatusRejected {
			t.Errorf("request %d ended %s (%s)", r.ID, r.Status, r.LastError)
		}
		reps, err := db.Replies(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(reps) != 1 || reps[0].AckedAt.IsZero() {
			t.Errorf("request %d: %d replies", r.ID, len(reps))
		}
	}
	for id := range st.Accepted {
		if !ids[id] {
			t.Errorf("the node has %s, the journal does not", id)
		}
	}
	if st.Pending != 0 {
		t.Errorf("%d answers never acknowledged", st.Pending)
	}
	dups, redelivered := 0, 0
	for _, n := range st.Duplicates {
		dups += n
	}
	for _, n := range st.Delivered {
		redelivered += n - 1
	}
	t.Logf("%d requests, %d kills, %d duplicate sends answered MessageIsAlreadySent, %d answers delivered again", len(page.Requests), kills, dups, redelivered)
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

// TestSoakChild is the process the soak kills: it runs only with
// SOAK_CHILD=1.
func TestSoakChild(t *testing.T) {
	if os.Getenv("SOAK_CHILD") != "1" {
		t.Skip("run by TestKill9Soak")
	}
	n, _ := strconv.Atoi(os.Getenv("SOAK_N"))
	pki, err := transport.ReadPKI(os.Getenv("SOAK_DIR"))
	if err != nil {
		t.Fatal(err)
	}
	tc, err := pki.Client()
	if err != nil {
		t.Fatal(err)
	}
	var db *store.DB
	for i := 0; ; i++ { // the killed predecessor's lock goes with it
		if db, err = store.Open(os.Getenv("SOAK_DATA"), store.Options{}); err == nil || i > 100 {
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
	rest, _ := os.ReadFile(os.Getenv("SOAK_DIR") + "/anchors.pem")
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
	svc, err := transport.NewService(transport.ServiceConfig{DB: db, SystemKey: key,
		Endpoint: transport.Endpoint{URL: os.Getenv("SOAK_URL"), TLS: tc, Timeout: 10 * time.Second},
		Backoff:  transport.Backoff{Base: 20 * time.Millisecond, Max: 200 * time.Millisecond},
		Trust:    ts, Contour: trust.Training})
	if err != nil {
		t.Fatal(err)
	}
	list := templates.Builtin().Requests()
	c := context.Background()
	for round := 0; round < 10000; round++ {
		page, err := db.ListRequests(c, domain.RequestFilter{Direction: domain.Outgoing, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Requests) < n {
			tm := list[len(page.Requests)%len(list)]
			if _, err := svc.QueueRequest(c, transport.OutgoingRequest{Template: tm, Values: tm.Examples()}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.SendNow(c); err != nil {
			t.Logf("send: %v", err)
		}
		if _, err := svc.PollNow(c); err != nil {
			t.Logf("poll: %v", err)
		}
		done := len(page.Requests) == n
		for _, r := range page.Requests {
			if r.Status.Open() {
				done = false
			}
		}
		if done {
			return
		}
		time.Sleep(40 * time.Millisecond)
	}
	t.Fatal("the child did not finish")
}
