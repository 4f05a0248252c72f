// Command mezhved is the clerk's desktop agent for interagency requests.
// Without arguments it opens the window; with a subcommand it runs headless.
package main

import (
	"os"
	"time"

	"github.com/mezhved/mezhved/cli"
)

// processStart is when the process began, for the start-up measurement.
var processStart = time.Now()

func main() {
	// A dev build (-tags dev) is the window only: Wails reads its own flags
	// (-devserver, -assetdir…) from the command line.
	if len(os.Args) > 1 && !devBuild {
		os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(runWindow())
}
