package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/signer/keys"
)

// Limits bound what the client reads and sends.
type Limits struct {
	MaxResponse    int64 // a whole HTTP answer (XML and MTOM parts); default 64 MiB
	MaxAttachments int64 // the attachments of one message together; default 50 MiB
}

func (l Limits) response() int64 {
	if l.MaxResponse > 0 {
		return l.MaxResponse
	}
	return 64 << 20
}

func (l Limits) attachments() int64 {
	if l.MaxAttachments > 0 {
		return l.MaxAttachments
	}
	return 50 << 20
}

// Endpoint is where and how the client speaks to the SMEV node.
type Endpoint struct {
	URL     string // https://host:port/path, or http:// when Plain is allowed
	Version string // "1.3" (default) or "1.2"
	// AllowPlainHTTP permits an http:// URL: a node inside the protected
	// network (ViPNet) set up without TLS. The window must say plainly
	// that the channel is not encrypted by the program (Endpoint.Plain).
	AllowPlainHTTP bool
	TLS            *tls.Config   // client certificate and the node's pinned CA (see ClientTLS)
	Timeout        time.Duration // per call; default 60 s
	Limits         Limits
}

// Plain reports whether the endpoint speaks plain HTTP.
func (e *Endpoint) Plain() bool { return strings.HasPrefix(strings.ToLower(e.URL), "http://") }

// ChannelDescription is a sentence for the window about the channel.
func (e *Endpoint) ChannelDescription() string {
	if e.Plain() {
		return "Соединение со СМЭВ без шифрования (HTTP): защиту канала должна обеспечивать защищённая сеть (ViPNet)."
	}
	return "Соединение со СМЭВ по HTTPS с сертификатом клиента; сертификат узла проверяется по закреплённому корневому сертификату."
}

// Client calls SMEV operations on one endpoint, signing with one key (the
// information system's key for ЭП-ОВ).
type Client struct {
	*HTTP
	ep  Endpoint
	ns  NS
	key keys.Key
	now func() time.Time
}

// HTTP posts SOAP 1.1 bodies to one endpoint: mutual TLS (or plain HTTP
// inside the protected network when allowed), timeouts, bounded reads, no
// proxies. The SMEV client and the adapter client (transport/adapter) both
// speak through it.
type HTTP struct {
	ep   Endpoint
	peer string // "узла СМЭВ", "адаптера СМЭВ": whom the clerk's messages name
	http *http.Client
}

// NewHTTP checks the endpoint and returns its poster. peer names the other
// side in the clerk's messages, in the genitive ("адаптера СМЭВ"); empty:
// "узла СМЭВ".
func NewHTTP(ep Endpoint, peer string) (*HTTP, error) {
	if peer == "" {
		peer = "узла СМЭВ"
	}
	u, err := url.Parse(ep.URL)
	if err != nil || u.Host == "" {
		return nil, domain.Errorf(domain.EINVALID, "Неверный адрес %s: %q.", peer, ep.URL)
	}
	switch u.Scheme {
	case "https":
		if ep.TLS == nil || len(ep.TLS.Certificates) == 0 && ep.TLS.GetClientCertificate == nil {
			return nil, domain.Errorf(domain.EINVALID, "Для HTTPS нужен сертификат клиента (взаимная аутентификация TLS).")
		}
		if ep.TLS.RootCAs == nil {
			return nil, domain.Errorf(domain.EINVALID, "Для HTTPS нужен закреплённый корневой сертификат %s.", peer)
		}
	case "http":
		if !ep.AllowPlainHTTP {
			return nil, domain.Errorf(domain.EINVALID, "Адрес %s без шифрования (http://) разрешён только при явной настройке «HTTP внутри защищённой сети».", peer)
		}
	default:
		return nil, domain.Errorf(domain.EINVALID, "Неверная схема адреса %s: %q (нужно https:// или http://).", peer, u.Scheme)
	}
	if ep.Timeout <= 0 {
		ep.Timeout = 60 * time.Second
	}
	tr := &http.Transport{
		TLSClientConfig:       ep.TLS,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: ep.Timeout,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       60 * time.Second,
		Proxy:                 nil, // the protected network is direct; no environment proxies
	}
	return &HTTP{ep: ep, peer: peer, http: &http.Client{Transport: tr, Timeout: ep.Timeout}}, nil
}

// Endpoint returns the endpoint (with its default timeout).
func (h *HTTP) Endpoint() Endpoint { return h.ep }

// NewClient checks the endpoint and returns a client. key signs ЭП-ОВ.
func NewClient(ep Endpoint, key keys.Key) (*Client, error) {
	ns, err := Namespaces(ep.Version)
	if err != nil {
		return nil, err
	}
	h, err := NewHTTP(ep, "")
	if err != nil {
		return nil, err
	}
	if key == nil {
		return nil, domain.Errorf(domain.EINVALID, "Не задан ключ ЭП-ОВ.")
	}
	return &Client{HTTP: h, ep: h.ep, ns: ns, key: key, now: time.Now}, nil
}

// NS returns the namespaces the client speaks.
func (c *Client) NS() NS { return c.ns }

// Key returns the ЭП-ОВ key.
func (c *Client) Key() keys.Key { return c.key }

// Close drops idle connections.
func (h *HTTP) Close() { h.http.CloseIdleConnections() }

// NetError is a failure to reach the node or to read its answer: always
// worth a retry.
type NetError struct {
	Op   string
	Err  error
	Peer string // whom it failed to reach (genitive); empty: the SMEV node
}

func (e *NetError) Error() string { return "smev " + e.Op + ": " + e.Err.Error() }
func (e *NetError) Unwrap() error { return e.Err }

// As lets a network failure read as a coded error for the clerk (a network
// problem, EUNAVAILABLE), never as an internal error of the program: a node
// that closes the connection mid-call is a network problem.
func (e *NetError) As(target any) bool {
	t, ok := target.(**domain.Error)
	if ok {
		msg := "Нет связи с узлом СМЭВ: соединение прервано или узел не ответил. Проверьте сеть; программа повторит попытку сама."
		if e.Peer != "" && e.Peer != "узла СМЭВ" {
			msg = "Нет связи с " + e.Peer + ": соединение прервано или он не ответил. Проверьте сеть; программа повторит попытку сама."
		}
		*t = domain.Wrap(e.Err, domain.EUNAVAILABLE, "transport."+e.Op, msg)
	}
	return ok
}

// ErrTooLarge is returned when an answer is larger than Limits.MaxResponse.
var ErrTooLarge = errors.New("the answer exceeds the size limit")

// Post sends a SOAP body (text/xml, or a multipart body with its content
// type) for operation op (SOAPAction "urn:op") and returns the answer's
// XML part, its MTOM parts and the HTTP status. Network trouble and a 5xx
// answer without XML come back as *NetError; the size is bounded by
// Limits.MaxResponse.
func (h *HTTP) Post(ctx context.Context, op string, body []byte, contentType string) ([]byte, map[string][]byte, int, error) {
	ctx, cancel := context.WithTimeout(ctx, h.ep.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.ep.URL, bytes.NewReader(body))
	if err != nil {
		return nil, nil, 0, domain.Wrap(err, domain.EINVALID, "transport.Call", "Неверный адрес "+h.peer+".")
	}
	if contentType == "" {
		contentType = "text/xml; charset=utf-8"
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("SOAPAction", `"urn:`+op+`"`)
	resp, err := h.http.Do(req)
	if err != nil {
		return nil, nil, 0, &NetError{op, err, h.peer}
	}
	defer resp.Body.Close()
	limit := h.ep.Limits.response()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, nil, resp.StatusCode, &NetError{op, err, h.peer}
	}
	if int64(len(raw)) > limit {
		return nil, nil, resp.StatusCode, domain.Wrap(ErrTooLarge, domain.EINVALID, "transport.Call",
			fmt.Sprintf("Ответ %s больше допустимого (%d байт). Увеличьте предел или обратитесь к администратору узла.", h.peer, limit))
	}
	xml, parts, err := SplitMTOM(resp.Header.Get("Content-Type"), raw, h.ep.Limits)
	if err != nil {
		return nil, nil, resp.StatusCode, err
	}
	return xml, parts, resp.StatusCode, nil
}

// Call posts an envelope (text/xml, or a multipart body with its content
// type) for operation op and returns the parsed answer and its MTOM parts.
// A SOAP fault comes back as *Fault; network trouble as *NetError.
func (c *Client) Call(ctx context.Context, op string, body []byte, contentType string) (*Envelope, map[string][]byte, error) {
	xml, parts, status, err := c.Post(ctx, op, body, contentType)
	if err != nil {
		return nil, nil, err
	}
	limit := c.ep.Limits.response()
	env, err := ParseEnvelope(xml, int(limit))
	var f *Fault
	if errors.As(err, &f) {
		return env, parts, f
	}
	if err != nil {
		if status >= 500 {
			return nil, nil, &NetError{Op: op, Err: fmt.Errorf("HTTP %d %s", status, http.StatusText(status))}
		}
		return nil, nil, err
	}
	if status != http.StatusOK {
		return nil, nil, &NetError{Op: op, Err: fmt.Errorf("HTTP %d %s", status, http.StatusText(status))}
	}
	return env, parts, nil
}

// signed signs the element id of an unsigned envelope with ЭП-ОВ.
func (c *Client) signed(doc []byte, id string, atts map[string][]byte) ([]byte, error) {
	var opt *signer.SignOptions
	if len(atts) > 0 {
		opt = &signer.SignOptions{Attachments: atts}
	}
	return signer.Sign(doc, id, signer.KindSystem, c.key, opt)
}

// SendSigned posts a signed SendRequest/SendResponse envelope (from the
// outbox) and returns SMEV's metadata.
func (c *Client) SendSigned(ctx context.Context, op string, envelope []byte, contentType string) (Metadata, error) {
	env, _, err := c.Call(ctx, op, envelope, contentType)
	if err != nil {
		return Metadata{}, err
	}
	return ParseSendResult(env)
}

// GetResponse takes the next answer from our response queue; nil when it is
// empty.
func (c *Client) GetResponse(ctx context.Context, sel Selector) (*Response, error) {
	doc, err := BuildGetResponse(c.ns, sel, c.now())
	if err != nil {
		return nil, err
	}
	if doc, err = c.signed(doc, IDSelector, nil); err != nil {
		return nil, err
	}
	env, parts, err := c.Call(ctx, "GetResponse", doc, "")
	if err != nil {
		return nil, err
	}
	return ParseGetResponse(env, parts)
}

// GetRequest takes the next incoming request; nil when the queue is empty.
func (c *Client) GetRequest(ctx context.Context, sel Selector) (*Request, error) {
	doc, err := BuildGetRequest(c.ns, sel, c.now())
	if err != nil {
		return nil, err
	}
	if doc, err = c.signed(doc, IDSelector, nil); err != nil {
		return nil, err
	}
	env, parts, err := c.Call(ctx, "GetRequest", doc, "")
	if err != nil {
		return nil, err
	}
	return ParseGetRequest(env, parts)
}

// Ack confirms a message taken by Get*: SMEV's MessageMetadata/MessageId.
func (c *Client) Ack(ctx context.Context, messageID string, accepted bool) error {
	doc, err := BuildAck(c.ns, messageID, accepted)
	if err != nil {
		return err
	}
	if doc, err = c.signed(doc, IDAck, nil); err != nil {
		return err
	}
	env, _, err := c.Call(ctx, "Ack", doc, "")
	if err != nil {
		return err
	}
	if env.Name != "AckResponse" {
		return domain.Errorf(domain.EINVALID, "Неожиданный ответ СМЭВ на Ack: %s.", env.Name)
	}
	return nil
}

// GetStatus takes the next asynchronous status; nil when there is none.
func (c *Client) GetStatus(ctx context.Context) (*Status, error) {
	doc, err := c.signed(BuildGetStatus(c.ns, c.now()), IDTimestamp, nil)
	if err != nil {
		return nil, err
	}
	env, _, err := c.Call(ctx, "GetStatus", doc, "")
	if err != nil {
		return nil, err
	}
	return ParseGetStatus(env)
}
