package trust

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"

	"github.com/mezhved/mezhved/domain"
)

// crlEntry is one cached CRL: the newest known for one issuing key.
type crlEntry struct {
	path     string
	crl      *x509.RevocationList // nil until first used
	verified map[[32]byte]bool    // issuer certificates whose key verified it
}

// issuerKey names the cache slot of CRLs signed by issuer: its name and
// public key, so that a CA with the same name and another key (a forger's,
// or a renewed root) never shares the slot.
func issuerKey(issuer *x509.Certificate) string {
	h := sha256.New()
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(issuer.RawSubject)))
	h.Write(n[:])
	h.Write(issuer.RawSubject)
	h.Write(issuer.RawSubjectPublicKeyInfo)
	return hex.EncodeToString(h.Sum(nil))
}

// loadCRLIndex lists the cached CRL files; each is read when first needed.
func (s *Store) loadCRLIndex() error {
	entries, err := os.ReadDir(filepath.Join(s.dir, crlDir))
	if err != nil {
		return err
	}
	for _, e := range entries {
		key, ok := strings.CutSuffix(e.Name(), crlSuffix)
		if !ok || len(key) != 64 || !e.Type().IsRegular() {
			continue
		}
		if _, err := hex.DecodeString(key); err != nil {
			continue
		}
		if len(s.crls) >= maxCachedCRLs {
			break
		}
		s.crls[key] = &crlEntry{path: filepath.Join(s.dir, crlDir, e.Name()), verified: map[[32]byte]bool{}}
	}
	return nil
}

// cachedLocked returns the CRL cached under key, reading it on first use;
// an unreadable file is dropped from the index (and left on disk).
func (s *Store) cachedLocked(key string) *crlEntry {
	e := s.crls[key]
	if e == nil || e.crl != nil {
		return e
	}
	data, ok, err := readBounded(e.path, MaxCRLSize)
	if err == nil && ok {
		e.crl, err = x509.ParseRevocationList(data)
	}
	if err != nil || !ok {
		delete(s.crls, key)
		return nil
	}
	return e
}

// storeLocked caches crl (already verified with issuer's key) unless a
// newer one from the same key is cached.
func (s *Store) storeLocked(issuer *x509.Certificate, crl *x509.RevocationList) error {
	key := issuerKey(issuer)
	old := s.cachedLocked(key)
	if old != nil && old.crl.ThisUpdate.After(crl.ThisUpdate) {
		return nil
	}
	if old == nil && len(s.crls) >= maxCachedCRLs {
		return domain.Errorf(domain.ECONFLICT, "Кэш списков отзыва переполнен (%d списков)", maxCachedCRLs)
	}
	path := filepath.Join(s.dir, crlDir, key+crlSuffix)
	if err := writeAtomic(path, crl.Raw); err != nil {
		return domain.Wrap(err, domain.EPERMISSION, "trust.AddCRL", "Не удалось сохранить список отзыва")
	}
	s.crls[key] = &crlEntry{path: path, crl: crl, verified: map[[32]byte]bool{sha256.Sum256(issuer.Raw): true}}
	return nil
}

// AddCRL adds a CRL delivered offline (DER, at most MaxCRLSize). Its
// signature must verify with the key of a CA certificate the store knows
// (roots, anchors, the TSL) or of one of issuers; a CRL with a bad
// signature, or from an unknown issuer, is refused. An older CRL than the
// one cached for the same issuing key is accepted and ignored.
func (s *Store) AddCRL(der []byte, issuers ...*x509.Certificate) error {
	const op = "trust.AddCRL"
	if len(der) > MaxCRLSize {
		return domain.Errorf(domain.EINVALID, "Список отзыва больше %d МиБ: не принят", MaxCRLSize>>20)
	}
	crl, err := x509.ParseRevocationList(bytes.Clone(der))
	if err != nil {
		return domain.Wrap(err, domain.EINVALID, op, "Файл не является списком отзыва сертификатов (CRL в DER)")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cands := s.crlIssuersLocked(crl, issuers)
	if len(cands) == 0 {
		return domain.Errorf(domain.ENOTFOUND, "Издатель списка отзыва «%s» не найден среди известных удостоверяющих центров: добавьте его сертификат",
			clip(nameOf(crl.Issuer.CommonName, crl.Issuer.String())))
	}
	var lastErr error
	for _, c := range cands {
		if lastErr = checkCRLSignature(crl, c); lastErr == nil {
			return s.storeLocked(c, crl)
		}
	}
	return domain.Wrap(lastErr, domain.ESIGNATURE, op, "Подпись списка отзыва неверна: список не принят")
}

// crlIssuersLocked returns the known CA certificates that may have signed
// crl: same name, and the key identifier the CRL names if both state one.
func (s *Store) crlIssuersLocked(crl *x509.RevocationList, extra []*x509.Certificate) []*x509.Certificate {
	all := append(append([]*x509.Certificate(nil), extra...), s.roots...)
	for _, c := range Contours() {
		all = append(all, s.anchors[c]...)
	}
	all = append(append(all, s.training...), s.accredited...)
	var out []*x509.Certificate
	for _, c := range all {
		if c == nil || !bytes.Equal(c.RawSubject, crl.RawIssuer) || containsCert(out, c) {
			continue
		}
		if len(crl.AuthorityKeyId) > 0 && len(c.SubjectKeyId) > 0 && !bytes.Equal(crl.AuthorityKeyId, c.SubjectKeyId) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// crlURLsLocked lists where the CRL covering cert may be downloaded: its
// CRL distribution points, then the addresses the TSL gives for the key
// that issued it; http(s) only, at most maxURLsPerCert.
func (s *Store) crlURLsLocked(cert *x509.Certificate) []string {
	var out []string
	add := func(u string) {
		if len(out) < maxURLsPerCert && isFetchableURL(u) && !containsString(out, u) {
			out = append(out, u)
		}
	}
	for _, u := range cert.CRLDistributionPoints {
		add(u)
	}
	if len(cert.AuthorityKeyId) > 0 {
		for _, u := range s.tslURLs[hex.EncodeToString(cert.AuthorityKeyId)] {
			add(u)
		}
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var oidDeltaCRL = asn1.ObjectIdentifier{2, 5, 29, 27}

// isDelta reports a delta CRL, which alone says nothing of the
// certificates it does not list.
func isDelta(crl *x509.RevocationList) bool {
	for _, e := range crl.Extensions {
		if e.Id.Equal(oidDeltaCRL) {
			return true
		}
	}
	return false
}
