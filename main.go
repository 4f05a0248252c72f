// Command mezhved is the clerk's desktop agent for interagency requests.
// Without arguments it opens the window; with a subcommand it runs headless.
package main

import (
	"os"
	"strconv"
	"time"

	"github.com/mezhved/mezhved/cli"
)

// processStart is when the user started mezhved, for the start-up
// measurement (the headless launcher passes its own start on).
var processStart = started()

// envStarted carries the start moment from the headless launcher to the
// window program it hands over to.
const envStarted = "MEZHVED_STARTED_NS"

func started() time.Time {
	if ns, err := strconv.ParseInt(os.Getenv(envStarted), 10, 64); err == nil && ns > 0 {
		os.Unsetenv(envStarted)
		return time.Unix(0, ns)
	}
	return time.Now()
}

func main() {
	// A dev build (-tags dev) is the window only: Wails reads its own flags
	// (-devserver, -assetdir…) from the command line.
	if len(os.Args) > 1 && !devBuild {
		os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(runWindow())
}
