package printing

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// PageImages renders the first pages of a PDF as PNG images for the
// window's preview: the page itself, as it will print. It runs Poppler's
// pdftoppm (poppler-utils; on Windows next to the program, else on PATH) on
// a private temporary copy, at dpi dots per inch, for at most maxPages
// pages and 30 seconds. Without pdftoppm it is EUNSUPPORTED: the window
// then describes the document in words.
func PageImages(ctx context.Context, pdf []byte, maxPages, dpi int) ([][]byte, error) {
	const op = "printing.PageImages"
	tool, err := pdftoppm()
	if err != nil {
		return nil, domain.Wrap(err, domain.EUNSUPPORTED, op, "Предпросмотр страниц недоступен: не найдена программа pdftoppm (пакет poppler-utils).")
	}
	if maxPages < 1 {
		maxPages = 1
	}
	if dpi < 30 || dpi > 300 {
		dpi = 72
	}
	dir, err := os.MkdirTemp("", "mezhved-preview-")
	if err != nil {
		return nil, domain.Wrap(err, domain.EUNAVAILABLE, op, "Не удалось подготовить предпросмотр.")
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		return nil, domain.Wrap(err, domain.EUNAVAILABLE, op, "Не удалось подготовить предпросмотр.")
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool, "-png", "-r", fmt.Sprint(dpi), "-f", "1", "-l", fmt.Sprint(maxPages), in, filepath.Join(dir, "page"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, domain.Wrap(fmt.Errorf("%w: %s", err, stderr.String()), domain.EUNAVAILABLE, op, "Предпросмотр страниц не получился: документ можно сохранить или напечатать.")
	}
	names, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
	// page-1.png … page-10.png (or page-01.png): by number, not by name
	sort.Slice(names, func(i, j int) bool {
		if len(names[i]) != len(names[j]) {
			return len(names[i]) < len(names[j])
		}
		return names[i] < names[j]
	})
	out := make([][]byte, 0, len(names))
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return nil, domain.Wrap(err, domain.EUNAVAILABLE, op, "Предпросмотр страниц не получился.")
		}
		out = append(out, b)
	}
	return out, nil
}

// pdftoppm finds Poppler's pdftoppm: beside the program first, then on PATH.
func pdftoppm() (string, error) {
	name := "pdftoppm"
	if exe, err := os.Executable(); err == nil {
		for _, n := range []string{name, name + ".exe"} {
			p := filepath.Join(filepath.Dir(exe), n)
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
				return p, nil
			}
		}
	}
	return exec.LookPath(name)
}
