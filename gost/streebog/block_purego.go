//go:build !amd64 || purego

package streebog

func compress(h *state, n uint64, m *state) { compressGeneric(h, n, m) }
