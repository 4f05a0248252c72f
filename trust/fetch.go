package trust

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Bounds of CRL downloads.
const (
	// MaxCRLSize is the largest CRL accepted (downloaded, added or cached).
	// The CRLs of large accredited CAs run to tens of MiB.
	MaxCRLSize = 64 << 20
	// FetchTimeout bounds one CRL download by the default fetcher.
	FetchTimeout = 5 * time.Second
	// maxURLsPerCert is the most CRL addresses tried for one certificate.
	maxURLsPerCert = 4
	// failureTTL is how long an address that failed is not tried again.
	failureTTL = 5 * time.Minute
)

// Fetcher downloads a CRL. It must bound the time and the size itself.
type Fetcher interface {
	Fetch(ctx context.Context, url string) ([]byte, error)
}

// FetcherFunc adapts a function to Fetcher.
type FetcherFunc func(ctx context.Context, url string) ([]byte, error)

// Fetch calls f.
func (f FetcherFunc) Fetch(ctx context.Context, url string) ([]byte, error) { return f(ctx, url) }

// HTTPFetcher downloads CRLs with HTTP GET.
type HTTPFetcher struct {
	// Client is used for the requests; nil means a client with
	// FetchTimeout as its timeout.
	Client *http.Client
	// Timeout bounds one download (default FetchTimeout), on top of the
	// client's own.
	Timeout time.Duration
	// MaxBytes is the largest body accepted (default MaxCRLSize).
	MaxBytes int64
}

var defaultClient = &http.Client{Timeout: FetchTimeout}

// Fetch downloads url (http or https only) and returns its body, refusing
// a status other than 200 and a body over MaxBytes.
func (f *HTTPFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	if !isFetchableURL(url) {
		return nil, fmt.Errorf("not an http(s) URL: %.100q", url)
	}
	timeout, max, client := f.Timeout, f.MaxBytes, f.Client
	if timeout <= 0 {
		timeout = FetchTimeout
	}
	if max <= 0 {
		max = MaxCRLSize
	}
	if client == nil {
		client = defaultClient
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %s", resp.Status)
	}
	if resp.ContentLength > max {
		return nil, fmt.Errorf("CRL of %d bytes is over the limit of %d", resp.ContentLength, max)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > max {
		return nil, fmt.Errorf("CRL is over the limit of %d bytes", max)
	}
	return body, nil
}
