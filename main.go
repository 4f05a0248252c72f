// Command mezhved is the clerk's desktop agent for interagency requests.
// Without arguments it opens the window; with a subcommand it runs headless.
package main

import (
	"os"

	"github.com/mezhved/mezhved/cli"
)

func main() {
	if len(os.Args) > 1 {
		os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(runWindow())
}
