package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/trust"
)

// maxEnvelope bounds a file read by verify and sign: what the XML reader
// accepts.
var maxEnvelope = xmltree.DefaultLimits.MaxBytes

func init() {
	Register(&Command{
		Path:  "verify",
		Usage: "[--at TIME] [--contour production|test|training] [--no-trust] [--offline] [--data-dir DIR] [--attachment CID=FILE]... FILE...",
		Short: "check the XML signatures of SMEV envelopes or XMLDSig files and their certificate chains (exit 0 only when every one is valid)",
		Run:   runVerify,
	})
}

// attachFlags collects --attachment CID=FILE.
type attachFlags map[string]string

func (a attachFlags) String() string { return "" }
func (a attachFlags) Set(v string) error {
	cid, file, ok := strings.Cut(v, "=")
	if !ok || cid == "" || file == "" {
		return fmt.Errorf("want CID=FILE, got %q", v)
	}
	a[strings.TrimPrefix(cid, "cid:")] = file
	return nil
}

func runVerify(env *Env) int {
	fs := env.NewFlagSet("verify")
	at := fs.String("at", "", "judge the certificates at this moment (RFC 3339 or YYYY-MM-DD) instead of now")
	contour := fs.String("contour", string(trust.Production), "whose anchors the chains must reach: production, test or training")
	noTrust := fs.Bool("no-trust", false, "check the mathematics only, not the certificate chains")
	offline := fs.Bool("offline", false, "download no revocation lists; use those in the trust store")
	dataDir := fs.String("data-dir", "", "data directory holding the trust store (default: $MEZHVED_DATA_DIR or the OS data folder)")
	atts := attachFlags{}
	fs.Var(atts, "attachment", "bytes of an MTOM/XOP part: CID=FILE (repeatable)")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(env.Stderr, "mezhved verify: no files given")
		return 2
	}
	opt := &signer.VerifyOptions{Attachments: map[string][]byte{}}
	if *at != "" {
		t, err := parseMoment(*at)
		if err != nil {
			return env.Fail(err)
		}
		opt.Time = t
	}
	for cid, f := range atts {
		b, err := readBounded(f)
		if err != nil {
			return env.Fail(err)
		}
		opt.Attachments[cid] = b
	}
	c, err := trust.ParseContour(*contour)
	if err != nil {
		return env.Fail(err)
	}
	judge := func(r *signer.Result) trust.Signature { return trust.Signature{} }
	if !*noTrust {
		dir, _ := store.ResolveDir(*dataDir, env.Getenv)
		ts, err := trust.Open(dir)
		if err != nil {
			return env.Fail(err)
		}
		if *offline {
			ts.SetFetcher(nil)
		}
		judge = func(r *signer.Result) trust.Signature {
			return ts.JudgeSignature(context.Background(), r, trust.Options{Contour: c, At: opt.Time, Offline: *offline})
		}
	}

	if *noTrust {
		judge = nil
	}
	// Everything is checked before anything is printed: on exit 2 stdout
	// stays empty.
	var out strings.Builder
	allValid := true
	for _, f := range fs.Args() {
		doc, err := readBounded(f)
		if err != nil {
			return env.Fail(err)
		}
		res, err := signer.Verify(doc, opt)
		if err != nil {
			return env.Fail(fmt.Errorf("%s: %w", f, err))
		}
		allValid = reportFile(&out, f, res, judge) && allValid
	}
	io.WriteString(env.Stdout, out.String())
	if !allValid {
		return 1
	}
	return 0
}

// reportFile writes one line per signature of file f and reports whether
// every checked one is valid (judge nil: the mathematics only).
func reportFile(out *strings.Builder, f string, res []signer.Result, judge func(*signer.Result) trust.Signature) bool {
	checked, allValid := 0, true
	for i := range res {
		r := &res[i]
		if r.Kind == signer.KindNotChecked {
			out.WriteString(f + ": " + r.Element + ": not checked (" + strings.TrimPrefix(r.Problem(), "not checked: ") + ")\n")
			continue
		}
		checked++
		if judge == nil {
			out.WriteString(f + ": " + FormatResult(r) + " [mathematics only, certificate chain not checked]\n")
			allValid = allValid && r.Valid()
			continue
		}
		j := judge(r)
		out.WriteString(f + ": " + FormatJudged(j) + "\n")
		allValid = allValid && j.Valid()
	}
	if checked == 0 {
		fmt.Fprintf(out, "%s: no signatures: INVALID\n", f)
		return false
	}
	return allValid
}

// FormatResult is the one-line summary of a verified signature's
// mathematics: VALID or INVALID, no chain.
func FormatResult(r *signer.Result) string {
	b := formatMath(r)
	if r.Valid() {
		return b + ": VALID"
	}
	b += ": INVALID"
	if p := r.Problem(); p != "" {
		b += " (" + p + ")"
	}
	return b
}

// formatMath describes a signature: kind, reference, algorithm, digest and
// value, and the certificate.
func formatMath(r *signer.Result) string {
	var b strings.Builder
	b.WriteString(string(r.Kind))
	if r.Reference != "" {
		b.WriteString(" " + r.Reference)
	}
	if r.ID != "" {
		b.WriteString(" (Signature Id " + r.ID + ")")
	}
	if r.SignatureAlgorithm != "" {
		b.WriteString(" " + signer.AlgorithmName(r.SignatureAlgorithm))
	}
	b.WriteString(" digest " + okBad(r.DigestOK) + ", signature " + okBad(r.SignatureOK))
	if c := r.Certificate; c != nil {
		fmt.Fprintf(&b, ", owner %q", c.Owner)
		var ids []string
		for _, kv := range [][2]string{{"СНИЛС", c.SNILS}, {"ИНН", c.INN}, {"ИНН ЮЛ", c.INNLE}, {"ОГРН", c.OGRN}, {"ОГРНИП", c.OGRNIP}} {
			if kv[1] != "" {
				ids = append(ids, kv[0]+" "+kv[1])
			}
		}
		if len(ids) > 0 {
			b.WriteString(" (" + strings.Join(ids, ", ") + ")")
		}
		fmt.Fprintf(&b, ", issuer %q, serial %s, certificate %s", c.Issuer, c.Serial, c.Validity())
	}
	return b.String()
}

// FormatJudged is FormatResult with the verdict on the certificate chain:
// VALID (действительна), UNTRUSTED (математически верна, но сертификат не
// доверенный: …) or INVALID, and the chain, one certificate a line.
func FormatJudged(j trust.Signature) string {
	line := formatMath(j.Math)
	switch j.Verdict {
	case trust.Trusted:
		line += ": VALID — " + j.Text()
	case trust.Untrusted:
		line += ": UNTRUSTED (" + j.English() + ") — " + j.Text()
	default:
		line += ": INVALID"
		if p := j.Math.Problem(); p != "" {
			line += " (" + p + ")"
		}
		return line
	}
	for i, c := range j.Trust.Chain {
		mark := ""
		if c.Anchor {
			mark = ", trust anchor"
		}
		line += fmt.Sprintf("\n    chain %d: %q issued by %q, serial %s, %s – %s%s", i+1, c.Subject, c.Issuer, c.Serial,
			c.NotBefore.UTC().Format(time.DateOnly), c.NotAfter.UTC().Format(time.DateOnly), mark)
	}
	return line
}

func okBad(ok bool) string {
	if ok {
		return "ok"
	}
	return "bad"
}

func parseMoment(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Time{}, domain.Errorf(domain.EINVALID, "Неверный момент времени %q: нужен формат 2006-01-02 или RFC 3339", s)
}

// readBounded reads a whole file of at most maxEnvelope bytes.
func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, domain.Wrap(err, domain.ENOTFOUND, "cli.read", "Не удалось открыть файл "+path)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, int64(maxEnvelope)+1))
	if err != nil {
		return nil, domain.Wrap(err, domain.EUNAVAILABLE, "cli.read", "Не удалось прочитать файл "+path)
	}
	if len(b) > maxEnvelope {
		return nil, domain.Errorf(domain.EINVALID, "Файл %s больше %d МБ", path, maxEnvelope>>20)
	}
	return b, nil
}
