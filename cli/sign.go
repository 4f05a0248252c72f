package cli

import (
	"fmt"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/signer/xmldsig"
)

func init() {
	Register(&Command{
		Path:  "sign",
		Usage: "--key FILE|DIR|pkcs11:URI [--cert CERTFILE] [--pin-file F] --id ID [--kind personal|system] [--profile smev|xmldsig] FILE",
		Short: "sign an SMEV envelope (ЭП-ОВ or ЭП-СП) or an XML document (enveloped XMLDSig); the signed document goes to stdout",
		Run:   runSign,
	})
}

// The key flags of sign and send: the same sources as the window's picker.
const (
	keyFlagHelp = "the key: a PKCS#12 file (.pfx, .p12), a PEM/DER key file, a CryptoPro container folder (or its header.key), or a key on a token as a pkcs11: URI; «mezhved keys list» shows those found"
	pinFileHelp = "file holding the key's password or PIN (never on the command line; the file should be readable only by you)"
)

func runSign(env *Env) int {
	fs := env.NewFlagSet("sign")
	keyPath := fs.String("key", "", keyFlagHelp)
	certPath := fs.String("cert", "", "certificate file, when the key file has none")
	pinFile := fs.String("pin-file", "", pinFileHelp)
	id := fs.String("id", "", "Id of the element to sign (xmldsig: the root when omitted)")
	kind := fs.String("kind", "system", "smev profile: system (ЭП-ОВ, CallerInformationSystemSignature) or personal (ЭП-СП, PersonalSignature)")
	profile := fs.String("profile", "smev", "smev (detached, SMEV transform) or xmldsig (enveloped, exclusive c14n)")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	if fs.NArg() != 1 || *keyPath == "" {
		fmt.Fprintln(env.Stderr, "mezhved sign: want --key FILE|DIR|pkcs11:URI and exactly one FILE (mezhved keys list shows the keys found)")
		return 2
	}
	var k signer.Kind
	switch *kind {
	case "system":
		k = signer.KindSystem
	case "personal":
		k = signer.KindPersonal
	default:
		return env.Fail(domain.Errorf(domain.EINVALID, "Неизвестный вид подписи %q: system или personal", *kind))
	}
	if *profile != "smev" && *profile != "xmldsig" {
		return env.Fail(domain.Errorf(domain.EINVALID, "Неизвестный профиль %q: smev или xmldsig", *profile))
	}
	if *profile == "smev" && *id == "" {
		return env.Fail(domain.Errorf(domain.EINVALID, "Укажите --id: Id подписываемого элемента"))
	}
	doc, err := readBounded(fs.Arg(0))
	if err != nil {
		return env.Fail(err)
	}
	// A SMEV document is read once, before the key is opened, so a bad
	// document is reported before a PIN is asked for. The XMLDSig profile
	// has its own strict reader (no DOCTYPE, no entities) inside Sign.
	var parsed *xmltree.Doc
	if *profile == "smev" {
		if parsed, err = signer.Parse(doc); err != nil {
			return env.Fail(err)
		}
	}

	var secret []byte
	if *pinFile != "" {
		if secret, err = keys.ReadSecretFile(*pinFile); err != nil {
			return env.Fail(err)
		}
	}
	key, err := keys.Open(*keyPath, *certPath, secret) // zeroes secret
	if err != nil {
		return env.Fail(err)
	}
	defer key.Close()

	var out []byte
	if *profile == "xmldsig" {
		out, err = xmldsig.Sign(doc, key, xmldsig.Options{ID: *id})
	} else {
		out, err = signer.SignDoc(parsed, *id, k, key, nil)
	}
	if err != nil {
		return env.Fail(err)
	}
	if _, err := env.Stdout.Write(out); err != nil {
		return env.Fail(err)
	}
	return 0
}
