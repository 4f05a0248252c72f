package validate

import (
	"strings"
)

// digitsOnly returns s without the separators in seps when everything else
// is an ASCII digit, and ok=false otherwise.
func digitsOnly(s, seps string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(seps, r):
		default:
			return "", false
		}
	}
	return b.String(), true
}

func digitsOf(s string) []int {
	d := make([]int, len(s))
	for i := range s {
		d[i] = int(s[i] - '0')
	}
	return d
}

func allSame(s string) bool { return strings.Count(s, s[:1]) == len(s) }

// SNILS checks a СНИЛС (insurance number of the individual personal account):
// 11 digits, written with or without "-" and spaces, whose last two digits
// are the checksum: the sum of the first nine digits weighted 9, 8, … 1,
// taken modulo 101 with 100 written as 00. Numbers up to 001-001-998 were
// issued before checksums and are not checked. The canonical form is
// "XXX-XXX-XXX YY", the form of the SMEV common types.
func SNILS(s string) (string, error) {
	v, ok := digitsOnly(s, "- ")
	if !ok || len(v) != 11 {
		return "", invalid("нужно 11 цифр (например, 112-233-445 95)")
	}
	if allSame(v) {
		return "", invalid("такого номера нет")
	}
	if v[:9] > "001001998" && v[9:] != snilsChecksum(v[:9]) {
		return "", invalid("неверная контрольная сумма — проверьте цифры")
	}
	return v[0:3] + "-" + v[3:6] + "-" + v[6:9] + " " + v[9:], nil
}

func snilsChecksum(nine string) string {
	sum := 0
	for i, d := range digitsOf(nine) {
		sum += d * (9 - i)
	}
	sum %= 101
	if sum == 100 {
		sum = 0
	}
	return string([]byte{byte('0' + sum/10), byte('0' + sum%10)})
}

// weighted returns (Σ d[i]·w[i]) mod m mod 10.
func weighted(d []int, w []int, m int) int {
	sum := 0
	for i, x := range w {
		sum += d[i] * x
	}
	return sum % m % 10
}

var (
	inn10  = []int{2, 4, 10, 3, 5, 9, 4, 6, 8}
	inn12a = []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
	inn12b = []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
)

// INN checks an ИНН of an organisation (10 digits) or of a person (12
// digits) with its check digits (the weights of the FNS order).
func INN(s string) (string, error) {
	v, ok := digitsOnly(s, "")
	if !ok || (len(v) != 10 && len(v) != 12) {
		return "", invalid("нужно 10 цифр (организация) или 12 цифр (физическое лицо)")
	}
	if v[:2] == "00" {
		return "", invalid("такого номера нет: код налогового органа не может начинаться с 00")
	}
	d := digitsOf(v)
	if len(v) == 10 && weighted(d, inn10, 11) != d[9] ||
		len(v) == 12 && (weighted(d, inn12a, 11) != d[10] || weighted(d, inn12b, 11) != d[11]) {
		return "", invalid("неверная контрольная сумма — проверьте цифры")
	}
	return v, nil
}

// INNLegal checks the 10-digit ИНН of an organisation.
func INNLegal(s string) (string, error) {
	if v, ok := digitsOnly(s, ""); ok && len(v) == 12 {
		return "", invalid("это ИНН физического лица (12 цифр), а нужен ИНН организации (10 цифр)")
	}
	return INN(s)
}

// INNPerson checks the 12-digit ИНН of a person or an individual entrepreneur.
func INNPerson(s string) (string, error) {
	if v, ok := digitsOnly(s, ""); ok && len(v) == 10 {
		return "", invalid("это ИНН организации (10 цифр), а нужен ИНН физического лица (12 цифр)")
	}
	return INN(s)
}

// mod returns the number written by digits s modulo m, without overflow.
func mod(s string, m int) int {
	r := 0
	for _, d := range digitsOf(s) {
		r = (r*10 + d) % m
	}
	return r
}

// OGRN checks the ОГРН of an organisation: 13 digits, the first 1 or 5, the
// last equal to (the first 12 as a number mod 11) mod 10.
func OGRN(s string) (string, error) {
	v, ok := digitsOnly(s, "")
	if !ok || len(v) != 13 {
		if ok && len(v) == 15 {
			return "", invalid("это ОГРНИП (15 цифр), а нужен ОГРН организации (13 цифр)")
		}
		return "", invalid("нужно 13 цифр")
	}
	if v[0] != '1' && v[0] != '5' {
		return "", invalid("ОГРН организации начинается с 1 или 5")
	}
	if mod(v[:12], 11)%10 != int(v[12]-'0') {
		return "", invalid("неверная контрольная сумма — проверьте цифры")
	}
	return v, nil
}

// OGRNIP checks the ОГРНИП of an individual entrepreneur: 15 digits, the
// first 3, the last equal to (the first 14 as a number mod 13) mod 10.
func OGRNIP(s string) (string, error) {
	v, ok := digitsOnly(s, "")
	if !ok || len(v) != 15 {
		if ok && len(v) == 13 {
			return "", invalid("это ОГРН организации (13 цифр), а нужен ОГРНИП (15 цифр)")
		}
		return "", invalid("нужно 15 цифр")
	}
	if v[0] != '3' {
		return "", invalid("ОГРНИП начинается с 3")
	}
	if mod(v[:14], 13)%10 != int(v[14]-'0') {
		return "", invalid("неверная контрольная сумма — проверьте цифры")
	}
	return v, nil
}

// KPP checks a КПП: 9 characters, the code of the tax office (4 digits, not
// 0000), the reason of registration (2 digits or capital Latin letters A–Z),
// and a serial number (3 digits).
func KPP(s string) (string, error) {
	v := strings.TrimSpace(s)
	ok := len(v) == 9
	for i := 0; ok && i < 9; i++ {
		c := v[i]
		ok = c >= '0' && c <= '9' || (i == 4 || i == 5) && c >= 'A' && c <= 'Z'
	}
	if !ok {
		return "", invalid("нужно 9 знаков: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры")
	}
	if v[:4] == "0000" {
		return "", invalid("код налогового органа не может быть 0000")
	}
	return v, nil
}

// OKTMO checks a code of ОКТМО: 8 digits (a municipality) or 11 (a
// settlement), not starting with 00.
func OKTMO(s string) (string, error) {
	v, ok := digitsOnly(s, "")
	if !ok || len(v) != 8 && len(v) != 11 {
		return "", invalid("нужно 8 или 11 цифр")
	}
	if v[:2] == "00" {
		return "", invalid("код не может начинаться с 00")
	}
	return v, nil
}
