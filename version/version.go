// Package version tells which build this is. Version and Commit are set at
// link time from git (scripts/version.sh):
// -ldflags "-X github.com/mezhved/mezhved/version.Version=1.2.3 -X github.com/mezhved/mezhved/version.Commit=1a2b3c4d5e6f".
package version

// Version of the build: from the git tag (vX.Y.Z), with the commits since
// it; "0.0.0-dev" for a build without the link flags.
var Version = "0.0.0-dev"

// Commit is the git commit the build was made from.
var Commit = "unknown"
