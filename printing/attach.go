package printing

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
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

// probed is an attachment after inspection.
type probed struct {
	name   string
	data   []byte
	size   int64
	sum    string
	isPDF  bool
	pages  int
	err    error
	why    string // the reason of a failure, in Russian, for the list of attachments
	status AttachmentStatus
}

func looksPDF(data []byte) bool {
	head := data[:min(len(data), 1024)]
	return bytes.Contains(head, []byte("%PDF-"))
}

// probe inspects an attachment and, for a PDF, counts its pages. Whether it
// can really be appended is known only when appendAttachments has done it.
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
		p.pages, p.err = tryImport(a.Data)
		switch {
		case p.err == nil:
		case p.pages > maxAttachmentPages:
			p.why = "в документе больше " + itoa(maxAttachmentPages) + " страниц"
		case isPasswordError(p.err):
			p.why = "документ PDF защищён паролем"
		default:
			p.why = "файл PDF повреждён или программа не может его прочитать"
		}
	case named && a.Data == nil:
		p.isPDF, p.err, p.why = true, fmt.Errorf("the file's content was not given"), "содержимое файла не передано для печати"
	case named:
		p.isPDF, p.err, p.why = true, fmt.Errorf("the file is named .pdf but is not a PDF"), "файл назван .pdf, но не является документом PDF"
	default:
		p.status = AttachmentListed
		return p
	}
	if p.err != nil {
		p.status, p.pages = AttachmentFailed, 0
		return p
	}
	p.status = AttachmentAppended
	return p
}

func isPasswordError(err error) bool {
	s := strings.ToLower(err.Error())
	return strings.Contains(s, "password") || strings.Contains(s, "decrypt")
}

// tryImport counts the pages of a PDF with pdfcpu. pdfcpu turns its own
// panics into errors; the read budget of guard bounds the work on damaged
// files.
func tryImport(data []byte) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, fmt.Errorf("cannot read the PDF: %v", r)
		}
	}()
	n, err = api.PageCount(newGuard(data), pdfConf())
	if err != nil {
		return 0, err
	}
	if n < 1 {
		return 0, fmt.Errorf("the PDF has no pages")
	}
	if n > maxAttachmentPages {
		return n, fmt.Errorf("the PDF has %d pages, more than %d", n, maxAttachmentPages)
	}
	return n, nil
}

// appendAttachments appends the attachments that probe found appendable to
// the reply's own PDF, one by one, checking after each that the result has
// exactly the pages it should. pdfcpu's repair of damaged files is not
// deterministic (the same file may read once and fail the next time), so the
// probe's verdict is not trusted: the first attachment that fails here is
// returned by index (the caller marks it failed, lays the reply out again
// and calls again); -1 means all went in and out is the printout.
func appendAttachments(ours []byte, ourPages int, atts []*probed) (out []byte, bad int) {
	acc, n := ours, ourPages
	for i, a := range atts {
		if a.status != AttachmentAppended {
			continue
		}
		next, err := mergeTwo(acc, a.data)
		if err == nil {
			var got int
			if got, err = api.PageCount(bytes.NewReader(next), pdfConf()); err == nil && got != n+a.pages {
				err = fmt.Errorf("%d pages after appending %d pages to %d", got, a.pages, n)
			}
		}
		if err != nil {
			a.err = err
			return nil, i
		}
		acc, n = next, n+a.pages
	}
	return acc, -1
}

func mergeTwo(base, att []byte) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("cannot append the PDF: %v", r)
		}
	}()
	var buf bytes.Buffer
	if err := api.MergeRaw([]io.ReadSeeker{bytes.NewReader(base), newGuard(att)}, &buf, false, pdfConf()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func init() {
	// pdfcpu would otherwise read and write a configuration directory in the
	// user's profile; Mezhved configures it in code (pdfConf).
	model.ConfigPath = "disable"
}

// pdfConf is pdfcpu's configuration for appending attachments: relaxed
// validation, as real-world PDFs need.
func pdfConf() *model.Configuration {
	c := model.NewDefaultConfiguration()
	c.ValidationMode = model.ValidationRelaxed
	return c
}

// errReadBudget stops a PDF parser that reads far more than the file holds:
// on some damaged files (a truncated tail, an unterminated dictionary) a
// parser can loop at the end of the file for ever (gofpdi did).
var errReadBudget = errors.New("the PDF is damaged: the reader went round in circles")

// guard is the attachment's bytes with a budget of reads. Exhausting it
// panics; pdfcpu, tryImport and render recover.
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

// withInfo puts the title, subject and creator back into a merged printout:
// gopdf writes its information dictionary inline in the trailer, where pdfcpu
// does not see it. On any failure, or if the result does not have the pages
// it should, the printout is returned as it was.
func withInfo(pdf []byte, pages int, info docInfo) (out []byte) {
	defer func() {
		if recover() != nil {
			out = pdf
		}
	}()
	ctx, err := api.ReadAndValidate(bytes.NewReader(pdf), pdfConf())
	if err != nil {
		return pdf
	}
	if ctx.Info == nil {
		ir, err := ctx.IndRefForNewObject(types.NewDict())
		if err != nil {
			return pdf
		}
		ctx.Info = ir
	}
	d, err := ctx.DereferenceDict(*ctx.Info)
	if err != nil || d == nil {
		return pdf
	}
	for k, v := range map[string]string{"Title": info.title, "Subject": info.subject, "Creator": "Межвед"} {
		if v != "" {
			d.Update(k, types.NewHexLiteral([]byte(types.EncodeUTF16String(v))))
		}
	}
	var buf bytes.Buffer
	if err := api.WriteContext(ctx, &buf); err != nil {
		return pdf
	}
	if n, err := api.PageCount(bytes.NewReader(buf.Bytes()), pdfConf()); err != nil || n != pages {
		return pdf
	}
	return buf.Bytes()
}
