package keys

import (
	"github.com/miekg/pkcs11"

	"github.com/mezhved/mezhved/domain"
)

// loginError turns a failed C_Login into the clerk's message. PKCS#11 does
// not tell how many tries are left, only the token's flags do: the last
// one, a few, none (locked); they are read right after the failure.
func loginError(ctx *pkcs11.Ctx, slot uint, err error) error {
	const op = "keys.OpenPKCS11"
	var flags uint
	if ti, terr := ctx.GetTokenInfo(slot); terr == nil {
		flags = ti.Flags
	}
	switch {
	case isRV(err, pkcs11.CKR_PIN_LOCKED), isRV(err, pkcs11.CKR_PIN_INCORRECT) && flags&pkcs11.CKF_USER_PIN_LOCKED != 0:
		return domain.Wrap(err, domain.EPERMISSION, op, "PIN-код токена заблокирован после неверных попыток: обратитесь к администратору, он разблокирует токен PIN-кодом администратора")
	case isRV(err, pkcs11.CKR_PIN_INCORRECT) && flags&pkcs11.CKF_USER_PIN_FINAL_TRY != 0:
		return domain.Wrap(err, domain.EPERMISSION, op, "Неверный PIN-код токена. Осталась одна попытка: после ещё одного неверного PIN-кода токен заблокируется")
	case isRV(err, pkcs11.CKR_PIN_INCORRECT) && flags&pkcs11.CKF_USER_PIN_COUNT_LOW != 0:
		return domain.Wrap(err, domain.EPERMISSION, op, "Неверный PIN-код токена. Попыток осталось немного: когда они кончатся, токен заблокируется")
	case isRV(err, pkcs11.CKR_PIN_INCORRECT), isRV(err, pkcs11.CKR_PIN_LEN_RANGE), isRV(err, pkcs11.CKR_PIN_INVALID):
		return domain.Wrap(err, domain.EPERMISSION, op, "Неверный PIN-код токена")
	case isRV(err, pkcs11.CKR_USER_PIN_NOT_INITIALIZED):
		return domain.Wrap(err, domain.EPERMISSION, op, "На токене не задан PIN-код пользователя: токен не подготовлен к работе, обратитесь к администратору")
	case isRV(err, pkcs11.CKR_DEVICE_REMOVED), isRV(err, pkcs11.CKR_TOKEN_NOT_PRESENT):
		return domain.Wrap(err, domain.EUNAVAILABLE, op, "Токен отключён: подключите его и повторите")
	}
	return domain.Wrap(err, domain.EPERMISSION, op, "Не удалось войти на токен")
}

// noKeyError explains a key that is not on the token: when a certificate
// with the same label or id is there, the clerk hears that the certificate
// has no private key beside it (it was written alone, or its key lives on
// another token).
func (k *tokenKey) noKeyError(cfg PKCS11Config) error {
	tmpl := []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE)}
	if cfg.KeyLabel != "" {
		tmpl = append(tmpl, pkcs11.NewAttribute(pkcs11.CKA_LABEL, cfg.KeyLabel))
	}
	if len(cfg.KeyID) > 0 {
		tmpl = append(tmpl, pkcs11.NewAttribute(pkcs11.CKA_ID, cfg.KeyID))
	}
	if certs, err := k.findObjects(tmpl); err == nil && len(certs) > 0 {
		return domain.Errorf(domain.ENOTFOUND, "На токене есть сертификат %s, но нет его закрытого ключа: ключ записан на другой токен или удалён. Подключите токен с ключом этого сертификата", keyName(cfg))
	}
	return domain.Errorf(domain.ENOTFOUND, "Ключ %s не найден на токене", keyName(cfg))
}

func keyName(cfg PKCS11Config) string {
	if cfg.KeyLabel != "" {
		return "«" + cfg.KeyLabel + "»"
	}
	return "с идентификатором " + hexID(cfg.KeyID)
}

func hexID(id []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(id))
	for _, b := range id {
		out = append(out, digits[b>>4], digits[b&15])
	}
	return string(out)
}

// tokenGone reports an error of a token pulled out during a session.
func tokenGone(err error) bool {
	return isRV(err, pkcs11.CKR_DEVICE_REMOVED) || isRV(err, pkcs11.CKR_SESSION_HANDLE_INVALID) ||
		isRV(err, pkcs11.CKR_TOKEN_NOT_PRESENT) || isRV(err, pkcs11.CKR_SESSION_CLOSED)
}
