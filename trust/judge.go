package trust

import (
	"context"
	"strings"

	"github.com/mezhved/mezhved/signer"
)

// Signature is the verdict on one XML signature: the signer's mathematics
// and the store's trust in its certificate together. Its Verdict is one of
// three: Trusted («действительна»), Untrusted («математически верна, но
// сертификат не доверенный: …») or Invalid («недействительна: …»).
type Signature struct {
	Verdict Verdict
	// Checked is false for a signature the signer did not check (outside
	// the signature positions, or over the work budget): it counts for
	// nothing, neither way.
	Checked bool
	Math    *signer.Result
	Trust   Result // the chain; zero when the math already failed
}

// mathOK reports whether the signature's mathematics holds: the digests and
// the value verify, and the only remarks are about the certificate's
// validity at the moment, which the chain check judges.
func mathOK(r *signer.Result) bool {
	if !r.DigestOK || !r.SignatureOK || len(r.Certificates) == 0 {
		return false
	}
	for _, p := range r.Problems {
		if p.Code != signer.ProbCertificate {
			return false
		}
	}
	return true
}

// JudgeSignature decides the verdict on r at opts.At in opts.Contour, with
// the certificates of its KeyInfo as intermediates. In the training
// contour the revocation status is best effort: the training CAs publish no
// lists.
func (s *Store) JudgeSignature(ctx context.Context, r *signer.Result, opts Options) Signature {
	out := Signature{Math: r, Checked: r.Kind != signer.KindNotChecked}
	if !out.Checked || !mathOK(r) {
		out.Verdict = Invalid
		out.Trust.Verdict = Invalid
		return out
	}
	if opts.Contour == Training {
		opts.Revocation = RevocationBestEffort
	}
	opts.Intermediates = append(opts.Intermediates, r.Certificates[1:]...)
	out.Trust = s.VerifyContext(ctx, r.Certificates[0], opts)
	out.Verdict = out.Trust.Verdict
	return out
}

// Valid reports «действительна».
func (s Signature) Valid() bool { return s.Verdict == Trusted }

// Text is the verdict in Russian, for the clerk and the printout.
func (s Signature) Text() string {
	switch {
	case !s.Checked:
		return "не проверялась: " + strings.TrimPrefix(problemsRu(s.Math), "Подпись не проверялась: ")
	case s.Verdict == Invalid:
		return "недействительна: " + problemsRu(s.Math)
	}
	return s.Trust.Text()
}

// English is the verdict for the CLI.
func (s Signature) English() string {
	switch {
	case !s.Checked:
		return "not checked: " + strings.TrimPrefix(s.Math.Problem(), "not checked: ")
	case s.Verdict == Invalid:
		return "invalid: " + s.Math.Problem()
	}
	return s.Trust.English()
}

// Code is "valid", "untrusted", "invalid" or "not-checked": what the
// journal keeps and the CLI's --json prints.
func (s Signature) Code() string {
	switch {
	case !s.Checked:
		return "not-checked"
	case s.Verdict == Trusted:
		return "valid"
	case s.Verdict == Invalid:
		return "invalid"
	}
	return "untrusted"
}

func problemsRu(r *signer.Result) string {
	var parts []string
	for _, p := range r.Problems {
		parts = append(parts, p.Ru)
	}
	if len(parts) == 0 {
		return "подпись не сходится"
	}
	return strings.Join(parts, "; ")
}
