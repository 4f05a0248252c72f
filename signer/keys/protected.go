package keys

import (
	"errors"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/gost/cryptopro"
	"github.com/mezhved/mezhved/gost/gostpkcs"
)

// ErrWrongPassword is in the chain of every error that says a key's
// password or PIN is wrong (PKCS#12, encrypted PEM, CryptoPro containers):
// errors.Is(err, keys.ErrWrongPassword). The error around it is a
// *domain.Error coded EPERMISSION with the clerk's message
// (msgWrongPassword); tokens have their own PIN messages.
var ErrWrongPassword = errors.New("wrong key password or PIN")

const msgWrongPassword = "Неверный пароль ключа: проверьте раскладку клавиатуры и Caps Lock и введите пароль ещё раз"

// wrongPassword returns the error for the clerk around ErrWrongPassword;
// message "" is msgWrongPassword.
func wrongPassword(op, message string) error {
	if message == "" {
		message = msgWrongPassword
	}
	return domain.Wrap(ErrWrongPassword, domain.EPERMISSION, op, message)
}

// protectionError turns an error of gostpkcs or cryptopro into one for the
// clerk: a wrong password, a protection this program does not read (named),
// or a damaged file. what names the file kind in Russian («контейнер
// PKCS#12», «файл ключа PEM», «контейнер КриптоПро»).
func protectionError(op, what string, err error) error {
	var unsupported *gostpkcs.UnsupportedError
	var malformed *gostpkcs.MalformedError
	var format *cryptopro.FormatError
	switch {
	case errors.Is(err, gostpkcs.ErrWrongPassword):
		return wrongPassword(op, "")
	case errors.As(err, &unsupported):
		return domain.Wrap(err, domain.EUNSUPPORTED, op,
			"Способ защиты ключа не поддерживается этой программой ("+unsupported.What+"): "+what+" нужно выгрузить заново или использовать токен")
	case errors.As(err, &format):
		return domain.Wrap(err, domain.EINVALID, op, "Не удалось прочитать "+what+": "+format.What)
	case errors.As(err, &malformed):
		return domain.Wrap(err, domain.EINVALID, op, "Файл повреждён: "+what+" не читается")
	}
	return domain.Wrap(err, domain.EINVALID, op, "Не удалось открыть "+what)
}
