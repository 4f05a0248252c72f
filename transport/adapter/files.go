package adapter

import (
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/fsutil"
	"github.com/mezhved/mezhved/transport"
)

// Files is the adapter's attachment store as this workstation sees it:
// the 2018 interface passes files by path (AttachmentHeader/filePath), the
// bytes lie in a directory both sides reach (the adapter's "base storage"
// folder shared over the protected network).
type Files struct {
	Dir string // where this workstation reads and writes the files
	// Prefix is how the adapter names Dir in filePath ("" : paths relative
	// to its store, as most adapters are set up; or "/smev/files/").
	Prefix string
	// Max bounds one file read (default 50 MiB).
	Max int64
}

func (f *Files) max() int64 {
	if f.Max > 0 {
		return f.Max
	}
	return 50 << 20
}

var extByMime = map[string]string{"application/pdf": ".pdf", "application/xml": ".xml", "text/xml": ".xml",
	"image/jpeg": ".jpg", "image/png": ".png", "application/zip": ".zip"}

// Put writes the files of message clientID into the store (clientID/name,
// atomically; the same message written again gives the same files) and
// returns their references.
func (f *Files) Put(clientID string, atts []transport.Attachment) ([]FileRef, error) {
	if len(atts) == 0 {
		return nil, nil
	}
	if f == nil || f.Dir == "" {
		return nil, domain.Errorf(domain.EINVALID, "Для отправки файлов через адаптер СМЭВ задайте папку вложений адаптера (настройка %s).", SettingFilesDir)
	}
	if !filepath.IsLocal(clientID) || strings.ContainsAny(clientID, `/\`) {
		return nil, domain.Errorf(domain.EINVALID, "Неверный идентификатор сообщения для папки вложений: %q.", clientID)
	}
	dir := filepath.Join(f.Dir, clientID)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, domain.Wrap(err, domain.EPERMISSION, "adapter.Files.Put", "Не удалось создать папку вложений адаптера СМЭВ: "+dir+".")
	}
	out := make([]FileRef, 0, len(atts))
	for _, a := range atts {
		name := a.ContentID + extByMime[a.MimeType]
		if !filepath.IsLocal(name) || strings.ContainsAny(name, `/\`) {
			return nil, domain.Errorf(domain.EINVALID, "Неверное имя вложения %q.", a.ContentID)
		}
		if err := fsutil.WriteFileAtomic(filepath.Join(dir, name), a.Content, 0o640); err != nil {
			return nil, domain.Wrap(err, domain.EPERMISSION, "adapter.Files.Put", "Не удалось записать вложение в папку адаптера СМЭВ.")
		}
		out = append(out, FileRef{Path: f.Prefix + clientID + "/" + name, Signature: a.Signature})
	}
	return out, nil
}

// Read returns the bytes of a file the adapter named. The path comes from
// the other side: it must name a file inside the store (relative, or under
// Prefix), never elsewhere on this machine.
func (f *Files) Read(p string) ([]byte, error) {
	if f == nil || f.Dir == "" {
		return nil, domain.Errorf(domain.EINVALID, "Вложение %q не прочитано: папка вложений адаптера СМЭВ не задана (настройка %s).", p, SettingFilesDir)
	}
	rel := strings.ReplaceAll(p, `\`, "/")
	if f.Prefix != "" {
		if !strings.HasPrefix(rel, f.Prefix) {
			return nil, domain.Errorf(domain.EINVALID, "Вложение вне папки адаптера СМЭВ: %q.", p)
		}
		rel = strings.TrimPrefix(rel, f.Prefix)
	}
	rel = strings.TrimPrefix(rel, "./")
	if rel == "" || path.IsAbs(rel) || !filepath.IsLocal(filepath.FromSlash(rel)) || path.Clean(rel) != rel {
		return nil, domain.Errorf(domain.EINVALID, "Вложение вне папки адаптера СМЭВ: %q.", p)
	}
	// os.Root refuses any way out of the store, symbolic links included.
	root, err := os.OpenRoot(f.Dir)
	if err != nil {
		return nil, domain.Wrap(err, domain.ENOTFOUND, "adapter.Files.Read", "Папка вложений адаптера СМЭВ недоступна: "+f.Dir+".")
	}
	defer root.Close()
	fh, err := root.Open(filepath.FromSlash(rel))
	if err != nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "Вложение %q не найдено в папке адаптера СМЭВ.", p)
	}
	defer fh.Close()
	if fi, err := fh.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, domain.Errorf(domain.ENOTFOUND, "Вложение %q не найдено в папке адаптера СМЭВ.", p)
	}
	b, err := io.ReadAll(io.LimitReader(fh, f.max()+1))
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "adapter.Files.Read", "Вложение "+p+" не прочитано из папки адаптера СМЭВ.")
	}
	if int64(len(b)) > f.max() {
		return nil, domain.Errorf(domain.EINVALID, "Вложение %q больше допустимого (%d байт).", p, f.max())
	}
	return b, nil
}
