//go:build !unix

package store

import "os"

// narrowDir: on Windows the user's %APPDATA% is the user's own by its ACL.
func narrowDir(string, os.FileInfo) {}
