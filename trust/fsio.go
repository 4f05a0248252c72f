package trust

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// File modes of the store: only the user reads the trust settings.
const (
	dirMode  os.FileMode = 0o700
	fileMode os.FileMode = 0o600
)

// writeAtomic replaces path with data: a temporary file in the same
// directory, written, set to 0600, synced, renamed over path, then the
// directory synced, so that after a crash path holds the old content or the
// new, never a mix. A failure leaves path as it was and no temporary file.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(fileMode)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err == nil {
		syncDir(dir)
	}
	return err
}

// syncDir makes a rename in dir durable where the system allows it (not
// on Windows, where opening a directory for sync fails: ignored).
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

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
