package trust

import (
	"context"
	"crypto/x509"
	"time"
)

// RevocationMode says what an unknown revocation status means.
type RevocationMode int

const (
	// RevocationRequired (the default): a link whose status cannot be
	// established from a verified CRL makes the verdict Untrusted
	// («статус отзыва не проверен»).
	RevocationRequired RevocationMode = iota
	// RevocationBestEffort: an unknown status leaves the verdict Trusted,
	// with the reason RevocationUnknown as a note, and the texts say
	// «статус отзыва не проверен». A revoked link is Untrusted either way.
	RevocationBestEffort
)

// Options tune VerifyContext.
type Options struct {
	Contour Contour
	// At is the moment judged: when the signed message arrived, so that a
	// reprint a year later judges the signature as it was then. Zero means
	// now (the store's clock).
	At time.Time
	// Intermediates are extra certificates, e.g. from the signature's
	// KeyInfo: candidates for the path, never anchors. At most
	// MaxIntermediates are used.
	Intermediates []*x509.Certificate
	Revocation    RevocationMode
	// Offline uses only CRLs already in the store, without downloading.
	Offline bool
}

// Verify judges leaf at the moment at in contour c, with the extra
// certificates intermediates, requiring the revocation status of every
// link (RevocationRequired). It is VerifyContext with a background context.
func (s *Store) Verify(leaf *x509.Certificate, intermediates []*x509.Certificate, c Contour, at time.Time) Result {
	return s.VerifyContext(context.Background(), leaf, Options{Contour: c, At: at, Intermediates: intermediates})
}

// VerifyContext builds a path from leaf to an anchor of opts.Contour
// (names and key identifiers, each link's signature checked: GOST R
// 34.10-2012/2001 through gostx509, RSA and ECDSA through crypto/x509),
// checks every link at opts.At (validity, basicConstraints and path length,
// key usage) and the revocation status of every link but the anchor. The
// Result is Trusted or Untrusted, never Invalid: the signature's own math is
// the signer's to judge. ctx bounds CRL downloads.
func (s *Store) VerifyContext(ctx context.Context, leaf *x509.Certificate, opts Options) Result {
	s.mu.Lock()
	at := opts.At
	if at.IsZero() {
		at = s.now()
	}
	s.mu.Unlock()
	res := Result{Verdict: Untrusted, Contour: opts.Contour, At: at}
	if leaf == nil || len(leaf.Raw) == 0 {
		res.Reasons = []Reason{{Code: NoCertificate, Cert: -1}}
		return res
	}
	if !opts.Contour.Valid() {
		res.Chain = []ChainCert{describe(leaf, false)}
		res.Reasons = []Reason{{Code: UnknownIssuer, Cert: 0, Detail: "unknown contour " + clip(string(opts.Contour))}}
		return res
	}
	b := s.newBuilderFor(opts.Contour, opts.Intermediates)
	b.build(leaf)
	b.remember()
	if len(b.paths) == 0 {
		res.Chain = []ChainCert{describe(leaf, false)}
		res.Reasons = []Reason{b.noPathReason(leaf)}
		return res
	}
	path, reasons := choosePath(b.paths, at)
	res.Chain = describePath(path)
	if len(reasons) > 0 {
		res.Reasons = reasons
		return res
	}
	return s.applyRevocation(ctx, res, path, at, opts)
}

// newBuilderFor loads the anchors of contour c and the candidate issuers:
// the TSL's accredited CAs (production and test) and the extras.
func (s *Store) newBuilderFor(c Contour, extra []*x509.Certificate) *builder {
	b := newBuilder()
	s.mu.Lock()
	for _, a := range s.anchorsLocked(c) {
		b.add(a, true)
	}
	if c.usesRoots() {
		for _, x := range s.accredited {
			b.add(x, false)
		}
	}
	s.mu.Unlock()
	for i, x := range extra {
		if i >= MaxIntermediates {
			break
		}
		if x != nil && len(x.Raw) > 0 {
			b.add(x, false)
		}
	}
	return b
}

// choosePath returns the first path without findings, else the first path
// with its findings.
func choosePath(paths [][]*candidate, at time.Time) ([]*candidate, []Reason) {
	var first []Reason
	for i, p := range paths {
		rs := checkPath(p, at)
		if len(rs) == 0 {
			return p, nil
		}
		if i == 0 {
			first = rs
		}
	}
	return paths[0], first
}

func describePath(path []*candidate) []ChainCert {
	out := make([]ChainCert, len(path))
	for i, x := range path {
		out[i] = describe(x.cert, i == len(path)-1)
	}
	return out
}

// applyRevocation checks every link but the anchor against its issuer's
// CRL and sets the verdict.
func (s *Store) applyRevocation(ctx context.Context, res Result, path []*candidate, at time.Time, opts Options) Result {
	checked := true
	for i := 0; i+1 < len(path); i++ {
		st := s.revocation(ctx, path[i].cert, path[i+1].cert, at, !opts.Offline)
		switch st.state {
		case revRevoked:
			res.Reasons = append(res.Reasons, Reason{Code: Revoked, Cert: i, When: st.when, Detail: st.detail})
			return res
		case revUnknown:
			checked = false
			res.Reasons = append(res.Reasons, Reason{Code: RevocationUnknown, Cert: i, Detail: st.detail})
		}
	}
	res.RevocationChecked = checked
	if checked || opts.Revocation == RevocationBestEffort {
		res.Verdict = Trusted
	}
	return res
}
