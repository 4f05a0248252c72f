package printing

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/phpdave11/gofpdi"
)

// Attachment is a file that came with a reply. A PDF (recognised by its
// content) is appended to the printout page by page; any other file is listed
// by name, size and SHA-256. When Data is nil the file is only described, by
// Size and SHA256.
type Attachment struct {
	Name   string
	Data   []byte
	Size   int64  // used when Data is nil
	SHA256 string // hex, used when Data is nil
}

// AttachmentStatus says what the printout did with an attachment.
type AttachmentStatus int

const (
	// AttachmentAppended: a PDF whose pages follow the reply.
	AttachmentAppended AttachmentStatus = iota + 1
	// AttachmentListed: not a PDF, listed by name, size and checksum.
	AttachmentListed
	// AttachmentFailed: a PDF (or a file named .pdf) that could not be
	// imported; the printout says so in the list of attachments.
	AttachmentFailed
)

// AttachmentResult reports one attachment of a printed reply.
type AttachmentResult struct {
	Name      string
	Status    AttachmentStatus
	Pages     int // pages appended (AttachmentAppended)
	FirstPage int // number of its first page in the PDF, 1-based (AttachmentAppended)
	Err       error
}

// maxAttachmentPages bounds what a single attachment may add to a printout.
const maxAttachmentPages = 2000

type pageSize struct{ W, H float64 }

// probed is an attachment after inspection.
type probed struct {
	name   string
	data   []byte
	size   int64
	sum    string
	isPDF  bool
	pages  int
	sizes  []pageSize
	err    error
	why    string // the reason of a failure, in Russian, for the list of attachments
	status AttachmentStatus
}

func looksPDF(data []byte) bool {
	head := data[:min(len(data), 1024)]
	return bytes.Contains(head, []byte("%PDF-"))
}

// probe inspects an attachment and, for a PDF, imports it into a scratch
// importer to learn whether the real import will succeed.
func probe(a Attachment) *probed {
	p := &probed{name: a.Name, data: a.Data, size: a.Size, sum: strings.ToLower(a.SHA256)}
	if a.Data != nil {
		s := sha256.Sum256(a.Data)
		p.size, p.sum = int64(len(a.Data)), hex.EncodeToString(s[:])
	}
	named := strings.HasSuffix(strings.ToLower(a.Name), ".pdf")
	switch {
	case a.Data != nil && looksPDF(a.Data):
		p.isPDF = true
	case named && a.Data == nil:
		p.isPDF, p.err, p.why = true, fmt.Errorf("the file's content was not given"), "содержимое файла не передано для печати"
	case named:
		p.isPDF, p.err, p.why = true, fmt.Errorf("the file is named .pdf but is not a PDF"), "файл назван .pdf, но не является документом PDF"
	default:
		p.status = AttachmentListed
		return p
	}
	if p.err == nil && bytes.Contains(a.Data, []byte("/Encrypt")) {
		p.err, p.why = fmt.Errorf("the PDF is encrypted"), "документ PDF зашифрован"
	}
	if p.err == nil {
		p.pages, p.sizes, p.err = tryImport(a.Data)
		p.why = "файл PDF повреждён или в нём есть то, что программа не умеет переносить"
		if p.err != nil && p.pages > maxAttachmentPages {
			p.why = "в документе больше " + itoa(maxAttachmentPages) + " страниц"
		}
	}
	if p.err != nil {
		p.status, p.pages, p.sizes = AttachmentFailed, 0, nil
		return p
	}
	p.status = AttachmentAppended
	return p
}

func tryImport(data []byte) (n int, sizes []pageSize, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, sizes, err = 0, nil, fmt.Errorf("cannot import the PDF: %v", r)
		}
	}()
	imp := gofpdi.NewImporter()
	rs := io.ReadSeeker(newGuard(data))
	imp.SetSourceStream(&rs)
	n = imp.GetNumPages()
	if n < 1 {
		return 0, nil, fmt.Errorf("the PDF has no pages")
	}
	if n > maxAttachmentPages {
		return n, nil, fmt.Errorf("the PDF has %d pages, more than %d", n, maxAttachmentPages)
	}
	for i := 1; i <= n; i++ {
		tpl := imp.ImportPage(i, "/MediaBox")
		// the page's size as shown, /Rotate applied: UseTemplate with no
		// size gives the height; with width 1, the height/width ratio
		_, _, _, _, ty := imp.UseTemplate(tpl, 0, 0, 0, 0)
		_, _, _, _, ty1 := imp.UseTemplate(tpl, 0, 0, 1, 0)
		h := -ty
		w := h / -ty1
		if !(w > 1 && h > 1 && w < 14400 && h < 14400) {
			return 0, nil, fmt.Errorf("page %d has no usable MediaBox", i)
		}
		sizes = append(sizes, pageSize{w, h})
	}
	imp.PutFormXobjects()
	imp.GetImportedObjects()
	return n, sizes, nil
}

// errReadBudget stops gofpdi when it reads far more than the file holds: on
// some damaged files (a truncated tail, an unterminated dictionary) its
// parser loops at the end of the file for ever.
var errReadBudget = errors.New("the PDF is damaged: the reader went round in circles")

// guard is the attachment's bytes with a budget of reads. Exhausting it
// panics; tryImport and render recover.
type guard struct {
	r            *bytes.Reader
	calls, bytes int64
}

func newGuard(data []byte) *guard {
	n := int64(len(data))
	return &guard{r: bytes.NewReader(data), calls: 4*n + 100_000, bytes: 64*n + 64<<20}
}

func (g *guard) Read(p []byte) (int, error) {
	g.calls--
	n, err := g.r.Read(p)
	g.bytes -= int64(n)
	if g.calls < 0 || g.bytes < 0 {
		panic(errReadBudget)
	}
	return n, err
}

func (g *guard) Seek(off int64, whence int) (int64, error) {
	g.calls--
	if g.calls < 0 {
		panic(errReadBudget)
	}
	return g.r.Seek(off, whence)
}
