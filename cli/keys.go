package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/trust"
	"github.com/mezhved/mezhved/workstation"
)

func init() {
	Register(&Command{
		Path:  "keys list",
		Usage: "[--data-dir DIR] [--module LIB]... [--contour production|test|training] [--json]",
		Short: "list the signing keys found without a PIN (tokens and their certificates, CryptoPro containers and key files on removable drives and in <data-dir>/keys), each with its certificate and trust verdict; KEY is what sign and send take as --key",
		Run:   keysList,
	})
}

// listedKey is a key as `keys list --json` prints it.
type listedKey struct {
	Kind     string           `json:"kind"` // token, container, pfx, pem
	Key      string           `json:"key"`  // what --key takes
	Label    string           `json:"label"`
	Where    string           `json:"where"`
	Software bool             `json:"software"` // not a certified crypto tool (СКЗИ)
	Training bool             `json:"training"`
	Secret   string           `json:"secret"` // PIN-код or пароль
	Note     string           `json:"note,omitempty"`
	Cert     *listedCert      `json:"certificate,omitempty"`
	Trust    *listedVerdict   `json:"trust,omitempty"`
	raw      *signer.CertInfo `json:"-"`
}

type listedCert struct {
	Owner        string    `json:"owner"`
	Organization string    `json:"organization,omitempty"`
	SNILS        string    `json:"snils,omitempty"`
	OGRN         string    `json:"ogrn,omitempty"`
	Issuer       string    `json:"issuer"`
	Serial       string    `json:"serial"`
	NotBefore    time.Time `json:"notBefore"`
	NotAfter     time.Time `json:"notAfter"`
	Valid        bool      `json:"valid"`
}

type listedVerdict struct {
	Trusted bool   `json:"trusted"`
	Text    string `json:"text"` // Russian, as the window says it
	English string `json:"english"`
}

type moduleFlag []string

func (m *moduleFlag) String() string     { return strings.Join(*m, ",") }
func (m *moduleFlag) Set(v string) error { *m = append(*m, v); return nil }

func keysList(env *Env) int {
	fs := env.NewFlagSet("keys list")
	dataDir := fs.String("data-dir", "", "data directory (default: $MEZHVED_DATA_DIR or the OS data folder): its keys/ folder and trust store")
	var modules moduleFlag
	fs.Var(&modules, "module", "a PKCS#11 library to ask besides the known ones (Рутокен, JaCarta, КриптоПро CSP, the training token); repeatable")
	contour := fs.String("contour", "production", "whose trust anchors the certificates are judged against: production, test or training")
	asJSON := fs.Bool("json", false, "print JSON")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "mezhved keys list: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	c, err := trust.ParseContour(*contour)
	if err != nil {
		return env.userError(err)
	}
	dir, _ := store.ResolveDir(*dataDir, env.Getenv)
	// The trust store alone, not the journal: the list works while the
	// window holds the journal's lock.
	ts, err := trust.Open(dir)
	if err != nil {
		fmt.Fprintf(env.Stderr, "mezhved: the trust store did not open, certificates are not judged: %v\n", err)
		ts = nil
	}
	now := time.Now()
	scan := workstation.FindKeys(workstation.KeySearch{Extra: modules, Places: workstation.KeyPlaces(dir)})
	out := make([]listedKey, 0, len(scan.Keys))
	for _, k := range scan.Keys {
		l := listedKey{Kind: k.Kind, Key: k.Path, Label: k.Label, Where: k.Where, Software: k.Software, Training: k.Training, Secret: k.Secret, Note: k.Note}
		if k.Cert != nil {
			ci := signer.NewCertInfo(k.Cert, now)
			l.raw = ci
			l.Cert = &listedCert{Owner: ci.Owner, SNILS: ci.SNILS, OGRN: ci.OGRN, Issuer: ci.Issuer, Serial: ci.Serial,
				NotBefore: ci.NotBefore, NotAfter: ci.NotAfter, Valid: ci.ValidAt()}
			if len(k.Cert.Subject.Organization) > 0 {
				l.Cert.Organization = k.Cert.Subject.Organization[0]
			}
			v := workstation.JudgeKeyCertificate(context.Background(), ts, c, k.Cert, now, false)
			l.Trust = &listedVerdict{Trusted: v.Trusted, Text: v.Text, English: v.English}
		}
		out = append(out, l)
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"keys": out, "notes": nonNil(scan.Notes)}); err != nil {
			return env.userError(err)
		}
		return 0
	}
	printKeys(env, out, scan.Notes)
	return 0
}

func printKeys(env *Env, keys []listedKey, notes []string) {
	if len(keys) == 0 {
		fmt.Fprintln(env.Stdout, "No keys found: plug in the token or the USB stick, or put the key into the data directory's keys/ folder.")
	}
	for i, k := range keys {
		fmt.Fprintf(env.Stdout, "%d. %s — %s\n   --key %s\n", i+1, k.Kind, k.Where, k.Key)
		if c := k.Cert; c != nil {
			fmt.Fprintf(env.Stdout, "   owner:  %s", c.Owner)
			if c.SNILS != "" {
				fmt.Fprintf(env.Stdout, ", СНИЛС %s", c.SNILS)
			}
			if c.Organization != "" {
				fmt.Fprintf(env.Stdout, "; %s", c.Organization)
			}
			if c.OGRN != "" {
				fmt.Fprintf(env.Stdout, ", ОГРН %s", c.OGRN)
			}
			fmt.Fprintf(env.Stdout, "\n   issuer: %s\n   valid:  %s; %s\n", c.Issuer, k.raw.Validity(), k.Trust.English)
		}
		if k.Note != "" {
			fmt.Fprintf(env.Stdout, "   note:   %s\n", k.Note)
		}
		if k.Software {
			fmt.Fprintln(env.Stdout, "   software key: not a certified crypto tool (СКЗИ); signatures with legal force need a token or CryptoPro CSP")
		}
	}
	for _, n := range notes {
		fmt.Fprintf(env.Stdout, "note: %s\n", n)
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
