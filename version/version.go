// Package version tells which build this is. Version is set at link time:
// -ldflags "-X github.com/mezhved/mezhved/version.Version=1.2.3".
package version

// Version of the build; "dev" for a build from a working tree.
var Version = "0.1.0-dev"
