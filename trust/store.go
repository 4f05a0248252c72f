package trust

import (
	"bytes"
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// Layout of the store inside the data directory.
const (
	// DirName is the store's subdirectory of the data directory.
	DirName   = "trust"
	tslFile   = "tsl.xml"
	crlDir    = "crl"
	crlSuffix = ".crl"
	// MaxAnchors is the most anchors the administrator may add to one contour.
	MaxAnchors = 256
	// maxCachedCRLs bounds the CRL cache (one CRL per issuing key).
	maxCachedCRLs = 4096
)

func anchorsFile(c Contour) string { return "anchors-" + string(c) + ".pem" }

// Store is the trust store of one data directory: the built-in head CA
// roots, the imported list of accredited CAs, the anchors added per
// contour and the CRL cache. Its methods are safe for concurrent use; one
// process uses a data directory at a time (the journal's lock sees to it).
type Store struct {
	dir   string              // <data dir>/trust
	roots []*x509.Certificate // head CA roots (the built-in ones)

	mu         sync.Mutex
	tsl        *TSL
	accredited []*x509.Certificate // TSL certificates that chain to a root, of CAs in force
	tslURLs    map[string][]string // hex key identifier → CRL addresses from the TSL
	anchors    map[Contour][]*x509.Certificate
	training   []*x509.Certificate // AddTrainingAnchor: this run only
	crls       map[string]*crlEntry
	failed     map[string]time.Time // CRL address → not tried again before
	fetcher    Fetcher
	now        func() time.Time
}

// Open opens (creating it when missing) the trust store in the data
// directory dir: the subdirectory trust/ (mode 0700) with the imported
// TSL, the anchors added per contour and the CRL cache (files 0600). CRLs
// are downloaded with an HTTPFetcher unless SetFetcher says otherwise.
func Open(dir string) (*Store, error) {
	return openWithRoots(dir, BuiltinRoots())
}

func openWithRoots(dir string, roots []*x509.Certificate) (*Store, error) {
	const op = "trust.Open"
	if dir == "" {
		return nil, domain.Errorf(domain.EINVALID, "Не указан каталог данных для хранилища доверенных сертификатов")
	}
	s := &Store{dir: filepath.Join(dir, DirName), roots: roots, anchors: map[Contour][]*x509.Certificate{},
		tslURLs: map[string][]string{}, crls: map[string]*crlEntry{}, failed: map[string]time.Time{},
		fetcher: &HTTPFetcher{}, now: time.Now}
	if err := os.MkdirAll(filepath.Join(s.dir, crlDir), dirMode); err != nil {
		return nil, domain.Wrap(err, domain.EPERMISSION, op, "Не удалось создать каталог доверенных сертификатов")
	}
	for _, d := range []string{s.dir, filepath.Join(s.dir, crlDir)} {
		if err := os.Chmod(d, dirMode); err != nil {
			return nil, domain.Wrap(err, domain.EPERMISSION, op, "Не удалось закрыть доступ к каталогу доверенных сертификатов")
		}
	}
	if err := s.loadTSL(); err != nil {
		return nil, err
	}
	for _, c := range Contours() {
		if err := s.loadAnchors(c); err != nil {
			return nil, err
		}
	}
	if err := s.loadCRLIndex(); err != nil {
		return nil, domain.Wrap(err, domain.EPERMISSION, op, "Не удалось прочитать кэш списков отзыва")
	}
	return s, nil
}

func (s *Store) loadTSL() error {
	data, ok, err := readBounded(filepath.Join(s.dir, tslFile), MaxTSLSize)
	if err != nil {
		return domain.Wrap(err, domain.ECORRUPT, "trust.Open", "Не удалось прочитать сохранённый список аккредитованных УЦ")
	}
	if !ok {
		return nil
	}
	t, err := ParseTSL(data)
	if err != nil {
		return domain.Wrap(err, domain.ECORRUPT, "trust.Open", "Сохранённый список аккредитованных УЦ повреждён: импортируйте его заново")
	}
	s.setTSL(t, s.classify(t))
	return nil
}

func (s *Store) loadAnchors(c Contour) error {
	data, ok, err := readBounded(filepath.Join(s.dir, anchorsFile(c)), MaxAnchors*64<<10)
	if err == nil && ok {
		s.anchors[c], err = parsePEMCertificates(data, MaxAnchors)
	}
	if err != nil {
		return domain.Wrap(err, domain.ECORRUPT, "trust.Open", fmt.Sprintf("Файл доверенных сертификатов контура %s повреждён", c))
	}
	return nil
}

// SetFetcher sets how CRLs are downloaded; nil works offline (only CRLs
// already in the store or added with AddCRL are used).
func (s *Store) SetFetcher(f Fetcher) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fetcher = f
}

// SetClock sets the clock (default time.Now): the moment Verify judges
// when Options.At is zero, and the retry delay of unreachable CRL addresses.
func (s *Store) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now == nil {
		now = time.Now
	}
	s.now = now
}

// Anchors returns the anchors of contour c: the head CA roots (production
// and test), the anchors added with AddAnchor, and in training those of
// AddTrainingAnchor.
func (s *Store) Anchors(c Contour) []*x509.Certificate {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.anchorsLocked(c)
}

func (s *Store) anchorsLocked(c Contour) []*x509.Certificate {
	var out []*x509.Certificate
	if c.usesRoots() {
		out = append(out, s.roots...)
	}
	out = append(out, s.anchors[c]...)
	if c == Training {
		out = append(out, s.training...)
	}
	return out
}

// AddAnchor makes cert an anchor of contour c, persistently: a CA whose
// chains are trusted there, or a certificate trusted as it is (e.g. the
// SMEV operator's own certificate). Adding it again does nothing.
func (s *Store) AddAnchor(c Contour, cert *x509.Certificate) error {
	if err := checkAnchorArgs(c, cert); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if containsCert(s.anchors[c], cert) {
		return nil
	}
	if len(s.anchors[c]) >= MaxAnchors {
		return domain.Errorf(domain.ECONFLICT, "В контуре %s уже %d доверенных сертификатов: удалите лишние", c, MaxAnchors)
	}
	return s.saveAnchors(c, append(append([]*x509.Certificate(nil), s.anchors[c]...), cert))
}

// RemoveAnchor removes an anchor added with AddAnchor; the built-in roots
// cannot be removed. Removing an absent one does nothing.
func (s *Store) RemoveAnchor(c Contour, cert *x509.Certificate) error {
	if err := checkAnchorArgs(c, cert); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var keep []*x509.Certificate
	for _, a := range s.anchors[c] {
		if !bytes.Equal(a.Raw, cert.Raw) {
			keep = append(keep, a)
		}
	}
	if len(keep) == len(s.anchors[c]) {
		return nil
	}
	return s.saveAnchors(c, keep)
}

func (s *Store) saveAnchors(c Contour, list []*x509.Certificate) error {
	if err := writeAtomic(filepath.Join(s.dir, anchorsFile(c)), encodePEM(list)); err != nil {
		return domain.Wrap(err, domain.EPERMISSION, "trust.AddAnchor", "Не удалось сохранить доверенные сертификаты")
	}
	s.anchors[c] = list
	return nil
}

// AddTrainingAnchor makes cert an anchor of the training contour for the
// life of this Store only (not saved): the throwaway CA of the training
// node, made anew at every start (keys.NewDemoGOST returns it).
func (s *Store) AddTrainingAnchor(cert *x509.Certificate) error {
	if err := checkAnchorArgs(Training, cert); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !containsCert(s.training, cert) {
		s.training = append(s.training, cert)
	}
	return nil
}

func checkAnchorArgs(c Contour, cert *x509.Certificate) error {
	if !c.Valid() {
		_, err := ParseContour(string(c))
		return err
	}
	if cert == nil || len(cert.Raw) == 0 {
		return domain.Errorf(domain.EINVALID, "Не указан сертификат")
	}
	return nil
}

func containsCert(list []*x509.Certificate, c *x509.Certificate) bool {
	for _, x := range list {
		if bytes.Equal(x.Raw, c.Raw) {
			return true
		}
	}
	return false
}

// ImportReport tells what an imported TSL brought.
type ImportReport struct {
	Version   int64
	Date      time.Time
	CAs       int // accredited CAs listed
	ActiveCAs int // with the status «Действует» (or none stated)
	Accepted  int // CA certificates that chain to a head CA root: used to build paths
	// Rejected lists the certificates not used and why: unreadable,
	// of a CA whose accreditation is not in force, or not issued by a head
	// CA root.
	Rejected []Rejected
}

// ImportTSL reads a TSL.xml (at most MaxTSLSize bytes), checks it and
// replaces the stored one. An older Версия than the stored one is refused.
// On any error the previous list stays in force, on disk and in memory.
func (s *Store) ImportTSL(r io.Reader) (*ImportReport, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxTSLSize+1))
	if err != nil {
		return nil, domain.Wrap(err, domain.EUNAVAILABLE, "trust.ImportTSL", "Не удалось прочитать список аккредитованных УЦ")
	}
	t, err := ParseTSL(data)
	if err != nil {
		return nil, err
	}
	c := s.classify(t)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tsl != nil && t.Version < s.tsl.Version {
		return nil, domain.Errorf(domain.ECONFLICT, "Список аккредитованных УЦ версии %d старше действующего (версия %d): не принят", t.Version, s.tsl.Version)
	}
	if err := writeAtomic(filepath.Join(s.dir, tslFile), data); err != nil {
		return nil, domain.Wrap(err, domain.EPERMISSION, "trust.ImportTSL", "Не удалось сохранить список аккредитованных УЦ")
	}
	s.setTSL(t, c)
	return c.report, nil
}

// TSL returns the list in force, nil before the first import. It must not
// be modified.
func (s *Store) TSL() *TSL {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tsl
}

type classified struct {
	accredited []*x509.Certificate
	urls       map[string][]string
	report     *ImportReport
}

// classify keeps the certificates of CAs in force that chain to a head CA
// root; the others are reported.
func (s *Store) classify(t *TSL) classified {
	c := classified{urls: map[string][]string{}, report: &ImportReport{Version: t.Version, Date: t.Date, CAs: len(t.CAs)}}
	c.report.Rejected = append(c.report.Rejected, t.Unreadable...)
	for i := range t.CAs {
		ca := &t.CAs[i]
		if ca.Active() {
			c.report.ActiveCAs++
		}
		for _, k := range ca.Keys {
			if ca.Active() && len(k.KeyID) > 0 && len(k.CRLURLs) > 0 {
				id := hex.EncodeToString(k.KeyID)
				c.urls[id] = append(c.urls[id], k.CRLURLs...)
			}
			for _, cert := range k.Certificates {
				s.classifyCert(&c, ca, cert)
			}
		}
	}
	return c
}

func (s *Store) classifyCert(c *classified, ca *CA, cert *x509.Certificate) {
	sum := sha1sum(cert.Raw)
	reject := func(why string) {
		c.report.Rejected = append(c.report.Rejected, Rejected{CA: ca.Name, Subject: cert.Subject.CommonName, SHA1: sum, Reason: why})
	}
	switch {
	case containsCert(s.roots, cert):
		return // a head CA root listed in the TSL: an anchor already
	case !ca.Active():
		reject("accreditation status: " + ca.Status)
	default:
		if _, err := headCAIssued(cert, s.roots); err != nil {
			reject(err.Error())
			return
		}
		if !containsCert(c.accredited, cert) {
			c.accredited = append(c.accredited, cert)
			c.report.Accepted++
		}
	}
}

func (s *Store) setTSL(t *TSL, c classified) {
	s.tsl, s.accredited, s.tslURLs = t, c.accredited, c.urls
}

func sha1sum(b []byte) string { return fmt.Sprintf("%X", sha1.Sum(b)) }
