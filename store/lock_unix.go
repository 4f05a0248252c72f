//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/mezhved/mezhved/domain"
)

// dirLock is an exclusive advisory lock on <dir>/mezhved.lock; the kernel
// drops it when the process dies, so a crash never leaves a stale lock.
type dirLock struct{ f *os.File }

func lockDir(dir string) (*dirLock, error) {
	path := filepath.Join(dir, "mezhved.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, domain.Wrap(err, domain.EPERMISSION, "store.lock", fmt.Sprintf("Папка данных %s недоступна для записи.", dir))
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, domain.Wrap(err, domain.ELOCKED, "store.lock", fmt.Sprintf("Журнал в папке %s уже открыт другой копией Межведа. Закройте её или работайте в ней.", dir))
		}
		return nil, domain.Wrap(err, domain.EPERMISSION, "store.lock", "Не удалось заблокировать папку данных.")
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &dirLock{f: f}, nil
}

func (l *dirLock) release() {
	if l == nil || l.f == nil {
		return
	}
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	l.f.Close()
	l.f = nil
}
