package signer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// at is inside the validity of every certificate in real-signed/ that is
// used for a check of validity; tests that need another moment say so.
func readVector(t testing.TB, dir string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata/real-signed", dir, "message.xml"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// signingTime is a moment when each vector's certificates were valid: the
// message's own sending time.
var signingTime = map[string]string{
	"01_SendRequestRequest_v1.2_consumer":             "2020-05-20T07:52:37+03:00",
	"02_SendRequestResponse_v1.2_smev":                "2020-05-20T07:52:37+03:00",
	"03_GetResponseResponse_v1.2_smev_and_sender":     "2020-05-20T07:52:48+03:00",
	"04_AckRequest_v1.2_caller":                       "2020-05-20T08:05:57+03:00",
	"05_SendRequestRequest_v1.1_rosreestr_consumer":   "2020-06-15T12:00:00+03:00",
	"06_SendRequestResponse_v1.1_smev":                "2020-06-15T12:00:00+03:00",
	"07_GetRequestResponse_v1.1_MTOM_digest_mismatch": "2020-10-02T14:40:08+03:00",
	"08_SendRequestResponse_spb_reindented":           "2021-10-21T10:07:19+03:00",
}

func TestRealSignedAsREADMESays(t *testing.T) {
	type want struct {
		ids       []string
		digest    bool
		signature bool
		problem   string
	}
	cases := map[string]want{
		"01_SendRequestRequest_v1.2_consumer":             {[]string{"#SIGNED_BY_CONSUMER"}, true, true, ""},
		"02_SendRequestResponse_v1.2_smev":                {[]string{"#SIGNED_BY_SMEV"}, true, true, ""},
		"03_GetResponseResponse_v1.2_smev_and_sender":     {[]string{"#SENDER_OV_SIGNATURE", "#SIGNED_BY_SMEV"}, true, true, ""},
		"04_AckRequest_v1.2_caller":                       {[]string{"#SIGNED_BY_CALLER"}, true, true, ""},
		"05_SendRequestRequest_v1.1_rosreestr_consumer":   {[]string{"#SIGNED_BY_CONSUMER"}, true, true, ""},
		"06_SendRequestResponse_v1.1_smev":                {[]string{"#SIGNED_BY_SMEV"}, true, true, ""},
		"07_GetRequestResponse_v1.1_MTOM_digest_mismatch": {[]string{"#SIGNED_BY_SMEV"}, false, true, ProbAttachment},
		"08_SendRequestResponse_spb_reindented":           {[]string{"#SIGNED_BY_SMEV"}, true, false, ProbSignature},
	}
	for dir, w := range cases {
		t.Run(dir, func(t *testing.T) {
			at, _ := time.Parse(time.RFC3339, signingTime[dir])
			res, err := Verify(readVector(t, dir), &VerifyOptions{Time: at})
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != len(w.ids) {
				t.Fatalf("%d signatures, want %d", len(res), len(w.ids))
			}
			for _, r := range res {
				found := false
				for _, id := range w.ids {
					found = found || r.Reference == id
				}
				if !found {
					t.Errorf("unexpected reference %s", r.Reference)
				}
				if r.DigestOK != w.digest || r.SignatureOK != w.signature {
					t.Errorf("%s: digest %v signature %v, want %v %v (%s)", r.Reference, r.DigestOK, r.SignatureOK, w.digest, w.signature, r.Problem())
				}
				if w.problem == "" && !r.Valid() {
					t.Errorf("%s not valid: %s", r.Reference, r.Problem())
				}
				if w.problem != "" && (len(r.Problems) != 1 || r.Problems[0].Code != w.problem) {
					t.Errorf("%s: problems %+v, want exactly %s", r.Reference, r.Problems, w.problem)
				}
				if r.Certificate == nil || r.Certificate.Owner == "" || r.Certificate.Serial == "" {
					t.Errorf("%s: no certificate info", r.Reference)
				}
				if r.SignatureAlgorithm != "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102012-gostr34112012-256" {
					t.Errorf("algorithm %s", r.SignatureAlgorithm)
				}
			}
			if w.problem == ProbAttachment {
				r := res[0]
				if len(r.Attachments) != 1 || !strings.HasPrefix(r.Attachments[0], "cid:d0abc6a3") || !strings.Contains(r.Problem(), "attachment content needed") {
					t.Errorf("07 must name the missing attachment: %+v %s", r.Attachments, r.Problem())
				}
			}
		})
	}
}

func TestRealSignedExpiredToday(t *testing.T) {
	res, err := Verify(readVector(t, "01_SendRequestRequest_v1.2_consumer"), &VerifyOptions{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	if !r.DigestOK || !r.SignatureOK || r.Valid() || !r.Certificate.Expired || r.Problems[0].Code != ProbCertificate {
		t.Fatalf("an expired certificate must be reported: %+v", r)
	}
	if r.Certificate.INN == "" && r.Certificate.INNLE == "" && r.Certificate.OGRN == "" {
		t.Errorf("subject OIDs not read: %+v", r.Certificate)
	}
	res, _ = Verify(readVector(t, "01_SendRequestRequest_v1.2_consumer"), &VerifyOptions{Time: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)})
	if !res[0].Certificate.NotYet || res[0].Valid() {
		t.Fatalf("a not-yet-valid certificate must be reported")
	}
}

// Tampered copies of the valid real envelopes fail: a changed character in
// the signed content breaks the digest, one in SignedInfo the signature
// value, a different certificate the signature value.
func TestRealSignedTampered(t *testing.T) {
	for _, dir := range []string{"01_SendRequestRequest_v1.2_consumer", "02_SendRequestResponse_v1.2_smev", "04_AckRequest_v1.2_caller", "05_SendRequestRequest_v1.1_rosreestr_consumer", "06_SendRequestResponse_v1.1_smev"} {
		t.Run(dir, func(t *testing.T) {
			at, _ := time.Parse(time.RFC3339, signingTime[dir])
			opt := &VerifyOptions{Time: at}
			doc := string(readVector(t, dir))
			check := func(name, bad string, digest, signature bool) {
				t.Helper()
				if bad == doc {
					t.Fatalf("%s: tampering did nothing", name)
				}
				res, err := Verify([]byte(bad), opt)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if res[0].Valid() || res[0].DigestOK != digest || res[0].SignatureOK != signature {
					t.Errorf("%s: digest %v signature %v (%s)", name, res[0].DigestOK, res[0].SignatureOK, res[0].Problem())
				}
			}
			// Signed content: the message id's first digit.
			var i int
			if strings.Contains(dir, "04_") {
				i = strings.Index(doc, `accepted="true">`) + len(`accepted="true">`)
			} else {
				i = strings.Index(doc, "essageI") // MessageID / MessageId
				i += strings.Index(doc[i:], ">") + 1
			}
			flip := func(s string, i int) string {
				c := byte('0')
				if s[i] == '0' {
					c = '1'
				}
				return s[:i] + string(c) + s[i+1:]
			}
			check("content", flip(doc, i), false, true)
			// SignedInfo: the DigestValue's first character.
			j := strings.Index(doc, "DigestValue>") + len("DigestValue>")
			c := "A"
			if doc[j] == 'A' {
				c = "B"
			}
			check("SignedInfo", doc[:j]+c+doc[j+1:], false, false)
			// Another signer's certificate: SMEV's for the consumer's
			// envelopes (01, 04, 05), the consumer's for SMEV's (02, 06).
			other := string(readVector(t, "02_SendRequestResponse_v1.2_smev"))
			if strings.Contains(dir, "_smev") {
				other = string(readVector(t, "01_SendRequestRequest_v1.2_consumer"))
			}
			cert := func(s string) (int, int) {
				a := strings.Index(s, "X509Certificate>") + len("X509Certificate>")
				return a, a + strings.Index(s[a:], "<")
			}
			a, b := cert(doc)
			oa, ob := cert(other)
			if doc[a:b] == other[oa:ob] {
				t.Fatal("the same certificate")
			}
			res, _ := Verify([]byte(doc[:a]+other[oa:ob]+doc[b:]), &VerifyOptions{Time: at})
			if res[0].Valid() || res[0].SignatureOK {
				t.Errorf("another certificate accepted")
			}
		})
	}
}
