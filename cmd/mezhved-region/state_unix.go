//go:build unix

package main

import (
	"fmt"
	"os"
	"syscall"
)

// foreignOwner refuses to work as root in a state folder that belongs to
// the server's own user: files made there by root could not be read by the
// server afterwards.
func foreignOwner(dir string, fi os.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || os.Geteuid() != 0 || st.Uid == 0 {
		return nil
	}
	return fmt.Errorf("папка %s принадлежит пользователю сервера (uid %d): выполните команду от его имени, например: sudo -u mezhved-region mezhved-region …", dir, st.Uid)
}
