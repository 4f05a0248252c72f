package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const vectorsDir = "../signer/testdata/real-signed"

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func vector(name string) string { return filepath.Join(vectorsDir, name, "message.xml") }

func TestVerifyRealVectors(t *testing.T) {
	cases := []struct {
		dir, at string
		code    int
		want    []string
	}{
		{"01_SendRequestRequest_v1.2_consumer", "2020-05-20", 0, []string{"ЭП-ОВ #SIGNED_BY_CONSUMER GOST R 34.10-2012 256 digest ok, signature ok", "owner \"", "ОГРН", "valid until 2020-12-16", ": VALID"}},
		{"03_GetResponseResponse_v1.2_smev_and_sender", "2020-05-20", 0, []string{"ЭП-СМЭВ #SIGNED_BY_SMEV", "ЭП-ОВ #SENDER_OV_SIGNATURE (Signature Id Id-sig-"}},
		{"07_GetRequestResponse_v1.1_MTOM_digest_mismatch", "2020-10-02", 1, []string{"digest bad, signature ok", "attachment content needed", "cid:d0abc6a3"}},
		{"08_SendRequestResponse_spb_reindented", "2021-10-21", 1, []string{"digest ok, signature bad", "INVALID"}},
		{"01_SendRequestRequest_v1.2_consumer", "", 1, []string{"digest ok, signature ok", "certificate expired 2020-12-16", "INVALID"}},
	}
	for _, c := range cases {
		t.Run(c.dir+c.at, func(t *testing.T) {
			args := []string{"verify"}
			if c.at != "" {
				args = append(args, "--at", c.at)
			}
			code, out, errs := runCLI(t, append(args, vector(c.dir))...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, c.code, out, errs)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	// Several files, one line per signature.
	var files []string
	for _, d := range []string{"01_SendRequestRequest_v1.2_consumer", "02_SendRequestResponse_v1.2_smev", "04_AckRequest_v1.2_caller"} {
		files = append(files, vector(d))
	}
	code, out, _ := runCLI(t, append([]string{"verify", "--at", "2020-05-20T12:00:00+03:00"}, files...)...)
	if code != 0 || strings.Count(out, "\n") != 3 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestVerifyBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.xml")
	os.WriteFile(bad, []byte("<a><b></a>"), 0o644)
	dtd := filepath.Join(dir, "dtd.xml")
	os.WriteFile(dtd, []byte(`<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>`), 0o644)
	unsigned := filepath.Join(dir, "unsigned.xml")
	os.WriteFile(unsigned, []byte("<a/>"), 0o644)
	for name, args := range map[string][]string{
		"missing":      {"verify", filepath.Join(dir, "nope.xml")},
		"malformed":    {"verify", vector("01_SendRequestRequest_v1.2_consumer"), bad},
		"doctype":      {"verify", dtd},
		"no files":     {"verify"},
		"bad --at":     {"verify", "--at", "yesterday", unsigned},
		"bad --attach": {"verify", "--attachment", "x", unsigned},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errs := runCLI(t, args...)
			if code != 2 || out != "" || errs == "" {
				t.Fatalf("exit %d stdout %q stderr %q", code, out, errs)
			}
		})
	}
	code, out, _ := runCLI(t, "verify", unsigned)
	if code != 1 || !strings.Contains(out, "no signatures") {
		t.Fatalf("unsigned: %d %q", code, out)
	}
}
