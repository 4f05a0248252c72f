package cli

import (
	"fmt"
	"runtime"

	"github.com/mezhved/mezhved/version"
)

func init() {
	Register(&Command{
		Path:  "version",
		Short: "print the version of this build",
		Run: func(env *Env) int {
			fmt.Fprintf(env.Stdout, "mezhved %s (commit %s, %s, %s/%s)\n", version.Version, version.Commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return 0
		},
	})
}
