package trust

import (
	"crypto/x509"
	"embed"
	"encoding/pem"
	"fmt"
	"io/fs"
	"sort"
	"sync"
)

// The head CA (Головной удостоверяющий центр, Минкомсвязь / Минцифры
// России) root certificates, copied byte for byte from the PEM files built
// from the official TSL (see TSL-FORMAT.md in the shared facts); the test
// TestBuiltinRootFingerprints pins their SHA-256.
//
//go:embed roots/*.pem
var rootFS embed.FS

var (
	rootsOnce sync.Once
	rootsList []*x509.Certificate
	rootsErr  error
)

func loadRoots() {
	names, err := fs.Glob(rootFS, "roots/*.pem")
	if err != nil {
		rootsErr = err
		return
	}
	sort.Strings(names)
	for _, name := range names {
		b, err := rootFS.ReadFile(name)
		if err != nil {
			rootsErr = err
			return
		}
		certs, err := parsePEMCertificates(b, 4)
		if err != nil || len(certs) != 1 {
			rootsErr = fmt.Errorf("trust: built-in root %s: %v (%d certificates)", name, err, len(certs))
			return
		}
		rootsList = append(rootsList, certs[0])
	}
}

// BuiltinRoots returns the head CA root certificates built into the
// program (GOST R 34.10-2001 and 2012). They are the anchors of the
// production and test contours. The slice is a copy; the certificates are
// shared and must not be modified.
func BuiltinRoots() []*x509.Certificate {
	rootsOnce.Do(loadRoots)
	if rootsErr != nil {
		panic(rootsErr) // the embedded files are fixed at build time and tested
	}
	return append([]*x509.Certificate(nil), rootsList...)
}

// parsePEMCertificates reads the CERTIFICATE blocks of a PEM text, at
// most max of them; other block types are refused.
func parsePEMCertificates(b []byte, max int) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			return out, nil
		}
		if blk.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("unexpected PEM block %q", blk.Type)
		}
		if len(out) >= max {
			return nil, fmt.Errorf("more than %d certificates", max)
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
}

// encodePEM writes certificates as PEM.
func encodePEM(certs []*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}
