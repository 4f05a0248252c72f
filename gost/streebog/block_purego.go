//go:build !amd64 || purego

package streebog

func compress(h *state, n uint64, m *state) { compressGeneric(h, n, m) }

func (d *digest) blocks(p []byte) { d.blocksGeneric(p) }
