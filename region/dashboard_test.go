package region

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"testing"
	"time"

	"github.com/mezhved/mezhved/internal/testtool"
)

func staffClient(e *env) *http.Client {
	jar, _ := cookiejar.New(nil)
	pool := x509.NewCertPool()
	pool.AddCert(e.ca.Cert)
	return &http.Client{Jar: jar, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func dashEnv(t *testing.T, st *Store) (*env, *seedData) {
	t.Helper()
	st.now = func() time.Time { return dashNow }
	d := seed(t, st)
	if err := st.AddUser(context.Background(), "analyst", "Смирнова Е. В.", "верный-пароль-2026"); err != nil {
		t.Fatal(err)
	}
	return newEnv(t, st, ServerConfig{Region: "Тестовая область", Now: func() time.Time { return dashNow }}), d
}

func get(t *testing.T, hc *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := hc.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func login(t *testing.T, e *env, hc *http.Client, password string) *http.Response {
	t.Helper()
	resp, err := hc.PostForm(e.url+"/login", url.Values{"login": {"analyst"}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// pdfText runs pdftotext (poppler-utils): missing, it fails in CI and is
// skipped locally.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	testtool.Require(t, "pdftotext", "poppler-utils")
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestLoginRateLimited(t *testing.T) {
	st := sqliteStore(t)
	st.AddUser(context.Background(), "analyst", "А", "верный-пароль-2026")
	// A stopped clock: the bucket does not refill however slow PBKDF2 is.
	e := newEnv(t, st, ServerConfig{Now: func() time.Time { return dashNow }, LoginBurst: 3})
	hc := staffClient(e)
	for i := 0; i < 3; i++ {
		if code := login(t, e, hc, "подбор-пароля").StatusCode; code != http.StatusUnauthorized {
			t.Fatalf("wrong login %d: HTTP %d", i+1, code)
		}
	}
	// Even the right password waits now.
	if code := login(t, e, hc, "верный-пароль-2026").StatusCode; code != http.StatusTooManyRequests {
		t.Fatalf("4th login: HTTP %d", code)
	}
}
