package trust

import (
	"errors"
	"io"
	"io/fs"
	"os"

	"github.com/mezhved/mezhved/internal/fsutil"
)

// File modes of the store: only the user reads the trust settings.
const (
	dirMode  os.FileMode = 0o700
	fileMode os.FileMode = 0o600
)

// writeAtomic replaces path with data atomically (fsutil.WriteFileAtomic),
// readable by the owner only.
func writeAtomic(path string, data []byte) error { return fsutil.WriteFileAtomic(path, data, fileMode) }

// errTooLarge reports a stored file over its bound.
var errTooLarge = errors.New("file is larger than allowed")

// readBounded reads at most max bytes of path; ok is false when the file
// does not exist; a larger file is an error.
func readBounded(path string, max int64) (data []byte, ok bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, max+1))
	if err == nil && int64(len(data)) > max {
		err = errTooLarge
	}
	return data, true, err
}
