package trust

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"strings"
	"time"
)

type revState int

const (
	revGood revState = iota
	revRevoked
	revUnknown
)

// revStatus is the revocation status of one certificate at a moment.
type revStatus struct {
	state  revState
	when   time.Time // revocation time
	detail string    // English
}

// CRL reason codes (RFC 5280, 5.3.1).
const (
	reasonKeyCompromise = 1
	reasonCACompromise  = 2
	reasonRemoveFromCRL = 8
	reasonAACompromise  = 10
)

// revocation establishes the status of cert, issued by issuer, at the
// moment at: from the cached CRL of issuer's key when it is usable for at,
// else (online) from the certificate's CRL addresses and the TSL's.
func (s *Store) revocation(ctx context.Context, cert, issuer *x509.Certificate, at time.Time, online bool) revStatus {
	key := issuerKey(issuer)
	var notes []string
	s.mu.Lock()
	if e := s.cachedLocked(key); e != nil {
		st, note := judge(e, cert, issuer, at)
		if st != nil {
			s.mu.Unlock()
			return *st
		}
		notes = append(notes, "cached CRL: "+note)
	}
	fetcher, urls, now := s.fetcher, s.crlURLsLocked(cert), s.now()
	s.mu.Unlock()
	switch {
	case !online || fetcher == nil:
		notes = append(notes, "offline: no usable CRL in the store")
	case len(urls) == 0:
		notes = append(notes, "the certificate names no CRL address")
	}
	if online && fetcher != nil {
		for _, u := range urls {
			st, note := s.fetchAndJudge(ctx, fetcher, u, cert, issuer, at, now)
			if st != nil {
				return *st
			}
			notes = append(notes, note)
		}
	}
	if len(notes) == 0 {
		notes = append(notes, "no CRL")
	}
	return revStatus{state: revUnknown, detail: strings.Join(notes, "; ")}
}

// fetchAndJudge downloads one CRL, checks it belongs to issuer and is
// signed by its key, caches it and judges cert with it. A nil status comes
// with a note saying why this address did not help.
func (s *Store) fetchAndJudge(ctx context.Context, f Fetcher, url string, cert, issuer *x509.Certificate, at, now time.Time) (*revStatus, string) {
	s.mu.Lock()
	retry := s.failed[url]
	s.mu.Unlock()
	if now.Before(retry) {
		return nil, url + ": failed recently, not retried before " + retry.UTC().Format(time.RFC3339)
	}
	crl, err := fetchCRL(ctx, f, url, issuer)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.failed[url] = now.Add(failureTTL)
		return nil, url + ": " + err.Error()
	}
	delete(s.failed, url)
	_ = s.storeLocked(issuer, crl) // a full cache or a failed write does not stop this check
	e := &crlEntry{crl: crl, verified: map[[32]byte]bool{sha256.Sum256(issuer.Raw): true}}
	st, note := judge(e, cert, issuer, at)
	return st, url + ": " + note
}

func fetchCRL(ctx context.Context, f Fetcher, url string, issuer *x509.Certificate) (*x509.RevocationList, error) {
	der, err := f.Fetch(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("download failed: %v", err)
	}
	if len(der) > MaxCRLSize {
		return nil, fmt.Errorf("CRL over %d bytes", MaxCRLSize)
	}
	crl, err := x509.ParseRevocationList(der)
	if err != nil {
		return nil, fmt.Errorf("not a CRL: %v", err)
	}
	if !bytes.Equal(crl.RawIssuer, issuer.RawSubject) {
		return nil, fmt.Errorf("CRL of another issuer (%.80s)", crl.Issuer.String())
	}
	if len(crl.AuthorityKeyId) > 0 && len(issuer.SubjectKeyId) > 0 && !bytes.Equal(crl.AuthorityKeyId, issuer.SubjectKeyId) {
		return nil, fmt.Errorf("CRL of another key of the issuer")
	}
	if err := checkCRLSignature(crl, issuer); err != nil {
		return nil, fmt.Errorf("CRL signature invalid, refused: %v", err)
	}
	return crl, nil
}

// judge decides cert's status with a cached CRL, or returns nil and why
// the CRL cannot decide (not usable for at, bad signature, a delta CRL).
func judge(e *crlEntry, cert, issuer *x509.Certificate, at time.Time) (*revStatus, string) {
	crl := e.crl
	if !bytes.Equal(crl.RawIssuer, issuer.RawSubject) {
		return nil, "CRL of another issuer"
	}
	if isDelta(crl) {
		return nil, "a delta CRL is not enough"
	}
	if !usableAt(crl, at) {
		return nil, fmt.Sprintf("CRL issued %s, next update %s: out of date for %s",
			crl.ThisUpdate.UTC().Format(time.RFC3339), crl.NextUpdate.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))
	}
	sum := sha256.Sum256(issuer.Raw)
	if !e.verified[sum] {
		if err := checkCRLSignature(crl, issuer); err != nil {
			return nil, "CRL signature invalid: " + err.Error()
		}
		e.verified[sum] = true
	}
	return decide(crl, cert, at), ""
}

// usableAt reports whether crl tells the status at the moment at: it was
// in force then (thisUpdate ≤ at < nextUpdate) or was issued later (it
// lists every revocation up to its issue, with the time of each).
func usableAt(crl *x509.RevocationList, at time.Time) bool {
	if !crl.ThisUpdate.Before(at) {
		return true
	}
	return !crl.NextUpdate.IsZero() && at.Before(crl.NextUpdate)
}

// decide looks cert up in crl. A certificate revoked after at was good at
// at, unless the reason is a key compromise: then no signature of that key
// is trusted, whenever made.
func decide(crl *x509.RevocationList, cert *x509.Certificate, at time.Time) *revStatus {
	for _, rc := range crl.RevokedCertificateEntries {
		if rc.SerialNumber == nil || cert.SerialNumber == nil || rc.SerialNumber.Cmp(cert.SerialNumber) != 0 {
			continue
		}
		switch {
		case rc.ReasonCode == reasonRemoveFromCRL:
			continue
		case rc.ReasonCode == reasonKeyCompromise || rc.ReasonCode == reasonCACompromise || rc.ReasonCode == reasonAACompromise:
			return &revStatus{state: revRevoked, when: rc.RevocationTime, detail: fmt.Sprintf("key compromise (reason %d)", rc.ReasonCode)}
		case !rc.RevocationTime.After(at):
			return &revStatus{state: revRevoked, when: rc.RevocationTime, detail: fmt.Sprintf("reason code %d", rc.ReasonCode)}
		default:
			return &revStatus{state: revGood, detail: "revoked later, at " + rc.RevocationTime.UTC().Format(time.RFC3339)}
		}
	}
	return &revStatus{state: revGood}
}
