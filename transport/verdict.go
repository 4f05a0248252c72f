package transport

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/trust"
)

// Checker judges the signatures of the messages SMEV hands us. A message
// is accepted only when
//   - ЭП-СМЭВ signs exactly its Response (or Request) element and is
//     «действительна»: its certificate chains to an anchor of the contour;
//   - the sender's ЭП-ОВ signs exactly its SenderProvided*Data element and
//     is «действительна» (required in answers; in incoming requests SMEV
//     may leave it out, and then ЭП-СМЭВ vouches alone);
//   - no other checked signature (ЭП-СП) is mathematically wrong.
//
// Signatures elsewhere (inside the business content) are not checked and
// count for nothing; the data is read only from the elements named in
// SignedParts.
type Checker struct {
	Trust   *trust.Store // nil: nothing is trusted
	Contour trust.Contour
	// Offline: revocation lists only from the store, none downloaded.
	Offline bool
}

// MessageCheck is the verdict on one received message.
type MessageCheck struct {
	OK         bool
	Signatures []SignatureSummary
	Problems   []string // in Russian, for the journal and the window
}

// Problem joins the problems.
func (m MessageCheck) Problem() string { return strings.Join(m.Problems, "; ") }

// SummaryJSON is what the journal keeps of the signatures.
func (m MessageCheck) SummaryJSON() string {
	b, _ := json.Marshal(m.Signatures)
	return string(b)
}

// SignatureSummary is what the journal keeps about a signature.
type SignatureSummary struct {
	Kind     string `json:"kind"`
	Element  string `json:"element"`
	Valid    bool   `json:"valid"` // «действительна»: math, chain and revocation
	Owner    string `json:"owner,omitempty"`
	Validity string `json:"validity,omitempty"`
	Problem  string `json:"problem,omitempty"`
	// Verdict is valid, untrusted or invalid; VerdictText says it in
	// Russian with the reason; Chain lists the certificates up to the
	// anchor; CheckedAt is the moment judged (the receipt).
	Verdict     string    `json:"verdict,omitempty"`
	VerdictText string    `json:"verdictText,omitempty"`
	Chain       []string  `json:"chain,omitempty"`
	CheckedAt   time.Time `json:"checkedAt,omitzero"`
}

// judge returns the verdict on one signature at the moment at.
func (c *Checker) judge(ctx context.Context, r *signer.Result, at time.Time) trust.Signature {
	if c == nil || c.Trust == nil {
		s := trust.Signature{Math: r, Checked: r.Kind != signer.KindNotChecked, Verdict: trust.Untrusted}
		s.Trust.Reasons = []trust.Reason{{Code: trust.UnknownIssuer, Cert: -1, Detail: "no trust store"}}
		if !s.Checked || !r.DigestOK || !r.SignatureOK {
			s.Verdict = trust.Invalid
		}
		return s
	}
	return c.Trust.JudgeSignature(ctx, r, trust.Options{Contour: c.Contour, At: at, Offline: c.Offline})
}

// Summarize turns a verdict into what the journal keeps.
func Summarize(j trust.Signature, at time.Time) SignatureSummary {
	r := j.Math
	s := SignatureSummary{Kind: string(r.Kind), Element: r.Element, Valid: j.Valid(), Problem: r.Problem(),
		Verdict: j.Code(), VerdictText: j.Text(), CheckedAt: at}
	if r.Certificate != nil {
		s.Owner, s.Validity = r.Certificate.Owner, r.Certificate.Validity()
	}
	for _, c := range j.Trust.Chain {
		line := c.Subject + " (" + c.NotBefore.Format("02.01.2006") + "–" + c.NotAfter.Format("02.01.2006") + ")"
		if c.Anchor {
			line += ", доверенный корневой сертификат"
		}
		s.Chain = append(s.Chain, line)
	}
	return s
}

// CheckMessage verifies a received message at the moment at (its receipt).
// requireSender: the sender's ЭП-ОВ must be there (answers).
func (c *Checker) CheckMessage(ctx context.Context, sp SignedParts, at time.Time, requireSender bool) MessageCheck {
	var m MessageCheck
	if sp.Doc == nil {
		m.Problems = append(m.Problems, "сообщение не разобрано")
		return m
	}
	results := signer.VerifyDoc(sp.Doc, &signer.VerifyOptions{Time: at, Attachments: sp.Parts})
	smevOK, senderSeen, senderOK, otherBad := false, false, false, false
	for i := range results {
		r := &results[i]
		if r.Kind == signer.KindNotChecked {
			continue
		}
		j := c.judge(ctx, r, at)
		m.Signatures = append(m.Signatures, Summarize(j, at))
		switch {
		case r.Kind == signer.KindSMEV && r.Target == sp.Message:
			smevOK = j.Valid()
			if !smevOK {
				m.Problems = append(m.Problems, "ЭП-СМЭВ "+j.Text())
			}
		case r.Kind == signer.KindSystem && r.Container == "SenderInformationSystemSignature" && r.Target == sp.Data:
			senderSeen, senderOK = true, j.Valid()
			if !senderOK {
				m.Problems = append(m.Problems, "ЭП-ОВ отправителя "+j.Text())
			}
		case j.Verdict == trust.Invalid:
			otherBad = true
			m.Problems = append(m.Problems, string(r.Kind)+" "+r.Element+" "+j.Text())
		}
	}
	if !smevOK && !hasPrefix(m.Problems, "ЭП-СМЭВ") {
		m.Problems = append(m.Problems, "нет ЭП-СМЭВ над сообщением")
	}
	if !senderSeen && requireSender {
		m.Problems = append(m.Problems, "нет ЭП-ОВ отправителя над его данными")
	}
	m.OK = smevOK && (senderOK || (!senderSeen && !requireSender)) && !otherBad
	return m
}

func hasPrefix(list []string, p string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// CheckRelayed judges a message a trusted intermediary relayed: the
// region's SMEV adapter is the SMEV participant, it verifies ЭП-СМЭВ and the
// sender's ЭП-ОВ itself and hands the data over without them. The
// signatures the message still carries are judged as on the direct
// channel: the provider's ЭП-СП must cover exactly data (the element under
// MessagePrimaryContent) and must not be «недействительна»; a ЭП-СМЭВ or
// ЭП-ОВ that a newer adapter passes on must be «действительна»; any other
// checked signature must not be «недействительна». The data is read from
// data itself, never looked up again.
func (c *Checker) CheckRelayed(ctx context.Context, d *xmltree.Doc, data int32, parts map[string][]byte, at time.Time) MessageCheck {
	var m MessageCheck
	if d == nil {
		m.Problems = append(m.Problems, "сообщение не разобрано")
		return m
	}
	results := signer.VerifyDoc(d, &signer.VerifyOptions{Time: at, Attachments: parts})
	for i := range results {
		r := &results[i]
		if r.Kind == signer.KindNotChecked {
			continue
		}
		j := c.judge(ctx, r, at)
		m.Signatures = append(m.Signatures, Summarize(j, at))
		switch {
		case r.Kind == signer.KindPersonal && (data == xmltree.None || r.Target != data):
			m.Problems = append(m.Problems, "ЭП-СП подписывает не содержательную часть сообщения")
		case (r.Kind == signer.KindSMEV || r.Kind == signer.KindSystem) && !j.Valid():
			m.Problems = append(m.Problems, string(r.Kind)+" "+j.Text())
		case j.Verdict == trust.Invalid:
			m.Problems = append(m.Problems, string(r.Kind)+" "+r.Element+" "+j.Text())
		}
	}
	m.OK = len(m.Problems) == 0
	return m
}
