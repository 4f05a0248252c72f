package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/transport"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// smev-node serves over mutual TLS with the client files it writes, and
// dumps what it receives.
func TestSmevNode(t *testing.T) {
	pki, dump := t.TempDir(), t.TempDir()
	var out, errs syncBuf
	stop := make(chan struct{})
	done := make(chan int)
	go func() {
		done <- run([]string{"--listen", "127.0.0.1:0", "--pki-dir", pki, "--dump-dir", dump}, &out, &errs, stop)
	}()
	var url string
	for i := 0; i < 200 && url == ""; i++ {
		time.Sleep(10 * time.Millisecond)
		url = strings.TrimSpace(out.String())
	}
	if !strings.HasPrefix(url, "https://127.0.0.1:") {
		t.Fatalf("url %q, stderr %s", url, errs.String())
	}
	tc, err := transport.ClientTLSFiles(filepath.Join(pki, "client.pem"), filepath.Join(pki, "client.key"), filepath.Join(pki, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := keys.NewDemoGOST(keys.DefaultDemoSubject, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c, err := transport.NewClient(transport.Endpoint{URL: url, TLS: tc}, key)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := c.GetStatus(context.Background()); err != nil || st != nil {
		t.Fatalf("%+v %v", st, err)
	}
	// Without a client certificate the handshake fails.
	tc2 := tc.Clone()
	tc2.Certificates = nil
	tc2.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &tls.Certificate{}, nil }
	c2, err := transport.NewClient(transport.Endpoint{URL: url, TLS: tc2}, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c2.GetStatus(context.Background()); err == nil {
		t.Fatal("served a client without a certificate")
	}
	files, _ := filepath.Glob(filepath.Join(dump, "*-GetStatus.xml"))
	if len(files) != 1 {
		t.Fatalf("dumped %v", files)
	}
	close(stop)
	if code := <-done; code != 0 {
		t.Fatalf("exit %d", code)
	}
	if code := run([]string{"--bogus"}, &out, &errs, nil); code != 2 {
		t.Fatal("bad flag")
	}
}
