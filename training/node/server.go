// Package node is a SMEV 3 node of our own for the training mode, the
// demo and the tests: SendRequest, GetResponse, Ack, GetStatus, GetRequest
// and SendResponse over HTTP(S), one queue per participant (by the ЭП-ОВ
// certificate), ЭП-ОВ checked on every call with faults as SMEV sends them,
// simulated providers answering the built-in templates after a delay on a
// clock tests can move, sometimes NO_DATA, a fault or an outage.
package node

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"time"
)

// Server is a node listening on an address.
type Server struct {
	Node *Node
	Addr string // host:port actually bound
	URL  string
	srv  *http.Server
	ln   net.Listener
}

// Listen serves the node on addr (":0" picks a port) with TLS config tc
// (mutual TLS), or plain HTTP when tc is nil.
func Listen(n *Node, addr string, tc *tls.Config) (*Server, error) {
	return ListenHandler(n, n, addr, tc)
}

// ListenHandler is Listen with h in front of the node (a recorder in tests).
func ListenHandler(n *Node, h http.Handler, addr string, tc *tls.Config) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{Node: n, Addr: ln.Addr().String(), ln: ln}
	s.srv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, WriteTimeout: 60 * time.Second,
		MaxHeaderBytes: 64 << 10, ErrorLog: log.New(io.Discard, "", 0)}
	if tc != nil {
		s.URL = "https://" + s.Addr + "/smev"
		s.srv.TLSConfig = tc
		go s.srv.ServeTLS(ln, "", "")
	} else {
		s.URL = "http://" + s.Addr + "/smev"
		go s.srv.Serve(ln)
	}
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return s.srv.Close()
	}
	return err
}
