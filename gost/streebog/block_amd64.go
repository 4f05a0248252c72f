//go:build amd64 && !purego

package streebog

//go:generate go run gen_block_amd64.go

//go:noescape
func compressAsm(h *state, n uint64, m *state)

func compress(h *state, n uint64, m *state) { compressAsm(h, n, m) }
