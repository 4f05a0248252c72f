package trust

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"errors"
)

// Bounds of the path search. They make the work on a hostile KeyInfo
// (many certificates, loops of cross-signatures) small and finite.
const (
	// MaxPathLength is the most certificates a path may hold, leaf and
	// anchor included.
	MaxPathLength = 8
	// MaxSignatureChecks is the most certificate signatures one Verify
	// checks while searching for paths.
	MaxSignatureChecks = 64
	// MaxCandidates is the most issuer candidates one Verify considers
	// (a signature checked before counts again: it bounds the search
	// itself, not only the cryptography).
	MaxCandidates = 512
	// MaxIntermediates is the most extra certificates taken from a
	// signature (the rest are ignored).
	MaxIntermediates = 32
	// maxPaths is the most complete paths collected before choosing one.
	maxPaths = 4
)

// candidate is a certificate the search may use as an issuer.
type candidate struct {
	cert   *x509.Certificate
	anchor bool
	sum    [32]byte
}

// builder searches for paths from a leaf to an anchor by depth-first
// search. A certificate appears at most once in a path, so loops of
// certificates cannot make it run forever; MaxPathLength and
// MaxSignatureChecks bound the work.
type builder struct {
	bySubject map[string][]*candidate
	checks    int // signatures checked
	tries     int // candidates considered
	linkErr   map[[2][32]byte]error
	paths     [][]*candidate

	depthHit, budgetHit     bool
	badSig, unsupported     error // the last such failure, for the reasons
	badSigAt, unsupportedAt *x509.Certificate
}

func newBuilder() *builder {
	return &builder{bySubject: map[string][]*candidate{}, linkErr: map[[2][32]byte]error{}}
}

// add offers c as an issuer; an anchor is preferred over the same
// certificate offered as an intermediate.
func (b *builder) add(c *x509.Certificate, anchor bool) {
	if c == nil {
		return
	}
	sum := sha256.Sum256(c.Raw)
	key := string(c.RawSubject)
	for _, x := range b.bySubject[key] {
		if x.sum == sum {
			x.anchor = x.anchor || anchor
			return
		}
	}
	b.bySubject[key] = append(b.bySubject[key], &candidate{cert: c, anchor: anchor, sum: sum})
}

// issuers returns the candidates that may have issued c: the same name as
// c's issuer and, when both are stated, the key identifier c names. Anchors
// come first.
func (b *builder) issuers(c *x509.Certificate) []*candidate {
	var anchors, others []*candidate
	for _, x := range b.bySubject[string(c.RawIssuer)] {
		if len(c.AuthorityKeyId) > 0 && len(x.cert.SubjectKeyId) > 0 && !bytes.Equal(c.AuthorityKeyId, x.cert.SubjectKeyId) {
			continue
		}
		if x.anchor {
			anchors = append(anchors, x)
		} else {
			others = append(others, x)
		}
	}
	return append(anchors, others...)
}

// build collects up to maxPaths paths from leaf to an anchor. The leaf
// itself being an anchor is a path of one.
func (b *builder) build(leaf *x509.Certificate) {
	sum := sha256.Sum256(leaf.Raw)
	for _, x := range b.bySubject[string(leaf.RawSubject)] {
		if x.sum == sum && x.anchor {
			b.paths = append(b.paths, []*candidate{x})
			return
		}
	}
	b.extend([]*candidate{{cert: leaf, sum: sum}})
}

func (b *builder) extend(path []*candidate) {
	last := path[len(path)-1]
	for _, x := range b.issuers(last.cert) {
		if len(b.paths) >= maxPaths {
			return
		}
		if inPath(path, x) {
			continue
		}
		if b.tries++; b.tries > MaxCandidates {
			b.budgetHit = true
			return
		}
		if len(path) >= MaxPathLength {
			b.depthHit = true
			return
		}
		if !b.link(last, x) {
			continue
		}
		next := append(append([]*candidate(nil), path...), x)
		if x.anchor {
			b.paths = append(b.paths, next)
			continue
		}
		b.extend(next)
	}
}

func inPath(path []*candidate, x *candidate) bool {
	for _, p := range path {
		if p.sum == x.sum {
			return true
		}
	}
	return false
}

// link reports whether parent's key signed child, within the budget.
func (b *builder) link(child, parent *candidate) bool {
	k := [2][32]byte{child.sum, parent.sum}
	err, done := b.linkErr[k]
	if !done && goodLinks.has(k) {
		err, done = nil, true
	}
	if !done {
		if b.checks >= MaxSignatureChecks {
			b.budgetHit = true
			return false
		}
		b.checks++
		err = checkCertSignature(child.cert, parent.cert)
		b.linkErr[k] = err
	}
	if err == nil {
		return true
	}
	if errors.Is(err, errUnsupported) {
		b.unsupported, b.unsupportedAt = err, child.cert
	} else {
		b.badSig, b.badSigAt = err, child.cert
	}
	return false
}

// remember keeps the links of the paths found (each ends at an anchor)
// for the next verification: links of chains that lead nowhere are not
// kept, so a sender's made-up certificates cannot crowd out the real ones.
func (b *builder) remember() {
	for _, p := range b.paths {
		for i := 0; i+1 < len(p); i++ {
			goodLinks.add([2][32]byte{p[i].sum, p[i+1].sum})
		}
	}
}

// noPathReason says why no path was found.
func (b *builder) noPathReason(leaf *x509.Certificate) Reason {
	switch {
	case b.depthHit:
		return Reason{Code: PathTooLong, Cert: 0, Detail: "no anchor within the path length limit"}
	case isSelfIssued(leaf):
		return Reason{Code: SelfSigned, Cert: 0}
	case b.budgetHit:
		return Reason{Code: UnknownIssuer, Cert: 0, Detail: "the search for a path gave up after too many candidates"}
	case b.unsupported != nil:
		return Reason{Code: UnsupportedAlg, Cert: -1, Detail: "issued to " + nameOf(b.unsupportedAt.Subject.CommonName, b.unsupportedAt.Subject.String()) + ": " + b.unsupported.Error()}
	case b.badSig != nil:
		return Reason{Code: BadSignature, Cert: -1, Detail: "issued to " + nameOf(b.badSigAt.Subject.CommonName, b.badSigAt.Subject.String()) + ": " + b.badSig.Error()}
	}
	return Reason{Code: UnknownIssuer, Cert: 0, Detail: "issuer " + nameOf(leaf.Issuer.CommonName, leaf.Issuer.String())}
}

// isSelfIssued reports whether c names itself as its issuer.
func isSelfIssued(c *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, c.RawSubject) &&
		(len(c.AuthorityKeyId) == 0 || len(c.SubjectKeyId) == 0 || bytes.Equal(c.AuthorityKeyId, c.SubjectKeyId))
}
