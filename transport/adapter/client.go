package adapter

import (
	"context"
	"fmt"
	"net/http"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/transport"
)

// Client calls the adapter's web service on one endpoint for one
// information system (itSystem, the mnemonic the region assigned).
type Client struct {
	h        *transport.HTTP
	ITSystem string
	NodeID   string // the node id when the region gives one
}

// NewClient checks the endpoint (https with a client certificate and the
// adapter's pinned CA, or http inside ViPNet when allowed) and returns a
// client.
func NewClient(ep transport.Endpoint, itSystem, nodeID string) (*Client, error) {
	if err := checkID("код информационной системы (itSystem)", itSystem); err != nil {
		return nil, err
	}
	if len(nodeID) > maxString50 {
		return nil, domain.Errorf(domain.EINVALID, "Адаптер СМЭВ: идентификатор узла длиннее %d знаков.", maxString50)
	}
	h, err := transport.NewHTTP(ep, "адаптера СМЭВ")
	if err != nil {
		return nil, err
	}
	return &Client{h: h, ITSystem: itSystem, NodeID: nodeID}, nil
}

// Close drops idle connections.
func (c *Client) Close() { c.h.Close() }

// Endpoint returns the endpoint.
func (c *Client) Endpoint() transport.Endpoint { return c.h.Endpoint() }

func (c *Client) max() int { return int(c.h.Endpoint().Limits.MaxResponse) }

// call posts a message and returns the answer's XML; a fault is *Fault
// (whatever the HTTP status), a 5xx without XML or other trouble is a
// *transport.NetError.
func (c *Client) call(ctx context.Context, op string, msg []byte) ([]byte, error) {
	xml, _, status, err := c.h.Post(ctx, op, Wrap(msg), "")
	if err != nil {
		return nil, err
	}
	if _, _, err := body(xml, c.max()); err != nil {
		if _, ok := err.(*Fault); ok {
			return nil, err
		}
		if status >= 500 {
			return nil, &transport.NetError{Op: op, Err: fmt.Errorf("HTTP %d %s", status, http.StatusText(status)), Peer: "адаптера СМЭВ"}
		}
		return nil, err
	}
	if status != http.StatusOK {
		return nil, &transport.NetError{Op: op, Err: fmt.Errorf("HTTP %d %s", status, http.StatusText(status)), Peer: "адаптера СМЭВ"}
	}
	return xml, nil
}

// Send hands a ClientMessage (as the outbox keeps it) to the adapter and
// returns the SMEV MessageId it gave the message.
func (c *Client) Send(ctx context.Context, clientMessage []byte) (string, error) {
	xml, err := c.call(ctx, "Send", clientMessage)
	if err != nil {
		return "", err
	}
	return ParseMessageResult(xml, c.max())
}

// Get takes the next message of our queue (of type typ when not ""); nil
// when the queue is empty. What Get returns is gone from the adapter's
// queue: commit it before anything else (Find finds it again).
func (c *Client) Get(ctx context.Context, typ string) (*Result, error) {
	msg, err := BuildGet(Query{ITSystem: c.ITSystem, NodeID: c.NodeID, Type: typ})
	if err != nil {
		return nil, err
	}
	xml, err := c.call(ctx, "Get", msg)
	if err != nil {
		return nil, err
	}
	return ParseGet(xml, c.max())
}

// Find searches the messages our information system sent or received;
// nothing is taken from the queue.
func (c *Client) Find(ctx context.Context, s Search) ([]*Result, error) {
	s.ITSystem = c.ITSystem
	msg, err := BuildFind(s)
	if err != nil {
		return nil, err
	}
	xml, err := c.call(ctx, "Find", msg)
	if err != nil {
		return nil, err
	}
	return ParseFind(xml, c.max())
}
