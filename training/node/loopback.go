package node

import (
	"net/http"
	"time"

	"github.com/mezhved/mezhved/transport"
)

// Loopback is a node served on 127.0.0.1 over mutual TLS with a throwaway
// PKI, and the client's endpoint for it.
type Loopback struct {
	*Server
	PKI      *transport.PKI
	Endpoint transport.Endpoint
}

// StartLoopback makes a node with opts and serves it on addr (default
// 127.0.0.1:0) over mutual TLS. pki may be nil (a new one is made).
func StartLoopback(opts Options, addr string, pki *transport.PKI) (*Loopback, error) {
	n, err := New(opts)
	if err != nil {
		return nil, err
	}
	return ServeLoopback(n, addr, pki)
}

// ServeLoopback serves an existing node (a restart after an outage).
func ServeLoopback(n *Node, addr string, pki *transport.PKI) (*Loopback, error) {
	return ServeLoopbackHandler(n, n, addr, pki)
}

// ServeLoopbackHandler serves h (wrapping n) instead of n itself.
func ServeLoopbackHandler(n *Node, h http.Handler, addr string, pki *transport.PKI) (*Loopback, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	var err error
	if pki == nil {
		if pki, err = transport.NewLoopbackPKI(24 * time.Hour); err != nil {
			return nil, err
		}
	}
	stc, err := pki.Server()
	if err != nil {
		return nil, err
	}
	ctc, err := pki.Client()
	if err != nil {
		return nil, err
	}
	s, err := ListenHandler(n, h, addr, stc)
	if err != nil {
		return nil, err
	}
	return &Loopback{Server: s, PKI: pki, Endpoint: transport.Endpoint{URL: s.URL, TLS: ctc, Timeout: 20 * time.Second}}, nil
}
