package region

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// postForm posts a form with the given request headers and returns the
// answer and its body.
func postForm(t *testing.T, hc *http.Client, u string, form url.Values, headers map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// crossSiteHeaders are forms sent from pages that are not the dashboard's.
func crossSiteHeaders(own string) map[string]map[string]string {
	host := strings.TrimPrefix(own, "https://")
	return map[string]map[string]string{
		"cross-site":                {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
		"cross-site without Origin": {"Sec-Fetch-Site": "cross-site"},
		"same-site, other origin":   {"Sec-Fetch-Site": "same-site", "Origin": "https://stats." + host},
		"same-site, Origin null":    {"Sec-Fetch-Site": "same-site", "Origin": "null"},
		"unknown Sec-Fetch-Site":    {"Sec-Fetch-Site": "cross-origin", "Origin": own},
		"Origin only, foreign":      {"Origin": "https://evil.example"},
		"Origin null only":          {"Origin": "null"},
		"same host over http":       {"Origin": "http://" + host},
		"same host, other port":     {"Origin": own + "1"},
		"Origin with a path":        {"Origin": own + "/login"},
		"same-origin, foreign":      {"Sec-Fetch-Site": "same-origin", "Origin": "https://evil.example"},
	}
}

// A login form sent from another site is refused with 403 and a Russian
// message, before the password is checked and without spending the
// address's sign-in attempts; the dashboard's own form, and clients that
// are no browser, sign in.
func TestLoginRefusesCrossSiteForms(t *testing.T) {
	st := sqliteStore(t)
	if err := st.AddUser(context.Background(), "analyst", "А", "верный-пароль-2026"); err != nil {
		t.Fatal(err)
	}
	legit := func(own string) map[string]map[string]string {
		return map[string]map[string]string{
			"same-origin":              {"Sec-Fetch-Site": "same-origin", "Origin": own},
			"same-origin, Origin null": {"Sec-Fetch-Site": "same-origin", "Origin": "null"},
			"none":                     {"Sec-Fetch-Site": "none"},
			"same-site, own Origin":    {"Sec-Fetch-Site": "same-site", "Origin": own},
			"Origin only":              {"Origin": strings.ToUpper(own)},
			"no browser":               {},
		}
	}
	// A stopped clock and exactly as many attempts as the legitimate ones:
	// a refused form that counted would lock the real user out.
	e := newEnv(t, st, ServerConfig{Now: func() time.Time { return dashNow }, LoginBurst: len(legit(""))})
	// Under no-referrer browsers send "Origin: null" with the page's own
	// form; same-origin lets them state the real one.
	if resp, _ := get(t, staffClient(e), e.url+"/login"); resp.Header.Get("Referrer-Policy") != "same-origin" {
		t.Fatalf("Referrer-Policy %q", resp.Header.Get("Referrer-Policy"))
	}
	form := url.Values{"login": {"analyst"}, "password": {"верный-пароль-2026"}}
	for name, h := range crossSiteHeaders(e.url) {
		resp, body := postForm(t, staffClient(e), e.url+"/login", form, h)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "форма отправлена с другого сайта") || len(resp.Cookies()) != 0 {
			t.Errorf("%s: HTTP %d, cookies %v", name, resp.StatusCode, resp.Cookies())
		}
	}
	for name, h := range legit(e.url) {
		resp, body := postForm(t, staffClient(e), e.url+"/login", form, h)
		if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) != 1 {
			t.Errorf("%s: HTTP %d\n%s", name, resp.StatusCode, body)
		}
	}
}

// Logout (every state-changing form of the dashboard) is guarded the same
// way: a cross-site one leaves the session alone.
func TestLogoutRefusesCrossSiteForms(t *testing.T) {
	st := sqliteStore(t)
	if err := st.AddUser(context.Background(), "analyst", "А", "верный-пароль-2026"); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, st, ServerConfig{Now: func() time.Time { return dashNow }})
	hc := staffClient(e)
	if resp := login(t, e, hc, "верный-пароль-2026"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: HTTP %d", resp.StatusCode)
	}
	for name, h := range crossSiteHeaders(e.url) {
		if resp, _ := postForm(t, hc, e.url+"/logout", nil, h); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: HTTP %d", name, resp.StatusCode)
		}
	}
	if resp, _ := get(t, hc, e.url+"/"); resp.StatusCode != http.StatusOK {
		t.Fatalf("the session ended by a cross-site form: HTTP %d", resp.StatusCode)
	}
	own := map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": e.url}
	if resp, _ := postForm(t, hc, e.url+"/logout", nil, own); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: HTTP %d", resp.StatusCode)
	}
	if resp, _ := get(t, hc, e.url+"/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("after logout: HTTP %d", resp.StatusCode)
	}
}

// Every answer over HTTPS carries HSTS, pages, redirects, refusals and
// errors alike; over plain HTTP none does.
func TestHSTS(t *testing.T) {
	st := sqliteStore(t)
	e := newEnv(t, st, ServerConfig{Now: func() time.Time { return dashNow }})
	hc := staffClient(e)
	check := func(name string, resp *http.Response) {
		t.Helper()
		if got := resp.Header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
			t.Errorf("%s (HTTP %d): Strict-Transport-Security %q", name, resp.StatusCode, got)
		}
	}
	for _, p := range []string{"/login", "/static/style.css", "/", "/export.csv", "/favicon.ico", "/no-such-page", "/api/v1/cursor"} {
		resp, _ := get(t, hc, e.url+p)
		check(p, resp)
	}
	resp, _ := postForm(t, hc, e.url+"/login", url.Values{"login": {"x"}, "password": {"y"}}, nil)
	check("wrong password", resp)
	resp, _ = postForm(t, hc, e.url+"/login", nil, map[string]string{"Origin": "https://evil.example"})
	check("cross-site", resp)

	for _, p := range []string{"/login", "/"} {
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://region.example"+p, nil))
		if got := w.Header().Get("Strict-Transport-Security"); got != "" {
			t.Errorf("%s over HTTP: Strict-Transport-Security %q", p, got)
		}
	}
}

// The origin a request came to: scheme and host, default ports, case.
func TestOwnOrigin(t *testing.T) {
	overTLS := func(host string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "https://"+host+"/login", nil)
		r.TLS = &tls.ConnectionState{}
		return r
	}
	plain := httptest.NewRequest(http.MethodPost, "http://region.example/login", nil)
	for _, c := range []struct {
		origin string
		r      *http.Request
		want   bool
	}{
		{"https://region.example", overTLS("region.example"), true},
		{"https://region.example:443", overTLS("region.example"), true},
		{"https://Region.Example", overTLS("region.example:443"), true},
		{"https://[::1]:8443", overTLS("[::1]:8443"), true},
		{"http://region.example", plain, true},
		{"https://region.example", plain, false},
		{"http://region.example", overTLS("region.example"), false},
		{"https://region.example:8443", overTLS("region.example"), false},
		{"https://region.example.evil", overTLS("region.example"), false},
		{"https://user@region.example", overTLS("region.example"), false},
		{"https://region.example/", overTLS("region.example"), false},
		{"region.example", overTLS("region.example"), false},
		{"", overTLS("region.example"), false},
	} {
		if got := ownOrigin(c.origin, c.r); got != c.want {
			t.Errorf("%q to %s: %v", c.origin, c.r.Host, got)
		}
	}
}
