// Command mezhved-headless is the mezhved command line (package cli) without
// the window: the same `sign`, `verify`… code, but a binary that does not
// link WebKitGTK. bench/xmldsig-vs-xmlsec1.sh times it next to the real
// binary to show what process start-up costs.
package main

import (
	"os"

	"github.com/mezhved/mezhved/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
