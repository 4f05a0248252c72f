package cli

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/trust"
)

func init() {
	for _, c := range []*Command{
		{Path: "trust list", Usage: "[--data-dir DIR]", Run: trustList,
			Short: "list the trust anchors of each contour, the list of accredited CAs in force and the revocation lists held"},
		{Path: "trust add", Usage: "--contour production|test|training [--data-dir DIR] CERT...", Run: trustAdd,
			Short: "trust a CA (or the SMEV operator's certificate) in a contour: PEM or DER files"},
		{Path: "trust remove", Usage: "--contour production|test|training [--data-dir DIR] CERT...", Run: trustRemove,
			Short: "stop trusting certificates added with trust add (the built-in head CA roots stay)"},
		{Path: "trust import", Usage: "[--data-dir DIR] TSL.xml", Run: trustImport,
			Short: "import the Ministry's list of accredited CAs (TSL.xml); an older or damaged list leaves the one in force"},
		{Path: "trust crl", Usage: "[--data-dir DIR] FILE...", Run: trustCRL,
			Short: "add certificate revocation lists (CRL, PEM or DER) for workstations without access to the CAs' sites"},
	} {
		Register(c)
	}
}

// maxCertFile bounds a certificate or CRL file read by these commands.
const maxCertFile = 32 << 20

// openTrust parses the flags common to the trust commands and opens the
// store of the data directory.
func openTrust(env *Env, name string, withContour bool) (*trust.Store, trust.Contour, []string, int) {
	fs := env.NewFlagSet(name)
	dataDir := fs.String("data-dir", "", "data directory (default: $MEZHVED_DATA_DIR or the OS data folder)")
	contour := ""
	if withContour {
		fs.StringVar(&contour, "contour", "", "production, test or training")
	}
	if ok, code := env.Parse(fs); !ok {
		return nil, "", nil, code
	}
	var c trust.Contour
	if withContour {
		var err error
		if c, err = trust.ParseContour(contour); err != nil {
			return nil, "", nil, env.userError(err)
		}
	}
	dir, _ := store.ResolveDir(*dataDir, env.Getenv)
	ts, err := trust.Open(dir)
	if err != nil {
		return nil, "", nil, env.userError(err)
	}
	return ts, c, fs.Args(), 0
}

// readCerts reads every certificate of a PEM or DER file; all files are
// read before anything is changed.
func readCerts(files []string) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for _, f := range files {
		b, err := readLimited(f, maxCertFile)
		if err != nil {
			return nil, err
		}
		certs, err := parseCerts(b)
		if err != nil || len(certs) == 0 {
			return nil, domain.Errorf(domain.EINVALID, "В файле %s нет читаемого сертификата X.509 (PEM или DER).", f)
		}
		out = append(out, certs...)
	}
	return out, nil
}

func parseCerts(b []byte) ([]*x509.Certificate, error) {
	if !bytes.Contains(b, []byte("-----BEGIN")) {
		c, err := x509.ParseCertificate(b)
		if err != nil {
			return nil, err
		}
		return []*x509.Certificate{c}, nil
	}
	var out []*x509.Certificate
	for {
		var blk *pem.Block
		if blk, b = pem.Decode(b); blk == nil {
			return out, nil
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
}

func readLimited(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, domain.Wrap(err, domain.ENOTFOUND, "cli.read", "Не удалось открыть файл "+path)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, domain.Wrap(err, domain.EUNAVAILABLE, "cli.read", "Не удалось прочитать файл "+path)
	}
	if int64(len(b)) > max {
		return nil, domain.Errorf(domain.EINVALID, "Файл %s больше %d МБ.", path, max>>20)
	}
	return b, nil
}

func certLine(c *x509.Certificate) string {
	name := c.Subject.CommonName
	if name == "" {
		name = c.Subject.String()
	}
	return fmt.Sprintf("%q, serial %X, %s – %s", name, c.SerialNumber, c.NotBefore.UTC().Format("2006-01-02"), c.NotAfter.UTC().Format("2006-01-02"))
}

func trustAdd(env *Env) int { return trustChange(env, "trust add", true) }

func trustRemove(env *Env) int { return trustChange(env, "trust remove", false) }

func trustChange(env *Env, name string, add bool) int {
	ts, c, args, code := openTrust(env, name, true)
	if ts == nil {
		return code
	}
	if len(args) == 0 {
		fmt.Fprintf(env.Stderr, "mezhved %s: give --contour and one or more certificate files\n", name)
		return 2
	}
	certs, err := readCerts(args)
	if err != nil {
		return env.userError(err)
	}
	var out strings.Builder
	for _, cert := range certs {
		if add {
			err = ts.AddAnchor(c, cert)
		} else {
			err = ts.RemoveAnchor(c, cert)
		}
		if err != nil {
			return env.userError(err)
		}
		verb := map[bool]string{true: "trusted in", false: "no longer trusted in"}[add]
		fmt.Fprintf(&out, "%s %s contour: %s\n", verb, c, certLine(cert))
	}
	io.WriteString(env.Stdout, out.String())
	return 0
}

func trustImport(env *Env) int {
	ts, _, args, code := openTrust(env, "trust import", false)
	if ts == nil {
		return code
	}
	if len(args) != 1 {
		fmt.Fprintln(env.Stderr, "mezhved trust import: give one TSL.xml file")
		return 2
	}
	f, err := os.Open(args[0])
	if err != nil {
		return env.userError(domain.Wrap(err, domain.ENOTFOUND, "cli.trust", "Не удалось открыть файл "+args[0]))
	}
	defer f.Close()
	rep, err := ts.ImportTSL(f)
	if err != nil {
		return env.userError(err)
	}
	fmt.Fprintf(env.Stdout, "imported the list of accredited CAs, version %d of %s: %d CAs (%d in force), %d CA certificates chain to a head CA root\n",
		rep.Version, rep.Date.Format("2006-01-02"), rep.CAs, rep.ActiveCAs, rep.Accepted)
	for _, r := range rep.Rejected {
		fmt.Fprintf(env.Stdout, "  not used: %s «%s» (SHA-1 %s): %s\n", r.CA, r.Subject, r.SHA1, r.Reason)
	}
	return 0
}

func trustCRL(env *Env) int {
	ts, _, args, code := openTrust(env, "trust crl", false)
	if ts == nil {
		return code
	}
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "mezhved trust crl: give one or more CRL files")
		return 2
	}
	var lists [][]byte
	for _, f := range args {
		b, err := readLimited(f, maxCertFile)
		if err != nil {
			return env.userError(err)
		}
		if blk, _ := pem.Decode(b); blk != nil {
			b = blk.Bytes
		}
		lists = append(lists, b)
	}
	for i, b := range lists {
		if err := ts.AddCRL(b); err != nil {
			return env.userError(fmt.Errorf("%s: %w", args[i], err))
		}
		fmt.Fprintf(env.Stdout, "added the revocation list %s\n", args[i])
	}
	return 0
}

func trustList(env *Env) int {
	ts, _, args, code := openTrust(env, "trust list", false)
	if ts == nil {
		return code
	}
	if len(args) != 0 {
		fmt.Fprintln(env.Stderr, "mezhved trust list: takes no arguments")
		return 2
	}
	var out strings.Builder
	for _, c := range trust.Contours() {
		anchors := ts.Anchors(c)
		fmt.Fprintf(&out, "%s contour: %d trust anchors\n", c, len(anchors))
		for _, a := range anchors {
			out.WriteString("  " + certLine(a) + "\n")
		}
	}
	if t := ts.TSL(); t != nil {
		fmt.Fprintf(&out, "list of accredited CAs: version %d of %s, %d CAs\n", t.Version, t.Date.Format("2006-01-02"), len(t.CAs))
	} else {
		out.WriteString("list of accredited CAs: not imported (mezhved trust import TSL.xml, or the region's update)\n")
	}
	io.WriteString(env.Stdout, out.String())
	return 0
}
