//go:build windows

package store

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"

	"github.com/mezhved/mezhved/domain"
)

// dirLock is an exclusive lock on <dir>/mezhved.lock held for the life of
// the process; Windows releases it when the process ends.
type dirLock struct{ f *os.File }

func lockDir(dir string) (*dirLock, error) {
	path := filepath.Join(dir, "mezhved.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, domain.Wrap(err, domain.EPERMISSION, "store.lock", fmt.Sprintf("Папка данных %s недоступна для записи.", dir))
	}
	ol := new(windows.Overlapped)
	err = windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	if err != nil {
		f.Close()
		return nil, domain.Wrap(err, domain.ELOCKED, "store.lock", fmt.Sprintf("Журнал в папке %s уже открыт другой копией Межведа. Закройте её или работайте в ней.", dir))
	}
	return &dirLock{f: f}, nil
}

func (l *dirLock) release() {
	if l == nil || l.f == nil {
		return
	}
	windows.UnlockFileEx(windows.Handle(l.f.Fd()), 0, 1, 0, new(windows.Overlapped))
	l.f.Close()
	l.f = nil
}
