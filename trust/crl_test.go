package trust

import (
	"context"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// crlServer serves CRLs over loopback HTTP and counts the requests.
type crlServer struct {
	*httptest.Server
	crls map[string][]byte
	hits atomic.Int32
}

func newCRLServer(t *testing.T) *crlServer {
	cs := &crlServer{crls: map[string][]byte{}}
	cs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.hits.Add(1)
		b, ok := cs.crls[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(b)
	}))
	t.Cleanup(cs.Close)
	return cs
}

// The leaf's CRL is downloaded from its distribution point, verified,
// cached on disk and used again without the network.
func TestCRLDownloadedAndCached(t *testing.T) {
	srv := newCRLServer(t)
	ch := newGOSTChain(t, srv.URL+"/inter.crl")
	srv.crls["/inter.crl"] = mkGOSTCRL(t, ch.inter, day(60), day(90))
	s := openTest(t)
	if err := s.AddAnchor(Test, ch.root.cert); err != nil {
		t.Fatal(err)
	}
	mustAddCRL(t, s, mkGOSTCRL(t, ch.root, day(60), day(90)))
	s.SetFetcher(&HTTPFetcher{})
	extra := []*x509.Certificate{ch.inter.cert}
	wantVerdict(t, s.Verify(ch.leaf.cert, extra, Test, day(70)), Trusted, "")
	wantVerdict(t, s.Verify(ch.leaf.cert, extra, Test, day(75)), Trusted, "")
	if n := srv.hits.Load(); n != 1 {
		t.Fatalf("%d downloads, want 1 (the second from the cache)", n)
	}
	crls, _ := filepath.Glob(filepath.Join(s.dir, "crl", "*.crl"))
	if len(crls) != 2 {
		t.Fatalf("cached CRLs: %v", crls)
	}
	s2, err := openWithRoots(dataDir(s), nil)
	if err != nil {
		t.Fatal(err)
	}
	s2.SetFetcher(nil)
	wantVerdict(t, s2.Verify(ch.leaf.cert, extra, Test, day(70)), Trusted, "")
	// After nextUpdate the cached CRL says nothing of the present: offline
	// the status is unknown, online a fresh one is fetched.
	r := s2.Verify(ch.leaf.cert, extra, Test, day(100))
	wantVerdict(t, r, Untrusted, RevocationUnknown)
	if !strings.Contains(r.English(), "out of date") {
		t.Fatal(r.English())
	}
	srv.crls["/inter.crl"] = mkGOSTCRL(t, ch.inter, day(95), day(125))
	mustAddCRL(t, s2, mkGOSTCRL(t, ch.root, day(95), day(125)))
	s2.SetFetcher(&HTTPFetcher{})
	wantVerdict(t, s2.Verify(ch.leaf.cert, extra, Test, day(100)), Trusted, "")
	// An older CRL added later does not replace the newer one.
	mustAddCRL(t, s2, mkGOSTCRL(t, ch.inter, day(61), day(62)), ch.inter.cert)
	s2.SetFetcher(nil)
	wantVerdict(t, s2.Verify(ch.leaf.cert, extra, Test, day(100)), Trusted, "")
}

func TestCRLUnreachableIsStatusUnknown(t *testing.T) {
	ch := newGOSTChain(t, "http://crl.invalid/inter.crl")
	s := openTest(t)
	if err := s.AddAnchor(Test, ch.root.cert); err != nil {
		t.Fatal(err)
	}
	mustAddCRL(t, s, mkGOSTCRL(t, ch.root, day(60), day(90)))
	f := &fetchMap{}
	s.SetFetcher(f)
	now := day(70)
	s.SetClock(func() time.Time { return now })
	extra := []*x509.Certificate{ch.inter.cert}
	r := s.Verify(ch.leaf.cert, extra, Test, time.Time{}) // zero: the clock
	wantVerdict(t, r, Untrusted, RevocationUnknown)
	if !r.At.Equal(now) || !strings.Contains(r.English(), "http://crl.invalid/inter.crl: download failed: connection refused") ||
		!strings.Contains(r.Text(), "статус отзыва не проверен («Иванова Мария Петровна»)") {
		t.Fatalf("%v\n%s\n%s", r.At, r.English(), r.Text())
	}
	// The address is not tried again at once…
	r = s.Verify(ch.leaf.cert, extra, Test, day(70))
	if f.calls["http://crl.invalid/inter.crl"] != 1 || !strings.Contains(r.English(), "failed recently") {
		t.Fatalf("calls %v: %s", f.calls, r.English())
	}
	// …but after a while it is.
	now = now.Add(failureTTL + time.Second)
	s.Verify(ch.leaf.cert, extra, Test, day(70))
	if f.calls["http://crl.invalid/inter.crl"] != 2 {
		t.Fatalf("calls %v", f.calls)
	}
	// A leaf that names no CRL address.
	bare := newGOSTChain(t, "")
	if err := s.AddAnchor(Test, bare.root.cert); err != nil {
		t.Fatal(err)
	}
	mustAddCRL(t, s, mkGOSTCRL(t, bare.root, day(60), day(90)))
	r = s.Verify(bare.leaf.cert, []*x509.Certificate{bare.inter.cert}, Test, day(70))
	if !r.Has(RevocationUnknown) || !strings.Contains(r.English(), "names no CRL address") {
		t.Fatal(r.English())
	}
	// Offline on request: nothing is fetched.
	before := f.calls["http://crl.invalid/inter.crl"]
	now = now.Add(failureTTL + time.Second)
	s.VerifyContext(t.Context(), ch.leaf.cert, Options{Contour: Test, At: day(70), Intermediates: extra, Offline: true})
	if f.calls["http://crl.invalid/inter.crl"] != before {
		t.Fatal("Offline fetched")
	}
}

func TestCRLWithBadSignatureRefused(t *testing.T) {
	ch := newGOSTChain(t, "http://crl.test/inter.crl")
	good := mkGOSTCRL(t, ch.inter, day(60), day(90))
	bad := append([]byte(nil), good...)
	bad[len(bad)-7] ^= 0x10
	// Same issuer name and key identifier, another key.
	subj := ch.inter.cert.Subject
	impostor := mkGOST(t, spec{subject: &subj, ca: true, pathLen: -1}, nil)
	impostor.cert.SubjectKeyId = ch.inter.cert.SubjectKeyId
	forged := mkGOSTCRL(t, impostor, day(60), day(90))

	s := openTest(t)
	if err := s.AddAnchor(Test, ch.root.cert); err != nil {
		t.Fatal(err)
	}
	mustAddCRL(t, s, mkGOSTCRL(t, ch.root, day(60), day(90)))
	for name, der := range map[string][]byte{"tampered": bad, "forged": forged} {
		err := s.AddCRL(der, ch.inter.cert)
		if domain.ErrorCode(err) != domain.ESIGNATURE || !strings.Contains(domain.ErrorMessage(err), "Подпись списка отзыва неверна") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := s.AddCRL(good); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("unknown issuer: %v", err)
	}
	if err := s.AddCRL([]byte("not a CRL")); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("garbage: %v", err)
	}
	// Downloaded, the bad ones are refused and not cached.
	for name, der := range map[string][]byte{"tampered": bad, "forged": forged} {
		s.SetFetcher(&fetchMap{crls: map[string][]byte{"http://crl.test/inter.crl": der}})
		r := s.Verify(ch.leaf.cert, []*x509.Certificate{ch.inter.cert}, Test, day(70))
		wantVerdict(t, r, Untrusted, RevocationUnknown)
		if !strings.Contains(r.English(), "CRL signature invalid, refused") {
			t.Errorf("%s: %s", name, r.English())
		}
		s.failed = map[string]time.Time{}
	}
	if crls, _ := filepath.Glob(filepath.Join(s.dir, "crl", "*.crl")); len(crls) != 1 {
		t.Fatalf("cached: %v", crls)
	}
	// A CRL of another CA at the leaf's address is not taken either.
	s.SetFetcher(&fetchMap{crls: map[string][]byte{"http://crl.test/inter.crl": mkGOSTCRL(t, ch.root, day(60), day(90))}})
	r := s.Verify(ch.leaf.cert, []*x509.Certificate{ch.inter.cert}, Test, day(70))
	if !strings.Contains(r.English(), "CRL of another issuer") {
		t.Fatal(r.English())
	}
}

func TestHTTPFetcherBounds(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			_, _ = w.Write(make([]byte, 2048))
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		case "/ok":
			_, _ = w.Write([]byte("crl"))
		default:
			http.Error(w, "no", http.StatusForbidden)
		}
	}))
	defer srv.Close()
	f := &HTTPFetcher{MaxBytes: 1024, Timeout: 200 * time.Millisecond}
	ctx := context.Background()
	if b, err := f.Fetch(ctx, srv.URL+"/ok"); err != nil || string(b) != "crl" {
		t.Fatalf("ok: %q %v", b, err)
	}
	for path, want := range map[string]string{"/big": "limit", "/slow": "deadline", "/x": "403"} {
		if _, err := f.Fetch(ctx, srv.URL+path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", path, err, want)
		}
	}
	for _, u := range []string{"ldap://crl.test/x", "file:///etc/passwd", "http:///nohost"} {
		if _, err := f.Fetch(ctx, u); err == nil {
			t.Errorf("%s fetched", u)
		}
	}
}
