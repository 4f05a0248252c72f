//go:build unix

package cli

import "syscall"

// maxRSSMB is the process's peak resident memory in MB (Linux reports KB).
func maxRSSMB() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024
}
