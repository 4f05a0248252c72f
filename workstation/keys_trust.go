package workstation

import (
	"context"
	"crypto/x509"
	"strings"
	"time"

	"github.com/mezhved/mezhved/trust"
)

// CertVerdict is the trust verdict on a key's certificate as the picker
// shows it: «действительна», or «не доверенный: <почему>».
type CertVerdict struct {
	Trusted bool
	Text    string
	English string // for the CLI
}

// JudgeKeyCertificate judges the chain of a signing key's certificate in
// the workstation's contour at its clock's moment. online lets the trust
// store download CRLs (opening a key); listing keys works offline. An
// unknown revocation status does not make it untrusted here, it is said
// («статус отзыва не проверен»): the picker informs, SMEV and the
// recipient judge the signatures.
func (w *Workstation) JudgeKeyCertificate(ctx context.Context, cert *x509.Certificate, online bool) CertVerdict {
	return JudgeKeyCertificate(ctx, w.trust, w.Contour(ctx), cert, w.Now(), online)
}

// JudgeKeyCertificate is the verdict with a given store, contour and
// moment (the CLI opens the trust store alone).
func JudgeKeyCertificate(ctx context.Context, ts *trust.Store, c trust.Contour, cert *x509.Certificate, at time.Time, online bool) CertVerdict {
	if cert == nil {
		return CertVerdict{Text: "не проверен: сертификат ещё не прочитан", English: "not checked: no certificate yet"}
	}
	if ts == nil {
		return CertVerdict{Text: "не проверен: хранилище доверенных сертификатов не открылось", English: "not checked: the trust store did not open"}
	}
	if online {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
	}
	r := ts.VerifyContext(ctx, cert, trust.Options{Contour: c, At: at, Revocation: trust.RevocationBestEffort, Offline: !online})
	return verdictOf(r)
}

func verdictOf(r trust.Result) CertVerdict {
	if r.Trusted() {
		if r.Has(trust.RevocationUnknown) {
			return CertVerdict{Trusted: true, Text: "действительна (" + trust.RevocationUnknown.Text() + ")",
				English: "valid (" + trust.RevocationUnknown.English() + ")"}
		}
		return CertVerdict{Trusted: true, Text: "действительна", English: "valid"}
	}
	reasons := r.Reasons
	if len(reasons) == 0 {
		reasons = []trust.Reason{{Code: trust.UnknownIssuer, Cert: -1}}
	}
	why := func(text func(trust.Code) string, date string) string {
		var out []string
		for _, x := range reasons {
			s := text(x.Code)
			if x.Cert > 0 && x.Cert < len(r.Chain) { // a link above the key's own certificate
				s += " («" + r.Chain[x.Cert].Subject + "»)"
			}
			if !x.When.IsZero() && (x.Code == trust.Expired || x.Code == trust.NotYetValid || x.Code == trust.Revoked) {
				s += ", " + x.When.UTC().Format(date)
			}
			out = append(out, s)
		}
		return strings.Join(out, "; ")
	}
	return CertVerdict{Text: "не доверенный: " + why(trust.Code.Text, "02.01.2006"), English: "not trusted: " + why(trust.Code.English, "2006-01-02")}
}
