//go:build !unix

package cli

// maxRSSMB is not measured here.
func maxRSSMB() float64 { return 0 }
