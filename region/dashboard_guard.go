package region

import (
	"net/http"
	"net/url"
	"strings"
)

// hstsHeader tells browsers to reach the server over HTTPS only, for a
// year. It is sent over TLS only (RFC 6797 §7.2).
const hstsHeader = "max-age=31536000"

// crossSiteMsg is the answer to a dashboard form sent from another site.
const crossSiteMsg = "Запрос отклонён: форма отправлена с другого сайта. Откройте панель региона по её адресу и повторите."

// post registers a state-changing form of the dashboard: every one is
// guarded against cross-site requests (sameOrigin).
func (s *Server) post(path string, h http.HandlerFunc) {
	s.mux.HandleFunc("POST "+path, s.sameOrigin(h))
}

// sameOrigin refuses, with 403 and the login page saying why, a form a
// browser sent from another site (login CSRF: signing the staff member in
// as the attacker; logout CSRF). It runs before the handler, so the
// password is not checked and the sign-in attempts of the address are not
// spent on it.
func (s *Server) sameOrigin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if why := crossSite(r); why != "" {
			s.logger.Printf("region: refused %s %s from %s: %s", r.Method, r.URL.Path, clientIP(r), why)
			s.render(w, http.StatusForbidden, "login.html", loginView{Region: s.cfg.Region, Error: crossSiteMsg})
			return
		}
		h(w, r)
	}
}

// crossSite says why a request did not come from the dashboard's own pages
// ("" when it did). Browsers state where a request comes from in
// Sec-Fetch-Site and Origin, which pages cannot forge:
//
//   - Sec-Fetch-Site "same-origin" or "none" (the user's own action) is
//     accepted; "same-site" and "cross-site" only with the server's own
//     Origin; any other value is refused.
//   - Origin, when present, must be the server's own: the scheme and host
//     the request came to. "null" (a sandboxed frame, a data: page, a
//     redirect through another site) is refused unless the browser says
//     same-origin (then it only means the referrer policy hid it).
//
// A request with neither header is not a browser's form (curl, scripts)
// and is accepted; the session cookie is SameSite=Strict besides.
func crossSite(r *http.Request) string {
	origin := r.Header.Get("Origin")
	site := r.Header.Get("Sec-Fetch-Site")
	switch site {
	case "", "same-origin", "none":
	case "same-site", "cross-site":
		if !ownOrigin(origin, r) {
			return "Sec-Fetch-Site: " + site + ", Origin: " + origin
		}
	default:
		return "Sec-Fetch-Site: " + site
	}
	switch {
	case origin == "":
		return ""
	case origin == "null":
		if site == "same-origin" {
			return ""
		}
		return "Origin: null"
	case !ownOrigin(origin, r):
		return "Origin: " + origin
	}
	return ""
}

// ownOrigin reports whether origin (scheme://host[:port]) is the scheme and
// host r came to.
func ownOrigin(origin string, r *http.Request) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		return false
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if !strings.EqualFold(u.Scheme, scheme) {
		return false
	}
	own := &url.URL{Host: r.Host}
	return strings.EqualFold(u.Hostname(), own.Hostname()) && portOr(u.Port(), scheme) == portOr(own.Port(), scheme)
}

// portOr is port, or the scheme's default when it is not stated.
func portOr(port, scheme string) string {
	if port != "" {
		return port
	}
	if scheme == "https" {
		return "443"
	}
	return "80"
}
