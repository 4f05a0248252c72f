package reports

import (
	"strings"
	"testing"

	"github.com/mezhved/mezhved/signer"
)

// The mark follows the verdict recorded when the answer arrived: valid
// gives it; untrusted, a reply kept before chains were checked, or no
// record say why not.
func TestStoredVerdict(t *testing.T) {
	r := &signer.Result{Kind: signer.KindSystem, Element: "/Envelope/Body/X"}
	for _, c := range []struct {
		json string
		ok   bool
		why  string
	}{
		{`[{"kind":"ЭП-ОВ","element":"/Envelope/Body/X","valid":true,"verdict":"valid"}]`, true, ""},
		{`[{"kind":"ЭП-ОВ","element":"/Envelope/Body/X","verdict":"untrusted","verdictText":"математически верна, но сертификат не доверенный: сертификат самоподписанный"}]`, false, "самоподписанный"},
		{`[{"kind":"ЭП-ОВ","element":"/Envelope/Body/X","valid":true}]`, false, "только математика"},
		{`[{"kind":"ЭП-СМЭВ","element":"/Envelope/Body/Y","verdict":"valid"}]`, false, "не проверялась"},
		{``, false, "не проверялась"},
		{`{broken`, false, "не проверялась"},
	} {
		ok, why := storedVerdict(c.json, r)
		if ok != c.ok || !strings.Contains(why, c.why) {
			t.Errorf("%s: %v %q", c.json, ok, why)
		}
	}
}
