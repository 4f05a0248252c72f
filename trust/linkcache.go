package trust

import "sync"

// goodLinks remembers which issuer's key was checked to have signed which
// certificate (by the SHA-256 of both), so the chains of the same
// providers' answers are not checked again with every message: whether a
// key signed a given certificate never changes. Only the signature is
// remembered; validity periods, key usage, path rules and revocation are
// judged on every path. Only links of paths that reached an anchor are
// kept (builder.remember). Bounded: emptied when full.
type linkCache struct {
	mu sync.Mutex
	ok map[[2][32]byte]struct{}
}

const maxGoodLinks = 4096

var goodLinks = &linkCache{ok: map[[2][32]byte]struct{}{}}

func (c *linkCache) has(k [2][32]byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.ok[k]
	return ok
}

func (c *linkCache) add(k [2][32]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.ok) >= maxGoodLinks {
		clear(c.ok)
	}
	c.ok[k] = struct{}{}
}
