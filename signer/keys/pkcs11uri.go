package keys

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/mezhved/mezhved/domain"
)

// IsPKCS11URI reports whether a key path is a pkcs11: URI.
func IsPKCS11URI(s string) bool { return strings.HasPrefix(s, "pkcs11:") }

// ParsePKCS11URI reads an RFC 7512 URI into a PKCS11Config:
// pkcs11:token=LABEL;object=KEYLABEL;id=%01;slot-id=N?module-path=/path/lib.so
// Other attributes are ignored; a pin-value in the URI is refused (the PIN
// comes from a file or the window, never from a command line). Without a
// module-path the first library FindModules finds is used.
func ParsePKCS11URI(s string) (PKCS11Config, error) {
	var cfg PKCS11Config
	bad := func(what string) (PKCS11Config, error) {
		return PKCS11Config{}, domain.Errorf(domain.EINVALID, "Адрес ключа на токене (pkcs11:) записан неверно: %s", what)
	}
	if !IsPKCS11URI(s) {
		return bad("нет префикса pkcs11:")
	}
	path, query, _ := strings.Cut(strings.TrimPrefix(s, "pkcs11:"), "?")
	for _, attr := range strings.Split(path, ";") {
		if attr == "" {
			continue
		}
		k, v, ok := strings.Cut(attr, "=")
		if !ok {
			return bad(attr)
		}
		val, err := url.PathUnescape(v)
		if err != nil {
			return bad(k)
		}
		switch k {
		case "token":
			cfg.TokenLabel = val
		case "object":
			cfg.KeyLabel = val
		case "id":
			cfg.KeyID = []byte(val)
		case "slot-id":
			n, err := strconv.ParseUint(val, 10, 32)
			if err != nil {
				return bad(k)
			}
			slot := uint(n)
			cfg.Slot = &slot
		case "pin-value":
			return bad("PIN-код нельзя писать в адресе ключа")
		}
	}
	for _, q := range strings.Split(query, "&") {
		k, v, _ := strings.Cut(q, "=")
		val, err := url.QueryUnescape(v)
		if err != nil {
			return bad(k)
		}
		switch k {
		case "module-path":
			cfg.Module = val
		case "pin-value":
			return bad("PIN-код нельзя писать в адресе ключа")
		}
	}
	if cfg.Module == "" {
		if found := FindModules(nil); len(found) > 0 {
			cfg.Module = found[0].Path
		} else {
			return PKCS11Config{}, domain.Errorf(domain.EUNAVAILABLE, "Драйвер токена не найден: установите драйвер Рутокен, JaCarta или КриптоПро CSP либо укажите путь к библиотеке (module-path)")
		}
	}
	if cfg.KeyLabel == "" && len(cfg.KeyID) == 0 {
		return bad("не указан ключ (object= или id=)")
	}
	return cfg, nil
}
