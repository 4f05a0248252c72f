package adapter

import (
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/mezhved/mezhved/transport"
)

// Server is a training adapter listening on an address.
type Server struct {
	*Adapter
	URL      string             // http(s)://addr/ws/SMEVServiceAdapterService
	Endpoint transport.Endpoint // the workstation's endpoint for it
	srv      *http.Server
	ln       net.Listener
}

// Listen serves a on addr (127.0.0.1:0 when empty): over mutual TLS with
// the PKI's server certificate when pki is given (the workstation's client
// certificate required), else plain HTTP (as inside ViPNet).
func Listen(a *Adapter, addr string, pki *transport.PKI) (*Server, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{Adapter: a, ln: ln}
	mux := http.NewServeMux()
	mux.Handle("/ws/SMEVServiceAdapterService", a)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: 2 * time.Minute}
	scheme := "http"
	ep := transport.Endpoint{AllowPlainHTTP: true, Timeout: 30 * time.Second}
	if pki != nil {
		stc, err := pki.Server()
		if err != nil {
			ln.Close()
			return nil, err
		}
		if ep.TLS, err = pki.Client(); err != nil {
			ln.Close()
			return nil, err
		}
		ln = tls.NewListener(ln, stc)
		scheme, ep.AllowPlainHTTP = "https", false
	}
	s.URL = scheme + "://" + s.ln.Addr().String() + "/ws/SMEVServiceAdapterService"
	ep.URL = s.URL
	s.Endpoint = ep
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.opts.Log("training adapter: %v", err)
		}
	}()
	return s, nil
}

// Close stops the server and the adapter.
func (s *Server) Close() error {
	err := s.srv.Close()
	s.Adapter.Close()
	return err
}
