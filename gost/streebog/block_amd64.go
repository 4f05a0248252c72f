//go:build amd64 && !purego

package streebog

//go:generate go run gen_block_amd64.go

//go:noescape
func compressAsm(h *state, n uint64, m *state)

func compress(h *state, n uint64, m *state) { compressAsm(h, n, m) }

//go:noescape
func blocksAsm(h, sigma *state, n uint64, p []byte)

// blocks hashes the whole blocks of p (len(p) a non-zero multiple of
// BlockSize) into d, the loop in assembly reading the blocks in place.
func (d *digest) blocks(p []byte) {
	blocksAsm(&d.h, &d.sigma, d.n, p)
	d.n += uint64(len(p)) * 8
}
