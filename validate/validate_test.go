package validate

import (
	"errors"
	"fmt"
	"math/big"
	"math/rand"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/domain"
)

// The generators below compute check digits their own way (big numbers,
// explicit loops), independently of the code under test.

func genSNILS(r *rand.Rand) string {
	for {
		n := fmt.Sprintf("%09d", r.Intn(1e9))
		if n > "001001998" {
			return snilsOf(n)
		}
	}
}

// snilsOf appends the checksum to nine digits.
func snilsOf(n string) string {
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(n[i]-'0') * (9 - i)
	}
	for sum > 101 {
		sum -= 101
	}
	if sum == 100 || sum == 101 {
		sum = 0
	}
	return fmt.Sprintf("%s%02d", n, sum)
}

func check(n string, w []int) byte {
	sum := 0
	for i, x := range w {
		sum += int(n[i]-'0') * x
	}
	return byte('0' + sum%11%10)
}

func genINN10(r *rand.Rand) string {
	return innOf(fmt.Sprintf("%02d%07d0", 1+r.Intn(99), r.Intn(1e7)))
}

func genINN12(r *rand.Rand) string {
	return innOf(fmt.Sprintf("%02d%08d00", 1+r.Intn(99), r.Intn(1e8)))
}

// innOf returns s with its check digits set (the last one of 10, the last
// two of 12).
func innOf(s string) string {
	if len(s) == 10 {
		return s[:9] + string(check(s, []int{2, 4, 10, 3, 5, 9, 4, 6, 8}))
	}
	n := s[:10] + string(check(s, []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}))
	return n + string(check(n, []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}))
}

func genOGRN(r *rand.Rand, first string, length int, m int64) string {
	return ogrnOf(first+fmt.Sprintf("%0*d", length-2, r.Int63n(pow10(length-2))), m)
}

// ogrnOf appends the check digit: (the number mod m) mod 10.
func ogrnOf(n string, m int64) string {
	rem := new(big.Int).Mod(mustBig(n), big.NewInt(m)).Int64() % 10
	return n + fmt.Sprint(rem)
}

func pow10(n int) int64 {
	p := int64(1)
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}

func mustBig(s string) *big.Int { b, _ := new(big.Int).SetString(s, 10); return b }

// nearMiss changes one digit of s (not the first) by +1 mod 10.
func nearMiss(r *rand.Rand, s string, from int) string {
	i := from + r.Intn(len(s)-from)
	b := []byte(s)
	b[i] = '0' + (b[i]-'0'+1)%10
	return string(b)
}

func msg(err error) string { return domain.ErrorMessage(err) }

func TestSNILS(t *testing.T) {
	for in, want := range map[string]string{
		"112-233-445 95":   "112-233-445 95", // the example printed on the СНИЛС form
		"11223344595":      "112-233-445 95",
		" 112 233 445 95 ": "112-233-445 95",
		"001-001-998 00":   "001-001-998 00", // issued before checksums: not checked
	} {
		if got, err := SNILS(in); err != nil || got != want {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	for in, why := range map[string]string{
		"112-233-445 94": "контрольная сумма",
		"112-233-454 95": "контрольная сумма", // two digits swapped
		"112-233-445 9":  "11 цифр",
		"112-233-445 9a": "11 цифр",
		"000-000-000 00": "такого номера нет",
		"":               "11 цифр",
	} {
		if _, err := SNILS(in); err == nil || !strings.Contains(msg(err), why) || domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%q: %v, want a message with %q", in, err, why)
		}
	}
	r := rand.New(rand.NewSource(1))
	caught := 0
	for i := 0; i < 2000; i++ {
		s := genSNILS(r)
		if _, err := SNILS(s); err != nil {
			t.Fatalf("valid %s: %v", s, err)
		}
		// A changed digit is caught unless the checksum collides (sums 100
		// and 101 both give 00): the answer must agree with the generator.
		bad := nearMiss(r, s, 0)
		_, err := SNILS(bad)
		if want := bad[:9] <= "001001998" || snilsOf(bad[:9]) == bad; (err == nil) != want {
			t.Fatalf("near miss %s of %s: %v", bad, s, err)
		}
		if err != nil {
			caught++
		}
	}
	if caught < 1900 {
		t.Errorf("only %d of 2000 near misses caught", caught)
	}
	if got := snilsChecksum("000000000"); got != "00" {
		t.Errorf("zero sum: %s", got)
	}
}

func TestSNILSChecksumEdge(t *testing.T) {
	// Find bodies whose weighted sum is 100 and 101 and whose sum > 101: all give the rule's value.
	found := map[int]bool{}
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 200000 && len(found) < 3; i++ {
		n := fmt.Sprintf("%09d", r.Intn(1e9))
		sum := 0
		for j := 0; j < 9; j++ {
			sum += int(n[j]-'0') * (9 - j)
		}
		want := ""
		switch {
		case sum == 100 || sum == 101:
			want = "00"
		case sum > 101 && sum%101 < 100:
			want = fmt.Sprintf("%02d", sum%101)
		default:
			continue
		}
		k := min(sum, 102)
		if got := snilsChecksum(n); got != want {
			t.Fatalf("%s (sum %d): %s want %s", n, sum, got, want)
		}
		found[k] = true
	}
	if len(found) != 3 {
		t.Fatalf("edge sums not reached: %v", found)
	}
}

func TestINN(t *testing.T) {
	for _, s := range []string{"7707083893", "7736207543", "500100732259"} { // ПАО Сбербанк, ООО «Яндекс», the FNS sample personal ИНН
		if got, err := INN(s); err != nil || got != s {
			t.Errorf("%s: %v", s, err)
		}
	}
	r := rand.New(rand.NewSource(3))
	caught := 0
	for i := 0; i < 2000; i++ {
		for _, s := range []string{genINN10(r), genINN12(r)} {
			if _, err := INN(s); err != nil {
				t.Fatalf("valid %s: %v", s, err)
			}
			bad := nearMiss(r, s, 2)
			_, err := INN(bad)
			if want := bad == innOf(bad); (err == nil) != want {
				t.Fatalf("near miss %s of %s: %v", bad, s, err)
			} else if err != nil && !strings.Contains(msg(err), "контрольная сумма") {
				t.Fatalf("near miss %s: %v", bad, err)
			} else if err != nil {
				caught++
			}
		}
	}
	if caught < 3600 {
		t.Errorf("only %d of 4000 near misses caught", caught)
	}
	for in, why := range map[string]string{
		"770708389":    "10 цифр",
		"77070838931":  "10 цифр",
		"77070838А3":   "10 цифр",
		"0007083893":   "00",
		"7707083894":   "контрольная сумма",
		"500100732258": "контрольная сумма",
	} {
		if _, err := INN(in); err == nil || !strings.Contains(msg(err), why) {
			t.Errorf("%q: %v, want %q", in, err, why)
		}
	}
	if _, err := INNLegal("500100732259"); err == nil || !strings.Contains(msg(err), "физического лица") {
		t.Errorf("INNLegal of a person: %v", err)
	}
	if _, err := INNPerson("7707083893"); err == nil || !strings.Contains(msg(err), "организации") {
		t.Errorf("INNPerson of an organisation: %v", err)
	}
	if _, err := INNLegal("7707083893"); err != nil {
		t.Error(err)
	}
}

func TestOGRN(t *testing.T) {
	for _, s := range []string{"1027700132195", "1027700229193"} { // ПАО Сбербанк, ООО «Яндекс»
		if _, err := OGRN(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	if _, err := OGRNIP("304500116000157"); err != nil { // the FNS sample ОГРНИП
		t.Error(err)
	}
	r := rand.New(rand.NewSource(4))
	caught := 0
	for i := 0; i < 2000; i++ {
		o := genOGRN(r, []string{"1", "5"}[i%2], 13, 11)
		ip := genOGRN(r, "3", 15, 13)
		if _, err := OGRN(o); err != nil {
			t.Fatalf("valid %s: %v", o, err)
		}
		if _, err := OGRNIP(ip); err != nil {
			t.Fatalf("valid %s: %v", ip, err)
		}
		badO, badIP := nearMiss(r, o, 1), nearMiss(r, ip, 1)
		_, errO := OGRN(badO)
		_, errIP := OGRNIP(badIP)
		if (errO == nil) != (badO == ogrnOf(badO[:12], 11)) || (errIP == nil) != (badIP == ogrnOf(badIP[:14], 13)) {
			t.Fatalf("near misses %s (%v), %s (%v)", badO, errO, badIP, errIP)
		}
		if errO != nil {
			caught++
		}
		if errIP != nil {
			caught++
		}
	}
	if caught < 3600 {
		t.Errorf("only %d of 4000 near misses caught", caught)
	}
	for in, why := range map[string]string{
		"1027700132194":   "контрольная сумма",
		"2027700132195":   "1 или 5",
		"304500116000157": "ОГРНИП",
		"102770013219":    "13 цифр",
	} {
		if _, err := OGRN(in); err == nil || !strings.Contains(msg(err), why) {
			t.Errorf("OGRN %q: %v, want %q", in, err, why)
		}
	}
	for in, why := range map[string]string{
		"304500116000156": "контрольная сумма",
		"104500116000157": "начинается с 3",
		"1027700132195":   "ОГРН организации",
	} {
		if _, err := OGRNIP(in); err == nil || !strings.Contains(msg(err), why) {
			t.Errorf("OGRNIP %q: %v, want %q", in, err, why)
		}
	}
}

func TestCodes(t *testing.T) {
	good := map[string]func(string) (string, error){
		"773601001": KPP, "7736AB001": KPP, "46000000": OKTMO, "46628101001": OKTMO,
		"50:21:0110104:123": Cadastral, "77:01:000401:9": Cadastral, "50 : 21 : 0110104 : 5": Cadastral,
		"50:21:0110104": CadastralQuarter, "45 08": PassportSeries, "4508": PassportSeries,
		"123456": PassportNumber, "45 08 123456": Passport, "№ 4508 123456": Passport,
		"500-123": DivisionCode, "500123": DivisionCode,
	}
	for in, f := range good {
		if _, err := f(in); err != nil {
			t.Errorf("%q: %v", in, err)
		}
	}
	if v, _ := Cadastral("50 : 21 : 0110104 : 5"); v != "50:21:0110104:5" {
		t.Errorf("cadastral canonical: %q", v)
	}
	if v, _ := Passport("45 08 123456"); v != "4508 123456" {
		t.Errorf("passport canonical: %q", v)
	}
	bad := map[string]func(string) (string, error){
		"77360100": KPP, "7736ab001": KPP, "773601A01": KPP, "000001001": KPP,
		"4600000": OKTMO, "460000001": OKTMO, "00000000": OKTMO,
		"50:21:0110104": Cadastral, "50:21:01101:1": Cadastral, "5:21:0110104:1": Cadastral,
		"50:21:0110104:0": Cadastral, "50:21:0110104:1a": Cadastral, "50-21-0110104-1": Cadastral,
		"50:21:0110104:1": CadastralQuarter, "450": PassportSeries, "0008": PassportSeries,
		"12345": PassportNumber, "000000": PassportNumber, "1234567": PassportNumber,
		"4508 12345": Passport, "0008 123456": Passport,
		"500-12": DivisionCode, "000-123": DivisionCode, "500-1234": DivisionCode,
	}
	for in, f := range bad {
		if _, err := f(in); err == nil {
			t.Errorf("%q accepted", in)
		} else if m := msg(err); m == "" || strings.ContainsAny(m, "abcdefghijklmnopqrstuvwxyz") && !strings.Contains(m, "латин") {
			t.Errorf("%q: message %q is not a clerk's Russian", in, m)
		}
	}
	if _, err := Cadastral("50:21:0110104"); !strings.Contains(msg(err), "квартала") {
		t.Errorf("quarter for object: %v", err)
	}
}

func TestDatesAndNames(t *testing.T) {
	today := calendar.MustDate(2025, 5, 13)
	if v, err := BirthDate("29.02.1984", today); err != nil || v != "1984-02-29" {
		t.Errorf("%q %v", v, err)
	}
	if v, err := BirthDate("2025-05-13", today); err != nil || v != "2025-05-13" {
		t.Errorf("born today: %q %v", v, err)
	}
	for in, why := range map[string]string{
		"14.05.2025": "в будущем", "29.02.1985": "такого дня нет", "1899-12-31": "диапазона",
		"13.05": "ДД.ММ.ГГГГ", "": "ДД.ММ.ГГГГ", "1.2.185": "ДД.ММ.ГГГГ", "32.1.85": "такого дня нет",
	} {
		if _, err := BirthDate(in, today); err == nil || !strings.Contains(msg(err), why) {
			t.Errorf("birth %q: %v, want %q", in, err, why)
		}
	}
	if _, err := PastDate("14.05.2025", today); err == nil || !strings.Contains(msg(err), "не наступила") {
		t.Errorf("future issue date: %v", err)
	}
	if v, err := Date("01.01.2030"); err != nil || v != "2030-01-01" {
		t.Errorf("plain date: %v", err)
	}
	// Dates as clerks write them; a two-digit year by the kind of date.
	for _, c := range []struct {
		kind, in, want string
	}{
		{"birth", "1.2.85", "1985-02-01"},
		{"birth", "01.02.1985", "1985-02-01"},
		{"birth", "1/2/85", "1985-02-01"},
		{"birth", "01021985", "1985-02-01"},
		{"birth", "1 2 1985", "1985-02-01"},
		{"birth", "13.5.25", "2025-05-13"}, // today: never in the future
		{"birth", "14.5.25", "1925-05-14"}, // tomorrow in 2025 is a birth date of 1925
		{"past", "1.2.24", "2024-02-01"},
		{"date", "1.12.26", "2026-12-01"},
		{"date", "1.12.49", "2049-12-01"},
		{"date", "1.12.50", "1950-12-01"},
		{"date", "2026-12-03", "2026-12-03"},
	} {
		var v string
		var err error
		switch c.kind {
		case "birth":
			v, err = BirthDate(c.in, today)
		case "past":
			v, err = PastDate(c.in, today)
		default:
			v, err = Date(c.in)
		}
		if err != nil || v != c.want {
			t.Errorf("%s %q = %q, %v; want %s", c.kind, c.in, v, err, c.want)
		}
	}
	for in, want := range map[string]string{
		"Иванов": "Иванов", " Салтыков-Щедрин ": "Салтыков-Щедрин", "Мамед  оглы": "Мамед оглы",
		"Ёлкина": "Ёлкина", "Д'Артаньян": "Д'Артаньян",
	} {
		if v, err := Name(in); err != nil || v != want {
			t.Errorf("name %q: %q %v", in, v, err)
		}
	}
	for in, why := range map[string]string{
		"Ivanov": "латинская", "иванов": "заглавной", "Иванов-": "кончаться", "Иван--ов": "не на своём месте",
		"Ив4нов": "недопустимый", "": "не заполнено", "-Иванов": "не на своём месте",
		"Ивaнов":                "латинская", // Latin "a" inside a Cyrillic word
		strings.Repeat("Я", 61): "длиннее",
	} {
		if _, err := Name(in); err == nil || !strings.Contains(msg(err), why) {
			t.Errorf("name %q: %v, want %q", in, err, why)
		}
	}
	for _, bad := range []string{"строка\x00", "a\uFFFE", "a\xff", "a\x7f"} {
		if _, err := Text(bad, 0); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if v, err := Text("  две\nстроки\t ", 0); err != nil || v != "две\nстроки" {
		t.Errorf("%q %v", v, err)
	}
	if _, err := Text(strings.Repeat("я", 11), 10); err == nil {
		t.Error("too long accepted")
	}
}

func TestProblems(t *testing.T) {
	ps := Problems{{Field: "snils", Label: "СНИЛС", Message: "неверная контрольная сумма"}, {Message: "общая"}}
	if ps[0].String() != "СНИЛС: неверная контрольная сумма" {
		t.Error(ps[0].String())
	}
	err := ps.Err()
	if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), "СНИЛС: неверная контрольная сумма\nобщая") {
		t.Errorf("%v", err)
	}
	var back Problems
	if !errors.As(err, &back) || len(back) != 2 {
		t.Error("problems not recoverable")
	}
	if Problems(nil).Err() != nil {
		t.Error("no problems is an error")
	}
}
