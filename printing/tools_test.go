package printing

import (
	"bufio"
	"bytes"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/internal/testtool"
)

// needTool finds a Debian tool. It fails in CI (CI=true) and skips locally
// when the tool is missing.
func needTool(t testing.TB, name, pkg string) string {
	t.Helper()
	return testtool.Require(t, name, pkg)
}

func writeTemp(t testing.TB, pdf []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

func run(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v: %s", name, args, err, stderr.String())
	}
	return out
}

// pdfText is the text of the PDF (or of page first..last when given) as
// pdftotext extracts it, with runs of white space collapsed to one space.
func pdfText(t testing.TB, pdf []byte, pages ...int) string {
	t.Helper()
	needTool(t, "pdftotext", "poppler-utils")
	args := []string{"-enc", "UTF-8"}
	if len(pages) == 2 {
		args = append(args, "-f", strconv.Itoa(pages[0]), "-l", strconv.Itoa(pages[1]))
	}
	args = append(args, writeTemp(t, pdf), "-")
	return strings.Join(strings.Fields(string(run(t, "pdftotext", args...))), " ")
}

// pageTexts is the text of every page, white space collapsed.
func pageTexts(t testing.TB, pdf []byte) []string {
	t.Helper()
	needTool(t, "pdftotext", "poppler-utils")
	raw := string(run(t, "pdftotext", "-enc", "UTF-8", writeTemp(t, pdf), "-"))
	parts := strings.Split(raw, "\f")
	if len(parts) > 0 && strings.TrimSpace(parts[len(parts)-1]) == "" {
		parts = parts[:len(parts)-1]
	}
	for i, p := range parts {
		parts[i] = strings.Join(strings.Fields(p), " ")
	}
	return parts
}

type word struct {
	Text string
	Box  Rect
}

type bboxPage struct {
	W, H  float64
	Words []word
}

var (
	rePage = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	reWord = regexp.MustCompile(`<word xMin="([0-9.-]+)" yMin="([0-9.-]+)" xMax="([0-9.-]+)" yMax="([0-9.-]+)">(.*)</word>`)
)

// wordBoxes runs `pdftotext -bbox-layout` and returns every page's word boxes.
func wordBoxes(t testing.TB, pdf []byte) []bboxPage {
	t.Helper()
	needTool(t, "pdftotext", "poppler-utils")
	out := run(t, "pdftotext", "-bbox-layout", "-enc", "UTF-8", writeTemp(t, pdf), "-")
	var pages []bboxPage
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	num := func(s string) float64 {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("bad number %q in pdftotext output", s)
		}
		return f
	}
	for sc.Scan() {
		ln := sc.Text()
		if m := rePage.FindStringSubmatch(ln); m != nil {
			pages = append(pages, bboxPage{W: num(m[1]), H: num(m[2])})
			continue
		}
		if m := reWord.FindStringSubmatch(ln); m != nil {
			if len(pages) == 0 {
				t.Fatal("word before page in pdftotext -bbox-layout output")
			}
			x0, y0, x1, y1 := num(m[1]), num(m[2]), num(m[3]), num(m[4])
			p := &pages[len(pages)-1]
			p.Words = append(p.Words, word{Text: html.UnescapeString(m[5]), Box: Rect{x0, y0, x1 - x0, y1 - y0}})
		}
	}
	return pages
}

// keepArtifacts saves the PDF and its pages as PNG in artifacts/print/ at
// the root of the repository, for people to look at.
func keepArtifacts(t testing.TB, name string, pdf []byte, pages ...int) {
	t.Helper()
	needTool(t, "pdftoppm", "poppler-utils")
	dir := filepath.Join("..", "artifacts", "print")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	old, _ := filepath.Glob(filepath.Join(dir, name+"-*.png"))
	for _, o := range old {
		os.Remove(o)
	}
	f := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-png", "-r", "70"}
	if len(pages) == 2 {
		args = append(args, "-f", strconv.Itoa(pages[0]), "-l", strconv.Itoa(pages[1]))
	}
	args = append(args, f, filepath.Join(dir, name))
	run(t, "pdftoppm", args...)
	pngs, _ := filepath.Glob(filepath.Join(dir, name+"-*.png"))
	if len(pngs) == 0 {
		t.Fatalf("pdftoppm rendered no page of %s", f)
	}
}

// pdfPages is the number of pages pdfinfo counts.
func pdfPages(t testing.TB, pdf []byte) int {
	t.Helper()
	needTool(t, "pdfinfo", "poppler-utils")
	out := string(run(t, "pdfinfo", writeTemp(t, pdf)))
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo gave no page count:\n%s", out)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// physicalLines rebuilds each page's text line by line from the word boxes:
// words whose tops lie within 2 pt form a line, left to right. Table rows
// read as they are printed, whatever order the PDF draws them in.
func physicalLines(pages []bboxPage) []string {
	out := make([]string, len(pages))
	for i, p := range pages {
		ws := append([]word(nil), p.Words...)
		sort.SliceStable(ws, func(a, b int) bool { return ws[a].Box.Y < ws[b].Box.Y })
		var lines [][]word
		for _, w := range ws {
			if n := len(lines); n > 0 && w.Box.Y-lines[n-1][0].Box.Y < 2 {
				lines[n-1] = append(lines[n-1], w)
				continue
			}
			lines = append(lines, []word{w})
		}
		var b strings.Builder
		for _, ln := range lines {
			sort.SliceStable(ln, func(a, c int) bool { return ln[a].Box.X < ln[c].Box.X })
			for j, w := range ln {
				if j > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(w.Text)
			}
			b.WriteByte('\n')
		}
		out[i] = b.String()
	}
	return out
}
