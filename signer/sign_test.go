package signer

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer/c14n"
	"github.com/mezhved/mezhved/signer/smevtransform"
)

var update = flag.Bool("update", false, "rewrite golden files")

// signBoth signs ЭП-СП then ЭП-ОВ.
func signBoth(t testing.TB, doc []byte, name string) []byte {
	t.Helper()
	k := allKeys(t)[name]
	out, err := Sign(doc, "PERSONAL", KindPersonal, k, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err = Sign(out, "SIGNED_BY_CONSUMER", KindSystem, k, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustAllValid(t *testing.T, doc []byte, n int) []Result {
	t.Helper()
	res, err := Verify(doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != n {
		t.Fatalf("%d signatures, want %d", len(res), n)
	}
	for _, r := range res {
		if !r.Valid() {
			t.Errorf("%s %s: %s", r.Kind, r.Reference, r.Problem())
		}
	}
	return res
}

func TestSignVerifyRoundTrip(t *testing.T) {
	doc := sendRequest(4000)
	for name := range allKeys(t) {
		t.Run(name, func(t *testing.T) {
			signed := signBoth(t, doc, name)
			res := mustAllValid(t, signed, 2)
			want := allKeys(t)[name].Algorithm().Signature
			kinds := map[Kind]bool{}
			for _, r := range res {
				kinds[r.Kind] = true
				if r.SignatureAlgorithm != want {
					t.Errorf("algorithm %s, want %s", r.SignatureAlgorithm, want)
				}
				c := r.Certificate
				if c.Owner != "Иванова Мария Петровна" || c.SNILS != "12345678901" || c.INN != "771234567890" || c.OGRN != "1027700000000" {
					t.Errorf("certificate info %+v", c)
				}
			}
			if !kinds[KindPersonal] || !kinds[KindSystem] {
				t.Errorf("kinds %v", kinds)
			}
			// Everything outside the containers is byte-identical.
			if stripped := stripSignatures(signed); !bytes.Equal(stripped, bytes.Replace(doc, []byte("<bas:PersonalSignature/>"), []byte("<bas:PersonalSignature></bas:PersonalSignature>"), 1)) {
				t.Errorf("document changed outside the containers")
			}
			// Tampered signed content: digest fails, signature still fine.
			bad := bytes.Replace(signed, []byte("ул. Ленина, д. 3<"), []byte("ул. Ленина, д. 4<"), 1)
			res, _ = Verify(bad, nil)
			for _, r := range res {
				if r.Valid() || r.DigestOK || !r.SignatureOK || r.Problems[0].Code != ProbDigest {
					t.Errorf("tampered content accepted: %s %+v", r.Reference, r.Problems)
				}
			}
			// Tampered SignedInfo: the signature value fails.
			i := bytes.Index(signed, []byte("<ds:DigestValue>")) + len("<ds:DigestValue>")
			bad = append([]byte(nil), signed...)
			bad[i] ^= 1
			res, _ = Verify(bad, nil)
			if res[0].SignatureOK || res[0].Valid() {
				t.Errorf("changed SignedInfo accepted")
			}
		})
	}
}

// stripSignatures removes every ds:Signature element from a signed document.
func stripSignatures(doc []byte) []byte {
	for {
		i := bytes.Index(doc, []byte("<ds:Signature "))
		if i < 0 {
			return doc
		}
		j := bytes.Index(doc[i:], []byte("</ds:Signature>")) + i + len("</ds:Signature>")
		doc = append(doc[:i:i], doc[j:]...)
	}
}

func TestSignatureForIsSelfContained(t *testing.T) {
	k := allKeys(t)["GOST-256"]
	doc := sendRequest(2000)
	sig, err := SignatureFor(doc, "SIGNED_BY_CONSUMER", k)
	if err != nil {
		t.Fatal(err)
	}
	d, err := xmltree.Parse(sig)
	if err != nil {
		t.Fatalf("the signature element does not parse alone: %v", err)
	}
	si := d.ChildElement(d.Root, DSigNS, "SignedInfo")
	canon := c14n.ExclusiveBytes(d, si, nil)
	if !bytes.Contains(sig, canon[len(dsPrefix):]) {
		t.Errorf("SignedInfo is not written in canonical form:\n%s", canon)
	}
	for _, want := range []string{`URI="#SIGNED_BY_CONSUMER"`, ExcC14NURI, SMEVTransformURI, "gostr34102012-gostr34112012-256", "gostr34112012-256", "<ds:X509Certificate>"} {
		if !bytes.Contains(sig, []byte(want)) {
			t.Errorf("signature lacks %s", want)
		}
	}
}

func TestSignErrors(t *testing.T) {
	k := allKeys(t)["RSA-2048"]
	doc := sendRequest(1000)
	cases := map[string]struct {
		doc  []byte
		id   string
		kind Kind
		msg  string
	}{
		"missing id":     {doc, "NOPE", KindSystem, "нет элемента"},
		"empty id":       {doc, "", KindSystem, "Не указан Id"},
		"duplicate id":   {bytes.Replace(doc, []byte("<soap:Header/>"), []byte(`<soap:Header><x Id="SIGNED_BY_CONSUMER"/></soap:Header>`), 1), "SIGNED_BY_CONSUMER", KindSystem, "встречается"},
		"personal wrong": {doc, "SIGNED_BY_CONSUMER", KindPersonal, "MessagePrimaryContent"},
		"doctype":        {append([]byte(`<!DOCTYPE x [<!ENTITY a "b">]>`), doc[39:]...), "PERSONAL", KindPersonal, "DOCTYPE"},
		"malformed":      {doc[:len(doc)-20], "PERSONAL", KindPersonal, "не является правильным XML"},
		"no container":   {bytes.Replace(doc, []byte("<bas:PersonalSignature/>"), nil, 1), "PERSONAL", KindPersonal, "PersonalSignature"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Sign(c.doc, c.id, c.kind, k, nil)
			var de *domain.Error
			if err == nil || !errors.As(err, &de) || !strings.Contains(de.Message, c.msg) {
				t.Fatalf("err %v, want a domain error with %q", err, c.msg)
			}
		})
	}
	signed := signBoth(t, doc, "RSA-2048")
	if _, err := Sign(signed, "PERSONAL", KindPersonal, k, nil); err == nil || !strings.Contains(domain.ErrorMessage(err), "уже содержит") {
		t.Fatalf("signing a filled container: %v", err)
	}
}

func TestWrappingVariantsFail(t *testing.T) {
	signed := signBoth(t, sendRequest(3000), "GOST-256")
	spStart := bytes.Index(signed, []byte("<ns:SenderProvidedRequestData"))
	spEnd := bytes.Index(signed, []byte("</ns:SenderProvidedRequestData>")) + len("</ns:SenderProvidedRequestData>")
	original := string(signed[spStart:spEnd])
	hdr := `<soap:Header xmlns:ns="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.3" xmlns:bas="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/basic/1.3">`
	forged := strings.Replace(strings.Replace(original, `Id="SIGNED_BY_CONSUMER"`, `Id="FORGED"`, 1), "ул. Ленина, д. 1<", "ул. Подделкина, д. 1<", 1)
	variants := map[string]struct {
		doc  string
		code string
	}{
		"duplicate Id in Header": {strings.Replace(string(signed), "<soap:Header/>", hdr+original+"</soap:Header>", 1), ProbWrapping},
		"moved signed element, forged one in place": {strings.Replace(strings.Replace(string(signed), original, forged, 1),
			"<soap:Header/>", hdr+"<w>"+original+"</w></soap:Header>", 1), ProbPlacement},
		"Id changed":                        {strings.Replace(string(signed), `Id="SIGNED_BY_CONSUMER"`, `Id="OTHER"`, 1), ProbNoTarget},
		"same Id as ID attribute elsewhere": {strings.Replace(string(signed), "<soap:Header/>", `<soap:Header><x ID="SIGNED_BY_CONSUMER"/></soap:Header>`, 1), ProbWrapping},
		"wsu:Id duplicate":                  {strings.Replace(string(signed), "<soap:Header/>", `<soap:Header><x xmlns:wsu="`+wsuNS+`" wsu:Id="SIGNED_BY_CONSUMER"/></soap:Header>`, 1), ProbWrapping},
	}
	for name, v := range variants {
		t.Run(name, func(t *testing.T) {
			res, err := Verify([]byte(v.doc), nil)
			if err != nil {
				t.Fatal(err)
			}
			hit := false
			for _, r := range res {
				if r.Reference != "#SIGNED_BY_CONSUMER" {
					continue
				}
				hit = true
				if r.Valid() {
					t.Fatalf("accepted")
				}
				if r.Problems[0].Code != v.code {
					t.Errorf("problem %+v, want %s", r.Problems, v.code)
				}
			}
			if !hit {
				t.Fatal("signature not found")
			}
		})
	}
	// An Id inside a comment is not an element: the signature stays valid,
	// and a comment inside signed content does not change the digest.
	withComment := strings.Replace(string(signed), "<soap:Header/>", `<soap:Header><!-- <x Id="SIGNED_BY_CONSUMER"/> --></soap:Header>`, 1)
	withComment = strings.Replace(withComment, "<ns:MessageID>", "<!-- Id=\"SIGNED_BY_CONSUMER\" --><ns:MessageID>", 1)
	mustAllValid(t, []byte(withComment), 2)
}

func TestStrayPlacements(t *testing.T) {
	// A personal signature moved into the system container is checked
	// against the placement rules of its new container.
	signed := string(signBoth(t, sendRequest(2000), "RSA-2048"))
	res, _ := Verify([]byte(strings.Replace(signed, "bas:PersonalSignature>", "bas:Other>", 2)), nil)
	for _, r := range res {
		if r.Reference == "#PERSONAL" && (r.Kind != KindDetached || !r.Valid()) {
			t.Errorf("a detached signature in an unknown container: %+v", r)
		}
	}
	// External references are never fetched.
	ext := strings.Replace(signed, `URI="#PERSONAL"`, `URI="http://example.com/x"`, 1)
	res, _ = Verify([]byte(ext), nil)
	for _, r := range res {
		if strings.HasPrefix(r.Reference, "http") && (r.Valid() || r.Problems[0].Code != ProbUnsupported) {
			t.Errorf("external reference: %+v", r.Problems)
		}
	}
}

func TestAttachmentsSupplied(t *testing.T) {
	doc := strings.Replace(string(sendRequest(1500)), "<req:region>50</req:region>",
		`<req:region>50</req:region><req:file><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:part-1@x"/></req:file>`, 1)
	k := allKeys(t)["GOST-256"]
	if _, err := Sign([]byte(doc), "PERSONAL", KindPersonal, k, nil); err == nil || !strings.Contains(domain.ErrorMessage(err), "cid:part-1@x") {
		t.Fatalf("signing without the attachment: %v", err)
	}
	att := map[string][]byte{"part-1@x": []byte("zip bytes\x00\x01")}
	signed, err := Sign([]byte(doc), "PERSONAL", KindPersonal, k, &SignOptions{Attachments: att})
	if err != nil {
		t.Fatal(err)
	}
	res, _ := Verify(signed, &VerifyOptions{Attachments: att})
	if !res[0].Valid() {
		t.Fatalf("with the attachment: %s", res[0].Problem())
	}
	res, _ = Verify(signed, nil)
	if res[0].Valid() || res[0].Problems[0].Code != ProbAttachment || res[0].Attachments[0] != "cid:part-1@x" || !res[0].SignatureOK {
		t.Fatalf("without the attachment: %+v", res[0])
	}
}

// The transformed octets of our own envelope are pinned: a change in the
// transform or the generator shows up here.
func TestOwnEnvelopeTransformStable(t *testing.T) {
	d, err := xmltree.Parse(sendRequest(3000))
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "golden")
	for _, id := range []string{"SIGNED_BY_CONSUMER", "PERSONAL"} {
		n, err := findTarget(d, id)
		if err != nil {
			t.Fatal(err)
		}
		got := smevtransform.Bytes(d, n, nil)
		f := filepath.Join(golden, id+".transformed.xml")
		if *update {
			os.MkdirAll(golden, 0o755)
			os.WriteFile(f, got, 0o644)
		}
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: transform output changed", id)
		}
	}
}

// Real envelopes with their signature taken out are signed again with our
// keys (ЭП-ОВ over SenderProvidedRequestData and AckTargetMessage); the
// digested octets are the vector's transformed file.
func TestResignRealEnvelopes(t *testing.T) {
	for dir, id := range map[string]string{
		"01_SendRequestRequest_v1.2_consumer":           "SIGNED_BY_CONSUMER",
		"04_AckRequest_v1.2_caller":                     "SIGNED_BY_CALLER",
		"05_SendRequestRequest_v1.1_rosreestr_consumer": "SIGNED_BY_CONSUMER",
	} {
		t.Run(dir, func(t *testing.T) {
			doc := readVector(t, dir)
			i := bytes.Index(doc, []byte("<ds:Signature "))
			j := bytes.Index(doc, []byte("</ds:Signature>")) + len("</ds:Signature>")
			empty := append(append([]byte(nil), doc[:i]...), doc[j:]...)
			want, _ := os.ReadFile(filepath.Join("testdata/real-signed", dir, id+".transformed.xml"))
			d, _ := xmltree.Parse(empty)
			n, _ := findTarget(d, id)
			if got := smevtransform.Bytes(d, n, nil); !bytes.Equal(got, want) {
				t.Fatalf("transform of the emptied envelope differs from the vector")
			}
			for _, kn := range []string{"GOST-256", "GOST-512", "RSA-2048"} {
				signed, err := Sign(empty, id, KindSystem, allKeys(t)[kn], nil)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(stripSignatures(signed), empty) {
					t.Fatalf("%s: bytes outside the container changed", kn)
				}
				res := mustAllValid(t, signed, 1)
				if res[0].Kind != KindSystem || res[0].Reference != "#"+id {
					t.Errorf("%+v", res[0])
				}
			}
		})
	}
}

func TestInsertNamed(t *testing.T) {
	doc := sendRequest(1500)
	k := allKeys(t)["ECDSA-P256"]
	sig, err := SignatureFor(doc, "SIGNED_BY_CONSUMER", k)
	if err != nil {
		t.Fatal(err)
	}
	out, err := InsertNamed(doc, "CallerInformationSystemSignature", sig)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stripSignatures(out), doc) {
		t.Fatal("bytes outside the container changed")
	}
	mustAllValid(t, out, 1)
	if _, err := InsertNamed(out, "CallerInformationSystemSignature", sig); err == nil {
		t.Fatal("a filled container accepted")
	}
	if _, err := InsertNamed(doc, "Nope", sig); err == nil {
		t.Fatal("a missing container accepted")
	}
}

func TestTooManySignatures(t *testing.T) {
	signed := string(signBoth(t, sendRequest(1500), "RSA-2048"))
	i := strings.Index(signed, "<ds:Signature ")
	j := strings.Index(signed, "</ds:Signature>") + len("</ds:Signature>")
	// In SMEV signature containers they are checked, up to the limit.
	extra := strings.Repeat(`<ns:CallerInformationSystemSignature xmlns:ns="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.3">`+
		signed[i:j]+"</ns:CallerInformationSystemSignature>", MaxSignatures+3)
	doc := strings.Replace(signed, "<soap:Header/>", "<soap:Header>"+extra+"</soap:Header>", 1)
	res, err := Verify([]byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != MaxSignatures+5 {
		t.Fatalf("%d results", len(res))
	}
	last := res[len(res)-1]
	if last.Valid() || last.Kind != KindNotChecked || last.Problems[0].Code != ProbNotChecked || !strings.Contains(last.Problem(), "too much work") {
		t.Fatalf("last: %+v", last)
	}
	// Anywhere else (inside the business content, say) they cost nothing
	// and count for nothing.
	nested := strings.Repeat("<x>"+signed[i:j]+"</x>", 3)
	doc = strings.Replace(signed, "<soap:Header/>", "<soap:Header>"+nested+"</soap:Header>", 1)
	res, _ = Verify([]byte(doc), nil)
	notChecked := 0
	for _, r := range res {
		if r.Kind == KindNotChecked {
			notChecked++
			if r.DigestOK || r.SignatureOK || r.Certificate != nil || r.Problems[0].Code != ProbNotChecked {
				t.Fatalf("a nested signature was worked on: %+v", r)
			}
		} else if !r.Valid() {
			t.Fatalf("%+v", r)
		}
	}
	if notChecked != 3 || len(res) != 5 {
		t.Fatalf("%d results, %d not checked", len(res), notChecked)
	}
}

// A hostile document asks for the whole of itself to be digested many
// times over (references with URI="" and the enveloped transform): past the
// budget (4× its size) the rest is not checked, whatever the signatures
// say, so the work stays linear in its size.
func TestDigestBudget(t *testing.T) {
	big := strings.Repeat("<p>"+strings.Repeat("данные ", 100)+"</p>", 3000) // ~2.1 MB
	ref := `<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference>`
	sig := `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>` +
		strings.Repeat(ref, MaxReferences) + `</ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>`
	doc := "<doc>" + big + strings.Repeat(sig, MaxSignatures) + "</doc>"
	res, err := Verify([]byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Each reference digests the whole ~2.1 MB: the 4× budget allows
	// four of them, i.e. the first signature, before the rest is refused.
	over := 0
	for _, r := range res {
		if r.Valid() {
			t.Fatalf("a hostile signature is valid: %+v", r)
		}
		for _, p := range r.Problems {
			if p.Code == ProbNotChecked {
				over++
				break
			}
		}
	}
	if len(res) != MaxSignatures || over < MaxSignatures-1 {
		t.Fatalf("%d results, %d refused for work", len(res), over)
	}
	// A budget given by the caller is kept.
	res, _ = Verify([]byte(doc), &VerifyOptions{MaxDigestBytes: 1000})
	if res[0].Problems[0].Code != ProbNotChecked || !strings.Contains(res[0].Problems[0].Text, "1000 bytes") {
		t.Fatalf("tiny budget: %+v", res[0].Problems)
	}
}
